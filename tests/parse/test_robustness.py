"""Any text in, a document out: no exception, no hang, positions inside the file."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listcheck.config import Config
from listcheck.lint import lint_document
from listcheck.models import Document
from listcheck.parse import parse_document
from listcheck.rules.base import LintContext
from tests.parse.test_positions import assert_positions

PATHOLOGICAL = {
    "deep quotes": "> " * 10_000 + "[x](https://a.example/q)\n",
    "deep bullets": "- " * 10_000 + "[x](https://a.example/b)\n",
    "deep brackets": "[" * 10_000 + "x](https://a.example/k)" + "]" * 10_000 + "\n",
    "emphasis run": "*" * 10_000 + "x\n",
    "backtick run": "`" * 10_000 + "\n",
    "staircase list": "".join("  " * i + f"- [x](https://a.example/{i})\n" for i in range(1000)),
    "staircase quote": "".join(">" * i + f" [x](https://a.example/{i})\n" for i in range(500)),
    "many links on a line": " ".join(f"[x](https://a.example/{i})" for i in range(3000)) + "\n",
    "unclosed html": "<div>\n" * 5000,
    "unclosed comment": "<!--\n" + "x\n" * 5000,
    "unclosed fence": "```\n" + "[x](https://a.example/f)\n" * 100,
    "nul and controls": "a\x00b\x01[x](https://a.example/c)\x7f\n",
    "lone surrogate-free astral": "🦜" * 1000 + " [x](https://a.example/e)\n",
    # One HTML block of unclosed section tags and rows: read in one pass, not one per tag.
    "unclosed summaries": "<details>\n" + "<summary>x " * 20_000 + "\n",
    "unclosed html headings": "<div>\n" + "<h2>x " * 20_000 + "\n",
    "unclosed rows": "<table>\n" + '<tr><td><a href="https://a.example/r">x</a> ' * 5_000 + "\n",
    "unclosed items": "<ul>\n" + '<li><a href="https://a.example/l">x</a> ' * 5_000 + "\n",
    # Detail labels, separators and tags in titles, many times over.
    "label soup": "- " + "Paper: [x] | 【202401】 - " * 3_000 + "\n",
    # Unclosed comments, tags without ">" and parentheses without ")": each was once
    # read to the end of its block or line from every opener (seconds at 100 kB).
    "unclosed comments": "<div>\n" + "<!-- " * 20_000 + "\n",
    "comments between links": "<div>\n" + '<!-- c --> <a href="https://a.example/x">x</a> ' * 3_000,
    "rows without >": "<table>\n" + "<tr " * 20_000 + "\n",
    "items without >": "<ul>\n" + "<li " * 20_000 + "\n",
    "cells of tags without >": "<table>\n<tr><td>" + "<b " * 20_000 + "</td></tr>\n",
    "title of open parentheses": "- T" + " (x" * 20_000 + " [x](https://a.example/t)\n",
    "slips in a table cell": "| T |\n|---|\n| T" + " (x" * 20_000 + " |\n",
    "brackets given back to a title": "- " + "(" * 20_000 + "a) " * 20_000 + "\n",
}


class _Placed(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


def _in_range(doc: Document) -> None:
    items: tuple[_Placed, ...] = (
        *doc.links,
        *doc.entries,
        *doc.headings,
        *doc.html_anchors,
        *doc.comments,
    )
    for item in items:
        assert 1 <= item.line <= max(len(doc.lines), 1)
        assert 1 <= item.column <= len(doc.lines[item.line - 1]) + 1 if doc.lines else True


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown(text: str) -> None:
    doc = parse_document(text, "x.md")
    _in_range(doc)
    assert_positions(doc)


_DEAD_ANCHORS = 2_000
HOSTILE_TO_RULES = {
    # (list, rule, findings expected of that rule). Each once took the rule seconds to
    # minutes at this size, comparing every link, slip or section with all the others.
    "slips without labels": ("- " + "x](https://a.example/ b) " * 5_000, "link/malformed", 0),
    "slips on one line": ("- " + "[x](https://a.example/ b) " * 3_000, "link/malformed", 3_000),
    "badges in one heading": (
        "# A " + "[![x](https://a.example/b.svg)](https://a.example/) " * 4_000,
        "entry/unread",
        1,
    ),
    "links between comments": (
        "<div>\n" + '<!-- c --> <a href="https://a.example/x">x</a> ' * 3_000,
        "entry/unread",
        1,
    ),
    "groups nested in a contributing section": (
        "## Contributing\n\n"
        + "<details><summary>s</summary>\n\n" * 4_000
        + "- A [p](https://arxiv.org/abs/2401.00001)\n- A [p](https://arxiv.org/abs/2401.00001)\n",
        "entry/duplicate",
        0,
    ),
    "tags without > beside a date": (
        "- 2023-06 " + "<a " * 120_000 + "[x](https://arxiv.org/abs/2401.00001)\n",
        "arxiv/tag-month",
        1,
    ),
    "dead anchors": (
        "".join(f"## Part {i}\n" for i in range(_DEAD_ANCHORS))
        + "".join(f"- [x](#chapter-{i})\n" for i in range(_DEAD_ANCHORS)),
        "anchor/not-found",
        _DEAD_ANCHORS,
    ),
}


@pytest.mark.parametrize(
    ("text", "rule", "expected"), HOSTILE_TO_RULES.values(), ids=HOSTILE_TO_RULES.keys()
)
def test_rules_on_hostile_lists(text: str, rule: str, expected: int) -> None:
    doc = parse_document(text, "x.md")
    found = lint_document(doc, LintContext(root=Path("/nonexistent")), Config())
    assert sum(f.rule == rule for f in found) == expected
    for f in found:
        assert 1 <= f.line <= len(doc.lines)


MARKDOWN_ALPHABET = st.sampled_from(
    [
        *"abc xyz\n\t>-*+_`#|[]()<>!:/.\\\"'=&;~1234567890【】",
        *("https://", "http://", "](", "![", "<a href=", "<!--", "-->", "\r\n", "\r", "é", "🦜"),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_ALPHABET, max_size=120).map("".join))
def test_any_markdownish_text(text: str) -> None:
    doc = parse_document(text, "x.md")
    _in_range(doc)
    assert_positions(doc)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text(text: str) -> None:
    _in_range(parse_document(text, "x.md"))
