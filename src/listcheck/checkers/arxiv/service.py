"""arXiv as a service: the links it claims, how its checker is built, and what an
answer means for one link (no such paper, no such version, withdrawn)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from listcheck.checkers.arxiv.entries import ArxivEntries
from listcheck.checkers.arxiv.suggest import title_target
from listcheck.checkers.base import ArxivTarget, Checker, CheckResult, Target
from listcheck.checkers.service import RunContext, Service, Unchecked
from listcheck.classify import Classified
from listcheck.config import Config
from listcheck.models import Document, Entry, Finding, Link, LinkKind, Verdict
from listcheck.rules.base import finding

RULES = (
    "arxiv/not-found",
    "arxiv/version-not-found",
    "arxiv/withdrawn",
    "arxiv/title-mismatch",
    "arxiv/title-typo",
    "arxiv/title-outdated",
    "arxiv/title-editorial",
)


def claim(link: Link | Classified, url: str) -> Target | Unchecked | None:
    if link.kind is not LinkKind.ARXIV or link.arxiv is None:
        return None
    if not link.arxiv.valid:
        # The offline rule ``arxiv/malformed-id`` reports it; there is nothing to ask.
        return Unchecked(Verdict.BROKEN, "not a valid arXiv id")
    return ArxivTarget(id=link.arxiv.id)


def api(config: Config, environ: Mapping[str, str]) -> str:
    return str(config.arxiv.api_url)


def build_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.arxiv.checker import ArxivChecker

    arxiv = run.config.arxiv
    options: dict[str, Any] = {
        "api_url": str(arxiv.api_url),
        "min_interval": arxiv.min_interval,
        "batch_size": arxiv.batch_size,
        "max_title_searches": arxiv.max_title_searches,
        **run.options.get("arxiv", {}),
    }
    return ArxivChecker(run.engine, **options)


def tag_targets(doc: Document, entry: Entry) -> Sequence[Target]:
    """An id named only in a tag (``[arxiv 2310.12773]``) of an entry that links no
    arXiv page is asked too: the tag is the entry's only claim to a paper."""
    if any(doc.links[i].arxiv is not None for i in entry.links):
        return ()
    return tuple(ArxivTarget(id=tag.arxiv_id) for tag in entry.tags if tag.arxiv_id is not None)


def entry_targets(doc: Document, entry: Entry, config: Config) -> Sequence[Target]:
    """An id named only in a tag, and the title of a paper listed with no link
    (``entry/suggest-link``, :mod:`~listcheck.checkers.arxiv.suggest`)."""
    search = title_target(doc, entry, config)
    tags = tag_targets(doc, entry) if config.is_enabled("arxiv/not-found") else ()
    return tags if search is None else (*tags, search)


def judge_link(doc: Document, link: Link, result: CheckResult) -> tuple[Verdict, list[Finding]]:
    record = result.arxiv
    assert link.arxiv is not None
    if result.verdict is Verdict.BROKEN or record is None:
        detail = result.detail or f"arXiv has no paper {link.arxiv.id}"
        return Verdict.BROKEN, [
            finding(doc, "arxiv/not-found", link.line, link.column, detail, url=link.url)
        ]
    cited = link.arxiv.version
    if cited is not None and cited > record.version:
        latest = re.sub(rf"v{cited}(?=\D*$)", f"v{record.version}", link.url, count=1)
        missing = finding(
            doc,
            "arxiv/version-not-found",
            link.line,
            link.column,
            f"arXiv {link.arxiv.id} has no version v{cited}; its latest is v{record.version}",
            url=link.url,
            suggestion=latest if latest != link.url else None,
        )
        return Verdict.BROKEN, [missing]
    if not record.withdrawn:
        return Verdict.OK, []
    why = f": {' '.join(record.comment.split())}" if record.comment else ""
    withdrawn = finding(
        doc,
        "arxiv/withdrawn",
        link.line,
        link.column,
        f"arXiv {link.arxiv.id} was withdrawn{why}",
        url=link.url,
    )
    return Verdict.OK, [withdrawn]


SERVICE = Service(
    name="arxiv",
    label="arXiv",
    rules=RULES,
    claim=claim,
    checker=build_checker,
    judge_link=judge_link,
    entry_rules=("entry/suggest-link",),
    entry_targets=entry_targets,
    entry_judge=ArxivEntries,
    api=api,
    one_at_a_time=True,
)
