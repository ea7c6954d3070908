"""A list parsed a piece at a time is the list parsed whole: same entries, links,
headings and positions, whatever the seams cut through; and entries and links turned
into their models a few at a time, as the walk goes, are the ones made at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listcheck.models import Document
from listcheck.parse import chunks, collect, parse_document
from tests.real_lists import REAL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LISTS = sorted(FIXTURES.glob("*.md")) + (sorted(REAL.glob("*.md")) if REAL.is_dir() else [])


def _parse(
    text: str, chunk_chars: int, monkeypatch: pytest.MonkeyPatch, batch: int = 1 << 30
) -> Document:
    with monkeypatch.context() as patch:
        patch.setattr(chunks, "CHUNK_CHARS", chunk_chars)
        patch.setattr(collect, "_BATCH", batch)
        return parse_document(text, "x.md")


def _pieces(text: str, chunk_chars: int) -> int:
    return sum(1 for _ in chunks._pieces(text, chunk_chars, chunks._References(), inline=False))


def assert_same_in_pieces(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _parse(text, len(text) + 1, monkeypatch)
    for chunk_chars, batch in ((1, 1), (40, 3), (500, 1 << 30)):
        pieces = _parse(text, chunk_chars, monkeypatch, batch)
        for part in ("headings", "sections", "html_anchors", "comments", "entries", "links"):
            assert getattr(pieces, part) == getattr(whole, part), (chunk_chars, part)


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
def test_real_lists_in_pieces(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    assert _pieces(text, 1) >= 3
    assert_same_in_pieces(text, monkeypatch)


def _entry(n: int) -> str:
    return f"- Paper {n} [PDF](https://arxiv.org/abs/2401.{n:05d})"


ACROSS_SEAMS = {
    # Every one of these has a would-be seam (a column-0 line after a blank line) inside
    # a block that goes on past it, or a link that needs text from another piece.
    "unclosed fence": "# A\n\n```\ncode\n\n# not a heading\n\n" + _entry(1) + "\n",
    "closed fence": "# A\n\n```\n\n# code\n\nx\n```\n\n" + _entry(2) + "\n\n# B\n",
    "tilde fence with a backtick line": "~~~\n\n```\n\n# in\n~~~\n\n# B\n\n" + _entry(3) + "\n",
    "comment over blank lines": "<!--\n\n# hidden\n\n- [x](https://a.example/c)\n-->\n\n# C\n",
    "unclosed comment": "# A\n\n<!--\n\n# hidden\n\n" + _entry(4) + "\n",
    "pre block": "<pre>\n\n# kept\n\n</pre>\n\n# D\n\n" + _entry(5) + "\n",
    "definition after its use": "# A\n\n- Paper [PDF][p]\n\n# B\n\ntext\n\n[p]: https://arxiv.org/abs/2401.00001\n",
    "definition twice": (
        "# A\n\n[p]: https://a.example/1\n\n# B\n\n[p]: https://a.example/2\n\n- [x][p]\n"
    ),
    "loose list": "- [a](https://a.example/a)\n\n- [b](https://a.example/b)\n\n  more\n\ntext\n",
    "ordered list": "1. [a](https://a.example/a)\n\n2) [b](https://a.example/b)\n\n10. c\n",
    "quote then text": "> [q](https://a.example/q)\n\nafter\n\n> again\n",
    "table then text": "| T | L |\n|---|---|\n| a | [x](https://a.example/t) |\n\nrow\n",
    "details groups": "<details><summary>S</summary>\n\n" + _entry(6) + "\n\n</details>\n\n# E\n",
    "title paragraph then heading": "**Title** [p](https://a.example/p)\n\n# H\n\n- a: b\n",
    "heading with details": "## [Set](https://a.example/s)\n\n- paper: [P](https://arxiv.org/abs/2401.00002)\n",
    "empty headings": "x\n\n##\n\n| a |\n|---|\n| b |\n\n##\n\n# Z\n",
    "crlf": "# A\r\n\r\n" + _entry(7) + "\r\n\r\n# B\r\n\r\n" + _entry(8) + "\r\n",
    "lone cr": "# A\r\r" + _entry(9) + "\r\r# B\r\r" + _entry(10) + "\r",
    "blank lines of spaces": "# A\n  \n\t\n" + _entry(11) + "\n \n# B\n",
    "no final newline": "# A\n\n" + _entry(12),
}


@pytest.mark.parametrize("text", ACROSS_SEAMS.values(), ids=ACROSS_SEAMS.keys())
def test_blocks_across_seams(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_in_pieces(text, monkeypatch)


def test_definitions_are_seen_in_every_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ACROSS_SEAMS["definition after its use"]
    doc = _parse(text, 1, monkeypatch)
    (link,) = doc.links
    assert (link.url, link.line, link.column) == ("https://arxiv.org/abs/2401.00001", 9, 6)


def test_an_open_fence_is_parsed_with_what_follows() -> None:
    text = ACROSS_SEAMS["unclosed fence"]
    assert _pieces(text, 1) == 2  # "# A" alone, then the fence to the end
    assert _pieces(ACROSS_SEAMS["closed fence"], 1) == 3  # "# A", the fence, "# B"


def test_seams_keep_line_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f"# S{n}\n\n{_entry(n)}\n\n" for n in range(200))
    doc = _parse(text, 64, monkeypatch)
    assert [link.line for link in doc.links] == [4 * n + 3 for n in range(200)]
    assert [entry.section for entry in doc.entries][-1] == ("S199",)


BLOCKS = st.sampled_from(
    [
        "# H{n}",
        "##",
        "text{n} [x](https://a.example/t{n})",
        "- [a{n}](https://a.example/a{n})\n- b{n}",
        "  - nested{n}",
        "1. one{n}",
        "> quote{n}\n",  # a list right after a quote comes before it in mistune's tree,
        # unless the list ends the text: a piece gives the order of the file
        "```",
        "~~~",
        "<!--",
        "-->",
        "<pre>",
        "</pre>",
        "<details><summary>S{n}</summary>",
        "</details>",
        "| a{n} |\n|---|\n| b{n} |",
        "[r]: https://a.example/r",
        "[r] and [x{n}][r]",
        "    indented{n}",
        "***",
        "Setext{n}\n===",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(BLOCKS, st.sampled_from(["\n", "\n\n", "\n\n\n"])), max_size=30))
def test_any_blocks_in_pieces(blocks: list[tuple[str, str]]) -> None:
    # Every line is written once: the source map places a line by its text, and the
    # whole parse misplaces one written twice when an HTML or code block holds the first.
    text = "".join(block.format(n=n) + end for n, (block, end) in enumerate(blocks))
    with pytest.MonkeyPatch.context() as patch:
        whole = _parse(text, len(text) + 1, patch)
        pieces = _parse(text, 1, patch, batch=1)
    for part in ("headings", "sections", "html_anchors", "comments", "entries", "links"):
        assert getattr(pieces, part) == getattr(whole, part), part
