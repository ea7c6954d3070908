"""Lists that name papers their own way: the threshold and the figures it quotes."""

from __future__ import annotations

import pytest

from listcheck.titles.compare import judge_title
from listcheck.titles.editorial import EDITORIAL_MIN_MISMATCHES, EDITORIAL_MIN_SHARE, names_its_own
from listcheck.titles.match import TitleVerdict
from tests.titles.cases import CASES, earlier_of

MERCURY = "Mercury: Ultra-Fast Language Models Based on Diffusion"


def _rates(how: str) -> tuple[int, int]:
    """(mismatches, titles compared) for the fixture's cases of one kind."""
    verdicts = [
        judge_title(case["listed"], case["arxiv_title"], earlier_of(case)).verdict
        for case in CASES
        if case["how"] == how
    ]
    compared = [v for v in verdicts if v not in (TitleVerdict.TOO_SHORT,)]
    return sum(v is TitleVerdict.MISMATCH for v in compared), len(compared)


def test_dair_ai_headlines_name_papers_their_own_way() -> None:
    """The figures ``names_its_own`` quotes: 7 of dair-ai's 53 compared headlines are
    mismatches (13 %); the mature list's own titles have none."""
    mismatches, compared = _rates("editorial headline")
    assert (mismatches, compared) == (7, 53)
    assert names_its_own(mismatches, compared)
    faithful, listed = _rates("known title")
    assert (faithful, listed >= 150) == (0, True)
    assert not names_its_own(faithful, listed)


@pytest.mark.parametrize(
    ("mismatches", "compared", "own"),
    [
        pytest.param(EDITORIAL_MIN_MISMATCHES - 1, 4, False, id="few-are-always-reported"),
        pytest.param(EDITORIAL_MIN_MISMATCHES, 100, True, id="five-of-a-hundred"),
        pytest.param(5, 101, False, id="under-five-percent"),
        pytest.param(4, 2929, False, id="diff-usion-wrong-ids"),
        pytest.param(700, 5300, True, id="dair-ai-share-at-scale"),
    ],
)
def test_names_its_own_threshold(mismatches: int, compared: int, own: bool) -> None:
    assert names_its_own(mismatches, compared) is own
    assert EDITORIAL_MIN_SHARE == 0.05


@pytest.mark.parametrize(
    ("listed", "arxiv", "verdict"),
    [
        pytest.param(
            "MEM1",
            "MEM1: Learning to Synergize Memory and Reasoning for Efficient Long-Horizon Agents",
            TitleVerdict.PART,
            id="dair-ai:158-name",
        ),
        pytest.param(
            "DeepRare",
            "DeepRare: A Rare Disease Diagnosis Agentic System",
            TitleVerdict.PART,
            id="dair-ai:161-name",
        ),
        pytest.param(
            "Ultra-Fast Diffusion-based Language Models",
            MERCURY,
            TitleVerdict.NEEDS_VERSIONS,
            id="dair-ai:157-headline",
        ),
    ],
)
def test_dair_ai_short_names_are_parts(listed: str, arxiv: str, verdict: TitleVerdict) -> None:
    """A name that is arXiv's first segment is the same paper; a headline of the list's
    own is judged like any title (and summed up per list by the judge)."""
    assert judge_title(listed, arxiv).verdict is verdict
