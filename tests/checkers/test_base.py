"""Every checker makes its results one way (:meth:`Checker.answer`): keyed by the target
and stamped by the checker's own clock, which tests inject."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from listcheck.checkers.arxiv.checker import ArxivChecker
from listcheck.checkers.base import ArxivTarget, Checker, HfTarget, WebTarget
from listcheck.checkers.github.checker import GithubChecker
from listcheck.checkers.huggingface.checker import HuggingfaceChecker
from listcheck.checkers.web.checker import WebChecker
from listcheck.models import ArxivId, HfRepoId, Verdict
from listcheck.net.engine import Engine

STAMP = 1_234_567_890.0


def _fixed() -> float:
    return STAMP


def _hf_refused(engine: Engine) -> Checker[Any]:
    checker = HuggingfaceChecker(engine, "http://127.0.0.1:9", clock=_fixed)
    checker.auth_error = "the Hugging Face Hub rejected the token (Invalid); check HF_TOKEN"
    return checker


# Targets each checker answers without a request: an id that cannot be valid, a URL
# that is not http(s), a Hub already known to refuse the token.
CASES: list[tuple[str, Callable[[Engine], Checker[Any]], Any, Verdict]] = [
    (
        "arxiv",
        lambda engine: ArxivChecker(engine, api_url="http://127.0.0.1:9/api", wall_clock=_fixed),
        ArxivTarget(id=ArxivId("2401.00001"), version=0),
        Verdict.SKIPPED,
    ),
    (
        "web",
        lambda engine: WebChecker(engine, wall_clock=_fixed),
        WebTarget(url="ftp://files.example.org/paper.pdf"),
        Verdict.SKIPPED,
    ),
    (
        "huggingface",
        _hf_refused,
        HfTarget(repo_type="models", repo_id=HfRepoId("org/model")),
        Verdict.SKIPPED,
    ),
]


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    async with Engine(timeout=1.0, retries=0, max_redirects=1, per_host=1, total=1) as running:
        yield running


@pytest.mark.parametrize(("name", "build", "target", "verdict"), CASES, ids=[c[0] for c in CASES])
async def test_a_checker_stamps_its_answers_with_its_own_clock(
    name: str,
    build: Callable[[Engine], Checker[Any]],
    target: Any,
    verdict: Verdict,
    engine: Engine,
) -> None:
    checker = build(engine)
    (result,) = await checker.check_all([target])
    assert (result.key, result.verdict, result.checked_at) == (target.key, verdict, STAMP)
    assert engine.requests_by_host == {}  # answered without asking anyone


async def test_the_github_checker_stamps_with_its_clock(engine: Engine) -> None:
    checker = GithubChecker(engine, "http://127.0.0.1:9", clock=_fixed)
    assert checker.wall_clock() == STAMP
    result = checker.answer(WebTarget(url="https://github.com/a/b"), Verdict.OK)
    assert (result.checked_at, result.key) == (STAMP, "web:https://github.com/a/b")
