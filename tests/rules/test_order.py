"""entry/order on small lists written like the real ones, and on the corpus lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.real_lists import REAL

from listcheck.models import Document, Finding
from listcheck.parse import parse_document
from listcheck.rules.arxiv import arxiv_tag_month
from listcheck.rules.base import CATALOGUE, OFFLINE_RULES, LintContext
from listcheck.rules.order import entry_order, section_orders

CORPUS = REAL.parent
CTX = LintContext(Path("."))
MONTHS = ["202406", "202405", "202404", "202403", "202402", "202401", "202312", "202311"]
"""Eight months, newest first: enough entries that one out of place leaves 7 of 8 (0.88)
in order, above the share a convention needs."""


def run(markdown: str) -> list[Finding]:
    return list(entry_order(parse_document(markdown, "README.md"), CTX))


def bullets(tag: str, months: list[str]) -> str:
    """A section of bullets dated by ``tag`` (``{y}``/``{m}`` for the year and month)."""
    lines = ["# List", "", "## Papers", ""]
    for number, month in enumerate(months, start=1):
        date = tag.format(y=month[:4], m=month[4:])
        lines.append(
            f"- {date} Paper {number} about topic {month} ([PDF](https://example.org/{number}))"
        )
    return "\n".join(lines) + "\n"


def moved(months: list[str], source: int, target: int) -> list[str]:
    out = list(months)
    out.insert(target, out.pop(source))
    return out


def test_the_rule_is_registered_as_a_notice() -> None:
    assert OFFLINE_RULES["entry/order"] is entry_order
    assert CATALOGUE["entry/order"].severity.value == "notice"
    assert not CATALOGUE["entry/order"].needs_network


@pytest.mark.parametrize(
    "tag",
    ["【{y}{m}】", "[{y}{m}]", "[{y}/{m}]", "[{y}.{m}]", "**{y}-{m}**"],
)
def test_an_entry_moved_down_is_found_between_its_neighbours(tag: str) -> None:
    # 202404 taken out and put after 202312: it belongs between 202405 and 202403.
    [found] = run(bullets(tag, moved(MONTHS, 2, 6)))
    assert (found.line, found.column) == (11, 3)
    assert found.message.startswith('"Paper 7 about topic 202404" (2024-04, ')
    assert "this newest-first section's order: it belongs between " in found.message
    assert 'line 6 "Paper 2 about topic 202405" (2024-05)' in found.message
    assert 'line 7 "Paper 3 about topic 202403" (2024-03)' in found.message
    assert found.suggestion == "move it to just after line 6"


def test_an_entry_moved_to_the_top_of_a_newest_first_section() -> None:
    [found] = run(bullets("【{y}{m}】", moved(MONTHS, 7, 0)))
    assert found.line == 5
    assert found.message.endswith(
        'after line 12 "Paper 8 about topic 202312" (2023-12), the last in order'
    )


def test_an_oldest_first_section() -> None:
    months = moved(MONTHS[::-1], 7, 2)  # 202406 pasted in third place
    [found] = run(bullets("【{y}{m}】", months))
    assert "this oldest-first section's order" in found.message
    assert found.message.endswith(
        'after line 12 "Paper 8 about topic 202405" (2024-05), the last in order'
    )


def test_equal_months_are_never_out_of_order() -> None:
    months = ["202406", "202406", "202405", "202405", "202405", "202403", "202403", "202401"]
    assert run(bullets("【{y}{m}】", months)) == []


@pytest.mark.parametrize(
    "months",
    [
        pytest.param(
            ["202403", "202401", "202406", "202312", "202405", "202311", "202402", "202404"],
            id="shuffled",
        ),
        pytest.param(["202406", "202405", "202404", "202402"], id="too-few-dated"),
        pytest.param(["202406"] * 7 + ["202405", "202406", "202406"], id="one-month-digest"),
        pytest.param(moved(MONTHS[:6], 2, 5), id="five-of-six"),
    ],
)
def test_a_section_without_a_convention_gets_no_order_finding(months: list[str]) -> None:
    doc = parse_document(bullets("【{y}{m}】", months), "README.md")
    assert section_orders(doc) == []
    assert list(entry_order(doc, CTX)) == []


def test_undated_entries_are_left_alone_but_many_of_them_mean_no_convention() -> None:
    text = bullets("【{y}{m}】", moved(MONTHS, 2, 6))
    some = text.replace("- 【202311】", "- ")  # one undated among eight: still sorted
    assert len(run(some)) == 1
    lines = text.splitlines()
    undated = [f"- Undated paper {n} ([PDF](https://example.org/u{n}))" for n in range(5)]
    many = "\n".join(lines + undated) + "\n"  # 8 of 13 dated: below two thirds
    assert run(many) == []


TABLE = """\
## Papers

| Date | Title | Links |
|------|-------|-------|
{rows}
"""


def test_table_rows_are_entries_dated_by_their_date_column() -> None:
    rows = "\n".join(
        f"| {month} | Paper {n} | [PDF](https://example.org/{n}) |"
        for n, month in enumerate(moved(MONTHS, 1, 5), start=1)
    )
    [found] = run(TABLE.format(rows=rows))
    # 202405 pasted after 202401 (row 6, line 10)
    assert (found.line, found.column) == (10, 3)
    assert found.message.endswith(
        'between line 5 "Paper 1" (2024-06) and line 6 "Paper 2" (2024-04)'
    )


def arxiv_bullets(entries: list[tuple[str, str]]) -> str:
    lines = ["## Papers", ""]
    for n, (tag, arxiv_id) in enumerate(entries, start=1):
        lines.append(f"- 【{tag}】Paper {n} ([PDF](https://arxiv.org/abs/{arxiv_id}))")
    return "\n".join(lines) + "\n"


IDS = [(m, f"{m[2:]}.0{n:04d}") for n, m in enumerate(MONTHS, start=1)]


def test_a_wrong_tag_beside_an_id_in_order_is_a_tag_month_finding_only() -> None:
    entries = list(IDS)
    entries[2] = ("202312", entries[2][1])  # the tag says December, the id (in order) April
    doc = parse_document(arxiv_bullets(entries), "README.md")
    assert list(entry_order(doc, CTX)) == []
    [tag] = list(arxiv_tag_month(doc, CTX))
    assert tag.line == 5


def test_the_id_month_outranks_a_tag_in_order_only_when_both_are_out_of_place() -> None:
    entries = list(IDS)
    entries[1] = ("202405", "2312.00099")  # in order by its tag, not by its id
    doc = parse_document(arxiv_bullets(entries), "README.md")
    assert list(entry_order(doc, CTX)) == []  # arxiv/tag-month says what is wrong
    entries[1] = ("202311", "2312.00099")  # out of order by both
    [found] = run(arxiv_bullets(entries))
    assert found.line == 4
    assert "(2023-12, arXiv 2312.00099)" in found.message
    assert found.message.endswith(
        # of the places its month allows (either side of Paper 7, 2023-12 too), the nearest
        'between line 8 "Paper 6" (2024-01) and line 9 "Paper 7" (2023-12)'
    )


def test_an_entry_headed_by_a_venue_tag_is_undated() -> None:
    entries = list(IDS)
    text = (
        arxiv_bullets(entries)
        .replace("【202404】", "【ICLR 2025】")
        .replace("2404.0003", "2311.0003")
    )
    assert run(text) == []


def test_nested_detail_items_move_with_their_parent_and_are_not_dated_alone() -> None:
    text = bullets("【{y}{m}】", MONTHS).replace(
        "(https://example.org/1))", "(https://example.org/1))\n  - 【201901】 an old detail"
    )
    assert run(text) == []


# --- the corpus and the real lists ------------------------------------------------------------

REAL_FINDINGS = {
    "atfortes__Awesome-LLM-Reasoning.md": [212, 404],
    "awesome-NeRF__awesome-NeRF.md": [],
    "dair-ai__ML-Papers-of-the-Week.md": [],
    "diff-usion__Awesome-Diffusion-Models.md": [
        9320,
        10492,
        10834,
        11138,
        12809,
        13659,
        13917,
        14392,
    ],
    "hoya012__deep_learning_object_detection.md": [],
    "yaodongC__awesome-instruction-dataset.md": [],
}
"""Each finding was read against the list: atfortes sorts by arXiv id and lists CRANE
(2502) among 2503 papers and Logic-LM (2305) above a 2306 one; diff-usion sorts by its
date lines, and each of the eight is out of order by that date too (``15 Dec 2021``
under ``29 Nov 2021``, ``31 Jan 2023`` above ``1 Feb 2023``...). Nothing on hoya012
(venue order), awesome-NeRF (venue years, arXiv for a part only), dair-ai (weekly
picks of one month) and yaodongC (a dataset per heading)."""


def _read(path: Path) -> Document:
    return parse_document(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize("name", sorted(REAL_FINDINGS))
def test_real_lists(name: str) -> None:
    found = list(entry_order(_read(REAL / name), CTX))
    assert [f.line for f in found] == REAL_FINDINGS[name]
    assert all(f.suggestion and f.suggestion.startswith("move it to just") for f in found)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    "name", ["awesome-genai-unlearning.md", "awesome-genai-unlearning-early.md"]
)
def test_corpus_lists(name: str) -> None:
    # The mature list's sorted sections hold their slips as wrong tags (169, 170, 217,
    # 218: arxiv/tag-month) and venue-tagged papers placed by venue: no order finding.
    doc = _read(CORPUS / name)
    assert list(entry_order(doc, CTX)) == []
    if name == "awesome-genai-unlearning.md":
        assert {o.name for o in section_orders(doc)} == {"newest-first"}
