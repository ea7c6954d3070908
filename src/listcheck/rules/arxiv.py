"""Offline arXiv rules: ids that cannot exist, URL forms worth normalising, and date tags
that contradict the id they sit next to.

All three work from what :mod:`listcheck.classify` put on each link, so they agree with
the planner about which links are arXiv papers and which ids are valid (an id refused
here is never sent to the API, where one bad id fails a whole batch).
"""

from __future__ import annotations

from collections.abc import Iterator

from listcheck.arxiv_ids import arxiv_id_problem, id_year_month
from listcheck.classify import split_http_url
from listcheck.models import ArxivRef, Document, Entry, Finding, Link, LinkKind, Tag, TagKind
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.links import describe_link

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
    """A 【YYYYMM】 tag that no arXiv id of its entry shares: one of them was mistyped,
    and the id's month (the first version's) is the one arXiv vouches for."""
    for entry in doc.entries:
        tags = [t for t in entry.tags if t.kind is TagKind.MONTH and t.year and t.month]
        if not tags:
            continue
        ids = _entry_ids(doc, entry)
        if not ids:
            continue
        for tag in tags:
            found = _tag_mismatch(doc, tag, ids)
            if found is not None:
                yield found


def _entry_ids(doc: Document, entry: Entry) -> dict[str, tuple[int, int]]:
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


def _tag_mismatch(doc: Document, tag: Tag, ids: dict[str, tuple[int, int]]) -> Finding | None:
    said = (tag.year, tag.month)
    if said in ids.values():
        return None
    first_id, (year, month) = next(iter(ids.items()))
    months = set(ids.values())
    if len(ids) == 1:
        evidence = f"arXiv {first_id} is from {year}-{month:02d}"
    else:
        listed = ", ".join(f"{i} ({y}-{m:02d})" for i, (y, m) in ids.items())
        evidence = f"none of its arXiv ids is: {listed}"
    message = f"date tag {tag.raw} says {tag.year}-{tag.month:02d} but {evidence}"
    suggestion = _retag(tag, year, month) if len(months) == 1 else None
    return finding(doc, "arxiv/tag-month", tag.line, tag.column, message, suggestion=suggestion)


def _retag(tag: Tag, year: int, month: int) -> str | None:
    """The tag as written, brackets and all, with the id's year and month."""
    written = f"{tag.year:04d}{tag.month:02d}"
    if written not in tag.raw:
        return None
    return tag.raw.replace(written, f"{year:04d}{month:02d}", 1)


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
