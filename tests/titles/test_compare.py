"""The title judge on the real-pair fixture, with earlier versions and several links.

The fixture ``tests/fixtures/titles_corpus.json`` holds real (listed, arXiv) pairs from
the awesome-genai-unlearning list, retitled papers, realistic slips and wrong-id pairs;
each case says how it was obtained.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from listcheck.titles.compare import (
    EntryTitleJudgement,
    TitleJudgement,
    collapse_whitespace,
    judge_entry_titles,
    judge_title,
)
from listcheck.titles.match import TitleVerdict
from tests.titles.cases import CASES, case_id, earlier_of

# --- the judge on the real fixture --------------------------------------------------


def test_fixture_is_labelled() -> None:
    hows = Counter(case["how"] for case in CASES)
    assert hows["known title"] >= 150
    assert hows["constructed mismatch pair"] >= 140
    assert hows["known retitle"] >= 8
    assert all(case["confidence"] in ("high", "medium") for case in CASES)
    assert hows["list prefix pair"] >= 4
    assert hows["constructed long prefix"] >= 8
    assert hows["editorial headline"] >= 50
    assert {case["expected"] for case in CASES} == {
        "same",
        "part",
        "too-short",
        "shortened",
        "typo",
        "outdated",
        "mismatch",
    }


@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_judge_fixture_case(case: dict[str, Any]) -> None:
    final = judge_title(case["listed"], case["arxiv_title"], earlier_of(case))
    first = judge_title(case["listed"], case["arxiv_title"])
    assert final.verdict == case["expected"], final.reason
    if case["provisional"] is None:
        assert first.verdict is final.verdict, "a fine verdict never waits for versions"
    else:
        assert first.verdict is TitleVerdict.NEEDS_VERSIONS
        assert first.provisional == case["provisional"]
    current = collapse_whitespace(case["arxiv_title"])
    assert final.arxiv_title == current
    if final.verdict in (TitleVerdict.TYPO, TitleVerdict.OUTDATED, TitleVerdict.SHORTENED):
        assert final.suggestion == current
        assert "\n" not in final.suggestion
    else:
        assert final.suggestion is None


def test_fixture_rates() -> None:
    """The figures the module documents: every case right, no false mismatch."""
    wrong = []
    false_mismatch = 0
    correct_titles = 0
    for case in CASES:
        verdict = judge_title(case["listed"], case["arxiv_title"], earlier_of(case)).verdict
        if verdict != case["expected"]:
            wrong.append(case["listed"])
        if case["expected"] != "mismatch":
            correct_titles += 1
            false_mismatch += verdict is TitleVerdict.MISMATCH
    assert correct_titles >= 200
    assert false_mismatch == 0
    assert wrong == []


# --- rules the issue states, on real titles -----------------------------------------


def test_typo_suggests_the_exact_arxiv_title_collapsed() -> None:
    listed = "A Probalisitic Perspective On Unlearning And Alignment For Large Language Models"
    arxiv = "A Probabilistic Perspective on Unlearning and Alignment for Large\n  Language Models"
    judged = judge_title(listed, arxiv, {})
    assert judged.verdict is TitleVerdict.TYPO
    assert judged.suggestion == (
        "A Probabilistic Perspective on Unlearning and Alignment for Large Language Models"
    )
    assert judged.verdict.rule == "arxiv/title-typo"
    assert 95 < judged.score < 100


def test_outdated_names_the_version_and_suggests_the_current_title() -> None:
    v1 = "MultiDelete for Multimodal Machine Unlearning"
    current = "MultiDelete: Multimodal Machine Unlearning"
    judged = judge_title(v1, current, {1: v1})
    assert judged.verdict is TitleVerdict.OUTDATED
    assert judged.matched_version == 1
    assert judged.suggestion == current
    assert judged.score == 100.0
    assert judged.verdict.rule == "arxiv/title-outdated"


def test_outdated_picks_the_closest_earlier_version() -> None:
    listed = "Towards Robust and Cost-Efficient Knowledge Unlearning for Large Language Models"
    earlier = {
        1: listed,
        2: "Towards Robust and Cost-Efficient Knowledge Unlearning for LLMs",
    }
    current = "Towards Robust and Parameter-Efficient Knowledge Unlearning for LLMs"
    assert judge_title(listed, current, earlier).matched_version == 1


def test_earlier_titles_do_not_override_a_closer_current_title() -> None:
    listed = (
        "Selective Amnesia: A Continual Learning Aproach to Forgetting in Deep Generative Models"
    )
    current = (
        "Selective Amnesia: A Continual Learning Approach to Forgetting in Deep Generative Models"
    )
    earlier = {
        1: "Selective Amnesia: A Continual Learning Approach to Forgetting in Generative Models"
    }
    judged = judge_title(listed, current, earlier)
    assert judged.verdict is TitleVerdict.TYPO
    assert judged.matched_version is None


def test_unrelated_earlier_titles_leave_a_mismatch() -> None:
    judged = judge_title(
        "Offset Unlearning for Large Language Models",
        "Practical Unlearning for Large Language Models",
        {1: "Practical Unlearning for LLMs", 2: "O3: Practical Unlearning"},
    )
    assert judged.verdict is TitleVerdict.MISMATCH
    assert judged.verdict.rule == "arxiv/title-mismatch"
    assert judged.suggestion is None
    assert judged.listed == "Offset Unlearning for Large Language Models"
    assert judged.arxiv_title == "Practical Unlearning for Large Language Models"


def test_needs_versions_carries_the_provisional_verdict() -> None:
    typo = judge_title("Editing Model with Task Arithmetic", "Editing Models with Task Arithmetic")
    assert (typo.verdict, typo.provisional) == (TitleVerdict.NEEDS_VERSIONS, TitleVerdict.TYPO)
    other = judge_title("Large Scale Knowledge Washing", "Editing Models with Task Arithmetic")
    assert (other.verdict, other.provisional) == (
        TitleVerdict.NEEDS_VERSIONS,
        TitleVerdict.MISMATCH,
    )
    assert typo.verdict.rule is None
    assert not typo.verdict.fine


# --- several arXiv links in one entry -----------------------------------------------

LLMU = ("2310.10683", "Large Language Model Unlearning")
ECO = ("2406.07933", "Large Language Model Unlearning via Embedding-Corrupted Prompts")


def test_entry_is_judged_against_the_matching_link() -> None:
    judged = judge_entry_titles("Large Language Model Unlearning", [ECO, LLMU])
    assert isinstance(judged, EntryTitleJudgement)
    assert judged.arxiv_id == "2310.10683"
    assert judged.judgement.verdict is TitleVerdict.SAME
    assert judged.needs_versions == ()


def test_entry_typo_prefers_the_closer_paper() -> None:
    judged = judge_entry_titles(
        "Large Language Model Unlearning via Embeding-Corrupted Prompts",
        [LLMU, ECO],
        {LLMU[0]: {}, ECO[0]: {}},
    )
    assert judged.arxiv_id == "2406.07933"
    assert judged.judgement.verdict is TitleVerdict.TYPO
    assert judged.judgement.suggestion == ECO[1]


def test_entry_waits_for_versions_of_every_unfetched_candidate() -> None:
    listed = "Avoiding Copyright Infringement via Machine Unlearning"
    copyright_ = (
        "2406.10952",
        "Avoiding Copyright Infringement via Large Language Model Unlearning",
    )
    judged = judge_entry_titles(listed, [LLMU, copyright_], {"2310.10683": {}})
    assert judged.judgement.verdict is TitleVerdict.NEEDS_VERSIONS
    assert judged.needs_versions == ("2406.10952",)
    assert judged.arxiv_id == "2406.10952"
    final = judge_entry_titles(
        listed, [LLMU, copyright_], {"2310.10683": {}, "2406.10952": {1: listed}}
    )
    assert final.judgement.verdict is TitleVerdict.OUTDATED
    assert final.arxiv_id == "2406.10952"
    assert final.needs_versions == ()


def test_entry_without_candidates_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        judge_entry_titles("Large Language Model Unlearning", [])


def test_judgement_is_frozen() -> None:
    judged = judge_title("Large Language Model Unlearning", LLMU[1])
    assert isinstance(judged, TitleJudgement)
    with pytest.raises(ValueError, match="frozen"):
        judged.verdict = TitleVerdict.MISMATCH
