"""What the parser extracts: which links, entries, titles, tags, headings and anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import LinkKind, LinkSyntax, TagKind
from listcheck.parse import parse_document

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _doc(name: str):  # type: ignore[no-untyped-def]
    return parse_document((FIXTURES / name).read_text(encoding="utf-8"), name)


def test_syntax_zoo_links_in_order() -> None:
    doc = _doc("syntax.md")
    got = [(link.url, link.line, link.column, link.syntax) for link in doc.links]
    assert got == [
        ("./assets/logo.png", 4, 11, LinkSyntax.HTML),
        ("https://example.org/html-block", 4, 52, LinkSyntax.HTML),
        ("https://example.org/emph", 8, 42, LinkSyntax.INLINE),
        ("https://example.org/bold", 8, 87, LinkSyntax.INLINE),
        ("https://example.org/twice", 9, 21, LinkSyntax.INLINE),
        ("https://example.org/twice", 9, 56, LinkSyntax.INLINE),
        ("https://example.org/self", 10, 51, LinkSyntax.INLINE),
        ("https://img.example.org/badge.svg", 11, 31, LinkSyntax.IMAGE),
        ("https://example.org/badge-target", 11, 67, LinkSyntax.INLINE),
        ("https://example.org/inline-html", 12, 17, LinkSyntax.HTML),
        ("https://img.example.org/x.png", 12, 72, LinkSyntax.HTML),
        ("https://example.org/angle", 13, 29, LinkSyntax.INLINE),
        ("", 13, 77, LinkSyntax.INLINE),
        ("https://en.wikipedia.org/wiki/Attention_(machine_learning)", 14, 28, LinkSyntax.INLINE),
        ("https://example.org/ref-one", 33, 12, LinkSyntax.REFERENCE),
        ("https://example.org/collapsed", 34, 15, LinkSyntax.REFERENCE),
        ("https://example.org/shortcut", 36, 3, LinkSyntax.REFERENCE),
        ("https://example.org/deep", 18, 26, LinkSyntax.INLINE),
        ("https://example.org/ordered", 19, 30, LinkSyntax.INLINE),
        ("https://example.org/quoted", 22, 23, LinkSyntax.INLINE),
        ("https://example.org/nested-quote", 23, 32, LinkSyntax.INLINE),
    ]


def test_code_is_not_links() -> None:
    urls = {link.url for link in _doc("syntax.md").links}
    assert not any("in-code" in url or "indented-code" in url for url in urls)


def test_reference_links_point_at_definition_and_usage() -> None:
    refs = [link for link in _doc("syntax.md").links if link.syntax is LinkSyntax.REFERENCE]
    assert [(link.reference, link.text_line, link.text_column) for link in refs] == [
        ("ref-one", 16, 17),
        ("collapsed", 16, 41),
        ("shortcut", 16, 59),
    ]


def test_html_anchors_and_comments() -> None:
    doc = _doc("syntax.md")
    assert [(a.name, a.line, a.column) for a in doc.html_anchors] == [("custom-anchor", 7, 10)]
    assert [(c.text, c.line, c.column) for c in doc.comments] == [
        ("listcheck-disable-next-line link/empty", 21, 1)
    ]


def test_list_depth_and_blocks_describe_the_table_of_contents() -> None:
    doc = _doc("shapes.md")
    toc = [
        link for link in doc.links if link.kind is LinkKind.ANCHOR and link.list_depth is not None
    ]
    assert [(link.url, link.list_depth) for link in toc] == [
        ("#surveys", 0),
        ("#methods", 0),
        ("#kernels", 1),
        ("#benchmarks", 0),
    ]
    assert len({link.block for link in toc}) == 1


@pytest.mark.parametrize(
    ("line", "name", "tags", "title"),
    [
        (12, None, [("【202503】", TagKind.MONTH)], "A Survey of Sparse Attention Mechanisms"),
        (13, None, [("[ICLR 2024]", TagKind.VENUE)], "Efficient Transformers Revisited"),
        (
            14,
            "SparseBench",
            [("[arxiv 2310.12773]", TagKind.ARXIV)],
            "Measuring Sparsity in Long-Context Models",
        ),
        (15, "LongEval", [("【202405】", TagKind.MONTH)], "Long Context Evaluation at Scale"),
        (16, None, [], "Routing Transformers Without Routing"),
        (17, None, [], "Block-Sparse Attention Is All You Need"),
        (20, None, [("[CVPR'24]", TagKind.VENUE)], "Window Attention for Video"),
        (21, None, [("【NeurIPS 2023 (oral)】", TagKind.VENUE)], "Linear Attention at Last"),
        (23, None, [], "A paper with no link at all"),
        (29, None, [], "FlashSparse: Fast Kernels for Sparse Attention"),
        (30, None, [], "Tiled Attention Made Simple"),
        (33, "Quoted", [("[ACL 2023]", TagKind.VENUE)], "A Benchmark Inside a Quote"),
    ],
)
def test_entry_shapes(
    line: int, name: str | None, tags: list[tuple[str, TagKind]], title: str
) -> None:
    entry = next(e for e in _doc("shapes.md").entries if e.line == line)
    assert entry.name == name
    assert [(tag.raw, tag.kind) for tag in entry.tags] == tags
    assert entry.title == title


def test_month_and_arxiv_tags_carry_their_values() -> None:
    entries = _doc("shapes.md").entries
    month = entries[0].tags[0]
    assert (month.year, month.month) == (2025, 3)
    assert entries[2].tags[0].arxiv_id == "2310.12773"


def test_table_of_contents_items_are_not_entries() -> None:
    doc = _doc("shapes.md")
    assert all(entry.section[-1] != "Contents" for entry in doc.entries)


def test_entries_know_their_section_and_links() -> None:
    doc = _doc("shapes.md")
    table_row = next(e for e in doc.entries if e.line == 29)
    assert table_row.in_table
    assert table_row.section == ("Awesome Sparse Attention", "Methods", "Kernels")
    assert [doc.links[i].kind for i in table_row.links] == [LinkKind.ARXIV, LinkKind.GITHUB]
    assert all(doc.links[i].entry == doc.entries.index(table_row) for i in table_row.links)


def test_headings_get_github_slugs_with_repeat_suffixes() -> None:
    doc = parse_document("# Intro\n## Data\n### Data\n## Data:\n", "x.md")
    assert [(h.level, h.slug) for h in doc.headings] == [
        (1, "intro"),
        (2, "data"),
        (3, "data-1"),
        (2, "data-2"),
    ]


@pytest.mark.parametrize("text", ["", "\n", "   \n\n", "\ufeff"])
def test_empty_documents(text: str) -> None:
    doc = parse_document(text, "empty.md")
    assert doc.entries == ()
    assert doc.links == ()
