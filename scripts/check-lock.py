"""Fails loudly when pyproject.toml and the lock file disagree, or the venv differs from both.

Usage: .venv/bin/python scripts/check-lock.py requirements.txt|requirements-test.txt

1. Every dependency pyproject.toml names (with the `test` extra for requirements-test.txt) is
   pinned in the lock file, at a version its range allows.
2. Every pin is installed at exactly that version.
3. Every installed package's own requirements (with the extras asked for, which `pip check`
   skips) are installed at versions they allow.
"""

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
FIX = "Run `bash scripts/lock` and commit the lock files (see docs/testing.md)."


def pins(lock: Path) -> dict[str, str]:
    result = {}
    for line in lock.read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith(("#", "-")) and "==" in line:
            name, version = line.split(" ", 1)[0].split("==")
            result[canonicalize_name(name)] = version
    return result


def wanted(lock: Path) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    if lock.name == "requirements-test.txt":
        requirements += project["optional-dependencies"]["test"]
    return [Requirement(text) for text in requirements]


def applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})


def main() -> int:
    lock = ROOT / sys.argv[1]
    pinned = pins(lock)
    problems = []
    for requirement in wanted(lock):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"pyproject.toml needs {requirement}, {lock.name} does not pin it")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"pyproject.toml needs {requirement}, {lock.name} pins {version}")
    for name, version in pinned.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}=={version} is pinned but not installed")
            continue
        if installed != version:
            problems.append(f"{name}=={version} is pinned but {installed} is installed")

    # Walk the installed tree from the project's requirements, extras included.
    queue = [(requirement, set(requirement.extras)) for requirement in wanted(lock)]
    seen = set()
    while queue:
        requirement, extras = queue.pop()
        key = (canonicalize_name(requirement.name), frozenset(extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement} is needed but not installed")
            continue
        if not requirement.specifier.contains(distribution.version, prereleases=True):
            problems.append(f"{requirement} is needed, {distribution.version} is installed")
        for text in distribution.requires or []:
            child = Requirement(text)
            if applies(child, extras):
                queue.append((child, set(child.extras)))

    if problems:
        print(f"{lock.name} does not match pyproject.toml or .venv:", file=sys.stderr)
        for problem in sorted(set(problems)):
            print(f"  - {problem}", file=sys.stderr)
        print(FIX, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
