"""Reading a paper entry's head: its short name, its tags and its title.

Awesome lists write the head of an entry in many shapes; all of these are read::

    - 【202503】Title ([PDF](...))
    - [ICLR 2024] Title [[PDF](...)]
    - **Name** [venue] Title ([code](...))
    - [2023/10] **Paper A: A Title.** *Ann Author et al. arXiv.* [[paper](...)]
    - **Distilling the knowledge in a neural network** (2015), G. Hinton et al. [[pdf]](...)
    1. **[Title](https://arxiv.org/abs/...)** [[code](...)]
    - [Title](https://...), Authors, Venue | [github](...)
    - **[MR-CNN]** Title | **[ICCV' 15]** | [`[pdf]`](...)
    - paper: [Title](...)
    | 1) Title  A summary of the paper ... | [Paper](...) |

The title is the paper's name only. What goes first decides where it is: a bold span is
the title unless it is a short name (at most three words) followed by a longer plain
title; a bold link or a leading link is the title through its label unless the label
is generic ("PDF", "code"); plain text is the title up to the first separator (``|``,
a run of spaces, a dash between spaces, a bracketed year, an HTML break, a new line)
or, in a long cell, up to the end of its first sentence. Before that, numbering
(``1)``), date and venue tags, detail labels (``Paper:``), images and emoji are taken
off; none of them is ever part of a title.

This module reads the Markdown tokens of a head; the words that make a label a detail
label or a link text generic are in :mod:`listcheck.parse.labels`, and where plain text
stops being a title, and what is trimmed off its edges, in
:mod:`listcheck.parse.title_text`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.models import ArxivId, Tag, TagKind
from listcheck.parse.inline import plain_text
from listcheck.parse.labels import LABEL, detail_label, is_generic_label
from listcheck.parse.sourcemap import Leaf, Token
from listcheck.parse.title_text import LETTER, clean_title, is_symbol, title_from_text

_TAG = re.compile(r"\s*(?:【([^】]*)】|\[([^\[\]]*)\])")
_MONTH = re.compile(r"(\d{4})(\d{2})")
_ARXIV_TAG = re.compile(r"arxiv\s*[:\s_-]?\s*(\S+)", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d|'\s?\d\d\b")
_WORD = re.compile(r"\w+")
_NUMBERING = re.compile(r"\s*(?:\d{1,4}[.)]|\(\d{1,4}\))\s+")
_FRONT_EMOJI_CODE = re.compile(r"\s*:[a-z0-9_+-]{2,30}:")
_MAX_FRONT_PIECES = 32
_LABEL_WINDOW = 40
"""Enough text to hold any detail label and its colon."""
_NAME_MAX_WORDS = 3
"""A leading bold span of at most this many words, followed by plain text, is a short
name (``**TOFU** A Task of Fictitious Unlearning``); a longer one is the title."""

_YEARS: dict[int, int] = {}
"""One int object per year a month tag names (at most the 109 years tags may name)."""


@dataclass(frozen=True, slots=True)
class EntryHead:
    name: str | None
    tags: tuple[Tag, ...]
    title: str | None
    title_position: tuple[int, int] | None


def classify_tag(text: str) -> tuple[TagKind, int | None, int | None, ArxivId | None]:
    """Kind of a bracketed tag, with (year, month) for a month tag or the id for an arXiv one."""
    stripped = text.strip()
    month = _MONTH.fullmatch(stripped)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        if 1991 <= year <= 2099 and 1 <= mon <= 12:
            return TagKind.MONTH, year, mon, None
        return TagKind.OTHER, None, None, None
    arxiv = _ARXIV_TAG.fullmatch(stripped)
    if arxiv:
        parsed = parse_arxiv_id(arxiv.group(1))
        if parsed is not None:
            return TagKind.ARXIV, None, None, parsed[0]
    if _YEAR.search(stripped) and re.search(r"[A-Za-z]", stripped):
        return TagKind.VENUE, None, None, None
    return TagKind.OTHER, None, None, None


@dataclass
class _Segment:
    """A run of an entry's inline tokens a reader sees as one thing."""

    kind: str
    """``text``, ``strong``, ``link`` or ``break``."""
    text: str
    token: Token | None = None


def _segments(tokens: list[Token]) -> list[_Segment]:
    """Top-level inline tokens as segments: adjacent text joined, images and HTML tags
    dropped (their text is not what a reader reads as the title)."""
    out: list[_Segment] = []
    for token in tokens:
        kind = token.get("type")
        if kind in ("text", "codespan", "softbreak"):
            text = " " if kind == "softbreak" else str(token.get("raw", ""))
            if out and out[-1].kind == "text":
                out[-1].text += text
            else:
                out.append(_Segment("text", text))
        elif kind == "linebreak":
            out.append(_Segment("break", "\n"))
        elif kind == "inline_html":
            if re.match(r"<br\b", str(token.get("raw", "")), re.IGNORECASE):
                out.append(_Segment("break", "\n"))
        elif kind in ("strong", "emphasis"):
            text = plain_text(token.get("children") or [])
            if out and out[-1].kind == "text" and _mid_sentence(out[-1].text):
                # "Machine *Unlearning* for LLMs": emphasis inside a title is the title.
                out[-1].text += text
            else:
                out.append(_Segment("strong" if kind == "strong" else "em", text, token))
        elif kind == "link":
            out.append(_Segment("link", plain_text(token.get("children") or []), token))
    return out


def _mid_sentence(text: str) -> bool:
    """Whether text runs on into what follows it (no sentence or clause ends it), so an
    emphasised word after it belongs to the same title; "Title. *Authors*" ends first."""
    stripped = text.rstrip()
    return bool(stripped) and text != stripped and stripped[-1] not in ".,;:|)]"


def _inner_link(token: Token | None) -> str | None:
    """The label of the first non-generic link inside a bold span (``**[Title](u)**``)."""
    stack = list((token or {}).get("children") or [])
    while stack:
        child = stack.pop(0)
        if child.get("type") == "link":
            label = plain_text(child.get("children") or []).strip()
            if label and not is_generic_label(label) and not _is_url(label):
                return label
        stack[:0] = child.get("children") or []
    return None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "www."))


class _Head:
    """Takes an entry's segments apart, front to back."""

    def __init__(self, segments: list[_Segment], leaf: Leaf | None) -> None:
        self.segments = segments
        self.leaf = leaf
        self.tags: list[Tag] = []
        self.name: str | None = None
        self.search_from = 0

    def _tag(self, raw: str, inner: str) -> None:
        kind, year, month, arxiv_id = classify_tag(inner)
        line, column = 1, 1
        if self.leaf is not None:
            at = self.leaf.text.find(raw, self.search_from)
            if at >= 0:
                self.search_from = at + len(raw)
            line, column = self.leaf.position(max(at, 0))
        self.tags.append(
            Tag(  # a list repeats its tags thousands of times: one string for each
                raw=sys.intern(raw),
                text=sys.intern(inner.strip()),
                kind=kind,
                line=line,
                column=column,
                year=_YEARS.setdefault(year, year) if year is not None else None,
                month=month,
                arxiv_id=arxiv_id,
            )
        )

    def strip_front(self, text: str, *, first: bool) -> str:
        """Takes numbering, tags, a detail label and emoji off the front of plain text.

        At most :data:`_MAX_FRONT_PIECES` pieces: real entries have a handful, and a
        line of a million tags must not cost a million passes."""
        at = 0
        for _ in range(_MAX_FRONT_PIECES):
            before = at
            emoji = _FRONT_EMOJI_CODE.match(text, at)
            if emoji:
                at = emoji.end()
            if first:
                m = _NUMBERING.match(text, at)
                if m:
                    at = m.end()
            m = _TAG.match(text, at)
            if m:
                raw = m.group(0).strip()
                inner = m.group(1) if m.group(1) is not None else m.group(2)
                self._tag(raw, inner)
                at = m.end()
            if detail_label(text[at : at + _LABEL_WINDOW]) is not None:
                label = LABEL.match(text, at)
                assert label is not None
                at = label.end()
            skipped = at
            while skipped < len(text) and (
                text[skipped] in " \t\u00a0:-–—|" or is_symbol(text[skipped])
            ):
                skipped += 1
            if skipped > at and text[at:skipped].strip():
                at = skipped  # a separator or an emoji, not only spaces
            if at == before:
                break
        return text[at:]

    def read(self) -> str | None:
        segments = self.segments
        i = 0
        first = True
        while i < len(segments):
            seg = segments[i]
            if seg.kind == "text":
                rest = self.strip_front(seg.text, first=first)
                first = False
                if rest.strip():
                    segments[i] = _Segment("text", rest)
                    break
                i += 1
                continue
            if seg.kind == "strong":
                bracket = re.fullmatch(r"\s*[\[【]([^\]】]*)[\]】]\s*", seg.text)
                if bracket and _inner_link(seg.token) is None:
                    kind = classify_tag(bracket.group(1))[0]
                    if kind is TagKind.OTHER and self.name is None:
                        self.name = bracket.group(1).strip()
                    else:
                        self._tag(seg.text.strip(), bracket.group(1))
                    i += 1
                    first = False
                    continue
            if seg.kind == "break":
                i += 1
                continue
            break
        if i >= len(segments):
            return None
        seg = segments[i]
        if seg.kind == "text":
            return title_from_text(seg.text)
        if seg.kind == "link":
            label = seg.text.strip()
            if label and not is_generic_label(label) and not _is_url(label):
                return label.split("|", 1)[0] if "|" in label else label
            return None
        if seg.kind == "strong":
            inner = _inner_link(seg.token)
            if inner is not None:
                return inner
            strong = seg.text.strip()
            after = segments[i + 1] if i + 1 < len(segments) else None
            described = (
                after is not None
                and after.kind == "text"
                and bool(re.match(r"\s*[-–—]", after.text))
            )
            if (
                len(_WORD.findall(strong)) <= _NAME_MAX_WORDS
                and after
                and after.kind == "text"
                and not described
            ):
                rest = title_from_text(self.strip_front(after.text, first=False))
                if len(_WORD.findall(rest)) >= 2 and LETTER.search(rest):
                    self.name = clean_title(strong) or strong.rstrip(":").strip() or None
                    return rest
            return strong
        if seg.kind == "em":
            return title_from_text(seg.text)
        return None


def read_entry_head(tokens: list[Token], leaf: Leaf | None) -> EntryHead:
    head = _Head(_segments(tokens), leaf)
    raw = head.read()
    title = clean_title(raw) if raw else None
    if not title:
        return EntryHead(head.name, tuple(head.tags), None, None)
    position = None
    if leaf is not None:
        at = leaf.text.find(title, head.search_from)
        if at < 0:
            at = leaf.text.find(title)
        if at >= 0:
            position = leaf.position(at)
    return EntryHead(head.name, tuple(head.tags), title, position)


def pick_title_cell(header: list[str], cells: list[list[Token]]) -> int | None:
    """Which cell of a table row holds the paper's title: the column the header names
    (title, paper, name), else the first with words of its own, else the first with a
    link that is not a generic label."""
    for index, name in enumerate(header):
        if (
            re.search(r"title|paper|name|论文|标题", name, re.IGNORECASE)
            and index < len(cells)
            and read_entry_head(cells[index], None).title
        ):
            return index
    for index, cell in enumerate(cells):
        text_only = [t for t in cell if t.get("type") not in ("link", "image")]
        if len(_WORD.findall(plain_text(text_only))) >= 3:
            return index
    for index, cell in enumerate(cells):
        if read_entry_head(cell, None).title:
            return index
    return None
