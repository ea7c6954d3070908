"""The word distance between two titles: the measure behind ``typo`` and ``mismatch``.

Kept apart from the verdicts (:mod:`~listcheck.titles.match`) because it is a measure
with its own evidence and properties (symmetric, bounded by the weight of both titles)
that the verdicts only read through their thresholds.

Why words: a curated list is formulaic ("… Unlearning for Large
Language Models" appears dozens of times), so character similarity says little —
"Machine Unlearning in Large Language Models" and "Machine Unlearning of Pre-trained
Large Language Models" are two papers with a character ratio of 88, while one
dropped word in a short title of the same paper scores lower. Word edits costed by
the kinds of slip a contributor makes are sharper:

- a misspelt word (character similarity >= 0.7) costs ``2 × (1 − similarity)``:
  "Probalisitic"/"Probabilistic" 0.24, "Dataaset"/"Dataset" 0.13, "Model"/"Models" 0.18;
- a missing or extra word costs 1, a function word ("a", "of", "via", …) 0.5, and a
  swap of two function words ("in"/"of") 0.5;
- a word replaced by an unrelated one costs both (2 for content words): replacing the
  distinctive word is what makes "Offset Unlearning for Large Language Models" another
  paper than "Practical Unlearning for Large Language Models";
- an acronym for its expansion ("LLMs" / "Large Language Models") costs 0.5, and a
  compound split or joined ("pre trained" / "pretrained") costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import Indel

__all__ = ["word_distance", "word_similarity", "word_weight"]

_MISSPELT_MIN_SIMILARITY = 0.7
"""Two words at least this similar (Indel, 0..1) are one word misspelt: "probalisitic"
0.88, "dataaset" 0.93, "optimisation"/"optimization" 0.92, "form"/"from" 0.75;
unrelated words of these titles stay far below ("offset"/"practical" 0.13)."""

_ACRONYM_COST = 0.5
_FUNCTION_WORD_COST = 0.5
_FUNCTION_WORDS = frozenset(
    {
        *("a", "an", "the", "of", "for", "in", "on", "at", "to", "by", "via", "with"),
        *("from", "through", "towards", "toward", "into", "onto", "over", "under"),
        *("about", "and", "or", "nor", "as", "is", "are", "be", "being", "its", "it"),
        *("their", "our", "your", "this", "that", "these", "those", "we", "do", "does"),
        *("what", "how", "can"),
    }
)
"""Words whose loss or swap ("in"/"of", a dropped "A") is the commonest copying slip
and says little about which paper is meant."""


def _cost(word: str) -> float:
    return _FUNCTION_WORD_COST if word in _FUNCTION_WORDS else 1.0


def word_weight(words: Sequence[str]) -> float:
    """What losing all of ``words`` would cost: function words count half."""
    return sum(_cost(word) for word in words)


@lru_cache(maxsize=65536)
def _substitution(x: str, y: str) -> float:
    if x == y:
        return 0.0
    if x in _FUNCTION_WORDS and y in _FUNCTION_WORDS:
        return _FUNCTION_WORD_COST
    if min(len(x), len(y)) >= 3:
        similarity = Indel.normalized_similarity(x, y)
        if similarity >= _MISSPELT_MIN_SIMILARITY:
            return 2.0 * (1.0 - similarity)
    return _cost(x) + _cost(y)


def _acronym_span(word: str, words: Sequence[str], start: int) -> int:
    """How many of ``words`` from ``start`` the acronym ``word`` abbreviates (0: none):
    "llms" abbreviates "large language models", "nlp" "natural language processing"."""
    if not (2 <= len(word) <= 7 and word.isalpha()):
        return 0
    for span in (len(word), len(word) - 1):
        if span < 2 or start + span > len(words):
            continue
        initials = "".join(w[0] for w in words[start : start + span])
        if word in (initials, initials + "s"):
            return span
    return 0


def word_distance(a: Sequence[str], b: Sequence[str]) -> float:
    """Weighted word edit distance between two token sequences (costs: module doc).

    Symmetric, zero for equal sequences, and never more than the weight of both."""
    n, m = len(a), len(b)
    inf = float("inf")
    table = [[inf] * (m + 1) for _ in range(n + 1)]
    table[0][0] = 0.0

    def relax(i: int, j: int, value: float) -> None:
        if value < table[i][j]:
            table[i][j] = value

    for i in range(n + 1):
        for j in range(m + 1):
            here = table[i][j]
            if here == inf:
                continue
            if i < n:
                relax(i + 1, j, here + _cost(a[i]))
            if j < m:
                relax(i, j + 1, here + _cost(b[j]))
            if i < n and j < m:
                relax(i + 1, j + 1, here + _substitution(a[i], b[j]))
                if i + 1 < n and a[i] + a[i + 1] == b[j]:
                    relax(i + 2, j + 1, here)
                if j + 1 < m and a[i] == b[j] + b[j + 1]:
                    relax(i + 1, j + 2, here)
                if span := _acronym_span(a[i], b, j):
                    relax(i + 1, j + span, here + _ACRONYM_COST)
                if span := _acronym_span(b[j], a, i):
                    relax(i + span, j + 1, here + _ACRONYM_COST)
    return table[n][m]


def word_similarity(a: Sequence[str], b: Sequence[str], distance: float) -> float:
    """``distance`` as a share of what ``a`` and ``b`` weigh together, so that long
    titles may differ by more (1: equal, 0: nothing shared)."""
    total = word_weight(a) + word_weight(b)
    return max(0.0, 1.0 - distance / total) if total else 0.0
