from __future__ import annotations

import io

import pytest
from rich.cells import cell_len

from listcheck.errors import ConfigError
from listcheck.models import Finding, Report, Stats
from listcheck.reporters import REPORTERS, JsonReporter, Reporter, TextReporter, get_reporter
from listcheck.reporters.common import summary_line, visible
from tests.reporters.builders import finding


def report(
    *findings: Finding,
    files: tuple[str, ...] = ("README.md",),
    entries: int = 120,
    links: int = 310,
    **stats: object,
) -> Report:
    return Report(
        version="0.1.0",
        files=files,
        entries=(),
        links=(),
        findings=findings,
        stats=Stats.model_validate(
            {"files": len(files), "entries": entries, "links": links, **stats}
        ),
    )


def plain(rep: Report, width: int = 100) -> str:
    return TextReporter(color=False, width=width).render(rep)


# Findings as the offline rules word them for the real defects in the corpus lists.
TAG = finding(
    "arxiv/tag-month",
    "warning",
    42,
    5,
    "date tag 【202406】 differs from the month of arXiv 2404.01234 (2024-04)",
    suggestion="【202404】",
)
EMPTY = finding("link/empty", "error", 57, 31, "link [code]() has no URL")
FORM = finding(
    "arxiv/url-form",
    "notice",
    57,
    12,
    "legacy arXiv URL form http://arxiv.org/pdf/2404.01234v2.pdf",
    suggestion="https://arxiv.org/pdf/2404.01234v2",
)
ANCHOR = finding(
    "anchor/not-found",
    "error",
    9,
    22,
    "no heading produces #machine-unlearning-for-llms",
    path="docs/survey.md",
    suggestion="#machine-unlearning-for-llm",
)


def test_golden_report_grouped_by_file_sorted_by_position() -> None:
    rep = report(ANCHOR, EMPTY, TAG, FORM, files=("README.md", "docs/survey.md"))
    assert plain(rep) == (
        "README.md:42:5   warning  arxiv/tag-month  date tag 【202406】 differs from the "
        "month of arXiv 2404.01234 (2024-04)\n"
        "  fix: 【202404】\n"
        "README.md:57:12  notice   arxiv/url-form   legacy arXiv URL form "
        "http://arxiv.org/pdf/2404.01234v2.pdf\n"
        "  fix: https://arxiv.org/pdf/2404.01234v2\n"
        "README.md:57:31  error    link/empty       link [code]() has no URL\n"
        "\n"
        "docs/survey.md:9:22  error    anchor/not-found  no heading produces "
        "#machine-unlearning-for-llms\n"
        "  fix: #machine-unlearning-for-llm\n"
        "\n"
        "2 errors, 1 warning, 1 notice in 2 files (120 entries, 310 links) — offline rules only\n"
    )


def test_golden_clean_report() -> None:
    assert plain(report(entries=12, links=30)) == (
        "No findings in 1 file (12 entries, 30 links) — offline rules only\n"
    )


def test_same_position_puts_the_more_severe_first() -> None:
    low = finding("arxiv/url-form", "notice", 3, 7, "form")
    high = finding("link/malformed", "error", 3, 7, "malformed")
    lines = plain(report(low, high)).splitlines()
    assert lines[0].split()[1:3] == ["error", "link/malformed"]
    assert lines[1].split()[1:3] == ["notice", "arxiv/url-form"]


def test_files_follow_the_report_order_and_unknown_paths_come_last() -> None:
    rep = report(
        finding("link/empty", "error", 1, 1, "a", path="z.md"),
        finding("link/empty", "error", 1, 1, "b", path="b.md"),
        finding("link/empty", "error", 1, 1, "c", path="a.md"),
        files=("z.md", "b.md"),
    )
    paths = [line.split(":")[0] for line in plain(rep).splitlines() if ":1:1" in line]
    assert paths == ["z.md", "b.md", "a.md"]


@pytest.mark.parametrize(
    ("rep", "expected"),
    [
        pytest.param(
            report(EMPTY, entries=1, links=1),
            "1 error, 0 warnings, 0 notices in 1 file (1 entry, 1 link) — offline rules only",
            id="singulars",
        ),
        pytest.param(
            report(TAG, TAG, files=("a.md", "b.md"), entries=0, links=0),
            "0 errors, 2 warnings, 0 notices in 2 files (0 entries, 0 links) — offline rules only",
            id="zeros",
        ),
        pytest.param(
            report(
                EMPTY,
                offline=False,
                unique_urls=250,
                wall_time_s=12.34,
                verdicts={"transient": 5, "ok": 240, "broken": 2, "moved": 3, "skipped": 0},
                requests={"export.arxiv.org": 3, "api.github.com": 40, "example.org": 190},
            ),
            "1 error, 0 warnings, 0 notices in 1 file (120 entries, 310 links) — 250 URLs "
            "checked online in 12.3 s, 233 requests sent (240 ok, 3 moved, 2 broken, 5 transient)",
            id="online-verdicts-in-fixed-order",
        ),
        pytest.param(
            report(
                offline=False,
                unique_urls=1,
                wall_time_s=125.4,
                verdicts={"ok": 1},
                requests={"example.org": 1},
            ),
            "No findings in 1 file (120 entries, 310 links) — 1 URL checked online in "
            "2 min 5 s, 1 request sent (1 ok)",
            id="online-long-run",
        ),
        pytest.param(
            report(
                offline=False,
                unique_urls=20,
                wall_time_s=0.3,
                verdicts={"ok": 5, "broken": 2, "transient": 13},
            ),
            "No findings in 1 file (120 entries, 310 links) — 20 URLs, no request sent "
            "(5 ok, 2 broken, 13 transient)",
            id="nothing-sent",
        ),
    ],
)
def test_summary_line(rep: Report, expected: str) -> None:
    assert summary_line(rep) == expected
    assert plain(rep).splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        pytest.param(
            "tag [ICLR 2024] and [bold]not markup[/bold]",
            "tag [ICLR 2024] and [bold]not markup[/bold]",
            id="brackets-are-not-rich-markup",
        ),
        pytest.param("title :smile: stays", "title :smile: stays", id="no-emoji-codes"),
        pytest.param(
            "title \x1b[2J\x1b[31mOWNED", "title \\x1b[2J\\x1b[31mOWNED", id="escape-sequence"
        ),
        pytest.param("title ‮txt.exe‬ here", "title \\u202etxt.exe\\u202c here", id="bidi-override"),
        pytest.param("two\nlines\r", "two\\x0alines\\x0d", id="newlines-keep-one-line"),
        pytest.param("café 【202406】 👍", "café 【202406】 👍", id="printable-unicode-untouched"),
    ],
)
def test_messages_are_shown_literally_and_safely(message: str, shown: str) -> None:
    out = plain(report(finding("text/mojibake", "warning", 1, 1, message, suggestion=message)))
    first, fix = out.splitlines()[:2]
    assert first.endswith(f"text/mojibake  {shown}")
    assert fix == f"  fix: {shown}"
    assert "\x1b" not in out


def test_visible_leaves_ordinary_text_alone() -> None:
    text = "Machine Unlearning of Pre-trained Large Language Models"
    assert visible(text) is text


def test_lines_are_never_wrapped() -> None:
    long = "x" * 150
    out = plain(report(finding("link/broken", "error", 1, 1, long)), width=40)
    assert out.splitlines()[0] == f"README.md:1:1  error    link/broken  {long}"


def test_columns_align_within_a_file() -> None:
    rep = report(
        finding("link/empty", "error", 3, 1, "m", path="论文/README.md"),
        finding("entry/no-link", "warning", 10, 1, "m", path="论文/README.md"),
        finding("entry/no-link", "warning", 12, 1, "m", path="论文/README.md"),
        files=("论文/README.md",),
    )
    rows = [line for line in plain(rep).splitlines() if line.endswith("  m")]
    severities = ["error", "warning", "warning"]
    starts = {cell_len(row[: row.index(s)]) for row, s in zip(rows, severities, strict=True)}
    assert len(starts) == 1


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return monkeypatch


RED_BOLD = "\x1b[1;31m"


def write_to(stream: io.StringIO, reporter: TextReporter) -> str:
    reporter.write(report(EMPTY, TAG), stream)
    return stream.getvalue()


def test_colour_on_a_terminal(terminal_env: pytest.MonkeyPatch) -> None:
    out = write_to(FakeTerminal(), TextReporter(width=200))
    assert f"{RED_BOLD}error  \x1b[0m" in out
    assert "\x1b[33mwarning\x1b[0m" in out
    assert "\x1b[32m【202404】\x1b[0m" in out


def test_no_colour_when_not_a_terminal(terminal_env: pytest.MonkeyPatch) -> None:
    out = write_to(io.StringIO(), TextReporter(width=200))
    assert "\x1b" not in out
    assert out == plain(report(EMPTY, TAG), width=200)


def test_no_color_environment_is_honoured(terminal_env: pytest.MonkeyPatch) -> None:
    terminal_env.setenv("NO_COLOR", "1")
    out = write_to(FakeTerminal(), TextReporter(width=200))
    assert RED_BOLD not in out
    assert "\x1b[33m" not in out


def test_forced_colour_beats_no_color_and_forced_plain_beats_a_terminal(
    terminal_env: pytest.MonkeyPatch,
) -> None:
    terminal_env.setenv("NO_COLOR", "1")
    assert RED_BOLD in write_to(io.StringIO(), TextReporter(color=True, width=200))
    terminal_env.delenv("NO_COLOR")
    assert "\x1b" not in write_to(FakeTerminal(), TextReporter(color=False, width=200))


# --- the registry -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "cls"), [("text", TextReporter), ("json", JsonReporter)])
def test_registry(name: str, cls: type[Reporter]) -> None:
    reporter = get_reporter(name)
    assert isinstance(reporter, cls)
    assert reporter.name == name


def test_every_registered_format_renders_to_a_newline_terminated_text() -> None:
    for name in REPORTERS:
        out = get_reporter(name).render(report(TAG))
        assert out.endswith("\n")
        assert "2404.01234" in out


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(ConfigError) as caught:
        get_reporter("yaml")
    choices = ", ".join(sorted(REPORTERS))
    assert str(caught.value) == f"--format: unknown format 'yaml' (choose from {choices})"
    assert "json" in choices
    assert "text" in choices
