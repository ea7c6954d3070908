"""The CLI end to end, driven with the literal command line: exit codes, channels, JSON."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from listcheck.cli import main
from listcheck.models import Report
from tests.reporters.builders import LINK_FIELDS

EXAMPLE = Path(__file__).parents[1] / "examples" / "awesome-example.md"

CLEAN_LIST = """# Awesome Clean
## Papers
- 【202009】Efficient Transformers: A Survey ([PDF](https://arxiv.org/abs/2009.06732))
- 【202004】Longformer ([PDF](https://arxiv.org/abs/2004.05150))
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean_list(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(CLEAN_LIST, encoding="utf-8")
    return path


def test_clean_list_exits_zero(clean_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--offline", str(clean_list)], capsys)
    assert code == 0
    assert "No findings in 1 file (2 entries, 2 links)" in out


def test_example_list_reports_its_defects(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--offline", "--format", "json", str(EXAMPLE)], capsys)
    assert code == 1
    report = Report.model_validate_json(out)
    rules = {(f.rule, f.line) for f in report.findings}
    assert {
        ("anchor/not-found", 12),
        ("arxiv/tag-month", 22),
        ("arxiv/url-form", 23),
        ("entry/duplicate", 25),
        ("arxiv/url-form", 29),
        ("link/empty", 30),
        ("entry/no-link", 31),
        ("text/mojibake", 39),
    } == rules


def test_json_stdout_is_pure_json_and_follows_the_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["--offline", "--format", "json", str(EXAMPLE)], capsys)
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["version", "files", "entries", "links", "findings", "stats"]
    for link in data["links"]:
        assert list(link) == list(LINK_FIELDS)
        for place in link["places"]:
            assert set(place) == {"path", "line", "column"}
    for finding in data["findings"]:
        assert set(finding) == {
            "rule", "severity", "path", "line", "column", "message", "url", "suggestion"
        }  # fmt: skip
        assert finding["severity"] in {"error", "warning", "notice"}
    assert "{" not in err


@pytest.mark.parametrize(
    ("argv", "expected_rules"),
    [
        (["--select", "arxiv"], {"arxiv/tag-month", "arxiv/url-form"}),
        (["--select", "link/empty,anchor/not-found"], {"link/empty", "anchor/not-found"}),
        (
            ["--ignore", "arxiv", "--ignore", "entry"],
            {"anchor/not-found", "link/empty", "text/mojibake"},
        ),
    ],
)
def test_select_and_ignore(
    argv: list[str], expected_rules: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(["--offline", "--format", "json", *argv, str(EXAMPLE)], capsys)
    assert {f["rule"] for f in json.loads(out)["findings"]} == expected_rules


def test_fail_on_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.md"
    path.write_text("# L\n## P\n- 【202401】T ([PDF](https://arxiv.org/abs/2402.00001))\n")
    assert run(["--offline", str(path)], capsys)[0] == 0
    assert run(["--offline", "--fail-on", "warning", str(path)], capsys)[0] == 1


def test_config_file_regrades_and_disables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text("# L\n- [a]() and [b](#nowhere)\n")
    config = tmp_path / "listcheck.toml"
    config.write_text('ignore = ["anchor/not-found"]\n[severity]\n"link/empty" = "warning"\n')
    code, out, _ = run(
        ["--offline", "--format", "json", "--config", str(config), str(path)], capsys
    )
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("link/empty", "warning")]
    assert code == 0


def test_inline_suppression_keeps_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(
        "# L\n<!-- listcheck-disable-next-line link/empty -->\n- [a]()\n- [b]()\n",
        encoding="utf-8",
    )
    _, out, _ = run(["--offline", "--format", "json", str(path)], capsys)
    assert [(f["rule"], f["line"], f["column"]) for f in json.loads(out)["findings"]] == [
        ("link/empty", 4, 7)
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.md", "missing.md"),
        (lambda d: d, "directory"),
        (lambda d: _write(d / "bin.md", b"# x\x00\x01"), "binary"),
        (lambda d: _write(d / "latin1.md", b"# caf\xe9\n"), "UTF-8"),
    ],
)
def test_bad_input_is_one_line_and_exit_two(
    tmp_path: Path,
    make: Callable[[Path], Path],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["--offline", str(make(tmp_path))], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("listcheck: error:")
    assert message in err


def test_huge_file_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB that costs no disk
    code, _, err = run(["--offline", str(path)], capsys)
    assert code == 2
    assert "50" in err
    assert "max_file_size" in err or "limit" in err


def test_empty_file_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.md"
    path.write_text("")
    assert run(["--offline", str(path)], capsys)[0] == 0


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--format", "yaml", str(EXAMPLE)], capsys)
    assert code == 2
    assert err.startswith("listcheck: error:")
    code, _, err = run(["--select", "arxiv/nope", str(EXAMPLE)], capsys)
    assert code == 2
    assert "arxiv/nope" in err


def test_input_file_is_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    run(["--offline", str(path)], capsys)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == mtime


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(["--offline", "--format", "json", "-o", str(target), str(EXAMPLE)], capsys)
    assert code == 1
    assert out == ""
    assert Report.model_validate_json(target.read_text()).findings


def test_default_path_is_readme(
    clean_list: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(clean_list.parent)
    code, out, _ = run(["--offline"], capsys)
    assert code == 0
    assert "in 1 file" in out


def test_python_dash_m_runs_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "listcheck", "--offline", str(tmp_path / "nope.md")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("listcheck: error:")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_in_github_actions_annotations_summary_and_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs.txt"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    code, out, _ = run(["--offline", str(EXAMPLE)], capsys)
    assert code == 1
    assert "::error file=" in out
    assert "title=link/empty" in out
    assert summary.read_text(encoding="utf-8").startswith("earlier step\n")
    assert "link/empty" in summary.read_text(encoding="utf-8")
    lines = outputs.read_text(encoding="utf-8").splitlines()
    assert "errors=2" in lines
    assert "warnings=4" in lines


def test_output_may_not_be_one_of_the_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(["--offline", str(path), "-o", str(path)], capsys)
    assert code == 2
    assert "never writes them" in err
    assert path.read_bytes() == EXAMPLE.read_bytes()


def _planted_symlink(folder: Path) -> Path:
    victim = folder / "victim.md"
    victim.write_bytes(b"someone else's file\n")
    link = folder / "report.txt"
    link.symlink_to(victim)
    return link


def _fifo(folder: Path) -> Path:
    path = folder / "report.txt"
    os.mkfifo(path)  # nobody reads it: writing into it would hang
    return path


def _folder(folder: Path) -> Path:
    path = folder / "report.txt"
    path.mkdir()
    return path


def _device(folder: Path) -> Path:
    """A null device of the test's own: pointing a regression at the real /dev/null
    would replace it (as root) with a regular file holding the report."""
    path = folder / "report.txt"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs privileges")
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks and named pipes")
@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_planted_symlink, "is a symbolic link; listcheck never writes through one"),
        (_fifo, "is a named pipe (FIFO), not a regular file"),
        (_folder, "is a directory, not a regular file"),
        (_device, "is a character device, not a regular file"),
    ],
    ids=["symlink", "fifo", "directory", "device"],
)
def test_output_that_is_not_a_regular_file_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, problem: str
) -> None:
    target = make(tmp_path)
    listed = _write(tmp_path / "README.md", EXAMPLE.read_bytes())
    before = {p.name: p.lstat().st_mtime_ns for p in tmp_path.iterdir()}
    code, out, err = run(["--offline", str(listed), "-o", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err == f"listcheck: error: --output {target}: {problem}\n"
    assert {p.name: p.lstat().st_mtime_ns for p in tmp_path.iterdir()} == before
    if (tmp_path / "victim.md").exists():
        assert (tmp_path / "victim.md").read_bytes() == b"someone else's file\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")
def test_a_symlink_planted_at_the_old_temporary_name_is_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reproduced attack: ``.report.txt.listcheck-tmp`` linked to the list made the
    report overwrite the list. Temporary names are now unique, so the plant is inert."""
    listed = _write(tmp_path / "README.md", EXAMPLE.read_bytes())
    planted = tmp_path / ".report.txt.listcheck-tmp"
    planted.symlink_to(listed)
    code, _, _ = run(["--offline", str(listed), "-o", str(tmp_path / "report.txt")], capsys)
    assert code == 1
    assert listed.read_bytes() == EXAMPLE.read_bytes()
    assert "link/empty" in (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert os.readlink(planted) == str(listed)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".report.txt.listcheck-tmp",
        "README.md",
        "report.txt",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")
def test_a_symlinked_step_summary_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = _write(tmp_path / "victim.md", b"keep\n")
    summary = tmp_path / "summary.md"
    summary.symlink_to(victim)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _, err = run(["--offline", str(EXAMPLE)], capsys)
    assert code == 2
    assert err == (
        "listcheck: error: cannot write the GitHub Actions files: "
        "is a symbolic link; listcheck never writes through one\n"
    )
    assert victim.read_bytes() == b"keep\n"


def _many_findings(folder: Path) -> Path:
    """A list whose report is far larger than a pipe's buffer (64 KiB on Linux)."""
    lines = [f"- Paper {n} ([PDF](https://arxiv.org/abs/2402.{n:05d}))" for n in range(3000)]
    return _write(folder / "README.md", ("# L\n\n## Papers\n\n" + "\n".join(lines)).encode())


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "markdown"])
@pytest.mark.parametrize(
    ("make", "extra", "code"),
    [
        (_many_findings, [], 1),
        (lambda folder: _write(folder / "README.md", CLEAN_LIST.encode()), [], 0),
        (_many_findings, ["--ignore", "arxiv"], 0),
    ],
    ids=["findings", "clean", "findings-ignored"],
)
def test_a_closed_output_pipe_keeps_the_exit_code_and_says_nothing(
    tmp_path: Path, fmt: str, make: Any, extra: list[str], code: int
) -> None:
    listed = make(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "listcheck", "--offline", "--format", fmt, *extra, str(listed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before a byte is written
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (code, b"")


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="bash")
def test_pipefail_sees_the_findings_through_head(tmp_path: Path) -> None:
    listed = _many_findings(tmp_path)
    script = f'set -o pipefail; "{sys.executable}" -m listcheck --offline "{listed}" | head -1'
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert "arxiv/" in result.stdout
    assert result.stderr == ""


def test_a_console_without_unicode_gets_escapes_not_a_crash(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "listcheck", "--offline", str(EXAMPLE)],
        capture_output=True,
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"\\u3010" in result.stdout  # 【 shown as an escape


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("fmt", "terminal"), [("json", True), ("sarif", True), ("json", False)])
def test_a_terminal_gets_the_summary_after_a_machine_format(
    fmt: str, terminal: bool, tmp_path: Path
) -> None:
    from listcheck.cli import _run

    path = tmp_path / "README.md"
    path.write_text("# L\n- [x]()\n", encoding="utf-8")
    out, err = io.StringIO(), (_Terminal() if terminal else io.StringIO())
    code = _run(["--offline", "--format", fmt, str(path)], out, err)
    assert code == 1
    json.loads(out.getvalue())  # standard output stays pure JSON either way
    expected = "listcheck: 1 error, 0 warnings, 0 notices in 1 file (1 entry, 1 link) — "
    expected += "offline rules only\n"
    assert err.getvalue() == (expected if terminal else "")


def test_nightly_is_a_subcommand_and_a_list_named_so_is_still_checkable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["nightly", "render", "--help"])
    assert ended.value.code == 0
    assert "usage: listcheck nightly render" in capsys.readouterr().out
    code, out, err = run(
        [
            "nightly",
            "render",
            "--report",
            str(tmp_path / "no.json"),
            "--output",
            str(tmp_path / "r.md"),
        ],
        capsys,
    )
    assert (code, out) == (2, "")
    assert err.startswith("listcheck nightly: error: ")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nightly").write_text("# L\n- [x]()\n", encoding="utf-8")
    code, out, _ = run(["--offline", "./nightly"], capsys)
    assert code == 1
    assert "link/empty" in out
