"""The typed description of the internet one test sees.

A test builds a :class:`World` (which arXiv papers, repositories, Hugging Face
repos and web pages exist, and how each service misbehaves), starts the fake
services on it, and reads back what happened: the counters in here and the
request log. The world is plain mutable data on purpose: a test may change it
between two calls of the code under test (rename a repository, drain a quota,
queue a 429) and the next request sees the change.

Nothing here talks HTTP; the handlers in ``arxiv.py``, ``github.py``,
``huggingface.py`` and ``web.py`` turn this description into responses.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

WITHDRAWN_COMMENT = "This paper has been withdrawn by the author"
"""How arXiv comments on a withdrawn version begin (the rest is the author's reason)."""

# --------------------------------------------------------------------------- misbehaviour


@dataclass(frozen=True)
class Forced:
    """One response forced on the next matching request, instead of the normal answer.

    Queue them with ``service.force(...)``; each is used once, first come first
    served. They model what the world description cannot: a 429 from a busy
    API, a 503, a stall longer than the client's timeout, a dropped connection.
    """

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Seconds to wait before answering (a stall when longer than the client's timeout)."""
    passthrough: bool = False
    """After ``delay``, answer normally instead of with ``status``/``body``."""
    drop: bool = False
    """Close the connection without sending a status line."""
    match: str | None = None
    """Only for requests whose raw path starts with this (``None``: any request). For the web
    fake in prefix mode the path includes ``/{scheme}/{host}``."""

    @classmethod
    def reply(
        cls,
        status: int,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        *,
        match: str | None = None,
    ) -> Forced:
        """Answer ``status`` with ``body`` and ``headers`` (e.g. 429 with ``Retry-After``)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        return cls(status=status, body=data, headers=tuple((headers or {}).items()), match=match)

    @classmethod
    def stall(cls, seconds: float, *, match: str | None = None) -> Forced:
        """Say nothing for ``seconds``, then answer normally if the client is still there."""
        return cls(delay=seconds, passthrough=True, match=match)

    @classmethod
    def hang_up(cls, *, match: str | None = None) -> Forced:
        """Close the connection without answering (the client sees a disconnect).

        aiohttp retries an idempotent request once after such a disconnect, so a
        single hang-up is invisible to it; queue two to make the caller see one.
        """
        return cls(drop=True, match=match)


@dataclass
class ServiceWorld:
    """What every fake service shares: forced responses, latency and call bookkeeping."""

    forced: list[Forced] = field(default_factory=list)
    latency: float = 0.0
    """Seconds every answer waits, so that concurrency becomes observable."""
    call_times: list[float] = field(default_factory=list)
    """``time.monotonic()`` at the arrival of each request, in order."""
    in_flight: int = 0
    max_in_flight: int = 0
    """The most requests this service was answering at the same moment."""

    def force(self, *responses: Forced) -> None:
        """Queue forced responses; they are used in order, each once."""
        self.forced.extend(responses)

    def take_forced(self, path: str) -> Forced | None:
        """Pop the first queued response that applies to ``path``."""
        for index, candidate in enumerate(self.forced):
            if candidate.match is None or path.startswith(candidate.match):
                return self.forced.pop(index)
        return None

    @property
    def calls(self) -> int:
        return len(self.call_times)

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests (for politeness assertions)."""
        return [b - a for a, b in itertools.pairwise(self.call_times)]

    def min_gap(self) -> float | None:
        """The shortest time between two consecutive requests, ``None`` below two requests."""
        gaps = self.gaps()
        return min(gaps) if gaps else None


# --------------------------------------------------------------------------- arXiv


@dataclass
class ArxivVersion:
    """One version of a paper as the API describes it in an ``<entry>``."""

    title: str
    updated: datetime | None = None
    """When this version was submitted; derived from the id when left out."""
    comment: str | None = None
    summary: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


@dataclass
class ArxivPaper:
    """A paper and all its versions (v1 is ``versions[0]``)."""

    arxiv_id: str
    """Without version: ``2401.00001`` or ``hep-th/9901001``."""
    versions: list[ArxivVersion]
    authors: list[str] = field(default_factory=lambda: ["Ada Lovelace", "Alan Turing"])
    categories: list[str] = field(default_factory=lambda: ["cs.CL"])
    wrap_title: bool | None = None
    """Wrap this title like the legacy feeds; ``None`` follows ``ArxivWorld.wrap_titles``."""

    @property
    def latest(self) -> int:
        return len(self.versions)

    def version(self, number: int) -> ArxivVersion | None:
        """Version ``number`` (1-based), ``None`` if it does not exist."""
        if 1 <= number <= len(self.versions):
            return self.versions[number - 1]
        return None

    def updated(self, number: int) -> datetime:
        """Submission time of version ``number``."""
        own = self.versions[number - 1].updated
        if own is not None:
            return own
        return _id_date(self.arxiv_id) + timedelta(days=30 * (number - 1))

    @property
    def published(self) -> datetime:
        """Submission time of v1, which the API reports as ``<published>`` for every version."""
        return self.updated(1)

    @property
    def withdrawn(self) -> bool:
        comment = self.versions[-1].comment or ""
        return comment.startswith(WITHDRAWN_COMMENT)


def _id_date(arxiv_id: str) -> datetime:
    """A plausible submission time for an id: inside its yymm month, stable per id."""
    digits = arxiv_id.split("/")[-1]  # 2401.00001 or (hep-th/)9901001: yymm first
    yy, mm = int(digits[:2]), int(digits[2:4])
    year = 1900 + yy if yy >= 91 else 2000 + yy
    seed = int(hashlib.sha1(arxiv_id.encode()).hexdigest()[:6], 16)
    return datetime(year, max(1, min(mm, 12)), 1 + seed % 27, 12, seed % 60, seed % 59, tzinfo=UTC)


def canonical_arxiv_id(arxiv_id: str) -> str:
    """``math.GT/0309136`` -> ``math/0309136``.

    arXiv files an old-style paper under its archive alone; the subject class is
    an accepted alias when asking, and the feed's ``<id>`` shows the bare form.
    """
    return re.sub(r"^([a-z-]+)\.[A-Za-z-]+/", r"\1/", arxiv_id)


@dataclass
class ArxivWorld(ServiceWorld):
    """The papers the fake arXiv API knows, and how it formats them."""

    papers: dict[str, ArxivPaper] = field(default_factory=dict)
    wrap_titles: bool = False
    """Wrap long titles onto several lines (newline plus two spaces), as the legacy API did."""
    wrap_width: int = 80
    searches: list[str] = field(default_factory=list)
    """Every ``search_query`` answered, in order (what a title search asked)."""

    def add(
        self,
        arxiv_id: str,
        title: str | None = None,
        *,
        versions: int | Sequence[str | ArxivVersion] = 1,
        comment: str | None = None,
        withdrawn: bool | str = False,
        authors: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        summary: str | None = None,
        journal_ref: str | None = None,
        doi: str | None = None,
    ) -> ArxivPaper:
        """Declare a paper.

        ``versions`` is a count (every version titled ``title``), a list of
        titles (a retitled paper), or full :class:`ArxivVersion` objects.
        ``comment``, ``summary``, ``journal_ref`` and ``doi`` go on the latest
        version. ``withdrawn`` adds one more version whose comment is
        :data:`WITHDRAWN_COMMENT` (a string is appended as the reason), which is
        how arXiv records a withdrawal.
        """
        if "v" in arxiv_id.split("/")[-1].split(".")[-1]:
            raise ValueError(f"declare papers without a version suffix: {arxiv_id}")
        base_title = title if title is not None else f"A Paper Numbered {arxiv_id}"
        built: list[ArxivVersion]
        if isinstance(versions, int):
            built = [ArxivVersion(title=base_title) for _ in range(versions)]
        else:
            built = [v if isinstance(v, ArxivVersion) else ArxivVersion(title=v) for v in versions]
        if not built:
            raise ValueError("a paper needs at least one version")
        last = built[-1]
        if comment is not None:
            last.comment = comment
        if summary is not None:
            last.summary = summary
        if journal_ref is not None:
            last.journal_ref = journal_ref
        if doi is not None:
            last.doi = doi
        arxiv_id = canonical_arxiv_id(arxiv_id)
        paper = ArxivPaper(arxiv_id=arxiv_id, versions=built)
        if authors is not None:
            paper.authors = list(authors)
        if categories is not None:
            paper.categories = list(categories)
        self.papers[arxiv_id] = paper
        if withdrawn:
            self.withdraw(arxiv_id, withdrawn if isinstance(withdrawn, str) else "")
        return paper

    def withdraw(self, arxiv_id: str, reason: str = "") -> ArxivPaper:
        """Add a withdrawal version to a declared paper."""
        paper = self.papers[canonical_arxiv_id(arxiv_id)]
        text = WITHDRAWN_COMMENT + (f" {reason}" if reason else "")
        paper.versions.append(
            ArxivVersion(
                title=paper.versions[-1].title,
                comment=text,
                summary="This paper has been withdrawn.",
            )
        )
        return paper


# --------------------------------------------------------------------------- GitHub


@dataclass
class Bucket:
    """One rate-limit bucket (per token and resource), as the ``x-ratelimit-*`` headers show it."""

    limit: int
    used: int = 0
    reset: int = 0
    """Epoch seconds when the bucket refills."""

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass
class FakeRepo:
    """A GitHub repository: its current name, flags, and which files exist at which ref."""

    full_name: str
    id: int
    default_branch: str = "main"
    refs: dict[str, frozenset[str]] = field(default_factory=dict)
    """Branch and tag names -> the file paths at that ref."""
    tags: frozenset[str] = frozenset()
    private: bool = False
    archived: bool = False
    disabled: bool = False
    fork: bool = False
    description: str | None = None
    readers: frozenset[str] = frozenset()
    """Tokens that can see this repository when it is private."""

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]

    def sha(self, ref: str) -> str:
        """The commit a ref points at (stable, derived from the names)."""
        return hashlib.sha1(f"{self.id}:{ref}".encode()).hexdigest()

    def resolve_ref(self, ref: str) -> str | None:
        """Branch or tag name for ``ref`` (a name, ``refs/heads/x``, ``refs/tags/x``, or a SHA)."""
        for prefix in ("refs/heads/", "refs/tags/", "heads/", "tags/"):
            if ref.startswith(prefix) and ref[len(prefix) :] in self.refs:
                return ref[len(prefix) :]
        if ref in self.refs:
            return ref
        if re.fullmatch(r"[0-9a-f]{7,40}", ref):
            for name in self.refs:
                if self.sha(name).startswith(ref):
                    return name
        return None

    def kind_at(self, ref: str, path: str) -> Literal["file", "dir"] | None:
        """Whether ``path`` is a file, a directory or absent at ``ref`` (a resolved name)."""
        files = self.refs.get(ref, frozenset())
        path = path.strip("/")
        if path == "":
            return "dir"
        if path in files:
            return "file"
        if any(f.startswith(path + "/") for f in files):
            return "dir"
        return None

    def listing(self, ref: str, path: str) -> list[tuple[str, Literal["file", "dir"]]]:
        """The direct children of directory ``path`` at ``ref``: (name, kind), sorted by name."""
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        children: dict[str, Literal["file", "dir"]] = {}
        for f in self.refs.get(ref, frozenset()):
            if f.startswith(prefix):
                head, sep, _ = f[len(prefix) :].partition("/")
                children[head] = "dir" if sep else children.get(head, "file")
        return sorted(children.items())


@dataclass
class GitHubWorld(ServiceWorld):
    """Repositories, renames, tokens and quotas of the fake GitHub API."""

    repos: dict[int, FakeRepo] = field(default_factory=dict)
    renames: dict[str, int] = field(default_factory=dict)
    """Lower-cased former ``owner/name`` -> repository id."""
    anonymous_limit: int = 60
    token_limit: int = 5000
    tokens: dict[str, int] = field(default_factory=dict)
    """Known tokens -> their hourly core limit (e.g. 1000 for an Actions ``GITHUB_TOKEN``)."""
    bad_tokens: set[str] = field(default_factory=set)
    """Tokens answered 401 Bad credentials."""
    only_known_tokens: bool = False
    """When set, any token not in ``tokens`` is a bad token."""
    graphql_limit: int = 5000
    graphql_cost: int = 1
    graphql_rate_limit_type: str = "RATE_LIMIT"
    """``RATE_LIMIT`` as GitHub sends it since 2026, or ``RATE_LIMITED`` as the docs name it."""
    revalidate_when_exhausted: bool = True
    """Answer a matching ``If-None-Match`` with 304 even when the quota is spent."""
    max_concurrent: int | None = None
    """More simultaneous requests than this trip the secondary limit (403 + Retry-After)."""
    secondary_retry_after: int = 60
    api_url_in_bodies: str = "https://api.github.com"
    """The API origin written into ``url`` fields of 200 bodies (redirects point at the fake)."""
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    _next_id: int = 700_000_001

    def add_repo(
        self,
        full_name: str,
        *,
        files: Iterable[str] = ("README.md",),
        branches: Mapping[str, Iterable[str]] | None = None,
        tags: Mapping[str, Iterable[str]] | None = None,
        default_branch: str = "main",
        private: bool = False,
        archived: bool = False,
        disabled: bool = False,
        fork: bool = False,
        description: str | None = None,
        readers: Iterable[str] = (),
        repo_id: int | None = None,
    ) -> FakeRepo:
        """Declare a repository; ``files`` exist on the default branch, others per branch/tag."""
        if full_name.count("/") != 1:
            raise ValueError(f"expected owner/name: {full_name}")
        if repo_id is None:
            repo_id = self._next_id
            self._next_id += 1
        refs = {default_branch: frozenset(files)}
        for name, paths in (branches or {}).items():
            refs[name] = frozenset(paths)
        for name, paths in (tags or {}).items():
            refs[name] = frozenset(paths)
        repo = FakeRepo(
            full_name=full_name,
            id=repo_id,
            default_branch=default_branch,
            refs=refs,
            tags=frozenset(tags or {}),
            private=private,
            archived=archived,
            disabled=disabled,
            fork=fork,
            description=description,
            readers=frozenset(readers),
        )
        self.repos[repo_id] = repo
        return repo

    def rename(self, old: str, new: str) -> FakeRepo:
        """Rename (or transfer) a repository; the old name keeps redirecting to it."""
        found = self.find(old)
        if found is None or found[1]:
            raise KeyError(f"no repository currently named {old}")
        repo = found[0]
        self.renames[repo.full_name.lower()] = repo.id
        repo.full_name = new
        return repo

    def find(self, full_name: str) -> tuple[FakeRepo, bool] | None:
        """(repo, moved) for ``owner/name`` (case-insensitive), ``None`` when absent.

        A current name wins over a former one, as on GitHub, where a new
        repository may take over a name that used to redirect.
        """
        wanted = full_name.lower()
        for repo in self.repos.values():
            if repo.full_name.lower() == wanted:
                return repo, False
        repo_id = self.renames.get(wanted)
        if repo_id is not None and repo_id in self.repos:
            return self.repos[repo_id], True
        return None

    def visible(self, repo: FakeRepo, token: str | None) -> bool:
        """Private repositories exist only for their readers; everyone else gets 404."""
        return not repo.private or (token is not None and token in repo.readers)

    def limit_for(self, token: str | None, resource: str) -> int:
        if resource == "graphql":
            return self.graphql_limit
        if token is None:
            return self.anonymous_limit
        return self.tokens.get(token, self.token_limit)

    def quota(self, token: str | None = None, resource: str = "core") -> Bucket:
        """The bucket for ``token`` (``None``: anonymous, per client address on GitHub)."""
        key = (resource, token or "")
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = Bucket(limit=self.limit_for(token, resource), reset=int(self.clock()) + 3600)
            self.buckets[key] = bucket
        return bucket

    def user_id(self, token: str | None) -> int:
        """A stable numeric user id for a token (GitHub names it in rate-limit messages)."""
        return int(hashlib.sha1((token or "").encode()).hexdigest()[:7], 16)


# --------------------------------------------------------------------------- Hugging Face

HfKind = Literal["model", "dataset", "space"]
Gated = Literal[False, "auto", "manual"]


@dataclass
class HfRepo:
    """A Hugging Face repository and the files on its main revision."""

    kind: HfKind
    repo_id: str
    private: bool = False
    gated: Gated = False
    disabled: bool = False
    files: tuple[str, ...] = (".gitattributes", "README.md")
    revisions: tuple[str, ...] = ("main",)
    readers: frozenset[str] = frozenset()
    last_modified: str = "2024-02-19T11:06:12.000Z"
    sha: str = ""
    """The head commit; derived from the id when left empty."""
    object_id: str = ""
    """The Hub's internal ``_id``; derived from the id when left empty."""

    def __post_init__(self) -> None:
        self.files = tuple(self.files)
        self.readers = frozenset(self.readers)
        if not self.sha:
            self.sha = hashlib.sha1(f"{self.kind}:{self.repo_id}".encode()).hexdigest()
        if not self.object_id:
            self.object_id = hashlib.sha1(self.repo_id.encode()).hexdigest()[:24]


@dataclass
class HfWorld(ServiceWorld):
    """Repositories, legacy names and tokens of the fake Hugging Face Hub."""

    repos: dict[tuple[HfKind, str], HfRepo] = field(default_factory=dict)
    redirects: dict[tuple[HfKind, str], str] = field(default_factory=dict)
    """(kind, legacy or former id) -> canonical id, answered with a 307."""
    bad_tokens: set[str] = field(default_factory=set)

    def add(self, kind: HfKind, repo_id: str, **options: object) -> HfRepo:
        """Declare a repository; ``options`` are :class:`HfRepo` fields."""
        repo = HfRepo(kind=kind, repo_id=repo_id, **options)  # type: ignore[arg-type]
        self.repos[(kind, repo_id)] = repo
        return repo

    def add_model(self, repo_id: str, **options: object) -> HfRepo:
        return self.add("model", repo_id, **options)

    def add_dataset(self, repo_id: str, **options: object) -> HfRepo:
        return self.add("dataset", repo_id, **options)

    def add_space(self, repo_id: str, **options: object) -> HfRepo:
        return self.add("space", repo_id, **options)

    def redirect(self, kind: HfKind, old: str, new: str) -> None:
        """A legacy name (``bert-base-uncased``) or a renamed repo answering 307 to ``new``."""
        self.redirects[(kind, old)] = new


# --------------------------------------------------------------------------- generic web

Body = bytes | str | Callable[[int], bytes | str]
"""A body, or a function of the 1-based hit number returning one."""

StreamMode = Literal["full", "endless", "huge", "reset", "drop"]


@dataclass(frozen=True)
class Reply:
    """How one web request is answered.

    ``stream`` selects the transfer: ``full`` sends ``body``; ``endless``
    streams chunks until the client goes away; ``huge`` advertises ``size``
    bytes in Content-Length and streams them lazily; ``reset`` sends the
    status line and part of the body, then aborts the connection; ``drop``
    closes the connection before any status line.
    """

    status: int = 200
    body: Body = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    location: str | None = None
    """Redirect target as a real URL (``https://host/path``) or a relative one."""
    delay: float = 0.0
    head_status: int | None = None
    """Answer HEAD with this status (e.g. 405) while GET gets the reply."""
    stream: StreamMode = "full"
    size: int = 0

    def render(self, hit: int) -> bytes:
        body = self.body(hit) if callable(self.body) else self.body
        return body.encode("utf-8") if isinstance(body, str) else body


PageKey = tuple[str, str, str, str]
"""(scheme, host, path, query) of a real URL."""


def page_key(url: str) -> PageKey:
    """The key a real URL's page is stored under: host lower-cased, default port dropped."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"expected an absolute http(s) URL: {url}")
    host = parts.hostname.lower()
    if parts.port is not None and parts.port != {"http": 80, "https": 443}[parts.scheme]:
        host = f"{host}:{parts.port}"
    return parts.scheme, host, parts.path or "/", parts.query


def key_text(key: PageKey) -> str:
    """A page key as the URL text counters are kept under."""
    scheme, host, path, query = key
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def normalise_url(url: str) -> str:
    """A real URL in the form counters are kept under (host lower-cased, path at least ``/``)."""
    return key_text(page_key(url))


@dataclass
class WebWorld(ServiceWorld):
    """Pages of every other host, keyed by their real URL."""

    pages: dict[PageKey, list[Reply]] = field(default_factory=dict)
    hosts: dict[str, list[Reply]] = field(default_factory=dict)
    """Replies for every path of a host that has no page of its own."""
    default: Reply = field(
        default_factory=lambda: Reply(404, body="Not Found", content_type="text/plain")
    )
    unresolvable: set[str] = field(default_factory=set)
    """Host names the fake resolver refuses (a name that does not resolve)."""
    hit_counts: Counter[str] = field(default_factory=Counter)
    """Real URL (as stored) -> requests it received."""
    bytes_sent: Counter[str] = field(default_factory=Counter)
    """Real URL -> body bytes written for it (streams stop when the client does)."""

    def set(self, url: str, *replies: Reply) -> None:
        """Answer successive requests for ``url`` with ``replies``; the last one repeats."""
        if not replies:
            raise ValueError("give at least one reply")
        self.pages[page_key(url)] = list(replies)

    def page(
        self,
        url: str,
        body: Body = "<!doctype html><title>ok</title>",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
        head_status: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """A page that answers the same way every time."""
        self.set(
            url,
            Reply(
                status=status,
                body=body,
                content_type=content_type,
                headers=tuple((headers or {}).items()),
                head_status=head_status,
                delay=delay,
            ),
        )

    def missing(self, url: str, status: int = 404) -> None:
        """A page that is gone (404, or 410 Gone)."""
        self.page(url, "Not Found" if status == 404 else "Gone", status=status)

    def redirect(self, url: str, to: str, status: int = 301) -> None:
        """``url`` redirects to ``to`` (absolute real URL or relative reference)."""
        self.set(url, Reply(status=status, location=to, body="", content_type=None))

    def chain(self, urls: Sequence[str], status: int = 301, final: str | None = None) -> None:
        """Each URL redirects to the next; the last one is a page (``final`` body) unless absent."""
        for here, there in itertools.pairwise(urls):
            self.redirect(here, there, status)
        if final is not None:
            self.page(urls[-1], final)

    def host(self, host: str, *replies: Reply) -> None:
        """Answer every path of ``host`` that has no page of its own with ``replies``."""
        self.hosts[host.lower()] = list(replies)

    def block_bots(self, host: str = "arxiv.org") -> None:
        """A host that refuses automated clients with 403 (as arxiv.org pages do at times)."""
        self.host(host, Reply(403, body="Forbidden", content_type="text/plain; charset=utf-8"))

    def redirect_loop(self, first: str, second: str, status: int = 302) -> None:
        """Two URLs redirecting to each other forever."""
        self.redirect(first, second, status)
        self.redirect(second, first, status)

    def head_not_allowed(self, url: str, body: Body = "<!doctype html><title>ok</title>") -> None:
        """A page whose server refuses HEAD with 405 while GET works."""
        self.page(url, body, head_status=405)

    def slow(self, url: str, seconds: float, body: Body = "late") -> None:
        """A page that answers only after ``seconds`` (beyond a client's timeout, a timeout)."""
        self.page(url, body, delay=seconds)

    def always(self, url: str, status: int = 500, body: Body = "Internal Server Error") -> None:
        """A page that fails the same way on every request."""
        self.page(url, body, status=status, content_type="text/plain; charset=utf-8")

    def rate_limited_then_ok(
        self, url: str, *, retry_after: int = 1, times: int = 1, body: Body = "ok"
    ) -> None:
        """``times`` answers 429 with ``Retry-After``, then 200 from then on."""
        limited = Reply(
            429,
            body="Too Many Requests",
            content_type="text/plain; charset=utf-8",
            headers=(("Retry-After", str(retry_after)),),
        )
        self.set(url, *([limited] * times), Reply(200, body=body))

    def unavailable_then_ok(self, url: str, *, times: int = 1, body: Body = "ok") -> None:
        """``times`` answers 503, then 200 from then on."""
        down = Reply(503, body="Service Unavailable", content_type="text/plain; charset=utf-8")
        self.set(url, *([down] * times), Reply(200, body=body))

    def endless(self, url: str) -> None:
        """A body that never ends (chunked); the client must stop after a prefix."""
        self.set(url, Reply(200, stream="endless", content_type="text/html; charset=utf-8"))

    def huge(self, url: str, size: int = 5 * 1024**3) -> None:
        """A body advertised with ``Content-Length: size`` and produced lazily."""
        self.set(url, Reply(200, stream="huge", size=size, content_type="application/pdf"))

    def reset(self, url: str) -> None:
        """Status line and half the body, then the connection is aborted."""
        self.set(url, Reply(200, stream="reset"))

    def hang_up(self, url: str) -> None:
        """The connection closes before any status line."""
        self.set(url, Reply(stream="drop"))

    def counter(self, url: str) -> None:
        """A page whose body names the hit number: ``hit 1``, ``hit 2`` …"""
        self.page(url, lambda n: f"hit {n}", content_type="text/plain; charset=utf-8")

    def hits(self, url: str) -> int:
        """Requests received for ``url`` (as declared, or as requested when undeclared)."""
        return self.hit_counts[normalise_url(url)]

    def sent(self, url: str) -> int:
        """Body bytes written for ``url``: how far a client read into a stream before leaving."""
        return self.bytes_sent[normalise_url(url)]


@dataclass
class World:
    """Everything one test's fake internet knows."""

    arxiv: ArxivWorld = field(default_factory=ArxivWorld)
    github: GitHubWorld = field(default_factory=GitHubWorld)
    hf: HfWorld = field(default_factory=HfWorld)
    web: WebWorld = field(default_factory=WebWorld)
