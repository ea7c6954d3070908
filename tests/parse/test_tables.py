"""Tables give the rows GitHub renders: the GFM spec's table examples, the block starts
that end a table on GitHub (cmark-gfm), the ragged shapes real lists take, and every table
of the corpus lists, with each cell at its place in the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import mistune
import pytest

from listcheck.parse import parse_document
from listcheck.parse.inline import plain_text
from listcheck.parse.sourcemap import (
    LEAF_KEY,
    Leaf,
    Token,
    TrackedBlockParser,
    TrackedState,
    init_root,
    locate_leaves,
)
from listcheck.parse.tables import gfm_tables, split_row

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPUS = Path(__file__).parents[3] / "shared" / "corpus"
REAL = CORPUS / "real"


@dataclass
class Table:
    """One table as the tests read it: cell texts as written, and where each cell is."""

    header: list[str]
    aligns: list[str | None]
    rows: list[list[str]]
    hidden: list[list[str]]
    shown: list[list[str]]
    """Each visible cell's inline text, as a reader sees it (escapes resolved)."""
    places: list[list[tuple[int, int]]]
    """(line, column) of each cell, header row first."""


def _markdown() -> mistune.Markdown:
    md = mistune.Markdown(renderer=None, block=TrackedBlockParser(), plugins=[gfm_tables])
    md.before_parse_hooks.append(lambda _md, state: init_root(state))
    md.before_render_hooks.append(lambda _md, state: locate_leaves(state))
    return md


def _leaf(cell: Token) -> Leaf:
    leaf = cell[LEAF_KEY]
    assert isinstance(leaf, Leaf)
    return leaf


def _table(token: Token) -> Table:
    head, body = token["children"]
    assert (head["type"], body["type"]) == ("table_head", "table_body")
    table = Table([], [], [], [], [], [])
    table.places.append([_leaf(cell).position(0) for cell in head["children"]])
    for cell in head["children"]:
        assert cell["type"] == "table_cell"
        assert cell["attrs"]["head"] is True
        table.header.append(_leaf(cell).text)
        table.aligns.append(cell["attrs"]["align"])
    for row in body["children"]:
        assert row["type"] == "table_row"
        cells = [c for c in row["children"] if not c["attrs"].get("hidden")]
        assert all(c["attrs"]["head"] is False for c in row["children"])
        table.rows.append([_leaf(c).text for c in cells])
        table.shown.append([plain_text(c.get("children") or []) for c in cells])
        table.hidden.append([_leaf(c).text for c in row["children"] if c["attrs"].get("hidden")])
        table.places.append([_leaf(c).position(0) for c in row["children"]])
    return table


def _blocks(text: str) -> list[Token]:
    tokens, _state = _markdown().parse(text, state=TrackedState())
    assert isinstance(tokens, list)
    return tokens


def _tables_in(tokens: list[Token]) -> list[Table]:
    found: list[Table] = []
    for token in tokens:
        if token["type"] == "table":
            found.append(_table(token))
        elif isinstance(token.get("children"), list):
            found.extend(_tables_in(token["children"]))
    return found


def tables(text: str) -> list[Table]:
    return _tables_in(_blocks(text))


def _kinds(text: str) -> list[str]:
    return [t["type"] for t in _blocks(text) if t["type"] != "blank_line"]


# --- the GFM spec, "Tables (extension)", examples 198-205 -------------------------------


@pytest.mark.parametrize(
    ("markdown", "header", "rows"),
    [
        pytest.param(
            "| foo | bar |\n| --- | --- |\n| baz | bim |",
            ["foo", "bar"],
            [["baz", "bim"]],
            id="198-plain",
        ),
        pytest.param(
            "| abc | defghi |\n:-: | -----------:\nbar | baz",
            ["abc", "defghi"],
            [["bar", "baz"]],
            id="199-edge-pipes-optional",
        ),
        pytest.param(
            "| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |",
            ["f\\|oo"],
            [["b `\\|` az"], ["b **\\|** im"]],
            id="200-escaped-pipes",
        ),
        pytest.param(
            "| abc | def |\n| --- | --- |\n| bar | baz |\n> bar",
            ["abc", "def"],
            [["bar", "baz"]],
            id="201-block-quote-ends-it",
        ),
        pytest.param(
            "| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar",
            ["abc", "def"],
            [["bar", "baz"], ["bar", ""]],
            id="202-line-without-pipe-is-a-row",
        ),
        pytest.param(
            "| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |",
            ["abc", "def"],
            [["bar", ""], ["bar", "baz"]],
            id="204-short-padded-long-cut",
        ),
        pytest.param("| abc | def |\n| --- | --- |", ["abc", "def"], [], id="205-no-body"),
    ],
)
def test_spec_examples(markdown: str, header: list[str], rows: list[list[str]]) -> None:
    (table,) = tables(markdown)
    assert table.header == header
    assert table.rows == rows


def test_spec_199_alignment() -> None:
    (table,) = tables("| abc | defghi |\n:-: | -----------:\nbar | baz")
    assert table.aligns == ["center", "right"]
    (table,) = tables("| a | b | c | d |\n| :-- | --: | :-: | --- |")
    assert table.aligns == ["left", "right", "center", None]


def test_spec_200_an_escaped_pipe_is_a_literal_pipe() -> None:
    (table,) = tables("| f\\|oo  |\n| ------ |\n| b **\\|** im |")
    assert table.shown == [["b | im"]]


def test_spec_201_202_what_follows_the_table() -> None:
    assert _kinds("| abc | def |\n| --- | --- |\n| bar | baz |\n> bar") == [
        "table",
        "block_quote",
    ]
    assert _kinds("| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar") == [
        "table",
        "paragraph",
    ]


def test_spec_203_header_and_delimiter_must_agree() -> None:
    assert tables("| abc | def |\n| --- |\n| bar |") == []
    assert _kinds("| abc | def |\n| --- |\n| bar |") == ["paragraph"]


def test_spec_204_excess_cells_are_hidden_not_lost() -> None:
    (table,) = tables("| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |")
    assert table.hidden == [[], ["boo"]]


# --- where GitHub ends a table, and what it does not take for one --------------------------

HEAD = "| Paper | Code |\n| --- | --- |\n| [A](https://a.org) | x |\n"


@pytest.mark.parametrize(
    ("after", "rows", "follows"),
    [
        pytest.param("\n| B | y |", 1, "paragraph", id="blank-line"),
        pytest.param("- [B](https://b.org)", 1, "list", id="bullet"),
        pytest.param("1. [B](https://b.org)", 1, "list", id="ordered-item"),
        pytest.param("## Next", 1, "heading", id="atx-heading"),
        pytest.param("```\ncode | x\n```", 1, "block_code", id="fence"),
        pytest.param("    | B | y |", 1, "block_code", id="indented-code"),
        pytest.param("---", 1, "thematic_break", id="thematic-break"),
        pytest.param("<details>", 1, "block_html", id="html-block"),
        pytest.param('<img src="banner.png">', 1, "block_html", id="lone-html-tag"),
        pytest.param("|", 1, "paragraph", id="a-lone-pipe-has-no-cell"),
        pytest.param("B | y", 2, None, id="row-without-edge-pipes-continues"),
        pytest.param("| B | y", 2, None, id="row-without-closing-pipe-continues"),
        pytest.param("<b>B</b> | y", 2, None, id="inline-html-row-continues"),
        pytest.param("#B | y", 2, None, id="hash-without-space-continues"),
        pytest.param("-B | y", 2, None, id="dash-without-space-continues"),
    ],
)
def test_what_ends_a_table(after: str, rows: int, follows: str | None) -> None:
    markdown = HEAD + after
    (table,) = tables(markdown)
    assert len(table.rows) == rows
    kinds = _kinds(markdown)
    assert kinds[0] == "table"
    assert kinds[1:2] == ([follows] if follows else [])


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("Title\n---\n", id="setext-heading"),
        pytest.param("a | b\n- | -\n", id="delimiter-that-is-a-list-item"),
        pytest.param("| a | b |\n| -- | xx |\n", id="delimiter-cell-not-dashes"),
        pytest.param("| a | b |\n| | |\n", id="delimiter-cells-empty"),
        pytest.param("    | a | b |\n    | - | - |\n", id="indented-code"),
        pytest.param("<div>a | b</div>\n| - | - |\n", id="html-block-header"),
        pytest.param("```\n| a | b |\n| - | - |\n```\n", id="in-a-fence"),
    ],
)
def test_not_a_table(markdown: str) -> None:
    assert tables(markdown) == []


@pytest.mark.parametrize(
    ("markdown", "header", "rows"),
    [
        pytest.param(
            "Papers we like:\n| Paper | Year |\n|---|---|\n| A | 2024 |",
            ["Paper", "Year"],
            [["A", "2024"]],
            id="right-after-a-paragraph-line",
        ),
        pytest.param(
            "<b>Paper</b> | Year\n--- | ---\nA | 2024",
            ["<b>Paper</b>", "Year"],
            [["A", "2024"]],
            id="header-opens-with-inline-html",
        ),
        pytest.param(
            "|a||c|\n|-|-|-|\n||b|",
            ["a", "", "c"],
            [["", "b", ""]],
            id="empty-cells",
        ),
        pytest.param(
            "| a | b |\n|-|-|\n| x \\\\| y |",
            ["a", "b"],
            [["x \\\\| y", ""]],
            id="any-backslash-escapes-the-pipe",
        ),
        pytest.param(
            "Name\n:---\nA",
            ["Name"],
            [["A"]],
            id="one-column-without-pipes",
        ),
        pytest.param(
            "- Surveys:\n\n  | Survey | Link |\n  | --- | --- |\n  | S | [pdf](https://s.org)",
            ["Survey", "Link"],
            [["S", "[pdf](https://s.org)"]],
            id="in-a-list-item",
        ),
        pytest.param(
            "> | Quoted | Link |\n> | --- | --- |\n> Q | [abs](https://q.org) |",
            ["Quoted", "Link"],
            [["Q", "[abs](https://q.org)"]],
            id="in-a-block-quote",
        ),
    ],
)
def test_shapes_github_renders(markdown: str, header: list[str], rows: list[list[str]]) -> None:
    (table,) = tables(markdown)
    assert table.header == header
    assert table.rows == rows


def test_table_after_a_paragraph_leaves_the_paragraph() -> None:
    tokens = _blocks("Papers we like:\n| Paper | Year |\n|---|---|\n| A | 2024 |")
    assert [t["type"] for t in tokens] == ["paragraph", "table"]
    assert tokens[0][LEAF_KEY].text == "Papers we like:\n"


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", ["a", "b"]),
        ("a | b", ["a", "b"]),
        ("|a|b", ["a", "b"]),
        ("  | a |  ", ["a"]),
        ("||", [""]),
        ("|", []),
        ("", []),
        ("a \\| b", ["a \\| b"]),
        ("| `x|y` |", ["`x", "y`"]),
    ],
)
def test_split_row(line: str, cells: list[str]) -> None:
    assert split_row(line) == cells


# --- cells and entries keep their places ----------------------------------------------------


def _assert_in_place(text: str, table: Table) -> None:
    """Each cell sits on its row's line, at its text; rows follow the header line by line."""
    lines = text.split("\n")
    header_line = table.places[0][0][0]
    for index, (row, places) in enumerate(
        zip([table.header, *table.rows], table.places, strict=True)
    ):
        expected_line = header_line + (index + 1 if index else 0)
        for cell, (line, column) in zip(row, places, strict=False):
            assert line == expected_line, (cell, line, expected_line)
            assert lines[line - 1][column - 1 :].startswith(cell), (cell, lines[line - 1])


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("| Rank | Paper |\n|---|---|\n| - | [A](https://a.org) |", id="dash-cell"),
        pytest.param("| Date | Paper |\n| --- | --- |\n| - | [A](https://a.org) |", id="dashes"),
        pytest.param("| D | P |\n|---|---|\n| 1 | [A](https://a.org) |\n| | B |", id="empty-first"),
        pytest.param("- x\n\n  | D | P |\n  |---|---|\n  |  | [A](https://a.org)", id="in-list"),
    ],
)
def test_cells_keep_their_lines(markdown: str) -> None:
    (table,) = tables(markdown)
    _assert_in_place(markdown, table)


def test_entry_with_empty_first_cell_is_on_its_own_line() -> None:
    markdown = "| Date | Paper |\n| --- | --- |\n| 2024 | [A](https://a.org) |\n"
    markdown += "|  | [B](https://b.org) |\n"
    doc = parse_document(markdown, "x.md")
    assert [(entry.line, entry.title) for entry in doc.entries] == [(3, "A"), (4, "B")]


FIXTURE_TABLES = [
    # (header, rows as GitHub shows them, cells hidden per row), in file order.
    (
        ["Date", "Title", "Links"],
        [
            ["2024-01", "Paper One: Padding Short Rows", "[arXiv](https://arxiv.org/abs/2401.00001)"],
            ["2024-02", "Paper Two: A Row Without Its Closing Pipe", "[arXiv](https://arxiv.org/abs/2402.00002)"],
            ["2024-03", "Paper Three: A Row Without Either Pipe", "[arXiv](https://arxiv.org/abs/2403.00003)"],
            ["2024-04", "Paper Four: A Missing Links Cell", ""],
            ["2024-05", "Paper Five: One Cell Too Many", "[arXiv](https://arxiv.org/abs/2405.00005)"],
            ["2024-06", "Paper Six: Pipes \\| Escaped In The Title", "[arXiv](https://arxiv.org/abs/2406.00006)"],
            ["2024-07", "Paper Seven: No Spaces Around Pipes", "[arXiv](https://arxiv.org/abs/2407.00007)"],
            ["-", "Paper Eight: A Dash Where The Date Should Be", "[arXiv](https://arxiv.org/abs/2408.00008)"],
        ],
        [[], [], [], [], ["[code](https://github.com/example-org/paper-five)"], [], [], []],
    ),
    (
        ["Name", "Paper"],
        [["DataOne", "[paper](https://arxiv.org/abs/2409.00009)"], ["DataTwo", "[paper](https://arxiv.org/abs/2410.00010)"]],
        [[], []],
    ),
    (["Quoted", "Link"], [["Quoted One", "[abs](https://arxiv.org/abs/2502.00014)"]], [[]]),
    (
        ["Survey", "Link"],
        [["Survey One", "[pdf](https://arxiv.org/pdf/2412.00012)"], ["Survey Two", "[pdf](https://arxiv.org/pdf/2501.00013)"]],
        [[], []],
    ),
    (
        ["Rank", "Model", "Paper"],
        [["-", "Baseline", "[paper](https://arxiv.org/abs/2504.00016)"], ["1", "Model One", "[paper](https://arxiv.org/abs/2505.00017)"]],
        [[], []],
    ),
]  # fmt: skip


def test_fixture_tables_as_github_renders_them() -> None:
    text = (FIXTURES / "tables.md").read_text(encoding="utf-8")
    found = tables(text)
    assert [(t.header, t.rows, t.hidden) for t in found] == FIXTURE_TABLES
    for table in found:
        _assert_in_place(text, table)


def _is_row(line: str) -> bool:
    """A body row of tables.md: a line with a pipe and a link or a title, not a header."""
    return "|" in line and ("](" in line or "Paper Four" in line) and "Mismatched" not in line


def test_fixture_table_rows_are_entries_with_their_links() -> None:
    """mistune's table plugin kept 7 of these 15 rows (it dropped the ragged table whole
    after its second row, and the table inside a list item); every row is an entry now."""
    text = (FIXTURES / "tables.md").read_text(encoding="utf-8")
    doc = parse_document(text, "tables.md")
    rows = [entry for entry in doc.entries if entry.in_table]
    # The row lines of tables.md: 8 papers, 2 datasets, 1 quoted, 2 surveys, 2 models.
    assert [entry.line for entry in rows] == [*range(10, 18), 22, 23, 30, 36, 37, 43, 44]
    assert [entry.line for entry in rows] == [
        number for number, line in enumerate(text.split("\n"), start=1) if _is_row(line)
    ]
    assert len(rows) == 15
    urls = {link.url for link in doc.links}
    assert "https://github.com/example-org/paper-five" in urls  # in a cell GitHub hides
    assert "https://arxiv.org/abs/2503.00015" in urls  # a mismatched header: a paragraph


# --- the corpus lists ---------------------------------------------------------------------


def _corpus(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip("../shared/corpus is not present")
    return path.read_text(encoding="utf-8")


# Counted by hand: a table is a header line, a delimiter row, and the lines after it up to
# the first blank line; every corpus table has a leading and a closing pipe on each row.
CORPUS_TABLES = {
    "real/hoya012__deep_learning_object_detection.md": [64],  # "Performance table", lines 58-123
    "real/dair-ai__ML-Papers-of-the-Week.md": [10] * 130,  # one table of 10 papers per week
    "real/SOURCES.md": [6],  # the six lists
    "real/atfortes__Awesome-LLM-Reasoning.md": [],
    "real/awesome-NeRF__awesome-NeRF.md": [],
    "real/diff-usion__Awesome-Diffusion-Models.md": [],
    "real/yaodongC__awesome-instruction-dataset.md": [],
    "awesome-genai-unlearning.md": [],
    "awesome-genai-unlearning-early.md": [],
}


@pytest.mark.parametrize(("name", "counts"), CORPUS_TABLES.items(), ids=list(CORPUS_TABLES))
def test_corpus_tables_have_the_rows_github_shows(name: str, counts: list[int]) -> None:
    text = _corpus(name)
    found = tables(text)
    assert [len(table.rows) for table in found] == counts
    for table in found:
        assert all(len(row) == len(table.header) for row in table.rows)
        assert not any(table.hidden)
        _assert_in_place(text, table)


def test_corpus_hoya012_performance_table() -> None:
    (table,) = tables(_corpus("real/hoya012__deep_learning_object_detection.md"))
    assert table.header == [
        "Detector",
        "VOC07 (mAP@IoU=0.5)",
        "VOC12 (mAP@IoU=0.5)",
        "COCO (mAP@IoU=0.5:0.95)",
        "Published In",
    ]
    assert table.aligns == ["center"] * 5
    # "|     R-CNN    |         58.5        |          -          |      -     |    CVPR'14   |"
    assert table.rows[0] == ["R-CNN", "58.5", "-", "-", "CVPR'14"]
    # the last row: "|  DetectoRS   | ... |     **54.7**   |    arXiv'20   |"
    assert table.rows[-1] == ["DetectoRS", "-", "-", "**54.7**", "arXiv'20"]


def test_corpus_dair_ai_weekly_tables() -> None:
    text = _corpus("real/dair-ai__ML-Papers-of-the-Week.md")
    found = tables(text)
    # "| **Paper**  | **Links** | " heads every week's table
    assert {tuple(table.header) for table in found} == {("**Paper**", "**Links**")}
    # "| 1) Ultra-Fast Diffusion-based Language Models  This paper introduces Mercury, ...
    #  | [Paper](https://arxiv.org/abs/2506.17298), [Tweet](https://x.com/omarsar0/...) |"
    first = found[0].rows[0]
    assert first[0].startswith("1) Ultra-Fast Diffusion-based Language Models  This paper")
    assert first[1] == (
        "[Paper](https://arxiv.org/abs/2506.17298), "
        "[Tweet](https://x.com/omarsar0/status/1937600372430045494)"
    )
    doc = parse_document(text, "dair-ai.md")
    assert sum(entry.in_table for entry in doc.entries) == 1300


def test_corpus_sources_row_keeps_its_escaped_pipes_in_one_cell() -> None:
    (table,) = tables(_corpus("real/SOURCES.md"))
    nerf = next(row for row in table.rows if row[0] == "awesome-NeRF__awesome-NeRF.md")
    assert len(nerf) == 5
    # '... then "\| [github](…) \| [bibtex](./citations/…)" relative files |'
    assert '"\\| [github](…) \\| [bibtex](./citations/…)"' in nerf[4]
