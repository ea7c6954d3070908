"""The dates an entry states, in the forms paper lists write them.

Lists date their entries in many ways: a tag before the title (``【202406】``,
``[202406]``, ``[2023/10]``), a plain number (``2023-10``, ``2022.01``,
``2024.01.15``, ``2023年10月``), a label (``Date: 2025-07``), words (``10 Jan 2024``,
``Jan 10, 2024``, ``January 2024``, ``Jan. 2024``) or a table column holding nothing
but a date (``| 202310 |``, ``| 10/2023 |``). :func:`find_dates` finds them all, with
the offset of each in the text it was given, so a rule can point at the exact column.

Whose date each one is (a paper's, a venue's, the list's own) and whether it may be
held against an arXiv id's month is decided in :mod:`listcheck.stated_date`, from
the words this module finds before each date.

What is not a date
------------------
Text inside URLs, link destinations and HTML tags is never read (``/2022/06/06/``
in a blog URL, ``2024.04.22`` in a bioRxiv DOI). A numeric date must stand alone:
not glued to a letter, digit, dot, slash or hyphen before it (``v2023.10``,
``1.2023.10``) and not followed by a digit or by a separator and a digit (arXiv ids
such as ``2012.02190`` or ``2310.12773`` never read as December 2020 or a year 2310;
``2023.10.1234`` is a number). A number preceded by ``version`` is a version. Two dates
joined by ``-``, ``–``, ``~`` or ``to`` are a range (``2023.01 - 2023.06``,
``Jan 2024 – Mar 2024``), which dates no single paper, so neither is kept. Six bare
digits (``202310``) and ``MM/YYYY`` are dates only in brackets or as a whole table
cell, where nothing else could be meant.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator

from listcheck.stated_date import (
    ARXIV_WORDS,
    LABELS,
    MONTH_NUMBERS,
    OPENERS,
    DateKind,
    StatedDate,
    kind_from_context,
)

# --- the forms -----------------------------------------------------------------------------

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_MONTH_NUM = r"(?P<m>0?[1-9]|1[0-2])"
_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_MONTH_WORD = (
    r"(?P<m>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER"
    r"|DECEMBER|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(?![A-Za-z]))"
)
_ALONE_BEFORE = r"(?<![\w./\-])"

_MONTH_GATE = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
)

# Each form behind a cheap test that a line must pass before the form is tried: most
# lines with a year in them hold one form at most, and scanning is the cost.
_FORMS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    # 【202406】 [202406] (202406): six digits are a date only in brackets
    (
        re.compile(r"\d{6}\s*[】\])]"),
        re.compile(r"[【\[(]\s*" + _YEAR + r"(?P<m>0[1-9]|1[0-2])\s*[】\])]"),
    ),
    # 2023-10, 2022.01, 2023/10, 2024.01.15, 2018/9/18 (one separator throughout),
    # with its brackets when it is a tag: [2023/10]
    (
        re.compile(r"(?:19|20)\d\d[-./]\d"),
        re.compile(
            _ALONE_BEFORE
            + r"(?P<open>[【\[(]\s*)?"
            + _YEAR
            + r"(?P<sep>[-./])"
            + _MONTH_NUM
            + r"(?:(?P=sep)"
            + _DAY
            + r")?(?!\d|[-./]\d)(?(open)\s*[】\])])"
        ),
    ),
    # 2023年10月, 2023年10月5日
    (
        re.compile("年"),
        re.compile(_YEAR + r"\s*年\s*" + _MONTH_NUM + r"\s*月(?:\s*" + _DAY + r"\s*日)?"),
    ),
    # 10 Jan 2024, 14 Mar 2023, 1st March, 2024
    (
        _MONTH_GATE,
        re.compile(
            _ALONE_BEFORE
            + _DAY
            + r"(?:st|nd|rd|th)?\s+"
            + _MONTH_WORD
            + r"\.?,?\s+"
            + _YEAR
            + r"(?!\d)"
        ),
    ),
    # Jan 10, 2024, January 10th 2024
    (
        _MONTH_GATE,
        re.compile(
            r"(?<![\w])"
            + _MONTH_WORD
            + r"\.?\s+"
            + _DAY
            + r"(?:st|nd|rd|th)?,?\s+"
            + _YEAR
            + r"(?!\d)"
        ),
    ),
    # January 2024, Jan. 2024, Jan 2024, Sept, 2023
    (
        _MONTH_GATE,
        re.compile(r"(?<![\w])" + _MONTH_WORD + r"\.?,?\s+" + _YEAR + r"(?!\d|[./\-]\d)"),
    ),
)

# A year after a name: [ICLR 2024], NeurIPS 2021, CVPR'19, **[CVPR' 16]**, Preprint'25
_VENUE_YEAR = re.compile(
    r"(?<![\w\-])(?P<venue>[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9])"
    r"(?:(?P<gap>\s*['’]\s*)(?P<yy>\d\d)|[\s\-]+(?P<y>(?:19|20)\d\d))"
    r"(?![\w]|[./\-]\d)"
)
# A bare year in brackets: (2015), [2021]
_BRACKETED_YEAR = re.compile(r"[(\[【]\s*(?P<y>(?:19|20)\d\d)\s*[)\]】]")

# What only a table cell can hold as a date: 202310, 10/2023, 10.2023, 2023
_CELL_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(_YEAR + r"(?P<m>0[1-9]|1[0-2])"),
    re.compile(_MONTH_NUM + r"[-./]" + _YEAR),
    re.compile(_YEAR),
)
_CELL_DECORATION = " \t*_`"

# Every form names a year: four digits 19xx/20xx, or two after an apostrophe.
_MAY_HOLD_A_DATE = re.compile(r"(?:19|20)\d\d|['’]\s*\d\d")
# Parts of a line that are addresses, not prose. A tag ends at the next "<" too: a line
# of "<a <a <a…" without ">" would otherwise be read to its end from every "<".
_HIDDEN = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<[^<>]*>|(?:https?|ftp)://[^\s)\]>|]+")
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|~|to|until|through)\s*", re.IGNORECASE)
_VERSION_BEFORE = re.compile(r"(?:\bversion|\bver\.?|\bv\.)\s*$", re.IGNORECASE)


def find_dates(text: str, *, months_only: bool = False) -> list[StatedDate]:
    """Every date ``text`` states, in order, ranges and version numbers left out.

    ``text`` is usually one line as written; dates never span lines. ``months_only``
    skips the year-only forms (venue years, ``(2015)``, a year cell), which no
    comparison with an arXiv month can use; on a long list it saves a third of the time.
    """
    if not _MAY_HOLD_A_DATE.search(text):
        return []  # most lines of a list: no year in them, nothing to scan for
    visible = _HIDDEN.sub(lambda m: " " * len(m.group(0)), text)
    if not _MAY_HOLD_A_DATE.search(visible):
        return []
    found = list(_written_dates(visible))
    if not months_only:
        found.extend(_year_dates(visible))
    found.extend(_cell_dates(visible, months_only))
    kept = _without_overlaps(found)
    return _without_ranges(visible, kept)


def _written_dates(text: str) -> Iterator[StatedDate]:
    for gate, form in _FORMS:
        if not gate.search(text):
            continue
        for match in form.finditer(text):
            date = _from_match(text, match)
            if date is not None:
                yield date


def _year_dates(text: str) -> Iterator[StatedDate]:
    for match in _VENUE_YEAR.finditer(text):
        venue = _venue_date(match)
        if venue is not None:
            yield venue
    for match in _BRACKETED_YEAR.finditer(text):
        yield _year_only(match)


def _from_match(text: str, match: re.Match[str]) -> StatedDate | None:
    year = int(match.group("y"))
    month = _month_number(match.group("m"))
    groups = match.groupdict()
    day = int(groups["d"]) if groups.get("d") else None
    if day is not None and day > monthrange(year, month)[1]:
        return None
    start = match.start()
    before = text[:start]
    if _VERSION_BEFORE.search(before[-12:]):
        return None
    kind, venue = kind_from_context(before)
    if match.group(0)[0] in OPENERS:
        kind, venue = DateKind.PUBLICATION, None  # a tag stands on its own
    return StatedDate(
        raw=match.group(0),
        start=start,
        year=year,
        month=month,
        day=day,
        kind=kind,
        year_at=(match.start("y") - start, match.end("y") - start),
        month_at=(match.start("m") - start, match.end("m") - start),
        venue=venue,
    )


def _month_number(written: str) -> int:
    if written.isdigit():
        return int(written)
    return MONTH_NUMBERS[written.lower()]


def _venue_date(match: re.Match[str]) -> StatedDate | None:
    """A year written after a name: a venue's year unless the name is a month, a label
    or a version word (those are handled, or refused, by the other forms)."""
    venue = match.group("venue")
    lowered = venue.lower()
    if lowered in MONTH_NUMBERS or lowered in LABELS or lowered in {"v", "ver", "version"}:
        return None
    if not any(c.isupper() for c in venue) and lowered not in ARXIV_WORDS:
        return None
    if match.group("yy") is not None:
        yy = int(match.group("yy"))
        gap = match.group("gap")
        start = match.start("gap") + len(gap) - len(gap.lstrip())
        raw = match.string[start : match.end("yy")]
        return StatedDate(
            raw=raw,
            start=start,
            year=2000 + yy if yy < 70 else 1900 + yy,
            month=None,
            day=None,
            kind=DateKind.VENUE,
            year_at=(len(raw) - 2, len(raw)),
            venue=venue,
        )
    start = match.start("y")
    kind = DateKind.PUBLICATION if lowered in ARXIV_WORDS else DateKind.VENUE
    return StatedDate(
        raw=match.group("y"),
        start=start,
        year=int(match.group("y")),
        month=None,
        day=None,
        kind=kind,
        year_at=(0, 4),
        venue=venue,
    )


def _year_only(match: re.Match[str]) -> StatedDate:
    """``(2015)``: the year a paper appeared, without a month to compare."""
    start = match.start()
    return StatedDate(
        raw=match.group(0),
        start=start,
        year=int(match.group("y")),
        month=None,
        day=None,
        kind=DateKind.PUBLICATION,
        year_at=(match.start("y") - start, match.end("y") - start),
    )


def _cell_dates(text: str, months_only: bool) -> Iterator[StatedDate]:
    """Dates that fill a whole table cell, in the forms only a cell makes certain."""
    if "|" not in text:
        return
    forms = _CELL_FORMS[:2] if months_only else _CELL_FORMS
    at = 0
    for cell in text.split("|"):
        begin = at
        at += len(cell) + 1
        inner = cell.strip(_CELL_DECORATION)
        if not inner:
            continue
        offset = begin + cell.index(inner)
        for form in forms:
            match = form.fullmatch(inner)
            if match is None:
                continue
            groups = match.groupdict()
            month = int(groups["m"]) if groups.get("m") else None
            yield StatedDate(
                raw=inner,
                start=offset,
                year=int(match.group("y")),
                month=month,
                day=None,
                kind=DateKind.PUBLICATION,
                year_at=match.span("y"),
                month_at=match.span("m") if month is not None else None,
            )
            break


def _without_overlaps(found: list[StatedDate]) -> list[StatedDate]:
    """The earliest, then longest, of overlapping readings of the same characters."""
    found.sort(key=lambda d: (d.start, -len(d.raw)))
    kept: list[StatedDate] = []
    for date in found:
        if kept and date.start < kept[-1].end:
            continue
        kept.append(date)
    return kept


def _without_ranges(text: str, dates: list[StatedDate]) -> list[StatedDate]:
    """Drops both ends of ``A - B`` / ``A to B``: a range dates no single paper."""
    in_range: set[int] = set()
    for index in range(len(dates) - 1):
        left, right = dates[index], dates[index + 1]
        if _RANGE_JOIN.fullmatch(text[left.end : right.start]):
            in_range.update((index, index + 1))
    return [date for index, date in enumerate(dates) if index not in in_range]
