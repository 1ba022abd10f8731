"""The admin addresses its users with "Sie", the public site its readers with "du": no "du",
"dein" or "Bitte lade …" in what the admin shows — its templates, the scripts its pages load,
and the words its Python code hands to them."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin

BASE = Path(settings.BASE_DIR)

#: A pronoun of "du", or a request in its imperative ("Bitte lade die Seite neu.").
DU = re.compile(
    r"\b(?:[Dd]u|[Dd]ich|[Dd]ir|[Dd]ein(?:e[mnrs]?)?)\b"
    r"|\b[Bb]itte (?:lade|wähle|gib|klicke|prüfe|versuche|trage|schreibe|sende|speichere|"
    r"öffne|nutze|beachte|warte|korrigiere|lies|gehe|melde)\b"
)


def admin_scripts() -> set[Path]:
    """static/js/admin-*.js and every script a registered admin class loads."""
    scripts = set((BASE / "static" / "js").glob("admin-*.js"))
    for model_admin in admin.site._registry.values():
        for name in model_admin.media._js:
            if (BASE / "static" / name).exists():
                scripts.add(BASE / "static" / name)
    return scripts


def texts() -> list[tuple[Path, str]]:
    """(file, text a user may read): whole templates, the strings of scripts and Python."""
    found = []
    for folder in ("admin", "reversion", "registration"):
        for path in (BASE / "templates" / folder).rglob("*"):
            if path.is_file():
                found.append((path, path.read_text()))
    for script in admin_scripts():
        found += [(script, literal) for literal in re.findall(r'"[^"\n]*"', script.read_text())]
    python = [*(BASE / "comments" / "admin").glob("*.py"), *BASE.glob("*/admin*.py")]
    for path in python:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((path, node.value))
    return [(path, text) for path, text in found if path.suffix in (".html", ".txt", ".js", ".py")]


def test_the_scan_reads_the_desks_script_and_pages():
    scanned = {path.relative_to(BASE).as_posix() for path, _ in texts()}
    assert {
        "static/js/admin-comments.js",
        "static/js/section-editor.js",
        "templates/admin/comments/comment/change_list.html",
        "comments/admin/desk_pages.py",
        "reports/admin.py",
    } <= scanned


@pytest.mark.parametrize(
    ("text", "says_du"),
    [
        ("Bitte lade die Seite neu.", True),
        ("Dein Kommentar wartet.", True),
        ("Hast du das gesehen?", True),
        ("Bitte laden Sie die Seite neu.", False),
        ("Bitte einen Grund angeben.", False),
        ("Gesperrt wird ihr Netz.", False),
    ],
)
def test_the_pattern(text, says_du):
    assert bool(DU.search(text)) is says_du


def test_the_admin_says_sie():
    found = [
        f"{path.relative_to(BASE)}: {match.group(0)!r} in {text.strip()[:80]!r}"
        for path, text in texts()
        for match in DU.finditer(text)
    ]
    assert found == []
