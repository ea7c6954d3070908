"""The word distance: the costs its module documents, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.titles.distance import word_distance

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
