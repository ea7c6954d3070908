from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from listcheck.models import (
    Finding,
    LinkKind,
    LinkResult,
    Place,
    Report,
    Severity,
    Stats,
    Verdict,
)
from listcheck.reporters import REPORTERS, get_reporter
from listcheck.reporters.common import SUMMARY_LIMIT, line_links
from listcheck.reporters.github import (
    ANNOTATION_LIMIT,
    GithubReporter,
    annotation,
    escape_data,
    escape_property,
    output_entry,
    select_annotations,
    step_summary,
    write_step_outputs,
    write_step_summary,
)
from tests.reporters.builders import EVIL_URL, finding

SHA = "0123456789abcdef0123456789abcdef01234567"
ENV = {"GITHUB_REPOSITORY": "octo/awesome-llm", "GITHUB_SHA": SHA}


def report(*findings: Finding, links: tuple[LinkResult, ...] = ()) -> Report:
    return Report(
        version="0.1.0",
        files=("README.md", "docs/a,b:c.md"),
        entries=(),
        links=links,
        findings=findings,
        stats=Stats(files=2, entries=10, links=20, unique_urls=len(links)),
    )


# Every severity, and the things a hostile pull request can put in a message or path.
HOSTILE = report(
    finding(
        "arxiv/title-mismatch",
        "error",
        20,
        3,
        "listed title 'Foo\n::warning::pwned' is not 100% arXiv 2404.01234",
        path="docs/a,b:c.md",
        suggestion="Real: Title, v2",
    ),
    finding("link/broken", "error", 12, 5, "HTTP 404 Not Found", url=EVIL_URL),
    finding(
        "link/moved",
        "warning",
        30,
        7,
        "moved\r\npermanently",
        url="http://old.example/x",
        suggestion="https://new.example/x",
    ),
    finding("entry/duplicate", "warning", 44, 1, "same paper as line 12 (2404.01234)"),
    finding(
        "arxiv/url-form",
        "notice",
        50,
        9,
        "legacy arXiv URL form http://arxiv.org/abs/2404.01234",
        suggestion="https://arxiv.org/abs/2404.01234",
    ),
    finding("text/mojibake", "warning", 8, 2, "mis-decoded \x1b[2J ðŸ‘", suggestion="👍"),
    links=(
        LinkResult(
            url=EVIL_URL,
            kind=LinkKind.WEB,
            verdict=Verdict.BROKEN,
            status=404,
            detail="HTTP 404",
            places=(Place(path="README.md", line=12, column=5),),
        ),
        LinkResult(
            url="http://old.example/x",
            kind=LinkKind.WEB,
            verdict=Verdict.MOVED,
            final_url="https://new.example/x",
        ),
        LinkResult(url="https://arxiv.org/abs/2404.01234", kind=LinkKind.ARXIV, verdict=Verdict.OK),
    ),
)

GOLDEN_ANNOTATIONS = """\
::error file=README.md,line=12,col=5,title=link/broken::HTTP 404 Not Found
::error file=docs/a%2Cb%3Ac.md,line=20,col=3,title=arxiv/title-mismatch::listed title \
'Foo%0A::warning::pwned' is not 100%25 arXiv 2404.01234%0Afix: Real: Title, v2
::warning file=README.md,line=8,col=2,title=text/mojibake::mis-decoded \\x1b[2J ðŸ‘%0Afix: 👍
::warning file=README.md,line=30,col=7,title=link/moved::moved%0D%0Apermanently\
%0Afix: https://new.example/x
::warning file=README.md,line=44,col=1,title=entry/duplicate::same paper as line 12 (2404.01234)
::notice file=README.md,line=50,col=9,title=arxiv/url-form::legacy arXiv URL form \
http://arxiv.org/abs/2404.01234%0Afix: https://arxiv.org/abs/2404.01234
2 errors, 3 warnings, 1 notice in 2 files (10 entries, 20 links) — offline rules only
"""


def test_annotations_golden() -> None:
    assert GithubReporter().render(HOSTILE) == GOLDEN_ANNOTATIONS


def test_registered_as_github() -> None:
    assert REPORTERS["github"] is GithubReporter
    assert isinstance(get_reporter("github"), GithubReporter)


def test_a_hostile_message_never_starts_a_command_of_its_own() -> None:
    lines = GithubReporter().render(HOSTILE).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(HOSTILE.findings)
    assert not any("::warning::pwned" in line and line.startswith("::warning::") for line in lines)
    # The properties end at the first "::": escaped values cannot end them early.
    for line in commands:
        head, _, _ = line[2:].partition("::")
        command, _, props = head.partition(" ")
        names = [prop.split("=", 1)[0] for prop in props.split(",")]
        assert command in {"error", "warning", "notice"}
        assert names == ["file", "line", "col", "title"]


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("%0A is literal", "%250A is literal", "%250A is literal"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a::b", "a::b", "a%3A%3Ab"),
        ("x,y:z", "x,y:z", "x%2Cy%3Az"),
        ("tab\there", "tab\\x09here", "tab\\x09here"),
        ("rtl\u202eevil", "rtl\\u202eevil", "rtl\\u202eevil"),
    ],
)
def test_escaping_as_the_toolkit_does(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_the_fix_follows_the_message_on_its_own_line() -> None:
    item = finding("link/moved", "warning", 3, 4, "moved", suggestion="https://x.org/")
    assert annotation(item) == (
        "::warning file=README.md,line=3,col=4,title=link/moved::moved%0Afix: https://x.org/"
    )
    plain = finding("link/empty", "error", 3, 4, "no URL")
    assert annotation(plain).endswith("::no URL")


def many(errors: int, warnings: int, notices: int) -> Report:
    """Findings on distinct lines, interleaved so the order given is not the order shown."""
    items = []
    line = 1
    for severity, count in (("notice", notices), ("warning", warnings), ("error", errors)):
        for _ in range(count):
            items.append(finding("link/broken", severity, line, 1, f"{severity} at {line}"))
            line += 1
    return report(*reversed(items))


@pytest.mark.parametrize(
    ("counts", "shown", "more"),
    [
        ((0, 0, 0), (0, 0, 0), None),
        ((10, 10, 10), (10, 10, 10), None),
        ((11, 0, 0), (10, 0, 0), "1 more finding"),
        ((12, 3, 0), (10, 3, 0), "2 more findings"),
        ((3, 12, 4), (3, 10, 4), "2 more findings"),
        # The "N more" line is itself a notice: it takes the tenth notice's slot.
        ((0, 0, 11), (0, 0, 9), "2 more findings"),
        ((15, 15, 15), (10, 10, 9), "16 more findings"),
        ((25, 0, 5), (10, 0, 5), "15 more findings"),
    ],
)
def test_at_most_ten_annotations_per_severity(
    counts: tuple[int, int, int], shown: tuple[int, int, int], more: str | None
) -> None:
    lines = GithubReporter().render(many(*counts)).splitlines()
    commands = [line[2:].split("::", 1)[0].split(" ", 1) for line in lines if line.startswith("::")]
    annotated = Counter(command[0] for command in commands if len(command) == 2)
    assert (annotated["error"], annotated["warning"], annotated["notice"]) == shown
    tail = [line for line in lines if line.startswith("::notice::")]
    if more is None:
        assert tail == []
    else:
        assert tail == [f"::notice::{more} not shown as annotations; see the job summary"]
        assert lines[-2] == tail[0]  # after every annotation, before the summary line
    everything = Counter(command[0] for command in commands)  # GitHub counts the tail too
    assert all(count <= ANNOTATION_LIMIT for count in everything.values())
    assert [c[0] for c in commands] == sorted(
        (c[0] for c in commands), key=["error", "warning", "notice"].index
    )


def test_most_important_first_errors_then_by_file_and_line() -> None:
    rep = report(
        *(finding("link/broken", "error", n, 1, "x", path="docs/a,b:c.md") for n in range(1, 8)),
        *(finding("link/broken", "error", n, 1, "x") for n in range(100, 106)),
        finding("entry/no-link", "warning", 1, 1, "w"),
    )
    shown, hidden = select_annotations(rep)
    assert [(f.path, f.line) for f in shown[:10]] == [
        *(("README.md", n) for n in range(100, 106)),
        *(("docs/a,b:c.md", n) for n in range(1, 5)),
    ]
    assert shown[10].severity is Severity.WARNING
    assert hidden == 3


# --- job summary ------------------------------------------------------------------------

GOLDEN_SUMMARY = """\
## listcheck

**2 errors, 3 warnings, 1 notice in 2 files (10 entries, 20 links) — offline rules only**

| rule | severity | findings |
| --- | --- | --- |
| `arxiv/title-mismatch` | error | 1 |
| `link/broken` | error | 1 |
| `entry/duplicate` | warning | 1 |
| `link/moved` | warning | 1 |
| `text/mojibake` | warning | 1 |
| `arxiv/url-form` | notice | 1 |

| verdict | links |
| --- | --- |
| ok | 1 |
| moved | 1 |
| broken | 1 |

### Errors (2)

| where | rule | message | fix |
| --- | --- | --- | --- |
| [README.md:12](https://github.com/octo/awesome-llm/blob/{sha}/README.md?plain=1#L12) \
| `link/broken` | HTTP 404 Not Found |  |
| [docs/a,b:c.md:20](https://github.com/octo/awesome-llm/blob/{sha}/docs/a%2Cb%3Ac.md?plain=1#L20) \
| `arxiv/title-mismatch` | listed title 'Foo<br>::warning::pwned' is not 100% arXiv 2404.01234 \
| Real: Title, v2 |

<details>
<summary>Warnings (3)</summary>

| where | rule | message | fix |
| --- | --- | --- | --- |
| [README.md:8](https://github.com/octo/awesome-llm/blob/{sha}/README.md?plain=1#L8) \
| `text/mojibake` | mis-decoded \\\\x1b\\[2J ðŸ‘ | 👍 |
| [README.md:30](https://github.com/octo/awesome-llm/blob/{sha}/README.md?plain=1#L30) \
| `link/moved` | moved<br>permanently | https://new.example/x |
| [README.md:44](https://github.com/octo/awesome-llm/blob/{sha}/README.md?plain=1#L44) \
| `entry/duplicate` | same paper as line 12 (2404.01234) |  |

</details>

<details>
<summary>Notices (1)</summary>

| where | rule | message | fix |
| --- | --- | --- | --- |
| [README.md:50](https://github.com/octo/awesome-llm/blob/{sha}/README.md?plain=1#L50) \
| `arxiv/url-form` | legacy arXiv URL form http://arxiv.org/abs/2404.01234 \
| https://arxiv.org/abs/2404.01234 |

</details>
""".replace("{sha}", SHA)


def test_summary_golden() -> None:
    assert step_summary(HOSTILE, ENV, budget=SUMMARY_LIMIT) == GOLDEN_SUMMARY


def test_summary_without_repository_or_commit_names_plain_places() -> None:
    text = step_summary(HOSTILE, {}, budget=SUMMARY_LIMIT)
    assert "](" not in text
    assert "| README.md:12 | `link/broken` |" in text
    assert "| docs/a,b:c.md:20 |" in text
    assert text == re.sub(r"\[([^][\n]+:\d+)\]\(https://[^)]+\)", r"\1", GOLDEN_SUMMARY)


@pytest.mark.parametrize(
    ("environ", "path", "expected"),
    [
        (ENV, "README.md", f"https://github.com/octo/awesome-llm/blob/{SHA}/README.md?plain=1#L7"),
        (
            ENV,
            "./docs/list.md",
            f"https://github.com/octo/awesome-llm/blob/{SHA}/docs/list.md?plain=1#L7",
        ),
        (
            ENV,
            "my list (2024).md",
            f"https://github.com/octo/awesome-llm/blob/{SHA}/my%20list%20%282024%29.md?plain=1#L7",
        ),
        (
            {**ENV, "GITHUB_SERVER_URL": "https://ghe.example.com/"},
            "README.md",
            f"https://ghe.example.com/octo/awesome-llm/blob/{SHA}/README.md?plain=1#L7",
        ),
        (
            {**ENV, "GITHUB_WORKSPACE": "/home/runner/work/awesome"},
            "/home/runner/work/awesome/sub/README.md",
            f"https://github.com/octo/awesome-llm/blob/{SHA}/sub/README.md?plain=1#L7",
        ),
        (ENV, "/elsewhere/README.md", None),
        (ENV, "../outside.md", None),
        ({"GITHUB_SHA": SHA}, "README.md", None),
        ({"GITHUB_REPOSITORY": "octo/awesome-llm"}, "README.md", None),
        ({**ENV, "GITHUB_SHA": "main) [x](javascript:alert(1)"}, "README.md", None),
        ({**ENV, "GITHUB_REPOSITORY": "octo/a b"}, "README.md", None),
        (
            {**ENV, "GITHUB_SERVER_URL": "javascript:alert(1)//"},
            "README.md",
            f"https://github.com/octo/awesome-llm/blob/{SHA}/README.md?plain=1#L7",
        ),
    ],
)
def test_line_links(environ: dict[str, str], path: str, expected: str | None) -> None:
    assert line_links(environ)(path, 7) == expected


def test_summary_is_appended_after_what_the_step_wrote(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("# Earlier step output\n", encoding="utf-8")
    write_step_summary(HOSTILE, target, environ=ENV)
    write_step_summary(HOSTILE, target, environ=ENV)
    text = target.read_text(encoding="utf-8")
    assert text == "# Earlier step output\n\n" + GOLDEN_SUMMARY + "\n" + GOLDEN_SUMMARY


def test_summary_after_content_without_a_final_newline(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("| a |\n| --- |\n| b |", encoding="utf-8")
    write_step_summary(HOSTILE, target)
    assert target.read_text(encoding="utf-8").startswith("| a |\n| --- |\n| b |\n\n## listcheck\n")


def test_summary_into_a_new_file_and_without_environment(tmp_path: Path) -> None:
    target = tmp_path / "new.md"
    write_step_summary(HOSTILE, target)
    assert target.read_text(encoding="utf-8") == step_summary(HOSTILE, {}, budget=SUMMARY_LIMIT)


def huge() -> Report:
    """About 2 MiB of summary: more errors than fit, then warnings and notices."""
    long = "the listed title is a different paper: " + "x" * 300
    items = [finding("arxiv/title-mismatch", "error", n, 1, f"{long} {n}") for n in range(1, 6001)]
    items += [finding("entry/no-link", "warning", n, 1, "w") for n in range(7000, 7100)]
    items += [finding("arxiv/url-form", "notice", 8000, 1, "n")]
    return report(*items)


@pytest.mark.parametrize("earlier", [0, 300_000])
def test_summary_is_cut_to_stay_under_one_mebibyte(tmp_path: Path, earlier: int) -> None:
    target = tmp_path / "summary.md"
    target.write_text("e" * (earlier - 1) + "\n" if earlier else "", encoding="utf-8")
    rep = huge()
    write_step_summary(rep, target, environ=ENV)
    data = target.read_bytes()
    assert len(data) < SUMMARY_LIMIT
    assert len(data) > SUMMARY_LIMIT - 2048  # cut as late as possible, not far too early
    text = data.decode("utf-8")[earlier:]
    shown = re.findall(r"#L(\d+)\)", text)
    assert shown == [str(n) for n in range(1, len(shown) + 1)]  # errors first, in line order
    assert f"### Errors ({len(shown)} of 6000)" in text
    left = len(rep.findings) - len(shown)
    assert text.endswith(
        f"> **Cut short:** {left} more findings not shown (a job summary holds at most "
        "1 MiB); the full report has all of them.\n"
    )
    # No room was left for warnings and notices: their sections say so, folded and empty.
    assert "<summary>Warnings (0 of 100)</summary>\n\n</details>" in text
    assert "<summary>Notices (0 of 1)</summary>\n\n</details>" in text
    assert "| `arxiv/title-mismatch` | error | 6000 |" in text  # the counts are complete


def test_a_cut_summary_keeps_its_html_balanced() -> None:
    rep = huge()
    errors_only = step_summary(rep, {}, budget=5_000)
    assert "Cut short" in errors_only
    warnings = report(
        *(finding("entry/no-link", "warning", n, 1, "w" * 200) for n in range(1, 200))
    )
    cut = step_summary(warnings, {}, budget=8_000)
    assert len(cut.encode()) <= 8_000
    assert cut.count("<details>") == cut.count("</details>") == 1
    assert re.search(r"<summary>Warnings \(\d+ of 199\)</summary>", cut)


def test_a_full_summary_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_bytes(b"x" * (SUMMARY_LIMIT - 100))
    write_step_summary(HOSTILE, target)
    assert target.read_bytes() == b"x" * (SUMMARY_LIMIT - 100)


# --- step outputs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "report_path", "after"),
    [
        ("", "out/report.json", "errors=2\nwarnings=3\nnotices=1\nreport=out/report.json\n"),
        ("", None, "errors=2\nwarnings=3\nnotices=1\nreport=\n"),
        ("x=1\n", "r.sarif", "x=1\nerrors=2\nwarnings=3\nnotices=1\nreport=r.sarif\n"),
        ("x=1", "r.sarif", "x=1\nerrors=2\nwarnings=3\nnotices=1\nreport=r.sarif\n"),
        ("", "a=b, c:d.json", "errors=2\nwarnings=3\nnotices=1\nreport=a=b, c:d.json\n"),
    ],
)
def test_step_outputs(tmp_path: Path, before: str, report_path: str | None, after: str) -> None:
    target = tmp_path / "output"
    if before:
        target.write_text(before, encoding="utf-8")
    write_step_outputs(HOSTILE, target, report_path)
    assert target.read_bytes().decode("utf-8") == after


def test_step_outputs_count_every_finding_not_only_the_annotated(tmp_path: Path) -> None:
    target = tmp_path / "output"
    write_step_outputs(many(25, 12, 0), target, None)
    assert target.read_text(encoding="utf-8").splitlines()[:3] == [
        "errors=25",
        "warnings=12",
        "notices=0",
    ]


def test_a_value_with_a_line_break_uses_the_heredoc_form(tmp_path: Path) -> None:
    delimiters = iter(["ghadelimiter_in", "ghadelimiter_x"])
    entry = output_entry("report", "odd\nname ghadelimiter_in", lambda: next(delimiters))
    assert entry == "report<<ghadelimiter_x\nodd\nname ghadelimiter_in\nghadelimiter_x\n"
    target = tmp_path / "output"
    write_step_outputs(HOSTILE, target, "two\nlines.json")
    text = target.read_text(encoding="utf-8")
    match = re.fullmatch(
        r"errors=2\nwarnings=3\nnotices=1\nreport<<(ghadelimiter_[0-9a-f-]{36})\n"
        r"two\nlines\.json\n\1\n",
        text,
    )
    assert match is not None
