"""The project installs as a package: its data files ship, its command exists, no path hacks."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from importlib.metadata import distribution, entry_points

from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _shipped(relative: str) -> bool:
    """Whether a file under comparer/ is matched by a package-data glob of its package."""
    for package, globs in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        folder = package.replace(".", "/") + "/"
        if relative.startswith(folder):
            inside = relative[len(folder) :]
            if any(fnmatch.fnmatch(inside, g) and inside.count("/") == g.count("/") for g in globs):
                return True
    return False


def test_every_data_file_the_library_reads_is_package_data():
    # a lexicon or example added under comparer/ without a glob would be missing from a
    # wheel, and the library would fail only once installed elsewhere
    data = [
        str(p.relative_to(REPO))
        for p in (REPO / "comparer").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert "comparer/report.schema.json" in data and "comparer/data/gazetteer.toml" in data
    assert [f for f in data if not _shipped(f)] == []


def test_the_crosscheck_command_is_the_module_cli():
    from comparer.__main__ import main

    (script,) = entry_points(group="console_scripts", name="crosscheck")
    assert script.value == "comparer.__main__:main"
    assert script.load() is main
    assert distribution("crosscheck").version == __import__("comparer").__version__


def test_no_module_edits_sys_path():
    # imports work through the editable install and `python -m` from the repository root
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for folder in ("comparer", "dashboard", "bench", "tests")
        for p in sorted((REPO / folder).rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"sys\.path\.(insert|append)|sys\.path\s*=", line)
    ]
    assert offenders == []
