"""The plan stage: the parsed lists -> the unique remote checks, grouped by service.

However many places cite an arXiv id, a repository or a URL, it is checked once; every
place maps back to its check through :class:`LinkRef`. What needs no network (anchors,
relative files) or cannot be checked (other schemes, URLs excluded by configuration) is
planned as a local verdict instead, so every link ends up with exactly one answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from listcheck.checkers import registry
from listcheck.checkers.base import Target
from listcheck.checkers.service import Service
from listcheck.checkers.service import Unchecked as LocalVerdict
from listcheck.classify import Classified, classify_url
from listcheck.config import Config
from listcheck.models import Document, Link, LinkKind, Verdict
from listcheck.rows import LOCAL_KINDS

UNCHANGED = "not checked: unchanged in this pull request"


@dataclass(frozen=True)
class LinkRef:
    """One place: link ``link`` of document ``doc`` (indexes into the run's lists)."""

    doc: int
    link: int


@dataclass
class Plan:
    targets: dict[str, dict[str, Target]] = field(default_factory=dict)
    """Service name -> check key -> the one target that check asks about."""
    places: dict[str, list[LinkRef]] = field(default_factory=dict)
    """Check key -> every link that the check answers for."""
    key_of: dict[LinkRef, str] = field(default_factory=dict)
    local: dict[LinkRef, LocalVerdict] = field(default_factory=dict)
    entry_keys: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    """(doc, entry) -> the checks an entry asks for beyond its links (an arXiv id named
    only in a tag, ``[arxiv 2310.12773]``)."""

    def _add(self, ref: LinkRef, key: str) -> None:
        self.places.setdefault(key, []).append(ref)
        self.key_of[ref] = key

    def of(self, service: str) -> dict[str, Target]:
        return self.targets.get(service, {})

    def keys(self) -> set[str]:
        """Every check key of the plan (a key asked by an entry, not a link, too)."""
        return {key for targets in self.targets.values() for key in targets}

    def ask(self, service: str, target: Target) -> None:
        self.targets.setdefault(service, {}).setdefault(target.key, target)


def claim(link: Link | Classified, url: str) -> tuple[Service, Target | LocalVerdict]:
    """The service that checks a web link, and what it asks (an arXiv id, a repository,
    a Hugging Face repo, or the URL itself) or the verdict it gives without asking: the
    first service to claim the link."""
    for service in registry.SERVICES:
        target = service.claim(link, url)
        if target is not None:
            return service, target
    raise AssertionError("the web service claims every URL")


def remote_target(link: Link | Classified, url: str) -> Target | None:
    """The one check that answers for a web link (None when nothing is asked). Also
    used to find a URL's history in the cache."""
    target = claim(link, url)[1]
    return None if isinstance(target, LocalVerdict) else target


NOT_SELECTED = "no selected rule needs it checked"


def _wanted_services(config: Config, *, entries: bool = False) -> frozenset[str]:
    """A service none of whose rules is selected is not asked at all: ``--ignore arxiv``
    spends no arXiv call, and ``link/transient`` alone is no reason to ask (it only says
    that an answer did not come). ``entries``: the services whose entry targets are
    wanted, which their entry rules alone make so."""
    return frozenset(
        service.name
        for service in registry.SERVICES
        if any(
            config.is_enabled(rule)
            for rule in (*service.rules, *(service.entry_rules if entries else ()))
        )
    )


def check_key(url: str) -> str | None:
    """The cache key of the check that answers for ``url`` (None when none does)."""
    target = remote_target(classify_url(url), url)
    return None if target is None else target.key


def plan_checks(
    documents: Sequence[Document],
    config: Config,
    *,
    only_links: Mapping[int, AbstractSet[int]] | None = None,
    only_entries: Mapping[int, AbstractSet[int]] | None = None,
) -> Plan:
    """``only_links``/``only_entries`` (by document index; a document missing from them is
    planned whole) restrict the network to what a pull request changed: every other link
    is planned as skipped, so unchanged lines cost no request."""
    plan = Plan()
    wanted = _wanted_services(config)
    asked_by_entries = _wanted_services(config, entries=True)
    for doc_index, doc in enumerate(documents):
        wanted_links = (only_links or {}).get(doc_index)
        wanted_entries = (only_entries or {}).get(doc_index)
        for link_index, link in enumerate(doc.links):
            ref = LinkRef(doc_index, link_index)
            if wanted_links is not None and link_index not in wanted_links:
                if link.kind not in LOCAL_KINDS:
                    plan.local[ref] = LocalVerdict(Verdict.SKIPPED, UNCHANGED)
                continue
            _plan_link(plan, ref, link, config, wanted)
        if wanted_entries is None or wanted_entries:
            _plan_entries(plan, doc_index, doc, config, asked_by_entries, wanted_entries)
    return plan


def _plan_link(
    plan: Plan, ref: LinkRef, link: Link, config: Config, wanted: AbstractSet[str]
) -> None:
    if link.kind in LOCAL_KINDS:
        return  # the offline rules judge these
    if link.kind in (LinkKind.MAILTO, LinkKind.OTHER_SCHEME):
        plan.local[ref] = LocalVerdict(Verdict.SKIPPED, "not a web link")
        return
    if config.is_excluded(link.url):
        plan.local[ref] = LocalVerdict(Verdict.SKIPPED, "excluded by configuration")
        return
    service, target = claim(link, link.url)
    if isinstance(target, LocalVerdict):
        plan.local[ref] = target
        return
    if service.name not in wanted:
        plan.local[ref] = LocalVerdict(Verdict.SKIPPED, NOT_SELECTED)
        return
    plan.ask(service.name, target)
    plan._add(ref, target.key)


def _plan_entries(
    plan: Plan,
    doc_index: int,
    doc: Document,
    config: Config,
    wanted: AbstractSet[str],
    only: AbstractSet[int] | None,
) -> None:
    """What entries ask beyond their links, of the services that ask entries anything."""
    services = [s for s in registry.SERVICES if s.entry_targets is not None and s.name in wanted]
    for entry_index, entry in enumerate(doc.entries):
        if only is not None and entry_index not in only:
            continue
        for service in services:
            assert service.entry_targets is not None
            for target in service.entry_targets(doc, entry, config):
                plan.ask(service.name, target)
                plan.entry_keys.setdefault((doc_index, entry_index), []).append(target.key)
