"""The papers ``listcheck add`` is asked for: what the user typed, and what arXiv says.

Everything is asked in one ``id_list`` call through :class:`ArxivChecker`, so adding
ten papers costs one API call under the same pacing, timeouts and engine as a check.
A paper arXiv does not know or has withdrawn is refused before anything is written
(exit 2: the input is wrong); an API that could not be asked is a different failure
(:class:`ArxivUnavailable`), because the same command will work a minute later.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from listcheck.arxiv_ids import arxiv_id_problem, id_year_month, parse_arxiv_id
from listcheck.checkers import registry
from listcheck.checkers.arxiv.checker import ArxivChecker
from listcheck.checkers.arxiv.feed import FeedEntry
from listcheck.checkers.arxiv.service import SERVICE as ARXIV
from listcheck.checkers.base import CheckResult
from listcheck.checkers.service import RunContext
from listcheck.classify import classify_url
from listcheck.config import Config
from listcheck.errors import ExitCode, InputError, ListcheckError
from listcheck.models import ArxivId, Verdict
from listcheck.net.engine import Engine

_GITHUB_REPO = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))"
    r"/(?P<name>[A-Za-z0-9._-]+)",
    re.ASCII,
)
_NOT_OWNERS = frozenset({"orgs", "topics", "features", "about", "sponsors", "marketplace"})

_VENUES = (
    "ICLR|NeurIPS|NIPS|ICML|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|EACL|COLING|AAAI|IJCAI|KDD|"
    "WWW|SIGIR|TACL|TMLR|COLM|WACV|BMVC|AISTATS|UAI|CoRL|ICRA|IROS|Interspeech|ICASSP|"
    "MICCAI|SIGGRAPH|CHI|USENIX Security|CCS|S&P|ACM MM|MLSys|ICDE|SIGMOD|VLDB"
)
_VENUE = re.compile(
    rf"(?<![A-Za-z])(?P<venue>{_VENUES})(?:\s*Findings)?[\s'’]*(?P<year>(?:19|20)\d{{2}}|'?\d{{2}})\b"
)
_NOT_YET = re.compile(
    r"\b(?:submitted|submission|under\s+review|in\s+review|to\s+appear\s+soon)\b[^.;]*$",
    re.IGNORECASE,
)
""""Submitted to ICML 2025" names a venue the paper has not reached."""


class ArxivUnavailable(ListcheckError):
    """The arXiv API could not be asked (network, rate limit, a broken answer)."""

    exit_code = ExitCode.UNAVAILABLE


@dataclass(frozen=True)
class Paper:
    id: ArxivId
    title: str
    """On one line, whitespace collapsed (arXiv wraps long titles)."""
    summary: str
    comment: str
    authors: tuple[str, ...]
    journal_ref: str
    published: str = ""
    """When v1 was submitted (``2025-05-02T17:59:01Z``): the date and the preprint year a
    list writes for it."""

    @property
    def year_month(self) -> tuple[int, int]:
        """The month arXiv announced the paper: what a list's month tag says and what
        ``arxiv/tag-month`` compares a tag with."""
        return id_year_month(self.id)

    @property
    def code_url(self) -> str | None:
        """The first GitHub repository the comments or the abstract name; a code link is
        only ever added from what the authors wrote."""
        for text in (self.comment, self.summary):
            for match in _GITHUB_REPO.finditer(text):
                owner, name = match["owner"], match["name"].rstrip(".")
                name = name.removesuffix(".git")
                if owner.lower() in _NOT_OWNERS or not name or name in {".", ".."}:
                    continue
                return f"https://github.com/{owner}/{name}"
        return None

    @property
    def published_on(self) -> tuple[int, int, int] | None:
        """(year, month, day) of the first version, when arXiv said."""
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", self.published)
        if match is None:
            return None
        return int(match[1]), int(match[2]), int(match[3])

    @property
    def venue(self) -> str | None:
        """``ICLR 2024`` when the journal reference or the comments say where the paper
        appeared; None otherwise (a venue is never guessed)."""
        for text in (self.journal_ref, self.comment):
            match = next(
                (m for m in _VENUE.finditer(text) if not _NOT_YET.search(text[: m.start()])),
                None,
            )
            if match is not None:
                year = match["year"].lstrip("'")
                if len(year) == 2:
                    year = f"20{year}"
                name = "NeurIPS" if match["venue"] == "NIPS" else match["venue"]
                return f"{name} {year}"
        return None


def arxiv_id_of(argument: str) -> ArxivId:
    """The id named by ``2401.00001``, ``arXiv:2401.00001v2`` or any arXiv URL form;
    :class:`InputError` for anything else."""
    text = argument.strip()
    bare = re.sub(r"^arxiv:\s*", "", text, flags=re.IGNORECASE)
    parsed = parse_arxiv_id(bare)
    if parsed is not None:
        return parsed[0]
    if "arxiv.org" in text.lower():
        classified = classify_url(text if "://" in text else f"https://{text}")
        if classified.arxiv is not None and classified.arxiv.valid:
            return classified.arxiv.id
    problem = arxiv_id_problem(bare) if "/" not in bare or "arxiv" not in bare else None
    why = f" ({problem})" if problem else ""
    raise InputError(f"{argument!r} is not an arXiv id or arXiv URL{why}")


def fetch_papers(ids: Sequence[ArxivId], config: Config) -> list[Paper]:
    """Every paper, in order, from one paced API call; refuses (nothing is written by
    the caller) when one of them is unknown, withdrawn or could not be asked."""

    async def ask() -> dict[ArxivId, tuple[CheckResult, FeedEntry | None]]:
        # Built as a run builds it: the service's own checker, pace and connection limit.
        engine = Engine.from_config(config.http, host_limits=registry.host_limits(config, {}))
        checker = ARXIV.checker(RunContext(engine=engine, config=config, environ={}))
        assert isinstance(checker, ArxivChecker)
        async with engine:
            return await checker.fetch_papers(ids)

    answers = asyncio.run(ask())
    papers: list[Paper] = []
    for arxiv_id in ids:
        result, entry = answers[arxiv_id]
        papers.append(_paper(arxiv_id, result, entry))
    return papers


def _paper(arxiv_id: ArxivId, result: CheckResult, entry: FeedEntry | None) -> Paper:
    if result.verdict is Verdict.TRANSIENT:
        raise ArxivUnavailable(f"arXiv {arxiv_id}: {result.detail}; nothing was written")
    if result.verdict is not Verdict.OK or entry is None:
        detail = result.detail or f"arXiv has no paper {arxiv_id}"
        raise InputError(f"arXiv {arxiv_id}: {detail}; nothing was written")
    if entry.withdrawn:
        why = " ".join((entry.comment or "").split())
        raise InputError(f"arXiv {arxiv_id} was withdrawn ({why}); a withdrawn paper is not added")
    return Paper(
        id=arxiv_id,
        title=" ".join(entry.title.split()),
        summary=" ".join((entry.summary or "").split()),
        comment=" ".join((entry.comment or "").split()),
        authors=entry.authors,
        journal_ref=" ".join((entry.journal_ref or "").split()),
        published=entry.published or "",
    )
