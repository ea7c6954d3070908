"""Link slips as the parser sees them: inline links written so that Markdown does not read
them as links (it autolinks the bare URL and shows the rest as text), and links inside a
block quote inside a list item, which the document builder drops."""

from __future__ import annotations

from pathlib import Path

import mistune
import pytest
from mistune.plugins.table import table, table_in_list, table_in_quote
from mistune.plugins.url import url as bare_urls

from listcheck.models import LinkSyntax
from listcheck.parse import parse_document
from listcheck.parse.inline import SlipKind, link_slip
from listcheck.parse.sourcemap import (
    Token,
    TrackedBlockParser,
    TrackedState,
    init_root,
    locate_leaves,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
QUOTE_IN_ITEM = FIXTURES / "slips" / "quote-in-item.md"

# The line of yaodongC/awesome-instruction-dataset (README line 99) whose author copied
# the list's template, braces and all.
YAODONG_99 = " ## [({sunrainyg}/{InstructCV)|EN|MT|MIX}]{https://github.com/AlaaLab/InstructCV}"


@pytest.mark.parametrize(
    ("line", "url", "kind", "written", "repaired"),
    [
        (
            "- Paper A: A Title. [[pdf]] (https://arxiv.org/abs/2301.00001) [[code]](x)",
            "https://arxiv.org/abs/2301.00001",
            SlipKind.SPACE_BEFORE_PARENTHESIS,
            "[[pdf]] (https://arxiv.org/abs/2301.00001)",
            "[[pdf]](https://arxiv.org/abs/2301.00001)",
        ),
        (
            "- Paper ( https://arxiv.org/abs/2301.00001 ) [pdf] ( https://x.org/a.pdf )",
            "https://x.org/a.pdf",
            SlipKind.SPACE_BEFORE_PARENTHESIS,
            "[pdf] ( https://x.org/a.pdf )",
            "[pdf](https://x.org/a.pdf)",
        ),
        (
            "![teaser]\t(https://x.org/teaser.png)",
            "https://x.org/teaser.png",
            SlipKind.SPACE_BEFORE_PARENTHESIS,
            "![teaser]\t(https://x.org/teaser.png)",
            "![teaser](https://x.org/teaser.png)",
        ),
        (
            YAODONG_99,
            "https://github.com/AlaaLab/InstructCV",
            SlipKind.BRACES,
            "[({sunrainyg}/{InstructCV)|EN|MT|MIX}]{https://github.com/AlaaLab/InstructCV}",
            "[({sunrainyg}/{InstructCV)|EN|MT|MIX}](https://github.com/AlaaLab/InstructCV)",
        ),
        (
            "- [Paper B]{https://github.com/o/r} and more",
            "https://github.com/o/r",
            SlipKind.BRACES,
            "[Paper B]{https://github.com/o/r}",
            "[Paper B](https://github.com/o/r)",
        ),
        (
            "- [x](https://a.b/c d)",
            "https://a.b/c",
            SlipKind.BLANK_IN_DESTINATION,
            "[x](https://a.b/c d)",
            "[x](https://a.b/c%20d)",
        ),
        (
            "- [Paper D](https://arxiv.org/abs/2301. 00004)",
            "https://arxiv.org/abs/2301",
            SlipKind.BLANK_IN_DESTINATION,
            "[Paper D](https://arxiv.org/abs/2301. 00004)",
            "[Paper D](https://arxiv.org/abs/2301.%2000004)",
        ),
        # stray "]" before the label, and brackets nested inside it
        (
            "x] y] [pdf] (https://x.org/a.pdf)",
            "https://x.org/a.pdf",
            SlipKind.SPACE_BEFORE_PARENTHESIS,
            "[pdf] (https://x.org/a.pdf)",
            "[pdf](https://x.org/a.pdf)",
        ),
        (
            "see [Paper [v2] E]  (https://x.org/e)",
            "https://x.org/e",
            SlipKind.SPACE_BEFORE_PARENTHESIS,
            "[Paper [v2] E]  (https://x.org/e)",
            "[Paper [v2] E](https://x.org/e)",
        ),
        (
            "[a \\] b](https://x.org/My Paper v2.pdf )",
            "https://x.org/My",
            SlipKind.BLANK_IN_DESTINATION,
            "[a \\] b](https://x.org/My Paper v2.pdf )",
            "[a \\] b](https://x.org/My%20Paper%20v2.pdf)",
        ),
    ],
)
def test_slips_are_found_around_the_bare_url_they_leave(
    line: str, url: str, kind: SlipKind, written: str, repaired: str
) -> None:
    slip = link_slip(line, line.index(url), url)
    assert slip is not None
    assert slip.kind is kind
    assert line[slip.start : slip.end] == written
    assert slip.repaired == repaired


@pytest.mark.parametrize(
    ("line", "url"),
    [
        # a task box, then a URL in parentheses
        ("- [x] (https://x.org/done) shipped", "https://x.org/done"),
        ("  1. [ ] (https://x.org/todo)", "https://x.org/todo"),
        # a citation mark and its source
        ("As shown in [12] (https://x.org/source), it works.", "https://x.org/source"),
        # the parenthesis holds more than the URL
        ("Prose [in brackets] (https://x.org/later, with words) here.", "https://x.org/later"),
        ("[pdf] (see https://x.org/a)", "https://x.org/a"),
        # a link title, not a blank inside the URL
        ('[a](https://x.org/a "title")', "https://x.org/a"),
        ("[a](https://x.org/a (title))", "https://x.org/a"),
        # the label does not open on this line, or there is none
        ("continued] (https://x.org/a)", "https://x.org/a"),
        ("(https://x.org/a)", "https://x.org/a"),
        ("{https://x.org/a}", "https://x.org/a"),
        # braces after a blank are prose, not a slipped destination
        ("[Paper] {https://x.org/a}", "https://x.org/a"),
        # no closing parenthesis on the line
        ("[pdf] (https://x.org/a", "https://x.org/a"),
    ],
)
def test_look_alikes_are_not_slips(line: str, url: str) -> None:
    assert link_slip(line, line.index(url), url) is None


@pytest.mark.parametrize(
    ("markdown", "urls"),
    [
        (YAODONG_99 + "\n", ["https://github.com/AlaaLab/InstructCV"]),
        ("See {https://x.org/a} and {https://x.org/b}.\n", ["https://x.org/a", "https://x.org/b"]),
        # a closing brace the URL opened is the URL's own
        ("See https://x.org/{id} here.\n", ["https://x.org/{id}"]),
    ],
)
def test_a_bare_url_in_braces_ends_before_the_closing_brace(markdown: str, urls: list[str]) -> None:
    doc = parse_document(markdown, "README.md")
    assert [link.url for link in doc.links] == urls
    for link in doc.links:
        assert doc.lines[link.line - 1][link.column - 1 :].startswith(link.url)


# --- links in a block quote inside a list item ---------------------------------------------


def _tokens(text: str) -> list[Token]:
    """The block tokens of ``text`` with leaves located, as the document builder gets them."""
    md = mistune.Markdown(
        renderer=None,
        block=TrackedBlockParser(),
        plugins=[table, table_in_list, table_in_quote, bare_urls],
    )
    md.before_parse_hooks.append(lambda _md, state: init_root(state))
    md.before_render_hooks.append(lambda _md, state: locate_leaves(state))
    tokens, _state = md.parse(text, state=TrackedState())
    assert isinstance(tokens, list)
    return tokens


QUOTED = [
    (3, 30, "https://arxiv.org/abs/2301.00001"),
    (4, 38, "https://paper-a.example.net/"),
    (5, 5, "https://github.com/org/paper-a"),
    (7, 24, "https://video.example.net/a"),
]


def test_links_in_a_quote_inside_a_list_item_are_in_the_document() -> None:
    doc = parse_document(QUOTE_IN_ITEM.read_text(encoding="utf-8"), "quote-in-item.md")
    first = [(link.line, link.column, link.url) for link in doc.links if link.line <= 7]
    assert first == QUOTED
    assert {doc.links[i].url for i in doc.entries[0].links} == {url for _, _, url in QUOTED}


def test_links_after_an_item_with_a_quote_keep_their_places() -> None:
    doc = parse_document(QUOTE_IN_ITEM.read_text(encoding="utf-8"), "quote-in-item.md")
    after = [(link.line, link.column, link.url, link.syntax) for link in doc.links]
    assert after[-2:] == [
        (8, 20, "https://arxiv.org/abs/2301.00002", LinkSyntax.INLINE),
        (10, 35, "https://arxiv.org/abs/2301.00003", LinkSyntax.INLINE),
    ]


@pytest.mark.parametrize(
    ("markdown", "places"),
    [
        # mistune parses a quote that ends a list item before the item itself, so the
        # item's lines were once looked for after the quote (and found past the file's end)
        (
            "- A\n- B [b](https://b.net/2)\n\n> - C [c](https://c.net/3)\n",
            [(2, 9), (4, 11)],
        ),
        ("- A\n- B [b](https://b.net/2)\n> C [c](https://c.net/3)\n", [(2, 9), (3, 9)]),
        (
            "- B [b](https://b.net/2)\n  more [m](https://m.net/)\n> C [c](https://c.net/3)\n",
            [(1, 9), (2, 12), (3, 9)],
        ),
        (
            "1. A\n2. B [b](https://b.net/2)\n   > quoted, no link\n3. C [c](https://c.net/3)\n",
            [(2, 10), (4, 10)],
        ),
    ],
)
def test_a_quote_that_ends_a_list_item_keeps_the_item_in_place(
    markdown: str, places: list[tuple[int, int]]
) -> None:
    doc = parse_document(markdown, "README.md")
    assert [(link.line, link.column) for link in doc.links] == places
    for link in doc.links:
        assert doc.lines[link.line - 1][link.column - 1 :].startswith(link.url)
