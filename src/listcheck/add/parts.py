"""The words of an entry that are neither its title nor its links: authors, a venue, a
date, a description, and how a new entry fills each of them truthfully.

A real list's entry rarely stops at a title and links: ``*Nuo Chen, Zhiyuan Hu.*
Preprint'25`` on a continuation line, ``, Wen et al., CVPR 2023 |`` after the title,
``**[CVPR' 14]**`` between pipes, a ``30 Oct 2023`` date line. Copying the model's
words would credit the new paper with another paper's authors or venue, so each part
is recognised by its shape and rewritten from what arXiv says (authors, the month it
was published, the venue its journal reference or comments name) or from what the
maintainer supplies (``--venue``, ``--description``). A part that can be neither is
named in the refusal; it is never invented and never copied.

How a part is written is learned from the section: the author separator, the word
before the last name, when the list is cut short with "et al." and how many names stay
before it, full names or surnames; the venue's spelling of the year (``'25``, `` 2025``,
``' 25``); the preprint marker the section uses for papers on arXiv alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from listcheck.stated_date import MONTH_NAMES

_STRUCTURE = frozenset("*_[]|\\`\r\n")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EDGE = " \t,;:."
_VENUE = re.compile(
    r"^(?P<name>(?:[A-Z]|arXiv|arxiv)[\w&.-]*(?: [A-Z][\w&.-]*)?)"
    r"(?P<sep>\s*['’]\s?|\s+|(?=(?:19|20)\d\d))"
    r"(?P<year>(?:19|20)\d\d|\d\d)(?P<tail>(?: (?:Findings|Workshops?|Oral|Spotlight|Poster))?)$"
)
PREPRINT_NAMES = frozenset({"preprint", "arxiv", "corr", "arxiv preprint"})
_ETAL = re.compile(r"(?P<etal>,?\s+et\s+al\b\.?)$")
_NAME_SEP = re.compile(r",\s*and\s+|,\s*&\s*|\s+and\s+|\s+&\s+|;\s*|,\s*")
_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "di", "da", "la", "le", "du", "del", "dos"}
)
_TOKEN = re.compile(r"^[^\W\d_][\w'’.-]*$")
_FULL_MONTHS = MONTH_NAMES
_MONTHS = tuple(name[:3] for name in MONTH_NAMES)
_DATE = re.compile(r"^(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2,8})\.? (?P<year>(?:19|20)\d\d)$")
MIN_DESCRIPTION_WORDS = 4


@dataclass(frozen=True)
class Venue:
    name: str
    sep: str
    year: str
    tail: str

    @property
    def preprint(self) -> bool:
        return self.name.casefold() in PREPRINT_NAMES


def parse_venue(text: str) -> Venue | None:
    match = _VENUE.match(text)
    if match is None or (len(match["year"]) == 2 and not match["sep"].strip() and match["sep"]):
        # "CVPR 14" is no year form anyone writes; "CVPR'14" and "CVPR 2014" are.
        return None
    return Venue(match["name"], match["sep"], match["year"], match["tail"])


def write_venue(name: str, year: int, written: Venue) -> str:
    """``name`` and ``year`` the way ``written`` spells its year (``'25``, `` 2025``)."""
    digits = f"{year % 100:02d}" if len(written.year) == 2 else str(year)
    return f"{name}{written.sep}{digits}"


@dataclass(frozen=True)
class Authors:
    names: tuple[str, ...]
    seps: tuple[str, ...]
    """What stands between consecutive names, as written."""
    etal: str
    """`` et al.`` as written, or "" when the list is complete."""

    @property
    def full(self) -> bool:
        """Full names (``Nuo Chen``) rather than surnames (``Chen``)."""
        return sum(len(n.split()) > 1 for n in self.names) * 2 > len(self.names)


def _is_name(text: str) -> bool:
    tokens = text.split()
    if not 1 <= len(tokens) <= 6 or not all(_TOKEN.match(t) for t in tokens):
        return False
    return all(t[0].isupper() or t in _PARTICLES for t in tokens) and tokens[-1][0].isupper()


def parse_authors(text: str, *, emphasized: bool) -> Authors | None:
    """An author list: names apart by commas, "and" or "&", maybe cut short by "et al.".
    One full name alone counts only when set apart by emphasis (``*Calvin Luo*``): a
    two-word phrase is otherwise as likely a topic as a person."""
    etal_match = _ETAL.search(text)
    body = text[: etal_match.start()] if etal_match else text
    names, seps, at = [], [], 0
    for sep in _NAME_SEP.finditer(body):
        names.append(body[at : sep.start()])
        seps.append(sep.group(0))
        at = sep.end()
    names.append(body[at:])
    if not all(_is_name(name) for name in names):
        return None
    if len(names) == 1 and not etal_match and not (emphasized and len(names[0].split()) > 1):
        return None
    return Authors(tuple(names), tuple(seps), etal_match["etal"] if etal_match else "")


def parse_date(text: str) -> tuple[bool, bool] | None:
    """``30 Oct 2023``: (day zero-padded, month written in full), or None."""
    match = _DATE.match(text)
    if match is None:
        return None
    month = match["month"]
    if month in _MONTHS:
        return match["day"].startswith("0"), False
    if month in _FULL_MONTHS:
        return match["day"].startswith("0"), True
    return None


def write_date(published: tuple[int, int, int], form: tuple[bool, bool]) -> str:
    year, month, day = published
    padded, full = form
    name = _FULL_MONTHS[month - 1] if full else _MONTHS[month - 1]
    return f"{day:02d} {name} {year}" if padded else f"{day} {name} {year}"


@dataclass(frozen=True)
class Piece:
    """A stretch of the model's words, by what it is: ``authors``, ``venue``, ``date``,
    ``description``, ``comment`` (an HTML comment, dropped) or ``unknown``."""

    kind: str
    start: int
    end: int


def pieces(
    block: str, covered: Sequence[bool], list_marks: Iterable[tuple[int, int]]
) -> list[Piece]:
    """The words of ``block`` not ``covered`` by a known span, cut at markup (emphasis,
    brackets, pipes, line breaks, HTML) and sorted by what they are."""
    free = [not c for c in covered]
    for start, end in list_marks:
        for i in range(start, end):
            free[i] = False
    found: list[Piece] = []
    for match in _HTML.finditer(block):
        if _COMMENT.fullmatch(match.group(0)) and all(free[match.start() : match.end()]):
            found.append(Piece("comment", match.start(), match.end()))
        for i in range(match.start(), match.end()):
            free[i] = False
    i = 0
    while i < len(block):
        if not free[i] or block[i] in _STRUCTURE:
            i += 1
            continue
        j = i
        while j < len(block) and free[j] and block[j] not in _STRUCTURE:
            j += 1
        found.extend(_classify(block, i, j))
        i = j
    return sorted(found, key=lambda p: p.start)


def _classify(block: str, start: int, end: int) -> list[Piece]:
    while start < end and block[start] in _EDGE:
        start += 1
    while end > start and block[end - 1] in _EDGE:
        end -= 1
    if start < end and block[start] == "(" and block[end - 1] == ")":
        start, end = start + 1, end - 1
    text = block[start:end]
    if any(unicodedata.category(ch) == "So" for ch in text):
        return [Piece("unknown", start, end)]  # a marker (🏡, 🔥) says what arXiv does not
    if not re.search(r"\w", text):
        return []
    emphasized = block[start - 1 : start] in ("*", "_") or block[end : end + 1] in ("*", "_")
    if parse_venue(text) is not None:
        return [Piece("venue", start, end)]
    if parse_date(text) is not None:
        return [Piece("date", start, end)]
    if parse_authors(text, emphasized=emphasized) is not None:
        return [Piece("authors", start, end)]
    # "Wen et al., CVPR 2023": authors, then the venue.
    for sep in re.finditer(r"[,;]?\s+", text):
        head, tail = text[: sep.start()], text[sep.end() :]
        if parse_venue(tail) is not None and parse_authors(head, emphasized=True) is not None:
            return [
                Piece("authors", start, start + sep.start()),
                Piece("venue", start + sep.end(), end),
            ]
    if len(text.split()) >= MIN_DESCRIPTION_WORDS:
        return [Piece("description", start, end)]
    return [Piece("unknown", start, end)]


@dataclass(frozen=True)
class AuthorStyle:
    """How a section writes author lists, from all of its entries' lists."""

    full: bool
    sep: str
    last: str
    pair: str
    etal: str
    kept: int
    """Names left before "et al."."""
    most: int
    """The longest list written out in full: longer ones are cut short, when the section
    cuts any (a section that never writes "et al." names everyone)."""

    def write(self, names: Sequence[str]) -> str:
        shown = [n if self.full else n.split()[-1] for n in names]
        if self.etal and len(shown) > self.most:
            return self.sep.join(shown[: max(self.kept, 1)]) + self.etal
        if len(shown) == 2:
            return shown[0] + self.pair + shown[1]
        if len(shown) > 2:
            return self.sep.join(shown[:-1]) + self.last + shown[-1]
        return shown[0] if shown else ""


def learn_authors(lists: Sequence[Authors], wider: Sequence[Authors] = ()) -> AuthorStyle | None:
    """The section's way with author lists. When none of its lists shows how two names
    or a long list are written (a section of "Wen et al." alone), the ``wider`` lists
    (the whole document's, written with names in the same form) say it."""
    if not lists:
        return None
    full = sum(a.full for a in lists) * 2 > len(lists)
    if not any(len(a.names) > 1 and not a.etal for a in lists):
        lists = [*lists, *(a for a in wider if a.full == full)]
    inner = Counter(s for a in lists for s in a.seps[:-1])
    last = Counter(a.seps[-1] for a in lists if len(a.seps) >= 2)
    pair = Counter(a.seps[0] for a in lists if len(a.seps) == 1 and not a.etal)
    sep = inner.most_common(1)[0][0] if inner else ", "
    last_sep = last.most_common(1)[0][0] if last else sep
    cut = [a for a in lists if a.etal]
    whole = [len(a.names) for a in lists if not a.etal]
    return AuthorStyle(
        full=full,
        sep=sep,
        last=last_sep,
        pair=pair.most_common(1)[0][0] if pair else last_sep,
        etal=Counter(a.etal for a in cut).most_common(1)[0][0] if cut else "",
        kept=Counter(len(a.names) for a in cut).most_common(1)[0][0] if cut else 0,
        most=max(whole, default=1),
    )


HOLDS = 0.8
"""A preprint marker is the section's when this share of its arXiv-only entries use it."""


def preprint_form(venues: Sequence[Venue]) -> Venue | None:
    """The marker the section writes for a paper on arXiv alone, if it keeps to one."""
    marks = Counter((v.name, v.sep, len(v.year)) for v in venues if v.preprint)
    if not marks:
        return None
    (name, sep, width), count = marks.most_common(1)[0]
    if count < HOLDS * sum(marks.values()):
        return None
    return Venue(name, sep, "0" * width, "")
