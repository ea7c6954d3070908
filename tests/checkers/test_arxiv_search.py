"""arXiv title searches (``entry/suggest-link``): the query, its batches and pace, the
per-run cap, and which found paper counts as the listed one."""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from listcheck.checkers.arxiv.checker import ArxivChecker
from listcheck.checkers.arxiv.search import (
    MAX_QUERY_URL,
    TITLES_PER_SEARCH,
    batches,
    search_url,
    title_phrase,
)
from listcheck.checkers.arxiv.suggest import the_paper
from listcheck.checkers.base import ArxivHit, ArxivSearch, ArxivTarget, ArxivTitleTarget
from listcheck.models import ArxivId, Verdict
from listcheck.net import Engine
from listcheck.titles.match import TitleVerdict, same_paper_by_title
from tests.fakes import FakeInternet, World


class Clock:
    """A monotonic clock that moves only when the pacer sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    async with Engine(timeout=5.0, max_redirects=5, per_host=4, total=8, retries=0) as client:
        yield client


def checker(engine: Engine, server: FakeInternet, clock: Clock, **options: Any) -> ArxivChecker:
    return ArxivChecker(
        engine,
        api_url=server.arxiv_api_url,
        min_interval=3.0,
        clock=clock,
        sleep=clock.sleep,
        **options,
    )


def target(title: str) -> ArxivTitleTarget:
    phrase = title_phrase(title)
    assert phrase is not None
    return ArxivTitleTarget(phrase=phrase)


# ------------------------------------------------------------------------- the query


@pytest.mark.parametrize(
    ("title", "phrase"),
    [
        ("Erasing Concepts from Diffusion Models", "erasing concepts from diffusion models"),
        ('A "Quoted" OR (Grouped) Title: Sub-title', "a quoted or grouped title sub title"),
        (
            "Feature Unlearning for Pre-trained GANs and VAEs.",
            "feature unlearning for pre trained gans and vaes",
        ),
        ("LLaVA Bench", None),
        ("TOFU", None),
    ],
)
def test_a_title_is_asked_as_its_words_with_nothing_that_breaks_the_query(
    title: str, phrase: str | None
) -> None:
    assert title_phrase(title) == phrase
    if phrase is not None:
        assert not set('"():') & set(phrase)
        assert phrase == phrase.lower()


def test_the_query_ors_title_phrases_and_asks_by_relevance() -> None:
    url = search_url("https://export.arxiv.org/api/query", ["alpha beta gamma", "delta eps zeta"])
    params = parse_qs(urlsplit(url).query)
    assert params["search_query"] == ['ti:"alpha beta gamma" OR ti:"delta eps zeta"']
    assert params["sortBy"] == ["relevance"]
    assert int(params["max_results"][0]) >= 2


@pytest.mark.parametrize("count", [1, 19, 20, 21, 45, 100])
def test_titles_go_in_batches_of_twenty_within_the_url_limit(count: int) -> None:
    phrases = [f"a paper about topic number {n}" for n in range(count)]
    found = batches("https://export.arxiv.org/api/query", phrases)
    assert len(found) == math.ceil(count / TITLES_PER_SEARCH)
    assert [p for batch in found for p in batch] == phrases


def test_long_titles_make_more_batches_and_no_url_is_too_long() -> None:
    phrases = [" ".join(f"word{n}x{k}" for k in range(16)) for n in range(40)]
    api = "https://export.arxiv.org/api/query"
    found = batches(api, phrases)
    assert len(found) > math.ceil(40 / TITLES_PER_SEARCH)
    assert all(len(search_url(api, batch)) <= MAX_QUERY_URL for batch in found)


# ------------------------------------------------------------------------- the checker


async def test_many_titles_are_few_paced_searches(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    titles = [f"Paper Number {n} About Things" for n in range(45)]
    for n, title in enumerate(titles):
        fake_world.arxiv.add(f"2401.{n + 1:05d}", title)
    clock = Clock()
    arxiv = checker(engine, fake_server, clock)
    results = await arxiv.check_all([target(t) for t in titles])
    assert len(fake_world.arxiv.searches) == 3  # ceil(45 / 20)
    assert all(r.verdict is Verdict.OK for r in results)
    starts = arxiv.pacer.starts
    assert len(starts) == 3
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(starts))
    for n, result in enumerate(results):
        assert result.arxiv_search is not None
        ids = [hit.id for hit in result.arxiv_search.hits]
        # "Paper Number 1 About Things" is not in "Paper Number 10 About Things": the
        # phrase matches whole words in a row, as the API does.
        assert ids == [f"2401.{n + 1:05d}"]


async def test_ids_and_titles_share_one_checker_and_one_pace(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    fake_world.arxiv.add("2401.00002", "Erasing Concepts from Diffusion Models")
    clock = Clock()
    arxiv = checker(engine, fake_server, clock)
    wanted: list[ArxivTarget | ArxivTitleTarget] = [
        target("Erasing concepts from diffusion models"),
        ArxivTarget(id=ArxivId("2401.00001")),
    ]
    results = await arxiv.check_all(wanted)
    assert [r.key for r in results] == [t.key for t in wanted]
    assert len(arxiv.pacer.starts) == 2
    assert arxiv.pacer.starts[1] - arxiv.pacer.starts[0] >= 3.0


async def test_searches_past_the_cap_are_skipped_not_asked(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    titles = [f"Paper Number {n} About Things" for n in range(45)]
    arxiv = checker(engine, fake_server, Clock(), max_title_searches=2)
    results = await arxiv.check_all([target(t) for t in titles])
    assert len(fake_world.arxiv.searches) == 2
    verdicts = [r.verdict for r in results]
    assert verdicts == [Verdict.OK] * 40 + [Verdict.SKIPPED] * 5
    assert "arxiv.max_title_searches" in results[-1].detail


async def test_a_failed_search_is_transient(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    from tests.fakes import Forced

    fake_world.arxiv.force(Forced.reply(503, "down"))
    arxiv = checker(engine, fake_server, Clock())
    [result] = await arxiv.check_all([target("Erasing Concepts from Diffusion Models")])
    assert result.verdict is Verdict.TRANSIENT
    assert result.arxiv_search is None


async def test_an_answer_cut_short_is_marked_incomplete(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    for n in range(60):
        fake_world.arxiv.add(f"2402.{n + 1:05d}", f"Diffusion Models Part {n} of the Series")
    arxiv = checker(engine, fake_server, Clock())
    [result] = await arxiv.check_all([target("Diffusion Models Part")])
    assert result.arxiv_search is not None
    assert not result.arxiv_search.complete
    assert len(result.arxiv_search.hits) == 25


# ------------------------------------------------------------------------- same paper?

LISTED = "Erasing Concepts from Diffusion Models"
LONG = "Adapt then Unlearn: Exploiting Parameter Space Semantics for Unlearning in Generative"


@pytest.mark.parametrize(
    ("listed", "found", "verdict"),
    [
        (LISTED, "Erasing Concepts from Diffusion Models", TitleVerdict.SAME),
        (LISTED, "Erasing concepts from diffusion models.", TitleVerdict.SAME),
        # a near miss: one word off
        (LISTED, "Erasing Concepts from Diffusion Model", None),
        (LISTED, "Erasing Concepts in Diffusion Models", None),
        # a longer title that holds the listed one
        (LISTED, "Ablating and Erasing Concepts from Diffusion Models", None),
        (LISTED, "Erasing Concepts from Diffusion Models: A Survey", None),
        (LISTED, "Erasing Concepts from Diffusion Models with Less Forgetting", None),
        # long enough that only the same paper starts with it (titles.match's bound)
        (LONG, LONG + " Adversarial Networks", TitleVerdict.SHORTENED),
        (
            LONG + " Adversarial Networks",
            LONG + " Adversarial Networks: Extended Version",
            TitleVerdict.PART,
        ),
        # a dropped subtitle, but too few words to rule out another paper
        (
            "Adapt then Unlearn: Exploiting Parameter Space Semantics for Unlearning",
            LONG + " Adversarial Networks",
            None,
        ),
    ],
)
def test_only_the_same_title_or_a_long_prefix_is_the_same_paper(
    listed: str, found: str, verdict: TitleVerdict | None
) -> None:
    assert same_paper_by_title(listed, found) is verdict


def hit(arxiv_id: str, title: str) -> ArxivHit:
    return ArxivHit(id=ArxivId(arxiv_id), title=title)


@pytest.mark.parametrize(
    ("hits", "complete", "expected"),
    [
        ([hit("2303.07345", LISTED)], True, "2303.07345"),
        # the exact title wins over a longer one that starts with it
        ([hit("2401.1", LISTED + ": A Survey"), hit("2303.07345", LISTED)], True, "2303.07345"),
        # two papers under one title: which one is meant is not ours to say
        ([hit("2303.07345", LISTED), hit("2310.00001", LISTED)], True, None),
        # only near misses
        ([hit("2401.1", "Erasing Concepts from Diffusion Model")], True, None),
        ([], True, None),
        # the one found, but arXiv sent only part of what it has
        ([hit("2303.07345", LISTED)], False, "cut"),
        ([hit("2401.1", "Ablating Concepts in Diffusion Models")], False, None),
    ],
)
def test_the_paper_is_the_one_same_title(
    hits: list[ArxivHit], complete: bool, expected: str | None
) -> None:
    found = the_paper(LISTED, ArxivSearch(hits=tuple(hits), complete=complete))
    if expected == "cut":
        assert isinstance(found, str)
        assert "more results" in found
    else:
        assert (found.id if isinstance(found, ArxivHit) else found) == expected
