"""Every link's line:column points at its URL as written, in every fixture and corpus list."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import Document, Link, LinkSyntax
from listcheck.parse import parse_document

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPUS = Path(__file__).parents[3] / "shared" / "corpus"


def _written(link: Link) -> str:
    """The URL as the file spells it (an email autolink omits its mailto:)."""
    if link.syntax is LinkSyntax.AUTOLINK and link.url.startswith("mailto:"):
        return link.url.removeprefix("mailto:")
    return link.url


def _lists() -> list[Path]:
    found = sorted(FIXTURES.glob("*.md"))
    if CORPUS.is_dir():
        # The corpus lists and the real ones (not real/SOURCES.md, which describes them).
        found += sorted(p for p in CORPUS.rglob("*.md") if p.name != "SOURCES.md")
    return found


def assert_positions(doc: Document) -> None:
    for link in doc.links:
        line = doc.lines[link.line - 1]
        assert line[link.column - 1 :].startswith(_written(link)), (link, line)
        text_line = doc.lines[link.text_line - 1]
        assert 1 <= link.text_column <= len(text_line)
        opener = text_line[link.text_column - 1]
        expected = {
            LinkSyntax.INLINE: "[",
            LinkSyntax.REFERENCE: "[",
            LinkSyntax.IMAGE: "!",
            LinkSyntax.AUTOLINK: "<",
        }.get(link.syntax)
        if expected:
            assert opener == expected, (link, text_line)


@pytest.mark.parametrize("path", _lists(), ids=lambda p: p.name)
def test_every_link_points_at_its_url(path: Path) -> None:
    doc = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert doc.links
    assert_positions(doc)


@pytest.mark.parametrize("path", _lists(), ids=lambda p: p.name)
def test_crlf_and_cr_files_keep_the_same_positions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lf = parse_document(text, "x")
    for ending in ("\r\n", "\r"):
        other = parse_document(text.replace("\n", ending), "x")
        assert [(link.url, link.line, link.column) for link in other.links] == [
            (link.url, link.line, link.column) for link in lf.links
        ]
        assert other.lines == lf.lines


def test_entries_point_at_their_text() -> None:
    doc = parse_document((FIXTURES / "shapes.md").read_text(encoding="utf-8"), "shapes.md")
    for entry in doc.entries:
        line = doc.lines[entry.line - 1]
        assert line[entry.column - 1 :].strip(), entry
        if entry.title is not None:
            assert entry.title_line is not None
            assert entry.title_column is not None
            title_line = doc.lines[entry.title_line - 1]
            assert title_line[entry.title_column - 1 :].startswith(entry.title)
        for tag in entry.tags:
            assert doc.lines[tag.line - 1][tag.column - 1 :].startswith(tag.raw)


def test_headings_point_at_their_text() -> None:
    doc = parse_document((FIXTURES / "shapes.md").read_text(encoding="utf-8"), "shapes.md")
    for heading in doc.headings:
        assert doc.lines[heading.line - 1][heading.column - 1 :].startswith(heading.text)


def test_a_loose_list_item_before_a_block_quote_keeps_its_lines() -> None:
    # mistune cuts the quote before the loose item it ends; both keep their own lines.
    text = (
        "- A [x](https://a.example/1)\n\n  more [y](https://a.example/2)\n\n"
        "> q [z](https://a.example/3)\n\n# H [w](https://a.example/4)\n"
    )
    doc = parse_document(text, "README.md")
    assert [(link.line, link.column) for link in doc.links] == [(1, 9), (3, 12), (5, 9), (7, 9)]
    assert_positions(doc)
