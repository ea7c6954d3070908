"""Comments in HTML blocks: where they are, what they hide, and what an unclosed one does."""

from __future__ import annotations

import pytest

from listcheck.parse import parse_document
from listcheck.parse.html_blocks import comment_spans, html_text, section_events


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a <!-- b --> c <!--d-->", [(2, 12), (15, 23)]),
        ("<!---->", [(0, 7)]),
        # "<!-->" holds no "-->" after its opener: no comment, as a lazy regex would say
        ("<!--> x", []),
        # the first "-->" closes a comment, however many openers came before it
        ("<!-- a <!-- b --> c", [(0, 17)]),
        # an opener never closed hides nothing, and neither does any after it
        ("<!-- a <!-- b", []),
        ("<!-- a --> b <!-- c", [(0, 10)]),
    ],
)
def test_comment_spans(text: str, spans: list[tuple[int, int]]) -> None:
    assert comment_spans(text) == spans


def test_html_text_drops_comments_and_tags() -> None:
    # a comment leaves nothing behind, a tag a blank
    assert html_text("<b>Mem</b>Net<!-- TODO: venue --> <i>Do</i>RA<!-- x -->s") == "Mem Net Do RAs"


def test_a_summary_in_a_comment_opens_no_group() -> None:
    block = "<details>\n<!-- <summary>Old</summary> -->\n<summary>New</summary>\n"
    assert [(e.kind, e.title) for e in section_events(block)] == [
        ("open", ""),
        ("summary", "New"),
    ]


def test_links_in_comments_are_skipped_and_comments_kept() -> None:
    block = (
        '<div>\n<!-- <a href="https://a.example/old">old</a> -->\n'
        '<a href="https://a.example/new">new</a> <!-- listcheck-disable-line -->\n</div>\n'
    )
    doc = parse_document(block, "x.md")
    assert [link.url for link in doc.links] == ["https://a.example/new"]
    assert [(c.text, c.line) for c in doc.comments] == [
        ('<a href="https://a.example/old">old</a>', 2),
        ("listcheck-disable-line", 3),
    ]
