"""Title comparison: normalisation, the judge on real title pairs, and its error rates.

The fixture ``tests/fixtures/titles_corpus.json`` holds real (listed, arXiv) pairs from
the awesome-genai-unlearning list, retitled papers, realistic slips and wrong-id pairs;
each case says how it was obtained. The corpus tests re-measure the false-mismatch and
false-accept rates on the list itself when ../shared is present.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.parse import parse_document
from listcheck.titles.compare import (
    EDITORIAL_MIN_MISMATCHES,
    EDITORIAL_MIN_SHARE,
    LONG_PREFIX_MIN_WORDS,
    MIN_TOKENS,
    EntryTitleJudgement,
    TitleJudgement,
    TitleVerdict,
    collapse_whitespace,
    judge_entry_titles,
    judge_title,
    names_its_own,
    title_similarity,
    word_distance,
)
from listcheck.titles.normalize import normalize_title, title_segments, title_tokens

FIXTURE = Path(__file__).parent / "fixtures" / "titles_corpus.json"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MATURE = CORPUS / "awesome-genai-unlearning.md"

CASES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['how'].split(',')[0].replace(' ', '-')}:{case['expected']}:{case['listed'][:40]}"


def _earlier(case: dict[str, Any]) -> dict[int, str]:
    return {int(version): title for version, title in case["earlier_titles"].items()}


# --- normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param(
            "Who’s Harry Potter? Approximate Unlearning in LLMs",
            "whos harry potter approximate unlearning in llms",
            id="curly-apostrophe-from-the-corpus",
        ),
        pytest.param(
            "Who's Harry Potter? Approximate Unlearning in LLMs",
            "whos harry potter approximate unlearning in llms",
            id="straight-apostrophe-as-arxiv-has-it",
        ),
        pytest.param(
            "Whoâ€™s Harry Potter? Approximate Unlearning in LLMs",
            "whos harry potter approximate unlearning in llms",
            id="mojibake-repaired-first",
        ),
        pytest.param(
            "FAIRSISA: ENSEMBLE POST-PROCESSING TO IMPROVE FAIRNESS OF UNLEARNING IN LLMS",
            "fairsisa ensemble post processing to improve fairness of unlearning in llms",
            id="all-caps-and-hyphen",
        ),
        pytest.param(
            "Knowledge unlearning for llms: Tasks, methods, and challenges.",
            "knowledge unlearning for llms tasks methods and challenges",
            id="trailing-period-and-commas",
        ),
        pytest.param(
            "Tokens for Learning, Tokens for Unlearning: Mitigating Membership\n"
            "  Inference Attacks in Large Language Models via Dual-Purpose Training",
            "tokens for learning tokens for unlearning mitigating membership inference "
            "attacks in large language models via dual purpose training",
            id="arxiv-wrapped-title",
        ),
        pytest.param(
            "【202503】ZJUKLAB at SemEval-2025 Task 4: Unlearning via Model Merging",
            "zjuklab at semeval 2025 task 4 unlearning via model merging",
            id="leading-month-tag",
        ),
        pytest.param("[ICLR 2024] Editing Models", "editing models", id="leading-venue-tag"),
        pytest.param("[Re] Editing Models", "re editing models", id="bracket-without-date-kept"),
        pytest.param(
            "Visual Instruction Tuning (NeurIPS 2023)",
            "visual instruction tuning",
            id="trailing-venue-tag",
        ),
        pytest.param(
            "Robust Models (Extended Abstract)",
            "robust models extended abstract",
            id="trailing-bracket-without-date-kept",
        ),
        pytest.param(
            "Learning Sparse Neural Networks through $L_0$ Regularization",
            "learning sparse neural networks through l0 regularization",
            id="tex-subscript",
        ),
        pytest.param(
            "Learning Sparse Neural Networks through L₀ Regularization",
            "learning sparse neural networks through l0 regularization",
            id="unicode-subscript",
        ),
        pytest.param(r"Sparse $\ell_1$ Recovery", "sparse l1 recovery", id="tex-ell"),
        pytest.param(
            r"\emph{Rethinking} \textbf{Machine} {U}nlearning",
            "rethinking machine unlearning",
            id="tex-formatting",
        ),
        pytest.param(r"Tasks \& Methods", "tasks and methods", id="tex-ampersand"),
        pytest.param(r"$\beta$-VAE and β-VAE", "β vae and β vae", id="tex-greek"),
        pytest.param(
            r"$\infty$-former: Infinite Memory Transformer",
            "former infinite memory transformer",
            id="tex-symbol",
        ),
        pytest.param(
            "∞-former: Infinite Memory Transformer",
            "former infinite memory transformer",
            id="unicode-symbol",
        ),
        pytest.param(r"Erd\H{o}s and Erdős", "erdos and erdos", id="accents"),
        pytest.param(
            "Tasks, Methods, &amp; Challenges", "tasks methods and challenges", id="html-entity"
        ),
        pytest.param("<i>Larimar</i>: Memory", "larimar memory", id="html-tag"),
        pytest.param("“Quoted” ‘title’ ``TeX quotes''", "quoted title tex quotes", id="quotes"),
        pytest.param("Un‐learning – fast — and ‑ slow", "un learning fast and slow", id="dashes"),
        pytest.param("ﬁne-tuning R² models", "fine tuning r2 models", id="nfkc"),
        pytest.param("ＦＵＬＬＷＩＤＴＨ：Title", "fullwidth title", id="fullwidth"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_title(written: str, expected: str) -> None:
    assert normalize_title(written) == expected


def test_tex_greek_letters_are_the_unicode_letters() -> None:
    assert normalize_title(r"$\alpha$-VAE") == normalize_title("α-VAE") == "α vae"


@pytest.mark.parametrize(
    ("title", "segments"),
    [
        pytest.param(
            "Cyber for AI at SemEval-2025 Task 4: Forgotten but Not Lost: The Balancing Act",
            (
                ("cyber", "for", "ai", "at", "semeval", "2025", "task", "4"),
                ("forgotten", "but", "not", "lost"),
                ("the", "balancing", "act"),
            ),
            id="two-colons",
        ),
        pytest.param(
            "Don't Forget It! Conditional Sparse Autoencoder Clamping",
            (("dont", "forget", "it"), ("conditional", "sparse", "autoencoder", "clamping")),
            id="exclamation",
        ),
        pytest.param(
            "Machine Unlearning in Hyperbolic vs. Euclidean Learning",
            (("machine", "unlearning", "in", "hyperbolic", "vs", "euclidean", "learning"),),
            id="abbreviation-period-is-no-break",
        ),
        pytest.param(
            "Unsafe Images ... For Now",
            (("unsafe", "images"), ("for", "now")),
            id="ellipsis",
        ),
        pytest.param("LUNAR - LLM Unlearning", (("lunar",), ("llm", "unlearning")), id="dash"),
    ],
)
def test_title_segments(title: str, segments: tuple[tuple[str, ...], ...]) -> None:
    assert title_segments(title) == segments
    assert title_tokens(title) == tuple(word for segment in segments for word in segment)


_TITLE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80
) | st.sampled_from([case["listed"] for case in CASES])


@settings(max_examples=300, deadline=None)
@given(_TITLE_TEXT)
def test_normalize_is_idempotent_and_plain(text: str) -> None:
    once = normalize_title(text)
    assert normalize_title(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert all(ch.isalnum() or ch == " " for ch in once)
    assert once == once.casefold()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([case["arxiv_title"] for case in CASES]), st.data())
def test_wrapping_and_case_never_matter(title: str, data: st.DataObject) -> None:
    words = title.split()
    cut = data.draw(st.integers(min_value=0, max_value=len(words)))
    wrapped = " ".join(words[:cut]) + "\n  " + " ".join(words[cut:]) + "."
    assert normalize_title(wrapped) == normalize_title(title)
    if "\\" not in title:  # TeX commands are case-sensitive: \infty is not \INFTY
        assert normalize_title(title.upper()) == normalize_title(title.lower())
        assert judge_title(wrapped.upper(), title).verdict is TitleVerdict.SAME


# --- word distance ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        pytest.param("probalisitic perspective", "probabilistic perspective", 0.24, id="misspelt"),
        pytest.param("editing model", "editing models", 2 / 11, id="plural"),
        pytest.param("unlearning in llms", "unlearning of llms", 0.5, id="function-word-swap"),
        pytest.param("a task of unlearning", "task of unlearning", 0.5, id="function-word-lost"),
        pytest.param("offset unlearning", "practical unlearning", 2.0, id="distinctive-word"),
        pytest.param("for llms", "for large language models", 0.5, id="acronym"),
        pytest.param(
            "un learning in nlp",
            "unlearning in natural language processing",
            0.5,
            id="compound-and-acronym",
        ),
        pytest.param("pre trained models", "pretrained models", 0.0, id="compound"),
        pytest.param("", "three words here", 3.0, id="empty"),
    ],
)
def test_word_distance_costs(a: str, b: str, distance: float) -> None:
    assert word_distance(a.split(), b.split()) == pytest.approx(distance, abs=0.01)
    assert word_distance(b.split(), a.split()) == pytest.approx(distance, abs=0.01)


_WORDS = st.lists(
    st.sampled_from(
        [
            "a",
            "of",
            "llms",
            "large",
            "language",
            "models",
            "unlearning",
            "model",
            "pre",
            "trained",
            "pretrained",
        ]
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS, _WORDS)
def test_word_distance_is_a_symmetric_bounded_distance(
    a: list[str], b: list[str], c: list[str]
) -> None:
    """Not a metric on purpose: an acronym ("llms") stands in for several words at a
    discount, so the triangle inequality can fail; identity, symmetry and the bound hold."""
    assert word_distance(a, a) == 0.0
    assert word_distance(a, b) == pytest.approx(word_distance(b, a))
    assert word_distance(a, b) <= len(a) + len(b)
    assert word_distance(a, c) <= len(a) + len(c)


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


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_judge_fixture_case(case: dict[str, Any]) -> None:
    final = judge_title(case["listed"], case["arxiv_title"], _earlier(case))
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
        verdict = judge_title(case["listed"], case["arxiv_title"], _earlier(case)).verdict
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


@pytest.mark.parametrize(
    ("listed", "arxiv"),
    [
        pytest.param("TOFU", "TOFU: A Task of Fictitious Unlearning for LLMs", id="name-prefix"),
        pytest.param(
            "Who’s Harry Potter?",
            "Who's Harry Potter? Approximate Unlearning in LLMs",
            id="question-title",
        ),
        pytest.param(
            "LLM Unlearning Benchmarks are Weak Measures of Progress",
            "Position: LLM Unlearning Benchmarks are Weak Measures of Progress",
            id="dropped-position",
        ),
        pytest.param(
            "LLaVA: Visual Instruction Tuning",
            "Visual Instruction Tuning",
            id="name-added-by-the-list",
        ),
    ],
)
def test_parts_are_fine_and_need_no_versions(listed: str, arxiv: str) -> None:
    judged = judge_title(listed, arxiv)
    assert judged.verdict is TitleVerdict.PART
    assert judged.verdict.fine
    assert judged.verdict.rule is None


@pytest.mark.parametrize(
    ("listed", "arxiv"),
    [
        pytest.param(
            "Large Language Model Unlearning",
            "Large Language Model Unlearning via Embedding-Corrupted Prompts",
            id="word-prefix-is-not-a-part",
        ),
        pytest.param(
            "Machine Unlearning in Large Language Models",
            "The Frontier of Data Erasure: Machine Unlearning for Large Language Models",
            id="near-a-generic-subtitle",
        ),
        pytest.param(
            "Machine Unlearning in Large Language Models",
            "Rethinking Machine Unlearning for Large Language Models",
            id="closest-pair-in-the-corpus",
        ),
        pytest.param(
            "Offset Unlearning for Large Language Models",
            "Practical Unlearning for Large Language Models",
            id="one-distinctive-word",
        ),
        pytest.param(
            "Towards Reliable Empirical Machine Unlearning Evaluation: A Game-Theoretic View",
            "Towards Reliable Empirical Machine Unlearning Evaluation: A Cryptographic Game Perspective",  # noqa: E501
            id="same-head-other-subtitle",
        ),
    ],
)
def test_boundary_pairs_are_mismatches(listed: str, arxiv: str) -> None:
    assert judge_title(listed, arxiv, {}).verdict is TitleVerdict.MISMATCH


@pytest.mark.parametrize(
    "listed", ["LLaVA Bench", "MMUBench", "TOFU", "Visual", "", "【202401】 TOFU"]
)
def test_short_names_are_not_judged(listed: str) -> None:
    judged = judge_title(listed, "Single Image Unlearning: Efficient Machine Unlearning in MLLMs")
    assert judged.verdict is TitleVerdict.TOO_SHORT
    assert judged.verdict.fine
    assert len(title_tokens(listed)) < MIN_TOKENS


def test_three_words_are_judged() -> None:
    judged = judge_title("Visual Instruction Tuning", "Large Scale Knowledge Washing", {})
    assert judged.verdict is TitleVerdict.MISMATCH


def test_empty_arxiv_title_is_not_judged() -> None:
    assert judge_title("Large Scale Knowledge Washing", " \n ").verdict is TitleVerdict.TOO_SHORT


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


def test_similarity_is_the_score() -> None:
    listed, arxiv = "Editing Model with Task Arithmetic", "Editing Models with Task Arithmetic"
    assert title_similarity(listed, arxiv) == judge_title(listed, arxiv, {}).score
    assert title_similarity(arxiv, arxiv) == 100.0


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


# --- the mature corpus: every listed title, against itself and its neighbours -------


def _corpus_titles() -> list[tuple[str, str]]:
    """(arXiv id, listed title) per distinct paper, in document order."""
    document = parse_document(MATURE.read_text(encoding="utf-8"), str(MATURE))
    seen: dict[str, str] = {}
    for entry in document.entries:
        ids = [document.links[i].arxiv for i in entry.links]
        arxiv_ids = [ref.id for ref in ids if ref is not None]
        arxiv_ids += [tag.arxiv_id for tag in entry.tags if tag.arxiv_id]
        for arxiv_id in arxiv_ids:
            if entry.title:
                seen.setdefault(arxiv_id, entry.title)
    return list(seen.items())


needs_corpus = pytest.mark.skipif(not MATURE.is_file(), reason="../shared/corpus is not present")


@needs_corpus
def test_every_listed_title_is_the_same_as_itself_wrapped() -> None:
    titles = _corpus_titles()
    assert len(titles) >= 150
    for _, title in titles:
        wrapped = title.replace(" ", "\n  ", 1)
        assert judge_title(title, wrapped).verdict is TitleVerdict.SAME, title


@needs_corpus
def test_neighbours_in_the_list_are_mismatches() -> None:
    """Adjacent entries are different papers on the same topic: the likeliest wrong id."""
    titles = _corpus_titles()
    verdicts = Counter(
        judge_title(a, b, {}).verdict
        for (_, a), (_, b) in itertools.pairwise(titles)
        for a, b in ((a, b), (b, a))
    )
    assert verdicts == Counter({TitleVerdict.MISMATCH: 2 * (len(titles) - 1)})


@needs_corpus
def test_the_documented_closest_pairs_are_in_the_corpus() -> None:
    """The module's calibration quotes these pairs; they must stay real."""
    listed = {title for _, title in _corpus_titles()}
    assert {
        "Machine Unlearning in Large Language Models",
        "Rethinking Machine Unlearning for Large Language Models",
        "Offset Unlearning for Large Language Models",
        "Practical Unlearning for Large Language Models",
        "Large Language Model Unlearning",
        "Large Language Model Unlearning via Embedding-Corrupted Prompts",
    } <= listed


# --- long word prefixes (issue 8) ----------------------------------------------------

MERCURY = "Mercury: Ultra-Fast Language Models Based on Diffusion"
TOKENS = (
    "Tokens for Learning, Tokens for Unlearning: Mitigating Membership Inference Attacks "
    "in Large Language Models via Dual-Purpose Training"
)
HH = "Training a Helpful and Harmless Assistant with Reinforcement Learning from Human Feedback"


@pytest.mark.parametrize(
    ("listed", "arxiv"),
    [
        pytest.param(
            "Training a Helpful and Harmless Assistant with Reinforcement Learning from",
            HH,
            id="first-10-of-12-words",
        ),
        pytest.param(
            "Tokens for Learning, Tokens for Unlearning: Mitigating Membership Inference Attacks",
            TOKENS,
            id="first-10-of-18-words-at-a-comma",
        ),
        pytest.param(
            "Holistic Audit Dataset Generation for LLM Unlearning via Knowledge Graph",
            "Holistic Audit Dataset Generation for LLM Unlearning via Knowledge Graph "
            "Traversal and Redundancy Removal",
            id="first-11-of-15-words",
        ),
    ],
)
def test_long_prefix_is_the_same_paper_as_a_notice(listed: str, arxiv: str) -> None:
    judged = judge_title(listed, arxiv)
    assert judged.verdict is TitleVerdict.SHORTENED, judged.reason
    assert judged.verdict.rule == "arxiv/title-outdated"
    assert not judged.verdict.fine
    assert judged.suggestion == collapse_whitespace(arxiv)
    assert len(title_tokens(listed)) >= LONG_PREFIX_MIN_WORDS
    # never waits for versions: no extra arXiv round for a notice
    assert judge_title(listed, arxiv, {}).verdict is TitleVerdict.SHORTENED


@pytest.mark.parametrize(
    ("listed", "arxiv"),
    [
        pytest.param(
            "Neural Wavelet-domain Diffusion for 3D Shape Generation",
            "Neural Wavelet-domain Diffusion for 3D Shape Generation, Inversion, and Manipulation",
            id="diff-usion:1703-vs-10497-8-of-11-words",
        ),
        pytest.param(
            "Guided Diffusion Model for Adversarial Purification",
            "Guided Diffusion Model for Adversarial Purification from Random Noise",
            id="diff-usion:11184-vs-11174-6-of-9-words",
        ),
        pytest.param(
            "Large Language Model Unlearning",
            "Large Language Model Unlearning via Embedding-Corrupted Prompts",
            id="genai-unlearning:207-vs-171-4-of-8-words",
        ),
        pytest.param(
            "Training a Helpful and Harmless Assistant with Reinforcement Learning",
            HH + ": A Much Longer Retitled Version of the Same Paper",
            id="10-words-but-less-than-half",
        ),
    ],
)
def test_shorter_or_smaller_prefixes_stay_mismatches(listed: str, arxiv: str) -> None:
    """Different papers of the real lists whose titles are one another's first words, and
    a long prefix that is under half of arXiv's title."""
    assert judge_title(listed, arxiv, {}).verdict is TitleVerdict.MISMATCH


def test_a_slip_in_a_long_prefix_is_a_typo() -> None:
    listed = "Tokens for Learning, Tokens for Unlearing: Mitigating Membership Inference Attacks"
    judged = judge_title(listed, TOKENS, {})
    assert judged.verdict is TitleVerdict.TYPO
    assert judged.suggestion == collapse_whitespace(TOKENS)


def test_a_long_prefix_that_was_an_earlier_title_is_outdated() -> None:
    v1 = "Training a Helpful and Harmless Assistant with Reinforcement Learning from"
    judged = judge_title(v1, HH, {1: v1, 2: "Something Else Entirely Here"})
    assert judged.verdict is TitleVerdict.OUTDATED
    assert judged.matched_version == 1
    assert judged.suggestion == HH


def test_entry_prefers_the_shortened_paper_to_a_mismatch() -> None:
    listed = "Tokens for Learning, Tokens for Unlearning: Mitigating Membership Inference Attacks"
    judged = judge_entry_titles(listed, [("2406.07933", ECO[1]), ("2502.19726", TOKENS)])
    assert judged.arxiv_id == "2502.19726"
    assert judged.judgement.verdict is TitleVerdict.SHORTENED
    assert judged.needs_versions == ()


REAL = CORPUS / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")

_BOLD_TITLE = re.compile(r"^\*\*(.+?)\*\*\s*\\?\s*$", re.MULTILINE)
"""diff-usion's entry shape: a bold title alone on its line, then authors, venue, date."""
_BOLD_LINK = re.compile(r"\*\*\[(.+?)\]\(")
"""atfortes' entry shape: ``1. **[Title](https://arxiv.org/abs/…)**``."""


def _real_titles() -> dict[str, list[tuple[str, ...]]]:
    """Each real list's distinct titles (as normalised words, three or more)."""
    sources = {
        "diff-usion": (REAL / "diff-usion__Awesome-Diffusion-Models.md", _BOLD_TITLE),
        "atfortes": (REAL / "atfortes__Awesome-LLM-Reasoning.md", _BOLD_LINK),
    }
    out = {}
    for name, (path, pattern) in sources.items():
        found = {title_tokens(m.group(1)) for m in pattern.finditer(path.read_text("utf-8"))}
        out[name] = sorted(words for words in found if len(words) >= MIN_TOKENS)
    out["genai-unlearning"] = sorted({title_tokens(title) for _, title in _corpus_titles()} - {()})
    return out


@needs_real
@needs_corpus
def test_no_two_papers_of_a_real_list_share_a_long_prefix() -> None:
    """The bound's measurement, redone: among the titles each real list gives, a title
    that is the first words of another one is always a different paper — and none is
    long enough to be called shortened. The longest such prefix is the deciding case the
    module quotes (8 of 11 words)."""
    prefixes: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    total = 0
    for titles in _real_titles().values():
        total += len(titles)
        present = set(titles)
        prefixes += [
            (longer[:k], longer)
            for longer in titles
            for k in range(MIN_TOKENS, len(longer))
            if longer[:k] in present
        ]
    assert total >= 2900
    assert len(prefixes) >= 15
    longest = max(prefixes, key=lambda pair: len(pair[0]))
    assert " ".join(longest[0]) == "neural wavelet domain diffusion for 3d shape generation"
    assert len(longest[0]) < LONG_PREFIX_MIN_WORDS - 1
    verdicts = Counter(
        judge_title(" ".join(short), " ".join(longer), {}).verdict for short, longer in prefixes
    )
    assert TitleVerdict.SHORTENED not in verdicts
    assert set(verdicts) <= {TitleVerdict.MISMATCH, TitleVerdict.TYPO}


# --- lists that name papers their own way --------------------------------------------


def _rates(how: str) -> tuple[int, int]:
    """(mismatches, titles compared) for the fixture's cases of one kind."""
    verdicts = [
        judge_title(case["listed"], case["arxiv_title"], _earlier(case)).verdict
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
