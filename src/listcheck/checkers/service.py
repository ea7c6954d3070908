"""What a remote service is to the rest of listcheck: one :class:`Service` value.

A service owns its whole story. It *claims* the links it checks (turning each into a
target), names the *host* a target is asked at (so a machine without name resolution
can hold it back), *builds its checker* for a run, and *judges* what its checker
answered: each link's verdict and findings, and, for a service that knows more than
single links (arXiv knows titles), the findings about whole entries. The plan, the
check stage and the judge loop over :data:`~listcheck.checkers.registry.SERVICES` and
call these; none of them names a service.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from yarl import URL

from listcheck.checkers.base import Checker, CheckResult, Target
from listcheck.classify import Classified
from listcheck.config import Config
from listcheck.models import Document, Entry, Finding, Link, Verdict
from listcheck.net.urls import Origin, origin
from listcheck.rules.base import finding

if TYPE_CHECKING:
    from listcheck.net.engine import Engine
    from listcheck.plan import Plan


@dataclass
class RunContext:
    """What a checker may need from the run: the engine every service shares, the
    settings, the environment, tokens, and what the cache kept."""

    engine: Engine
    config: Config
    environ: Mapping[str, str]
    tokens: Mapping[str, str | None] = field(default_factory=dict)
    """Service name -> the token it may use (already scoped to its origin)."""
    validators: Mapping[str, str] = field(default_factory=dict)
    """Check key -> what the cache kept to revalidate it (GitHub's ETags)."""
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Service name -> extra checker arguments (tests pace arXiv faster)."""


@dataclass(frozen=True)
class Unchecked:
    """A link a service owns but will not ask about, and the verdict it has anyway (an
    arXiv URL whose id is malformed is broken without a request)."""

    verdict: Verdict
    detail: str


LinkJudge = Callable[[Document, Link, CheckResult], tuple[Verdict, list[Finding]]]
"""A definite answer (ok, moved or broken) -> the link's verdict and its findings.
Transient and skipped answers never reach it: the judge treats them alike for every
service."""


class EntryJudge(Protocol):
    """A service's judgement of whole entries for one run. It is made before the check
    stage, so what it works out while saying which follow-up checks it needs is not
    worked out again when it gives its findings."""

    def followups(self, results: Mapping[str, CheckResult]) -> Sequence[Target]:
        """Targets to ask after the first round, given its answers (arXiv: earlier
        versions of a paper whose listed title matches no current title)."""
        ...

    def findings(self, results: Mapping[str, CheckResult]) -> list[Finding]:
        """The entry findings, given every answer (the follow-ups' too)."""
        ...


def judge_web_link(doc: Document, link: Link, result: CheckResult) -> tuple[Verdict, list[Finding]]:
    """The judgement of a service that knows only "there", "moved" and "gone"."""
    if result.verdict is Verdict.BROKEN:
        return result.verdict, [
            finding(doc, "link/broken", link.line, link.column, result.detail, url=link.url)
        ]
    if result.verdict is Verdict.MOVED and result.final_url:
        moved = finding(
            doc,
            "link/moved",
            link.line,
            link.column,
            f"permanently redirected to {result.final_url}",
            url=link.url,
            suggestion=result.final_url,
        )
        return result.verdict, [moved]
    return result.verdict, []


def replace_in_path(url: str, old: str, new: str) -> str:
    """``url`` with ``old`` (a repository slug or id) replaced by ``new`` in its path only
    (never in the host: ``github.com/com/com``)."""
    parts = urlsplit(url)
    path = re.sub(re.escape(old), lambda _: new, parts.path, count=1, flags=re.IGNORECASE)
    return urlunsplit(parts._replace(path=path))


@dataclass(frozen=True)
class Service:
    name: str
    rules: tuple[str, ...]
    """The rules whose findings this service's answers can give; a service none of whose
    rules is selected is never asked."""
    claim: Callable[[Link | Classified, str], Target | Unchecked | None]
    """The target for a link (with its URL as written), :class:`Unchecked` for a link of
    this service that cannot be asked about, or None when not this service's."""
    checker: Callable[[RunContext], Checker[Any]]
    host: Callable[[Config, Mapping[str, str], Any], str | None] | None = None
    """The host a target is asked at, for a service that asks each link's own host (the
    web); a service with an :attr:`api` is asked at the API's host."""
    label: str = ""
    """The name readers know the service by ("Hugging Face"); defaults to ``name``."""
    judge_link: LinkJudge = judge_web_link
    entry_rules: tuple[str, ...] = ()
    """Rules served by entry targets alone: one of these selected asks what entries ask
    (an entry's title), never about the links (``--ignore arxiv`` sends no arXiv request
    for a link, whatever ``entry/suggest-link`` wants)."""
    entry_targets: Callable[[Document, Entry, Config], Sequence[Target]] | None = None
    """Targets an entry asks about beyond its links (arXiv: an id named only in a tag, the
    title of an entry with no link), given the run's settings (what a rule that is not
    selected would ask is not asked)."""
    entry_judge: Callable[[Sequence[Document], Plan], EntryJudge] | None = None
    revalidates: bool = False
    """Whether a stale answer is asked again with what the cache kept (an ETag), so an
    unchanged answer costs no quota (GitHub)."""
    api: Callable[[Config, Mapping[str, str]], str] | None = None
    """The API address the service asks (None: each link's own host)."""
    one_at_a_time: bool = False
    """At most one connection to :attr:`api` (arXiv's terms of use)."""
    public_api: str | None = None
    """The API everyone shares. Answers of any other (an enterprise server, a mirror)
    are cached apart, under :attr:`key_prefix` scoped by that API's address."""
    key_prefix: str = ""
    """What every check key of the service starts with (``github:``)."""
    api_env: str | None = None
    """The environment variable that names the API (``GITHUB_API_URL``, set by GitHub
    Actions itself, also on GitHub Enterprise)."""
    token_env: str | None = None
    """The environment variable holding the service's token (``GITHUB_TOKEN``)."""

    @property
    def title(self) -> str:
        return self.label or self.name

    def host_of(self, config: Config, environ: Mapping[str, str], target: Any) -> str | None:
        """The host ``target`` is asked at."""
        if self.host is not None:
            return self.host(config, environ, target)
        return URL(self.api(config, environ)).host if self.api is not None else None

    def token_origin(self, environ: Mapping[str, str]) -> Origin | None:
        """The one origin the service's token is for: the API the environment names, else
        the public one. With an enterprise API named, the public API is *not* trusted
        (the token was minted there), and an address a configuration file chose (a pull
        request can change it) never gets the token."""
        if self.public_api is None:
            return None
        named = environ.get(self.api_env) if self.api_env is not None else None
        return origin(URL(named or self.public_api))
