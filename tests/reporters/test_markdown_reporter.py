from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from listcheck.models import (
    LinkHistory,
    LinkKind,
    LinkResult,
    Place,
    Report,
    Stats,
    Verdict,
)
from listcheck.reporters import REPORTERS, get_reporter
from listcheck.reporters.common import PLACES_SHOWN, cell_text, code_cell, since
from listcheck.reporters.markdown import MarkdownReporter
from tests.reporters.builders import EVIL_URL, finding

TICK_URL = "https://gone.example/``tick`|x"
FLAKY_URL = "https://flaky.example/paper"
JAN_3_2025 = 1735900000.0  # 2025-01-03 10:26:40 UTC


def link(url: str, verdict: Verdict, *places: tuple[str, int, int], **extra: Any) -> LinkResult:
    return LinkResult(
        url=url,
        kind=LinkKind.WEB,
        verdict=verdict,
        places=tuple(Place(path=p, line=line, column=col) for p, line, col in places),
        **extra,
    )


HOSTILE_TITLE = "listed title 'Foo\n<img src=x onerror=alert(1)>' | `x` is *not* arXiv 2404.01234"

NIGHTLY = Report(
    version="0.1.0",
    files=("README.md", "docs/a,b:c.md"),
    entries=(),
    links=(
        link(
            EVIL_URL,
            Verdict.BROKEN,
            ("README.md", 12, 5),
            ("README.md", 88, 3),
            status=404,
            detail="HTTP 404",
        ),
        link("https://arxiv.org/abs/2404.01234", Verdict.OK, ("README.md", 12, 40)),
        link(TICK_URL, Verdict.BROKEN, ("docs/a,b:c.md", 7, 1), status=410),
        link("https://suppressed.example/", Verdict.BROKEN, ("README.md", 5, 1), status=404),
        link("http://old.example/x", Verdict.MOVED, ("README.md", 30, 7)),
        link(FLAKY_URL, Verdict.TRANSIENT, ("README.md", 70, 1)),
    ),
    findings=(
        finding("link/broken", "error", 12, 5, "HTTP 404", url=EVIL_URL),
        finding("link/broken", "error", 88, 3, "HTTP 404", url=EVIL_URL),
        finding("link/broken", "error", 7, 1, "HTTP 410", path="docs/a,b:c.md", url=TICK_URL),
        finding(
            "arxiv/title-mismatch",
            "error",
            20,
            3,
            HOSTILE_TITLE,
            path="docs/a,b:c.md",
            suggestion="Real | Title <b>",
        ),
        finding(
            "link/transient",
            "error",
            70,
            1,
            "timed out (failing 4 runs in a row since 2025-01-01)",
            url=FLAKY_URL,
        ),
        finding(
            "link/moved",
            "warning",
            30,
            7,
            "moved permanently",
            url="http://old.example/x",
            suggestion="https://new.example/x",
        ),
        finding("link/moved", "warning", 31, 2, "moved permanently", suggestion="https://y.org/"),
        finding("entry/duplicate", "warning", 44, 1, "same paper as line 12 (2404.01234)"),
        finding("text/mojibake", "warning", 8, 2, "mis-decoded \x1b[2J ðŸ‘", suggestion="👍"),
        finding(
            "arxiv/url-form",
            "notice",
            50,
            9,
            "legacy arXiv URL form",
            suggestion="https://arxiv.org/abs/2404.01234",
        ),
    ),
    stats=Stats(
        files=2, entries=10, links=20, unique_urls=6, offline=False, requests={"api.github.com": 4}
    ),
    history=(
        LinkHistory(url=EVIL_URL, consecutive_failures=5, first_failed_at=JAN_3_2025),
        LinkHistory(url=FLAKY_URL, consecutive_failures=4, first_failed_at=JAN_3_2025 - 2 * 86400),
    ),
)

GOLDEN = """\
# listcheck report

## Summary

- **Files:** 2 (README.md, docs/a,b:c.md)
- **Entries:** 10
- **Links:** 20 links, 6 unique URLs checked online
- **Verdicts:** 1 ok, 1 moved, 3 broken, 1 transient
- **Findings:** 5 errors, 4 warnings, 1 notice
- **listcheck:** 0.1.0

## Broken links (2)

| URL | where | detail | broken since |
| --- | --- | --- | --- |
| `https://evil.example/a\\|b<script>alert(1)</script>` | README.md:12<br>README.md:88 | HTTP 404 \
| 2025-01-03 (5 runs in a row) |
| ```https://gone.example/``tick`\\|x``` | docs/a,b:c.md:7 | HTTP 410 | — |

## Other errors (2)

| where | rule | message | fix |
| --- | --- | --- | --- |
| README.md:70 | `link/transient` | timed out (failing 4 runs in a row since 2025-01-01) |  |
| docs/a,b:c.md:20 | `arxiv/title-mismatch` \
| listed title 'Foo<br>&lt;img src=x onerror=alert(1)&gt;' \\| \\`x\\` is \\*not\\* \
arXiv 2404.01234 | Real \\| Title &lt;b&gt; |

## Warnings (4)

<details>
<summary>link/moved (2)</summary>

| where | message | fix |
| --- | --- | --- |
| README.md:30 | moved permanently | https://new.example/x |
| README.md:31 | moved permanently | https://y.org/ |

</details>

<details>
<summary>entry/duplicate (1)</summary>

| where | message | fix |
| --- | --- | --- |
| README.md:44 | same paper as line 12 (2404.01234) |  |

</details>

<details>
<summary>text/mojibake (1)</summary>

| where | message | fix |
| --- | --- | --- |
| README.md:8 | mis-decoded \\\\x1b\\[2J ðŸ‘ | 👍 |

</details>

## Notices (1)

<details>
<summary>arxiv/url-form (1)</summary>

| where | message | fix |
| --- | --- | --- |
| README.md:50 | legacy arXiv URL form | https://arxiv.org/abs/2404.01234 |

</details>
"""

EMPTY = Report(
    version="0.1.0", files=("README.md",), entries=(), links=(), findings=(), stats=Stats()
)

GOLDEN_EMPTY = """\
# listcheck report

## Summary

- **Files:** 1 (README.md)
- **Entries:** 0
- **Links:** 0 links, checked offline only (anchors, files, syntax)
- **Verdicts:** none
- **Findings:** no findings
- **listcheck:** 0.1.0

## Broken links (0)

None.

## Other errors (0)

None.

## Warnings (0)

None.

## Notices (0)

None.
"""


def test_nightly_report_golden() -> None:
    assert MarkdownReporter().render(NIGHTLY) == GOLDEN


def test_empty_report_golden() -> None:
    assert MarkdownReporter().render(EMPTY) == GOLDEN_EMPTY


def test_registered_as_markdown() -> None:
    assert REPORTERS["markdown"] is MarkdownReporter
    assert isinstance(get_reporter("markdown"), MarkdownReporter)


# --- what GitHub makes of it, checked with a CommonMark + GFM tables renderer -------------


class _Html(HTMLParser):
    """Tags used, and the text of every table cell (``<br>`` read as a line break)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []
        self.codes: list[str] = []
        self._cell: list[str] | None = None
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "code":
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._code is not None:
            self._code.append(data)


def rendered(markdown: str) -> _Html:
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parser = _Html()
    parser.feed(html)
    return parser


SAFE_TAGS = {
    *("h1", "h2", "h3", "p", "ul", "li", "strong", "br", "code", "a"),
    *("table", "thead", "tbody", "tr", "th", "td", "details", "summary"),
}


def test_hostile_text_neither_breaks_a_table_nor_becomes_html() -> None:
    page = rendered(MarkdownReporter().render(NIGHTLY))
    assert page.tags <= SAFE_TAGS
    widths = {len(row) for row in page.rows}
    assert widths == {3, 4}  # by-rule tables have 3 columns, the others 4
    cells = {cell for row in page.rows for cell in row}
    assert EVIL_URL in page.codes
    assert TICK_URL in page.codes
    assert HOSTILE_TITLE in cells
    assert "Real | Title <b>" in cells
    assert "mis-decoded \\x1b[2J ðŸ‘" in cells


def table_of(cell: str) -> str:
    return f"| head |\n| --- |\n| {cell} |\n"


HOSTILE_TEXTS = [
    "a | b",
    "a \\| b",
    "trailing backslash \\",
    "<script>alert(1)</script>",
    "<details><summary>x</summary>",
    "&lt; is already an entity &amp;",
    "`code` and ``more``",
    "*em* _em_ **strong** ~~gone~~",
    "[link](javascript:alert(1)) ![img](x.png)",
    "$\\alpha$ math",
    "line one\nline two\r\nline three",
    "<https://autolink.example>",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_text_cell_reads_exactly_as_written(text: str) -> None:
    page = rendered(table_of(cell_text(text)))
    assert page.rows[1] == [text.replace("\r\n", "\n")]
    assert page.tags <= SAFE_TAGS


@pytest.mark.parametrize(
    "text",
    [
        *HOSTILE_TEXTS,
        "`starts with a backtick",
        "ends with one`",
        " spaced ",
        "   ",
        "``` fences ```",
        "back\\`slash",
    ],
)
def test_a_code_cell_reads_exactly_as_written(text: str) -> None:
    page = rendered(table_of(code_cell(text)))
    flat = " ".join(re.split(r"\r\n|\r|\n", text))
    assert page.codes == [flat]
    assert len(page.rows[1]) == 1


_ALPHABET = st.sampled_from([*"ab 1|\\`*_~[]()<>&!#$:@-.'\"\n\r{}", "&amp;", "<br>"])


@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_any_text_survives_a_table_cell(text: str) -> None:
    page = rendered(table_of(cell_text(text)))
    expected = re.sub(r"\r\n|\r", "\n", text).strip(" ")
    assert page.rows[1] == [expected]
    assert page.tags <= SAFE_TAGS


@given(st.lists(_ALPHABET, min_size=1, max_size=30).map("".join))
def test_any_text_survives_a_code_cell(text: str) -> None:
    flat = " ".join(re.split(r"\r\n|\r|\n", text))
    page = rendered(table_of(code_cell(text)))
    assert page.codes == [flat]


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (None, "—"),
        (
            LinkHistory(url="u", consecutive_failures=1, first_failed_at=JAN_3_2025),
            "2025-01-03 (1 run)",
        ),
        (
            LinkHistory(url="u", consecutive_failures=30, first_failed_at=JAN_3_2025),
            "2025-01-03 (30 runs in a row)",
        ),
        (LinkHistory(url="u", consecutive_failures=2), "2 runs in a row"),
        # The date is UTC, not the machine's: 23:59:59 on New Year's Eve stays in 2024.
        (
            LinkHistory(url="u", consecutive_failures=3, first_failed_at=1735689599.0),
            "2024-12-31 (3 runs in a row)",
        ),
    ],
)
def test_broken_since(history: LinkHistory | None, expected: str) -> None:
    assert since(history) == expected


def test_broken_links_without_a_finding_are_left_out() -> None:
    text = MarkdownReporter().render(NIGHTLY)
    assert "suppressed.example" not in text
    # The broken links' own errors are not repeated under "Other errors".
    other = text.split("## Other errors", 1)[1].split("## Warnings", 1)[0]
    assert "link/broken" not in other
    assert "link/transient" in other


def test_a_much_cited_link_names_its_first_places() -> None:
    places = tuple(("README.md", n, 1) for n in range(1, PLACES_SHOWN + 4))
    rep = NIGHTLY.model_copy(
        update={
            "links": (link(EVIL_URL, Verdict.BROKEN, *places, detail="HTTP 404"),),
            "findings": (finding("link/broken", "error", 1, 1, "HTTP 404", url=EVIL_URL),),
        }
    )
    row = next(
        line for line in MarkdownReporter().render(rep).splitlines() if "evil.example" in line
    )
    shown = "<br>".join(f"README.md:{n}" for n in range(1, PLACES_SHOWN + 1))
    assert f"| {shown}<br>and 3 more |" in row


def test_a_broken_link_reported_offline_without_a_url_is_matched_by_place() -> None:
    rep = NIGHTLY.model_copy(
        update={
            "links": (link("#missing", Verdict.BROKEN, ("README.md", 9, 4), detail="no heading"),),
            "findings": (finding("anchor/not-found", "error", 9, 4, "no heading 'missing'"),),
            "history": (),
        }
    )
    text = MarkdownReporter().render(rep)
    assert "## Broken links (1)" in text
    assert "| `#missing` | README.md:9 | no heading | — |" in text
    assert "## Other errors (0)" in text
