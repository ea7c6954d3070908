"""The code style the project holds itself to, enforced where the tests run: ruff (lint
and format) on everything, ``mypy --strict`` on the package and its tests. A linter that
is not installed skips with the reason (both are in the test extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ["src", "tests", "benchmarks"]


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.mark.parametrize(
    "command",
    [["check", *TREES], ["format", "--check", *TREES]],
    ids=["lint", "format"],
)
def test_ruff(command: list[str]) -> None:
    proc = subprocess.run(
        [_tool("ruff"), *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_package_and_tests() -> None:
    proc = subprocess.run(
        [_tool("mypy"), "--strict", "src", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
