"""The reporters stand on two floors: ``base`` and ``common`` below, one module per
format above. A format that imports another format would stack them again (a change to
the Markdown table would silently change the GitHub summary and SARIF), so the rule is
checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import listcheck.reporters as package
from listcheck.reporters import REPORTERS, default_format, get_reporter
from listcheck.reporters.base import ReporterOptions

FOLDER = Path(package.__file__).parent
FLOOR = {"listcheck.reporters.base", "listcheck.reporters.common"}
FORMATS = sorted(
    path for path in FOLDER.glob("*.py") if path.stem not in {"__init__", "base", "common"}
)


def _reporter_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names = {alias.name for alias in node.names}
        else:
            continue
        found |= {name for name in names if name.startswith("listcheck.reporters")}
    return found


def test_every_format_is_checked() -> None:
    assert {path.stem for path in FORMATS} == {"github", "json", "markdown", "sarif", "text"}


@pytest.mark.parametrize("path", FORMATS, ids=lambda path: path.stem)
def test_a_format_imports_only_the_floor_below(path: Path) -> None:
    modules = {
        name
        for name in _reporter_imports(path)
        if name in FLOOR or name.count(".") == 2  # a module, not a name imported from it
    }
    assert modules <= FLOOR, f"{path.name} imports {sorted(modules - FLOOR)}"


@pytest.mark.parametrize("path", [FOLDER / "base.py", FOLDER / "common.py"], ids=["base", "common"])
def test_the_floor_imports_no_format(path: Path) -> None:
    assert _reporter_imports(path) <= {"listcheck.reporters.base"}


def test_the_cli_names_no_format() -> None:
    """The command line asks the registry for a reporter by name, with options, and
    asks the reporter what it is for: no import of a format, no format's name."""
    cli = FOLDER.parent / "cli.py"
    formats = {f"listcheck.reporters.{path.stem}" for path in FORMATS}
    assert not _reporter_imports(cli) & formats
    strings = {
        node.value
        for node in ast.walk(ast.parse(cli.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not strings & set(REPORTERS)


@pytest.mark.parametrize(
    ("name", "for_programs", "shows_progress"),
    [
        ("text", False, True),
        ("github", False, False),
        ("json", True, False),
        ("sarif", True, False),
        ("markdown", True, False),
    ],
)
def test_what_each_format_tells_the_cli(
    name: str, for_programs: bool, shows_progress: bool
) -> None:
    """A summary line on a terminal's stderr after the formats programs read; a progress
    bar only beside the text report."""
    reporter = get_reporter(name, ReporterOptions())
    assert (reporter.for_programs, reporter.shows_progress) == (for_programs, shows_progress)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "text"),
        ({"GITHUB_ACTIONS": "false"}, "text"),
        ({"GITHUB_ACTIONS": "true"}, "github"),
    ],
)
def test_the_default_format(environ: dict[str, str], expected: str) -> None:
    assert default_format(environ) == expected
