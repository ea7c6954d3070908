"""Title normalisation: what a title is reduced to before any comparison."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.titles.compare import judge_title
from listcheck.titles.match import TitleVerdict
from listcheck.titles.normalize import normalize_title, title_segments, title_tokens
from tests.titles.cases import CASES

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
