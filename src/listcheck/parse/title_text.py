"""Where a title ends in a run of plain text, and what at its edges is not the title.

A title written as plain text runs into what follows it: a ``|`` cell border, a dash,
a bracketed year, the authors, or in a long table cell the paper's summary. Reading
where it stops, and trimming the emoji and punctuation around it, is text work that
knows nothing of Markdown tokens; the same trimming is used for section titles.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")
LETTER = re.compile(r"[^\W\d_]")
_EMOJI_CODE = re.compile(r":[a-z0-9_+-]{2,30}:")
_HARD_SEPARATOR = re.compile(r"\||\t|<br\s*/?>|\n", re.IGNORECASE)
"""Separators a list puts between a title and what follows it; where one is used, a dash
inside the title is part of it ("What Object Should I Use? - Task Driven …")."""
_SOFT_SEPARATOR = re.compile(r" {2,}|\s[-–—]{1,2}\s|\s[-–—](?=[a-z])")
_YEAR_IN_PARENS = re.compile(r"\s[(（](?=[^)]{0,60}?(?:19|20)\d\d)")
"""``Title (2015)``, ``Title (ICLR 2024)``: a year inside a parenthesis ends a title. The
look inside is bounded, so a line of a thousand ``(`` is not read to its end from each."""
_DESCRIPTION_OPENER = re.compile(
    r"\s(?=(?:This|The)\s(?:paper|work|study|survey|report|article|research)\b"
    r"|(?:Introduces|Proposes|Presents|Describes|Develops|Explores|Releases|Researchers)\b)"
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])\.\s+(?=[A-Z])")
_NAME = r"[A-Z][\w'’-]*\.?"
_AUTHORS_NEXT = re.compile(
    r"(?<=[\w)\]?!])\.\s+(?="
    + rf"(?:{_NAME}\s+){{1,3}}[A-Z][\w'’-]+(?:\s*,|\s+(?:et\s+al\b|and\s+[A-Z]))"
    + rf"|(?:{_NAME}\s+){{1,3}}[A-Z][\w'’-]+\.\s+[^.]{{0,40}}\b(?:19|20)\d\d\b)"
)
"""``Title. Ann Author, Bo Author. Venue 2023.``: a period, then names followed by a
comma, "et al." or "and", or one name and then a sentence with a year, ends the title."""
_EDGE_JUNK = " \t\u00a0.,;:|-–—*_~\"'“”‘’()[]{}<>/\\"
_LONG_CELL_WORDS = 20
"""A plain title with more words than this is a title run into its summary."""


def clean_title(text: str) -> str | None:
    """The title without emoji, edge punctuation and runs of spaces; None when no word
    is left. Brackets stay when they belong to the title ("(Certified!!) Adversarial
    Robustness", "Model (v2)") and go when they wrap all of it ("(owner/name)")."""
    text = _EMOJI_CODE.sub("", text)
    start, end = 0, len(text)
    while start < end and (text[start] in _EDGE_JUNK or is_symbol(text[start])):
        start += 1
    while end > start and (text[end - 1] in _EDGE_JUNK or is_symbol(text[end - 1])):
        end -= 1
    for opening, closing in ("()", "[]"):
        # Give back the brackets the stripping took from a pair inside the title; the
        # balance is counted once and kept, as each bracket given back moves it by one.
        balance = _unclosed(text, start, end, opening, closing)
        while start > 0 and text[start - 1] == opening and balance < 0:
            start, balance = start - 1, balance + 1
        while end < len(text) and text[end] == closing and balance > 0:
            end, balance = end + 1, balance - 1
    title = text[start:end].strip()
    return title if LETTER.search(title) else None


def _unclosed(text: str, start: int, end: int, opening: str, closing: str) -> int:
    """Openings minus closings of a bracket pair within ``text[start:end]``."""
    return text.count(opening, start, end) - text.count(closing, start, end)


def is_symbol(char: str) -> bool:
    """Emoji, modifiers and format marks: decoration around a title, never its edge."""
    return unicodedata.category(char) in ("So", "Sk", "Cf", "Mn") or char == "\ufe0f"


def title_from_text(text: str) -> str:
    """Plain text up to the first separator that ends a title."""
    cut = text.strip(" \t")
    hard = _HARD_SEPARATOR.search(cut)
    if hard is not None and hard.start() > 0:
        cut = cut[: hard.start()]
    authors = _AUTHORS_NEXT.search(cut)
    if authors is not None and len(_WORD.findall(cut[: authors.start()])) >= 2:
        cut = cut[: authors.start()]
    if hard is None or len(_WORD.findall(cut)) > _LONG_CELL_WORDS:
        starts = [
            m.start()
            for separator in (_SOFT_SEPARATOR, _YEAR_IN_PARENS)
            if (m := separator.search(cut)) is not None and m.start() > 0
        ]
        if starts:
            cut = cut[: min(starts)]
    if len(_WORD.findall(cut)) > _LONG_CELL_WORDS:
        for ending in (_DESCRIPTION_OPENER, _SENTENCE_END):
            m = ending.search(cut)
            if m is not None and len(_WORD.findall(cut[: m.start()])) >= 2:
                cut = cut[: m.start()]
                break
    return cut
