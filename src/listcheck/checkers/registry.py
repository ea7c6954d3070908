"""Every remote service, in the one place that lists them.

A service is a :class:`Service`: its name, the rules its answers feed (a service none of
whose rules is selected is never asked), which links it claims (as targets), the host a
target is asked at, and how its checker is built for a run. The plan asks each service
in turn to claim a link (the first to claim it checks it; ``web`` claims every http(s)
URL, so it comes last), and the check stage builds and runs one checker per service.
Adding a service is one module with its checker and one entry in :data:`SERVICES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from yarl import URL

from listcheck.checkers.base import (
    ArxivTarget,
    Checker,
    GithubTarget,
    HfTarget,
    Target,
    WebTarget,
)
from listcheck.classify import Classified
from listcheck.config import Config
from listcheck.models import Link, LinkKind, RepoSlug

if TYPE_CHECKING:
    from listcheck.net.engine import Engine


@dataclass
class RunContext:
    """What a checker may need from the run: the engine every service shares, the
    settings, the environment, tokens, and where to leave one-line notes."""

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
class Service:
    name: str
    rules: tuple[str, ...]
    """The rules whose findings this service's answers can give."""
    claim: Callable[[Link | Classified, str], Target | None]
    """The target for a link (with its URL as written), or None when not this service's."""
    host: Callable[[Config, Mapping[str, str], Any], str | None]
    """The host a target is asked at (an API's, or the URL's own)."""
    checker: Callable[[RunContext], Checker[Any]]


def _claim_arxiv(link: Link | Classified, url: str) -> Target | None:
    if link.kind is LinkKind.ARXIV and link.arxiv is not None and link.arxiv.valid:
        return ArxivTarget(id=link.arxiv.id)
    return None


def _claim_github(link: Link | Classified, url: str) -> Target | None:
    github = link.github
    if link.kind is not LinkKind.GITHUB or github is None:
        return None
    if github.path_kind in ("tree", "blob") and github.ref:
        return GithubTarget(
            slug=github.slug, path_kind=github.path_kind, ref=github.ref, path=github.path
        )
    return GithubTarget(slug=RepoSlug(github.slug))


def _claim_hf(link: Link | Classified, url: str) -> Target | None:
    if link.kind is LinkKind.HUGGINGFACE and link.hf is not None:
        return HfTarget(repo_type=link.hf.repo_type, repo_id=link.hf.repo_id)
    return None


def _arxiv_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.arxiv import ArxivChecker

    arxiv = run.config.arxiv
    options: dict[str, Any] = {
        "api_url": str(arxiv.api_url),
        "min_interval": arxiv.min_interval,
        "batch_size": arxiv.batch_size,
        **run.options.get("arxiv", {}),
    }
    return ArxivChecker(run.engine, **options)


def _github_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.github.checker import GithubChecker

    base = run.config.github.api_base(run.environ)
    return GithubChecker(run.engine, base, run.tokens.get("github"), etags=run.validators)


def _hf_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.huggingface import HuggingfaceChecker

    base = run.config.huggingface.api_base(run.environ)
    return HuggingfaceChecker(run.engine, base, run.tokens.get("huggingface"))


def _web_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.web import WebChecker

    return WebChecker(run.engine)


SERVICES: tuple[Service, ...] = (
    Service(
        "arxiv",
        (
            "arxiv/not-found",
            "arxiv/version-not-found",
            "arxiv/withdrawn",
            "arxiv/title-mismatch",
            "arxiv/title-typo",
            "arxiv/title-outdated",
            "arxiv/title-editorial",
        ),
        _claim_arxiv,
        lambda config, environ, target: URL(str(config.arxiv.api_url)).host,
        _arxiv_checker,
    ),
    Service(
        "github",
        ("github/not-found", "github/renamed", "github/archived", "github/path-not-found"),
        _claim_github,
        lambda config, environ, target: URL(config.github.api_base(environ)).host,
        _github_checker,
    ),
    Service(
        "huggingface",
        ("hf/not-found", "link/moved"),
        _claim_hf,
        lambda config, environ, target: URL(config.huggingface.api_base(environ)).host,
        _hf_checker,
    ),
    Service(
        "web",
        ("link/broken", "link/moved"),
        lambda link, url: WebTarget(url=url),
        lambda config, environ, target: URL(target.url).host,
        _web_checker,
    ),
)
"""In claiming order: the first service to claim a link checks it."""
