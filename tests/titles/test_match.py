"""How one title relates to another: parts, short names, the boundary pairs, and the
thresholds re-measured on the mature corpus list and the real lists when ../shared is
present (long word prefixes, issue 8)."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from listcheck.titles.compare import collapse_whitespace, judge_entry_titles, judge_title
from listcheck.titles.match import LONG_PREFIX_MIN_WORDS, MIN_TOKENS, TitleVerdict, title_similarity
from listcheck.titles.normalize import title_tokens
from tests.titles.cases import CORPUS, corpus_titles, needs_corpus

# --- parts, labels and the closest different papers, on real titles -------------------


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


def test_similarity_is_the_score() -> None:
    listed, arxiv = "Editing Model with Task Arithmetic", "Editing Models with Task Arithmetic"
    assert title_similarity(listed, arxiv) == judge_title(listed, arxiv, {}).score
    assert title_similarity(arxiv, arxiv) == 100.0


# --- the mature corpus: every listed title, against itself and its neighbours -------


@needs_corpus
def test_every_listed_title_is_the_same_as_itself_wrapped() -> None:
    titles = corpus_titles()
    assert len(titles) >= 150
    for _, title in titles:
        wrapped = title.replace(" ", "\n  ", 1)
        assert judge_title(title, wrapped).verdict is TitleVerdict.SAME, title


@needs_corpus
def test_neighbours_in_the_list_are_mismatches() -> None:
    """Adjacent entries are different papers on the same topic: the likeliest wrong id."""
    titles = corpus_titles()
    verdicts = Counter(
        judge_title(a, b, {}).verdict
        for (_, a), (_, b) in itertools.pairwise(titles)
        for a, b in ((a, b), (b, a))
    )
    assert verdicts == Counter({TitleVerdict.MISMATCH: 2 * (len(titles) - 1)})


@needs_corpus
def test_the_documented_closest_pairs_are_in_the_corpus() -> None:
    """The module's calibration quotes these pairs; they must stay real."""
    listed = {title for _, title in corpus_titles()}
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
    judged = judge_entry_titles(
        listed,
        [
            ("2406.07933", "Large Language Model Unlearning via Embedding-Corrupted Prompts"),
            ("2502.19726", TOKENS),
        ],
    )
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
    out["genai-unlearning"] = sorted({title_tokens(title) for _, title in corpus_titles()} - {()})
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
