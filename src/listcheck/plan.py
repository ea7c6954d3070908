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

from listcheck.checkers.base import ArxivTarget, GithubTarget, HfTarget, WebTarget
from listcheck.config import Config
from listcheck.models import ArxivId, Document, Link, LinkKind, RepoSlug, Verdict

# Kinds judged from the file itself by the offline rules.
LOCAL_KINDS = frozenset({LinkKind.ANCHOR, LinkKind.FILE, LinkKind.EMPTY, LinkKind.MALFORMED})


UNCHANGED = "not checked: unchanged in this pull request"


@dataclass(frozen=True)
class LinkRef:
    """One place: link ``link`` of document ``doc`` (indexes into the run's lists)."""

    doc: int
    link: int


@dataclass(frozen=True)
class LocalVerdict:
    verdict: Verdict
    detail: str


@dataclass
class Plan:
    arxiv: dict[str, ArxivTarget] = field(default_factory=dict)
    github: dict[str, GithubTarget] = field(default_factory=dict)
    huggingface: dict[str, HfTarget] = field(default_factory=dict)
    web: dict[str, WebTarget] = field(default_factory=dict)
    places: dict[str, list[LinkRef]] = field(default_factory=dict)
    """Check key -> every link that the check answers for."""
    key_of: dict[LinkRef, str] = field(default_factory=dict)
    local: dict[LinkRef, LocalVerdict] = field(default_factory=dict)
    tag_ids: dict[tuple[int, int], ArxivId] = field(default_factory=dict)
    """(doc, entry) -> an arXiv id named only in a tag (``[arxiv 2310.12773]``)."""

    @property
    def remote_count(self) -> int:
        return len(self.arxiv) + len(self.github) + len(self.huggingface) + len(self.web)

    def _add(self, ref: LinkRef, key: str) -> None:
        self.places.setdefault(key, []).append(ref)
        self.key_of[ref] = key


def github_target(link: Link) -> GithubTarget | None:
    ref = link.github
    if ref is None:
        return None
    if ref.path_kind in ("tree", "blob") and ref.ref:
        return GithubTarget(slug=ref.slug, path_kind=ref.path_kind, ref=ref.ref, path=ref.path)
    return GithubTarget(slug=RepoSlug(ref.slug))


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
    for doc_index, doc in enumerate(documents):
        wanted_links = (only_links or {}).get(doc_index)
        wanted_entries = (only_entries or {}).get(doc_index)
        for link_index, link in enumerate(doc.links):
            ref = LinkRef(doc_index, link_index)
            if wanted_links is not None and link_index not in wanted_links:
                if link.kind not in LOCAL_KINDS:
                    plan.local[ref] = LocalVerdict(Verdict.SKIPPED, UNCHANGED)
                continue
            _plan_link(plan, ref, link, config)
        for entry_index, entry in enumerate(doc.entries):
            if wanted_entries is not None and entry_index not in wanted_entries:
                continue
            has_arxiv_link = any(doc.links[i].arxiv is not None for i in entry.links)
            for tag in entry.tags:
                if tag.arxiv_id is not None and not has_arxiv_link:
                    target = ArxivTarget(id=tag.arxiv_id)
                    plan.arxiv.setdefault(target.key, target)
                    plan.tag_ids[(doc_index, entry_index)] = tag.arxiv_id
    return plan


def _plan_link(plan: Plan, ref: LinkRef, link: Link, config: Config) -> None:
    if link.kind in LOCAL_KINDS:
        return  # the offline rules judge these
    if link.kind in (LinkKind.MAILTO, LinkKind.OTHER_SCHEME):
        plan.local[ref] = LocalVerdict(Verdict.SKIPPED, "not a web link")
        return
    if config.is_excluded(link.url):
        plan.local[ref] = LocalVerdict(Verdict.SKIPPED, "excluded by configuration")
        return
    if link.kind is LinkKind.ARXIV and link.arxiv is not None:
        if not link.arxiv.valid:
            plan.local[ref] = LocalVerdict(Verdict.BROKEN, "not a valid arXiv id")
            return
        arxiv = ArxivTarget(id=link.arxiv.id)
        plan.arxiv.setdefault(arxiv.key, arxiv)
        plan._add(ref, arxiv.key)
    elif link.kind is LinkKind.GITHUB and (github := github_target(link)) is not None:
        plan.github.setdefault(github.key, github)
        plan._add(ref, github.key)
    elif link.kind is LinkKind.HUGGINGFACE and link.hf is not None:
        hf = HfTarget(repo_type=link.hf.repo_type, repo_id=link.hf.repo_id)
        plan.huggingface.setdefault(hf.key, hf)
        plan._add(ref, hf.key)
    else:
        web = WebTarget(url=link.url)
        plan.web.setdefault(web.key, web)
        plan._add(ref, web.key)
