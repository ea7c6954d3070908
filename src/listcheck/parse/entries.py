"""Reading a paper entry: its short name, its tags and its title.

Awesome lists write entries in a handful of shapes::

    - 【202503】Title ([PDF](...))
    - [ICLR 2024] Title [[PDF](...)]
    - **Name** [venue] Title ([code](...))
    - Title ([PDF](...))
    - [Title](https://arxiv.org/abs/...) - description
    | Title | Venue | [PDF](...) |

The title is the text before the first link, once a leading bold name and bracketed
tags are taken off; when there is no such text the first link's own text is the title,
unless it is a generic label such as "PDF" or "code".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.models import ArxivId, Tag, TagKind
from listcheck.parse.inline import plain_text
from listcheck.parse.sourcemap import Leaf, Token

_TAG = re.compile(r"\s*(?:【([^】]*)】|\[([^\[\]]*)\])")
_MONTH = re.compile(r"(\d{4})(\d{2})")
_ARXIV_TAG = re.compile(r"arxiv\s*[:\s_-]?\s*(\S+)", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d|'\d\d\b")
_TRAILING = re.compile(r"[\s(\[,;:\-–—|]+$")
_LEADING = re.compile(r"^[\s:\-–—|]+")
_WORD = re.compile(r"\w+")

# Link texts that name a kind of resource, not a paper.
GENERIC_LABELS = frozenset(
    {
        "pdf",
        "paper",
        "code",
        "arxiv",
        "link",
        "project",
        "page",
        "projectpage",
        "github",
        "website",
        "homepage",
        "home",
        "dataset",
        "data",
        "demo",
        "blog",
        "video",
        "slides",
        "bib",
        "bibtex",
        "openreview",
        "hf",
        "huggingface",
        "model",
        "models",
        "repo",
        "repository",
        "official",
        "html",
        "abs",
        "supp",
        "supplementary",
        "poster",
        "talk",
        "doi",
        "url",
        "here",
    }
)


def is_generic_label(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    return (
        not words
        or "".join(words) in GENERIC_LABELS
        or (len(words) <= 2 and all(w in GENERIC_LABELS for w in words))
    )


@dataclass(frozen=True)
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


def _prefix(tokens: list[Token]) -> tuple[str | None, list[Token], Token | None]:
    """Splits an entry's inline tokens into (bold name, tokens before the first link,
    the first link token)."""
    name: str | None = None
    before: list[Token] = []
    first_link: Token | None = None
    for token in tokens:
        kind = token.get("type")
        if kind in ("link", "image"):
            first_link = token
            break
        if name is None and not before and kind == "strong":
            name = plain_text(token.get("children") or []).strip().rstrip(":").strip()
            continue
        if name is None and not before and kind == "text" and not str(token.get("raw")).strip():
            continue
        before.append(token)
    return name or None, before, first_link


def read_entry_head(tokens: list[Token], leaf: Leaf | None) -> EntryHead:
    name, before, first_link = _prefix(tokens)
    rest = plain_text(before)
    tags: list[Tag] = []
    search_from = 0
    while True:
        m = _TAG.match(rest)
        if not m:
            break
        raw = m.group(0).strip()
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        kind, year, month, arxiv_id = classify_tag(inner)
        line, column = 1, 1
        if leaf is not None:
            at = leaf.text.find(raw, search_from)
            if at >= 0:
                search_from = at + len(raw)
            line, column = leaf.position(max(at, 0))
        tags.append(
            Tag(
                raw=raw,
                text=inner.strip(),
                kind=kind,
                line=line,
                column=column,
                year=year,
                month=month,
                arxiv_id=arxiv_id,
            )
        )
        rest = rest[m.end() :]
    title = _TRAILING.sub("", _LEADING.sub("", rest)).strip()
    if not title and first_link is not None:
        label = plain_text(first_link.get("children") or []).strip()
        if not is_generic_label(label) and not label.startswith(("http://", "https://")):
            title = label
    if not title:
        return EntryHead(name, tuple(tags), None, None)
    position = None
    if leaf is not None:
        at = leaf.text.find(title, search_from)
        if at < 0:
            at = leaf.text.find(title)
        if at >= 0:
            position = leaf.position(at)
    return EntryHead(name, tuple(tags), title, position)


def pick_title_cell(header: list[str], cells: list[list[Token]]) -> int | None:
    """Which cell of a table row holds the paper's title."""
    for index, name in enumerate(header):
        if re.search(r"title|paper|name", name, re.IGNORECASE) and index < len(cells):
            return index
    for index, cell in enumerate(cells):
        text_only = [t for t in cell if t.get("type") not in ("link", "image")]
        if len(_WORD.findall(plain_text(text_only))) >= 3:
            return index
    for index, cell in enumerate(cells):
        for token in cell:
            if token.get("type") == "link" and not is_generic_label(
                plain_text(token.get("children") or [])
            ):
                return index
    return None
