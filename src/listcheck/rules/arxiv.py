"""Offline arXiv rules: ids that cannot exist, URL forms worth normalising, and entry
dates that contradict the id they sit next to.

All three work from what :mod:`listcheck.classify` put on each link, so they agree with
the planner about which links are arXiv papers and which ids are valid (an id refused
here is never sent to the API, where one bad id fails a whole batch).
"""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass

from listcheck.arxiv_ids import arxiv_id_problem, id_year_month
from listcheck.classify.split import split_http_url
from listcheck.dates import find_dates
from listcheck.models import ArxivRef, Document, Entry, Finding, Link, LinkKind, Tag, TagKind
from listcheck.rules.base import LintContext, finding, offline_rule, per_document
from listcheck.rules.links import describe_link
from listcheck.stated_date import DateKind, StatedDate

CANONICAL_HOST = "arxiv.org"

_HOST_NOTES = {
    "www.arxiv.org": "the host www.arxiv.org",
    "export.arxiv.org": "export.arxiv.org, the host meant for the API and robots",
    "xxx.lanl.gov": "xxx.lanl.gov, arXiv's original address",
}


def _arxiv_links(doc: Document) -> Iterator[tuple[Link, ArxivRef]]:
    for link in doc.links:
        if link.kind is LinkKind.ARXIV and link.arxiv is not None:
            yield link, link.arxiv


@offline_rule("arxiv/malformed-id")
def arxiv_malformed_id(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """An arXiv paper URL whose id cannot exist, with the grammar's reason."""
    for link, ref in _arxiv_links(doc):
        if ref.valid:
            continue
        if ref.id:
            problem = arxiv_id_problem(ref.id) or "is not a valid arXiv id"
            message = f'arXiv id "{ref.id}" in {describe_link(link)} {problem}'
        else:
            message = f"arXiv {ref.form} URL in {describe_link(link)} has no id"
        yield finding(doc, "arxiv/malformed-id", link.line, link.column, message, url=link.url)


def canonical_arxiv_url(ref: ArxivRef) -> str | None:
    """``https://arxiv.org/abs/ID[vN]`` for a page, ``/pdf/`` for a PDF (ftp links are
    PDFs), ``/html/`` for the HTML rendering; None for forms without one (src, ps...)."""
    if not ref.valid:
        return None
    path = {"abs": "abs", "pdf": "pdf", "ftp": "pdf", "html": "html"}.get(ref.form)
    if path is None:
        return None
    version = f"v{ref.version}" if ref.version is not None else ""
    return f"https://{CANONICAL_HOST}/{path}/{ref.id}{version}"


def url_form_problems(url: str, ref: ArxivRef) -> list[str]:
    """What makes an arXiv URL legacy or odd; empty for canonical ones. A ``.pdf``
    suffix, a version, a query or a fragment are all fine."""
    parts = split_http_url(url)
    if parts is None:
        return []
    problems = []
    if parts.scheme != "https":
        problems.append(f"{parts.scheme}:// instead of https://")
    if parts.host != CANONICAL_HOST:
        problems.append(_HOST_NOTES.get(parts.host, f"the host {parts.host}"))
    if parts.port is not None:
        problems.append(f"port {parts.port}")
    if ref.form == "ftp":
        problems.append("the legacy /ftp/ path")
    return problems


@offline_rule("arxiv/url-form")
def arxiv_url_form(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Legacy hosts, plain http and ftp paths: they work today through redirects, but
    the canonical URL is what readers, tools and duplicate detection expect."""
    for link, ref in _arxiv_links(doc):
        if not ref.valid:
            continue  # arxiv/malformed-id speaks for these
        problems = url_form_problems(link.url, ref)
        if not problems:
            continue
        canonical = canonical_arxiv_url(ref)
        message = f"arXiv URL in {describe_link(link)} uses {_join(problems)}"
        if canonical is not None:
            message += f"; the canonical form is {canonical}"
        yield finding(
            doc,
            "arxiv/url-form",
            link.line,
            link.column,
            message,
            url=link.url,
            suggestion=canonical,
        )


@offline_rule("arxiv/tag-month")
def arxiv_tag_month(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """An entry's publication date that none of its arXiv ids agrees with: the date or
    the id was mistyped, and the id's month is the one arXiv vouches for.

    The dates are read from the entry's lines as written (:mod:`listcheck.dates`
    says which forms, :mod:`listcheck.stated_date` why a venue date such as
    ``[ICLR 2024]`` is never compared), plus the month tags the parser put on the
    entry. Only the entry's own ids are evidence.

    An id's month is the month arXiv first *announced* the paper (arXiv numbers a
    paper when it announces it, never before), while lists that give a day usually
    copy the first version's *submission* date. A paper submitted in the last days
    of a month is announced in the next one: the diff-usion list writes
    ``30 Sep 2023`` for 2310.00318 and ``31 May 2022`` for 2206.00070, and 44 of its
    61 one-month differences are such a date in the last week of the month before
    the id's. Those agree, and are not reported (:func:`announced_next_month`). A
    one-month difference is reported otherwise: a date after the id's month cannot be
    the first version's (``30 Dec 2021`` for 2111.15640, ``3 Apr 2023`` for
    2303.16378: a later version's date or a slip), a mid-month date before it needs a
    paper held for weeks in moderation (``3 Aug 2023`` for 2309.02564), and a month
    without a day (``【202405】`` for 2406.02575, ``【202503】`` for 2502.11051 on the
    genai-unlearning list) says nothing about where in the month it falls.
    """
    owned = owned_lines(doc)
    reported: set[tuple[int, int]] = set()
    for entry, lines in zip(doc.entries, owned, strict=True):
        ids = entry_ids(doc, entry)
        if not ids:
            continue
        for said in entry_dates(doc, entry, lines):
            if (said.line, said.column) in reported:
                continue
            found = _date_mismatch(doc, said, ids)
            if found is not None:
                reported.add((said.line, said.column))
                yield found


def entry_ids(doc: Document, entry: Entry) -> dict[str, tuple[int, int]]:
    """The entry's valid arXiv ids, in the order written, with their year and month: from
    its links first, then from ``[arxiv ID]`` tags."""
    ids: dict[str, tuple[int, int]] = {}
    for index in entry.links:
        ref = doc.links[index].arxiv
        if doc.links[index].kind is LinkKind.ARXIV and ref is not None and ref.valid:
            ids.setdefault(ref.id, id_year_month(ref.id))
    for tag in entry.tags:
        if tag.kind is TagKind.ARXIV and tag.arxiv_id is not None:
            try:
                ids.setdefault(tag.arxiv_id, id_year_month(tag.arxiv_id))
            except ValueError:
                continue
    return ids


@dataclass(frozen=True)
class PlacedDate:
    """A date at its place in the file."""

    line: int
    column: int
    date: StatedDate


def owned_lines(doc: Document) -> list[list[int]]:
    """Per entry, the line numbers it spans that no entry nested inside it claims: a
    sub-item with its own arXiv link is judged by its own ids, not its parent's."""
    spans = sorted((entry.line, entry.end_line) for entry in doc.entries)
    starts = [first for first, _ in spans]
    owned: list[list[int]] = []
    for entry in doc.entries:
        inner: set[int] = set()
        at = bisect_right(starts, entry.line)
        while at < len(spans) and spans[at][0] <= entry.end_line:
            inner.update(range(spans[at][0], spans[at][1] + 1))
            at += 1
        last = min(entry.end_line, len(doc.lines))
        owned.append([n for n in range(entry.line, last + 1) if n not in inner])
    return owned


@per_document
def _comparable_dates(line: str) -> tuple[StatedDate, ...]:
    """A line's dates comparable with an arXiv month. Remembered while a list is linted,
    because two rules read the same entries' lines (``arxiv/tag-month`` and
    ``entry/order``): on the 15,700-line diff-usion list this halves their share of
    lint time."""
    return tuple(date for date in find_dates(line, months_only=True) if date.comparable)


def entry_dates(doc: Document, entry: Entry, lines: list[int]) -> list[PlacedDate]:
    """The entry's comparable dates, in reading order: those written on its own lines,
    and the parser's month tags where the lines did not already give them."""
    dates: dict[tuple[int, int], PlacedDate] = {}
    for number in lines:
        for date in _comparable_dates(doc.lines[number - 1]):
            dates[(number, date.start + 1)] = PlacedDate(number, date.start + 1, date)
    for tag in entry.tags:
        if tag.kind is TagKind.MONTH and tag.year and tag.month:
            said = PlacedDate(tag.line, tag.column, _tag_date(tag, tag.year, tag.month))
            dates.setdefault((tag.line, tag.column), said)
    return [dates[key] for key in sorted(dates)]


def _tag_date(tag: Tag, year: int, month: int) -> StatedDate:
    """A parsed month tag as a stated date, its digits located for a rewrite."""
    at = tag.raw.find(f"{year:04d}{month:02d}")
    return StatedDate(
        raw=tag.raw,
        start=0,
        year=year,
        month=month,
        day=None,
        kind=DateKind.PUBLICATION,
        year_at=(at, at + 4) if at >= 0 else (0, 0),
        month_at=(at + 4, at + 6) if at >= 0 else None,
    )


def announced_next_month(date: StatedDate) -> bool:
    """Whether a paper submitted on ``date`` may have been announced, and numbered, in
    the next month: the date names a day in the month's last week (the last two weeks
    of December, when arXiv's holiday break delays announcements into January).
    Announcements wait at most a weekend and a holiday otherwise."""
    if date.day is None or date.month is None:
        return False
    days_after = monthrange(date.year, date.month)[1] - date.day
    return days_after < (14 if date.month == 12 else 7)


def date_agrees(date: StatedDate, year: int, month: int) -> bool:
    assert date.month is not None
    gap = (year * 12 + month) - (date.year * 12 + date.month)
    return gap == 0 or (gap == 1 and announced_next_month(date))


def _date_mismatch(
    doc: Document, said: PlacedDate, ids: dict[str, tuple[int, int]]
) -> Finding | None:
    date = said.date
    if any(date_agrees(date, year, month) for year, month in ids.values()):
        return None
    first_id, (year, month) = next(iter(ids.items()))
    months = set(ids.values())
    if len(ids) == 1:
        evidence = f"arXiv {first_id} is from {year}-{month:02d}"
    else:
        listed = ", ".join(f"{i} ({y}-{m:02d})" for i, (y, m) in ids.items())
        evidence = f"none of its arXiv ids is: {listed}"
    what = "date tag" if date.bracketed else "date"
    message = f"{what} {date.raw} says {date.year}-{date.month:02d} but {evidence}"
    suggestion = date.rewritten(year, month) if len(months) == 1 else None
    return finding(doc, "arxiv/tag-month", said.line, said.column, message, suggestion=suggestion)


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
