"""Heading anchors exactly as github.com gives them to a rendered README.

A ``#fragment`` in a list is only right if it matches the anchor GitHub generates, so
this module reproduces GitHub's algorithm instead of a "reasonable" slugifier:

1. take the heading's rendered text content (:func:`heading_text`): link text and code
   kept, images and HTML tags contributing nothing, entities decoded. Only the Markdown
   source is trimmed; a space left at the end by a trailing badge stays, so
   ``# Awesome-X [![Awesome](badge.svg)](url)`` has the anchor ``awesome-x-``;
2. lowercase it (full Unicode case mapping);
3. drop every character that is not a letter (including letter-like symbols such as
   circled letters, which Unicode counts as alphabetic), a mark, a decimal or letter
   number, connector punctuation (``_``), ``-`` or an ASCII space -- so emoji, other
   symbols, ``½``/``²``, ``’``, ``–`` and non-ASCII spaces all vanish;
4. turn each remaining space into ``-`` without collapsing runs (``a - b`` -> ``a---b``).

Repeated anchors get ``-1``, ``-2``, ... in document order. GitHub never hands out an
anchor twice: a suffixed anchor that an explicit heading already took is skipped, and an
explicit heading ``Foo-1`` after two ``Foo`` headings becomes ``foo-1-1`` (GitHub's own
rendering of such documents shows this; naive per-text counters would give two
``foo-1``). :class:`SlugAssigner` keeps that bookkeeping.

Lists carry hundreds of headings and the parser slugs every one, so all texts of a
document are slugged in one pass over their joined text rather than one by one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

__all__ = ["SlugAssigner", "assign_slugs", "github_slug", "heading_text"]

_SEPARATOR = "\n"
"""Joins texts for the batch path; a newline inside a heading is dropped like any control
character, so it can never survive into a slug and be mistaken for a boundary."""

_ASCII_KEPT_TEXT = "abcdefghijklmnopqrstuvwxyz0123456789_- "
_ASCII_KEPT = frozenset(_ASCII_KEPT_TEXT.encode("ascii"))
_ASCII_DELETE = bytes(b for b in range(128) if b not in _ASCII_KEPT and b != ord(_SEPARATOR))
_ASCII_SPACE_TO_DASH = bytes.maketrans(b" ", b"-")

_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
_ALPHABETIC_SYMBOLS = (
    # Symbols that Unicode still counts as alphabetic, so GitHub keeps them.
    (0x24B6, 0x24E9),  # circled Latin letters
    (0x1F130, 0x1F149),  # squared Latin capitals
    (0x1F150, 0x1F169),  # negative circled Latin capitals
    (0x1F170, 0x1F189),  # negative squared Latin capitals
)


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
"""A character reference as CommonMark reads one: the closing ``;`` is required, so
``AT&T`` stays as written (``html.unescape`` alone would also decode ``&amp`` without it)."""
_SOURCE_BLANKS = " \t"
_LINE_END = "\n"
"""What a soft or hard line break leaves in the rendered text: GitHub's slugger drops it,
so a two-line setext heading ``Two`` / ``lines`` has the anchor ``twolines``."""


def _decoded(raw: str) -> str:
    return _ENTITY.sub(lambda match: html.unescape(match[0]), raw)


def heading_text(children: Sequence[Mapping[str, Any]]) -> str:
    """The text content GitHub's anchor generator reads from a heading rendered from these
    inline tokens (mistune's).

    Text keeps its inner and edge spaces and has its entities decoded (``&amp;`` is
    ``&``, ``a&#x20;`` ends in a space); code spans count verbatim; link and emphasis
    text count; images and raw HTML tags count for nothing, though the text between an
    opening and a closing tag (``<sup>1</sup>``) does. Only blanks of the Markdown source
    at the very start and end are trimmed, as the Markdown parser trims them.
    """
    parts: list[str] = []
    stack: list[Mapping[str, Any]] = list(reversed(children))
    while stack:
        token = stack.pop()
        kind = token.get("type")
        if kind == "text":
            parts.append(_decoded(str(token.get("raw", ""))))
        elif kind == "codespan":
            parts.append(str(token.get("raw", "")))
        elif kind in ("softbreak", "linebreak"):
            parts.append(_LINE_END)
        elif kind not in ("image", "inline_html"):
            nested = token.get("children")
            if isinstance(nested, list):
                stack.extend(reversed(nested))
    return _trim_source(children, "".join(parts))


def _trim_source(children: Sequence[Mapping[str, Any]], text: str) -> str:
    """Trims blanks written at the edges of the heading's source, never blanks an entity
    produced (GitHub renders ``# a&#x20;`` with the anchor ``a-``)."""
    if not children:
        return text
    first, last = children[0], children[-1]
    if first.get("type") == "text":
        raw = str(first.get("raw", ""))
        text = text[len(raw) - len(raw.lstrip(_SOURCE_BLANKS)) :]
    if last.get("type") == "text":
        raw = str(last.get("raw", ""))
        cut = len(raw) - len(raw.rstrip(_SOURCE_BLANKS))
        text = text[: len(text) - cut] if cut else text
    return text


@cache
def _dropped(char: str) -> bool:
    """Whether GitHub drops this (lowercased) character; cached, as a document repeats
    the same few non-ASCII characters over and over."""
    if char.isascii():
        return char not in _ASCII_KEPT_TEXT and char != _SEPARATOR
    if unicodedata.category(char) in _KEPT_CATEGORIES:
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def _slug_lines(joined: str) -> str:
    """Slugs separator-joined texts in one pass.

    ASCII text goes through ``bytes.translate``; otherwise the distinct characters of
    the text are classified once and removed with a pattern of just those, which is
    far faster than a regex class spanning all of Unicode.
    """
    lowered = joined.lower()
    if lowered.isascii():
        raw = lowered.encode("ascii").translate(_ASCII_SPACE_TO_DASH, _ASCII_DELETE)
        return raw.decode("ascii")
    dropped = sorted(char for char in set(lowered) if _dropped(char))
    if dropped:
        pattern = re.compile("[" + "".join(re.escape(char) for char in dropped) + "]+")
        lowered = pattern.sub("", lowered)
    return lowered.replace(" ", "-")


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is ``text`` (as
    :func:`heading_text` gives it: spaces at its edges count), before duplicates are
    numbered."""
    return _slug_lines(text.replace(_SEPARATOR, ""))


def base_slugs(texts: Iterable[str]) -> list[str]:
    """:func:`github_slug` for many texts at once: ASCII texts in one pass, the rest in
    another, so a few emoji headings do not slow down the whole document."""
    rows_text = list(texts)
    if any(_SEPARATOR in text for text in rows_text):
        return [github_slug(text) for text in rows_text]
    slugs = [""] * len(rows_text)
    ascii_rows = [row for row, text in enumerate(rows_text) if text.isascii()]
    other_rows = [row for row, text in enumerate(rows_text) if not text.isascii()]
    for rows in (ascii_rows, other_rows):
        if rows:
            joined = _SEPARATOR.join([rows_text[row] for row in rows])
            for row, slug in zip(rows, _slug_lines(joined).split(_SEPARATOR), strict=True):
                slugs[row] = slug
    return slugs


class SlugAssigner:
    """Hands out unique anchors in document order, the way GitHub numbers repeats.

    Feed it every heading of one document, first to last; each call returns that
    heading's final anchor.
    """

    __slots__ = ("_next", "_taken")

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}

    def claim(self, base: str) -> str:
        """Returns ``base`` if still free, else the first free ``base-N`` (N counting on
        from the last number this base got, as GitHub does)."""
        if base not in self._taken:
            self._taken.add(base)
            return base
        number = self._next.get(base, 1)
        while f"{base}-{number}" in self._taken:
            number += 1
        slug = f"{base}-{number}"
        self._next[base] = number + 1
        self._taken.add(slug)
        return slug

    def add(self, text: str) -> str:
        """The final anchor of the next heading, whose rendered text is ``text``."""
        return self.claim(github_slug(text))

    def __contains__(self, slug: object) -> bool:
        return slug in self._taken


def assign_slugs(texts: Iterable[str]) -> list[str]:
    """Final anchors for all headings of one document, given their texts in order."""
    assigner = SlugAssigner()
    return [assigner.claim(base) for base in base_slugs(texts)]
