"""The comments app's shape, as the next engineer meets it: every module imports on its own,
no two modules import each other in a circle, no import hides inside a function to break
one, and no file is longer than about 400 lines."""

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = ("comments", "aireport")


def modules(app: str) -> dict[str, Path]:
    """Module name → file, without migrations."""
    found = {}
    for path in sorted((BASE / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(BASE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported_by(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports at its top level."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            edges |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            edges.add(base)
            edges |= {f"{base}.{alias.name}" for alias in node.names}
    return {edge for edge in edges if edge in known and edge != name}


def test_no_module_of_the_comments_app_imports_another_in_a_circle():
    files = modules("comments")
    graph = {name: imported_by(name, path, set(files)) for name, path in files.items()}
    circles = []

    def visit(name, trail):
        if name in trail:
            circles.append(trail[trail.index(name) :] + [name])
            return
        if name in done:
            return
        for target in graph[name]:
            visit(target, [*trail, name])
        done.add(name)

    done: set[str] = set()
    for name in graph:
        visit(name, [])
    assert circles == []
    # The walk sees imports: the desk imports the one path of status changes.
    assert "comments.actions" in graph["comments.admin.desk"]


def test_no_import_inside_a_function():
    """Only CommentsConfig.ready() imports late: the receivers need the models loaded."""
    late = []
    for app in APPS:
        for name, path in modules(app).items():
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    late += [
                        f"{name}.{node.name}: {ast.unparse(inner)}"
                        for inner in ast.walk(node)
                        if isinstance(inner, ast.Import | ast.ImportFrom)
                    ]
    assert late == ["comments.apps.ready: from comments import receivers"]


def test_no_file_of_the_apps_is_longer_than_about_400_lines():
    lengths = {
        path.relative_to(BASE).as_posix(): len(path.read_text().splitlines())
        for app in APPS
        for path in (BASE / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: n for path, n in lengths.items() if n > 400} == {}


def import_alone(name: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\nimport {name}"],
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("app", ["comments"])
def test_every_module_imports_on_its_own_in_a_fresh_interpreter(app):
    names = sorted(modules(app))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(names, pool.map(import_alone, names), strict=True))
    failed = {
        name: result.stderr.strip().splitlines()[-1]
        for name, result in results.items()
        if result.returncode
    }
    assert failed == {}
    assert len(results) > 30
