"""The fake arXiv API: ``GET /api/query`` answering Atom feeds in the 2026 format.

It reproduces the behaviours a batching checker must survive, each seen in a
recorded response (``samples/arxiv``): ids that do not exist are simply left
out and ``opensearch:totalResults`` counts only the found ones; a malformed id
anywhere in ``id_list`` fails the whole call with HTTP 400 and a feed whose one
entry is titled ``Error``; ``max_results`` defaults to 10 and silently
truncates; titles may be wrapped onto several lines (legacy feeds). A bare id
answers with the latest version, ``IDvN`` with exactly version N, and a version
beyond the latest is absent.

Not captured anywhere, so chosen here and documented: the response headers
(``Content-Type: application/atom+xml; charset=utf-8``), duplicate ids in one
``id_list`` (answered once, first occurrence), and the order of entries (the
order of ``id_list``).

``search_query`` is read as the API manual describes it: ``ti:``/``au:``/``abs:``/
``all:`` terms, a double-quoted phrase matching its words in a row (case and punctuation
ignored, as the search index tokenises), ``AND``/``OR``/``ANDNOT`` and parentheses; one
paper per match, at its latest version, and ``totalResults`` counts every match while
``max_results`` cuts the page (``search_testing_3_of_10_entries_2026``). With
``sortBy=relevance`` the shorter title holding a phrase comes first (chosen here: the
real ranking is not documented). A query that does not parse answers 400 with an error
feed. ``world.arxiv.searches`` records every query answered.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web
from multidict import MultiDictProxy

from .context import WORLD
from .world import ArxivPaper, ArxivWorld, canonical_arxiv_id

CONTENT_TYPE = "application/atom+xml; charset=utf-8"

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
ID_PATTERN = re.compile(rf"(?P<base>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?")
"""What the API accepts as an id. It is lenient: ``0808.05394`` (five digits in
2008) is well-formed and merely absent, as the 2026 capture shows."""

_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


def parse_id(text: str) -> tuple[str, int | None] | None:
    """``2401.00001v2`` -> (``2401.00001``, 2); ``None`` when the API would call it malformed."""
    match = ID_PATTERN.fullmatch(text)
    if match is None:
        return None
    version = match.group("version")
    return match.group("base"), int(version) if version is not None else None


def stamp(moment: datetime) -> str:
    """Atom timestamp as arXiv writes it: UTC, seconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return stamp(datetime.fromtimestamp(time.time(), UTC))


def _feed_id(query: str) -> str:
    """An opaque feed id shaped like arXiv's (27 base64 characters of a digest)."""
    digest = base64.b64encode(hashlib.sha1(query.encode()).digest()).decode()
    return "https://arxiv.org/api/" + digest[:27]


def _wrap(text: str, width: int) -> str:
    """Wrap like the legacy API: lines joined by a newline and two spaces."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n  ".join(lines) if lines else text


def render_entry(world: ArxivWorld, paper: ArxivPaper, number: int) -> str:
    """One ``<entry>`` for version ``number`` of ``paper``, element order as in the 2026 feeds."""
    version = paper.versions[number - 1]
    vid = f"{paper.arxiv_id}v{number}"
    wrap = world.wrap_titles if paper.wrap_title is None else paper.wrap_title
    title = _wrap(version.title, world.wrap_width) if wrap else version.title
    summary = version.summary if version.summary is not None else f"Abstract of {version.title}."
    out = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{escape(title)}</title>",
        f"    <updated>{stamp(paper.updated(number))}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"'
        ' title="pdf"/>',
        f"    <summary>{escape(summary)}</summary>",
    ]
    out += [
        f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
        for c in paper.categories
    ]
    out.append(f"    <published>{stamp(paper.published)}</published>")
    if version.comment is not None:
        comment = _wrap(version.comment, world.wrap_width) if wrap else version.comment
        out.append(f"    <arxiv:comment>{escape(comment)}</arxiv:comment>")
    if paper.categories:
        out.append(f"    <arxiv:primary_category term={quoteattr(paper.categories[0])}/>")
    if version.journal_ref is not None:
        out.append(f"    <arxiv:journal_ref>{escape(version.journal_ref)}</arxiv:journal_ref>")
    for author in paper.authors:
        out += ["    <author>", f"      <name>{escape(author)}</name>", "    </author>"]
    if version.doi is not None:
        out.append(f"    <arxiv:doi>{escape(version.doi)}</arxiv:doi>")
        out.append(
            f'    <link rel="related" href="https://doi.org/{escape(version.doi)}" title="doi"/>'
        )
    out.append("  </entry>")
    return "\n".join(out) + "\n"


def render_feed(
    *,
    search_query: str,
    id_list: str,
    start: int,
    max_results: int,
    total: int,
    entries: Iterable[str],
    updated: str | None = None,
) -> bytes:
    """A result feed; the header echoes the query the way the 2026 API does."""
    shown = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
    link = (
        f"https://arxiv.org/api/query?search_query={search_query}&start={start}"
        f"&max_results={max_results}&id_list={id_list}"
    )
    head = [
        f"  <id>{_feed_id(shown)}</id>",
        f"  <title>arXiv Query: {escape(shown)}</title>",
        f"  <updated>{updated or _now()}</updated>",
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>",
    ]
    return (_HEAD + "\n".join(head) + "\n" + "".join(entries) + "</feed>\n").encode("utf-8")


def render_error(message: str, updated: str | None = None) -> bytes:
    """The error feed: one entry titled ``Error`` whose summary says what was wrong."""
    when = updated or _now()
    anchor = "https://arxiv.org/api/errors#" + message.replace(" ", "_")
    lines = [
        "  <id>https://arxiv.org/</id>",
        "  <title>arXiv Search Results</title>",
        f"  <updated>{when}</updated>",
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>",
        "  <opensearch:totalResults>1</opensearch:totalResults>",
        "  <opensearch:startIndex>0</opensearch:startIndex>",
        "  <entry>",
        f"    <id>{escape(anchor)}</id>",
        "    <title>Error</title>",
        f"    <updated>{when}</updated>",
        f'    <link href={quoteattr(anchor)} rel="alternate" type="text/html"/>',
        f"    <summary>{escape(message)}</summary>",
        "    <author>",
        "      <name>arXiv api core</name>",
        "    </author>",
        "  </entry>",
    ]
    return (_HEAD + "\n".join(lines) + "\n</feed>\n").encode("utf-8")


_QUERY_TOKEN = re.compile(r'\(|\)|(?:\w+:)?"[^"]*"|[^\s()]+')
_OPERATORS = frozenset({"AND", "OR", "ANDNOT"})
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    """Words as the search index sees them: lower-case, split at every punctuation mark."""
    return _WORD.findall(text.lower())


def _holds(text: str, phrase: str) -> bool:
    words, wanted = _words(text), _words(phrase)
    size = len(wanted)
    return size > 0 and any(
        words[start : start + size] == wanted for start in range(len(words) - size + 1)
    )


def _field_text(paper: ArxivPaper, field: str) -> str:
    latest = paper.versions[-1]
    summary = latest.summary if latest.summary is not None else f"Abstract of {latest.title}."
    by_field = {"ti": latest.title, "au": " ; ".join(paper.authors), "abs": summary}
    if field in by_field:
        return by_field[field]
    return " ".join(by_field.values())  # ``all:`` and an unprefixed term


class _Query:
    """A ``search_query`` as the API reads it: ``field:term`` or ``field:"a phrase"``
    (a phrase matches its words in a row), joined by ``AND``, ``OR`` and ``ANDNOT``
    (left to right), grouped by parentheses; terms side by side without an operator
    are joined by ``AND``. Raises ValueError for a query that does not parse."""

    def __init__(self, text: str) -> None:
        self.tokens = _QUERY_TOKEN.findall(text)
        self.at = 0

    def parse(self) -> Callable[[ArxivPaper], bool]:
        matcher = self._expression()
        if self.at != len(self.tokens):
            raise ValueError("unbalanced parentheses")
        return matcher

    def _expression(self) -> Callable[[ArxivPaper], bool]:
        left = self._term()
        while self.at < len(self.tokens) and self.tokens[self.at] != ")":
            operator = "AND"
            if self.tokens[self.at] in _OPERATORS:
                operator = self.tokens[self.at]
                self.at += 1
            right = self._term()
            left = _combine(operator, left, right)
        return left

    def _term(self) -> Callable[[ArxivPaper], bool]:
        if self.at >= len(self.tokens):
            raise ValueError("a term is missing")
        token = self.tokens[self.at]
        self.at += 1
        if token == "(":
            inner = self._expression()
            if self.at >= len(self.tokens) or self.tokens[self.at] != ")":
                raise ValueError("unbalanced parentheses")
            self.at += 1
            return inner
        if token == ")" or token in _OPERATORS:
            raise ValueError(f"unexpected {token!r}")
        field, _, term = token.rpartition(":") if not token.startswith('"') else ("", "", token)
        phrase = term.strip('"')
        return lambda paper: _holds(_field_text(paper, field or "all"), phrase)


def _combine(
    operator: str, left: Callable[[ArxivPaper], bool], right: Callable[[ArxivPaper], bool]
) -> Callable[[ArxivPaper], bool]:
    if operator == "OR":
        return lambda paper: left(paper) or right(paper)
    if operator == "ANDNOT":
        return lambda paper: left(paper) and not right(paper)
    return lambda paper: left(paper) and right(paper)


def answer(world: ArxivWorld, params: MultiDictProxy[str]) -> tuple[int, bytes]:
    """Status and body for one API call with query (or form) parameters ``params``."""
    search_query = params.get("search_query", "")
    id_list = params.get("id_list", "")
    raw_start = params.get("start", "0")
    raw_max = params.get("max_results", "10")
    try:
        start = int(raw_start)
    except ValueError:
        return 400, render_error("start must be an integer")
    if start < 0:
        return 400, render_error("start must be >= 0")
    try:
        max_results = int(raw_max)
    except ValueError:
        return 400, render_error("max_results must be an integer")
    if max_results < 0:
        return 400, render_error("max_results must be >= 0")

    wanted: list[tuple[str, int | None]] = []
    if id_list:
        for item in id_list.split(","):
            parsed = parse_id(item)
            if parsed is None:
                return 400, render_error(f"incorrect id format for {item}")
            if parsed not in wanted:
                wanted.append(parsed)

    found: list[tuple[ArxivPaper, int]] = []
    if id_list:
        for base, version in wanted:
            paper = world.papers.get(canonical_arxiv_id(base))
            if paper is None:
                continue
            number = paper.latest if version is None else version
            if paper.version(number) is None:
                continue
            found.append((paper, number))
    elif search_query:
        found = [(p, p.latest) for p in world.papers.values()]
    if search_query:
        try:
            matches = _Query(search_query).parse()
        except ValueError:
            return 400, render_error("search_query is malformed")
        found = [(p, n) for p, n in found if matches(p)]
        world.searches.append(search_query)
        if params.get("sortBy") == "relevance":
            # Relevance as the index weighs a phrase: the shorter the title holding
            # it, the closer the match (a stable sort keeps the world's order else).
            found.sort(key=lambda item: len(_words(item[0].versions[-1].title)))

    page = found[start : start + max_results]
    entries = [render_entry(world, paper, number) for paper, number in page]
    body = render_feed(
        search_query=search_query,
        id_list=id_list,
        start=start,
        max_results=max_results,
        total=len(found),
        entries=entries,
    )
    return 200, body


async def handle_query(request: web.Request) -> web.StreamResponse:
    """``GET`` or form ``POST`` on ``/api/query``."""
    world: ArxivWorld = request.app[WORLD].arxiv
    params = request.query if request.method == "GET" else await request.post()
    status, body = answer(world, params)  # type: ignore[arg-type]
    return web.Response(status=status, body=body, headers={"Content-Type": CONTENT_TYPE})


def make_app(app: web.Application) -> None:
    """Add the arXiv API routes to ``app``."""
    app.router.add_route("GET", "/api/query", handle_query)
    app.router.add_route("POST", "/api/query", handle_query)
