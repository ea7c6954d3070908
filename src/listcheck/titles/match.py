"""How one listed title relates to one arXiv title: same, part, shortened, typo-close
or not — the verdicts' ground, before any earlier version or second link is weighed
(that is :mod:`~listcheck.titles.compare`). Pure: the arXiv titles come from the caller.

How a listed title is judged against an arXiv title, in order:

1. **same** — equal after :func:`~listcheck.titles.normalize.normalize_title` (case,
   quotes, dashes, TeX, entities, mojibake, trailing period, wrapped lines), or equal
   once spaces are removed as well ("Un-learning" = "Unlearning").
2. **part** — the listed title is whole colon-style segments of arXiv's: a dropped
   subtitle ("TOFU" for "TOFU: A Task of Fictitious Unlearning for LLMs") or a dropped
   name prefix ("LLM Unlearning Benchmarks are Weak Measures of Progress" for
   "Position: LLM …"). The reverse is accepted too — the list puts a name before
   arXiv's whole title ("LLaVA: Visual Instruction Tuning") — when arXiv's title has
   at least :data:`MIN_TOKENS` words and is at least half the listed title.
   Segments, not word prefixes: "Large Language Model Unlearning" is *not* a part of
   "Large Language Model Unlearning via Embedding-Corrupted Prompts" — those are two
   papers in the same list.
3. **shortened** — the listed title is arXiv's first words, and long enough that no
   other paper starts with them (:data:`LONG_PREFIX_MIN_WORDS`, see *Long prefixes*
   below): the paper got a longer title later, or the list cut it. The same paper,
   reported as a notice (``arxiv/title-outdated``) that suggests the full title; when an
   earlier version fetched for another reason carries the listed title exactly, it is
   **outdated** and names that version.
4. **too-short** — fewer than :data:`MIN_TOKENS` words left: a short name or label
   ("LLaVA Bench", "WMDP" for "The WMDP Benchmark: …") says too little to call
   anything a mismatch, so it is not judged.
5. Otherwise the titles are compared word by word
   (:func:`~listcheck.titles.distance.word_distance`) and the result is **typo**-close
   or not; before reporting either, earlier versions are consulted (**needs-versions**
   while the caller has not fetched them; **outdated** when the listed title is the
   same as, part of, or typo-close to an earlier one and closer to it than to the
   current title).

Typos are looked for against arXiv's whole title and its leading segments (a dropped
subtitle plus a slip) — and, for a listed title long enough to be a *shortened* one,
against arXiv's first words of about its length (a cut title plus a slip) — never
against a later segment alone: in a formulaic list the
later segments are the generic part ("The Frontier of Data Erasure: Machine
Unlearning for Large Language Models"), and a near match there was another paper in
every case the corpus offered.

**Thresholds**, measured on the mature awesome-genai-unlearning list (157 distinct
arXiv papers, so 24,492 ordered pairs of different papers) and on the same-paper
variants in ``tests/fixtures/titles_corpus.json``:

- typo-close when the distance is at most :data:`TYPO_MAX_DISTANCE` (1.0: "a
  misspelling, a missing or an extra word"), or — long titles — at most
  :data:`TYPO_MAX_DISTANCE_LONG` (2.0) while the similarity ``1 − distance / (word
  weight of both)`` is at least :data:`TYPO_MIN_SIMILARITY_LONG` (0.9, about ten words
  a side), or when the listed title is arXiv's with at most :data:`TRUNCATED_TAIL_MAX`
  (1.5) of word weight cut off its end ("TOFU: A Task of Fictitious Unlearning").
  The closest *different* papers in the list are "Machine Unlearning in Large
  Language Models" / "Rethinking Machine Unlearning for Large Language Models"
  (distance 1.5, similarity 0.875) and "Offset …" / "Practical Unlearning for Large
  Language Models" (2.0, 0.82): both stay mismatches, as do all 24,492 pairs. The only
  pair where one title is a word prefix of another paper's leaves 3.5 off ("Large
  Language Model Unlearning" / "… via Embedding-Corrupted Prompts"). Real slips in
  the fixture cost 0.13-0.5 (misspellings, plurals, acronyms, a function word), 1.0
  (an extra word) and 1.5 (the truncation).
- :data:`MIN_TOKENS` = 3: lists put one- and two-word labels where a title belongs
  ("LLaVA Bench", "MMUBench"), while the shortest listed title in the corpus has four
  words and real three-word titles exist ("Visual Instruction Tuning").

**Long prefixes** (issue 8): a word prefix is a part of arXiv's title only from
:data:`LONG_PREFIX_MIN_WORDS` (10) normalised words on, and only when it is at least
:data:`LONG_PREFIX_MIN_SHARE` (half) of arXiv's words. Measured on the titles the real
lists themselves give (``../shared/corpus/real/`` and the mature corpus list, 3,419
distinct titles of three or more words, each list's own titles paired among
themselves): a listed title of ``k`` words is a word prefix of a *different* paper's
title in 7 of 98,723 pairs at k = 3, 10 of 147,142 at k = 4, 1 of 415,271 at k = 6
("Guided Diffusion Model for Adversarial Purification" / "… from Random Noise"), 1 of
578,606 at k = 8, and never in the 1,274,679 pairs with k >= 9 (743,939 with k >= 10;
all lists pooled: 0 of 1,161,545). The deciding case is that k = 8 one, a journal
extension under its own arXiv id: "Neural Wavelet-domain Diffusion for 3D Shape
Generation" (2209.08725) / "… Generation, Inversion, and Manipulation" (2302.00190),
8 of 11 words (73 %) — so neither "eight words" nor "most of arXiv's title" alone is
safe, and the bound sits two words above the longest different-paper prefix seen. The
same holds with a slip: a listed title typo-close to another paper's first words
occurs up to k = 8 ("Denoising Diffusion Probabilistic Models for Hardware-Impaired
Communications" against "… Communication Systems: Towards Wireless Generative AI",
distance 0.07) and never from k = 9. Shorter prefixes keep the rule above: at most
:data:`TRUNCATED_TAIL_MAX` cut off is a typo, more is a mismatch.

Why a notice under ``arxiv/title-outdated`` and not a typo: nothing is misspelt, the
listed words are arXiv's own; what a maintainer wants to know is that arXiv's title
is now longer (the issue's case: the paper was retitled) — the outdated rule's
meaning, at its severity — and a list that shortens titles on purpose can switch that
rule off without losing typos.

The ``score`` of a judgement is that similarity × 100 against the title the listed
one was matched with (100 for same and part).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from listcheck.titles.distance import word_distance, word_similarity, word_weight
from listcheck.titles.normalize import normalize_title, title_segments

__all__ = [
    "EXACT_SAME",
    "LONG_PREFIX_MIN_SHARE",
    "LONG_PREFIX_MIN_WORDS",
    "MIN_TOKENS",
    "TRUNCATED_TAIL_MAX",
    "TYPO_MAX_DISTANCE",
    "TYPO_MAX_DISTANCE_LONG",
    "TYPO_MIN_SIMILARITY_LONG",
    "Match",
    "TitleVerdict",
    "compare_titles",
    "same_paper_by_title",
    "title_similarity",
    "title_words",
]

MIN_TOKENS = 3
TYPO_MAX_DISTANCE = 1.0
TYPO_MAX_DISTANCE_LONG = 2.0
TYPO_MIN_SIMILARITY_LONG = 0.9
TRUNCATED_TAIL_MAX = 1.5
LONG_PREFIX_MIN_WORDS = 10
LONG_PREFIX_MIN_SHARE = 0.5


class TitleVerdict(StrEnum):
    SAME = "same"
    PART = "part"
    TOO_SHORT = "too-short"
    SHORTENED = "shortened"
    OUTDATED = "outdated"
    TYPO = "typo"
    NEEDS_VERSIONS = "needs-versions"
    MISMATCH = "mismatch"

    @property
    def fine(self) -> bool:
        """Nothing to report."""
        return self in (TitleVerdict.SAME, TitleVerdict.PART, TitleVerdict.TOO_SHORT)

    @property
    def rule(self) -> str | None:
        """The rule id of the finding this verdict makes (None: no finding)."""
        return _RULES.get(self)


_RULES = {
    TitleVerdict.SHORTENED: "arxiv/title-outdated",
    TitleVerdict.TYPO: "arxiv/title-typo",
    TitleVerdict.OUTDATED: "arxiv/title-outdated",
    TitleVerdict.MISMATCH: "arxiv/title-mismatch",
}


def _typo_close(distance: float, similarity: float) -> bool:
    return distance <= TYPO_MAX_DISTANCE or (
        distance <= TYPO_MAX_DISTANCE_LONG and similarity >= TYPO_MIN_SIMILARITY_LONG
    )


def _long_prefix_length(length: int, theirs: Sequence[str]) -> bool:
    """Whether a listed title of ``length`` words is long enough to be arXiv's title
    shortened (module doc, *Long prefixes*)."""
    return length >= LONG_PREFIX_MIN_WORDS and length >= LONG_PREFIX_MIN_SHARE * len(theirs)


def _long_prefix(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """``mine`` is arXiv's first words, enough of them to be the same paper."""
    return (
        len(theirs) > len(mine)
        and _long_prefix_length(len(mine), theirs)
        and tuple(theirs[: len(mine)]) == tuple(mine)
    )


def _truncated(mine: Sequence[str], theirs: Sequence[str]) -> float:
    """The weight of the words ``mine`` leaves off the end of ``theirs`` when it is a
    word prefix of it (infinite otherwise)."""
    if len(mine) >= MIN_TOKENS and len(theirs) > len(mine) and theirs[: len(mine)] == mine:
        return word_weight(theirs[len(mine) :])
    return float("inf")


@dataclass(frozen=True, slots=True)
class _Title:
    """A title taken apart once: its words and its colon-style segments."""

    words: tuple[str, ...]
    segments: tuple[tuple[str, ...], ...]

    @property
    def squashed(self) -> str:
        return "".join(self.words)

    def parts(self) -> list[tuple[str, ...]]:
        """Every contiguous run of segments short of the whole title."""
        whole = len(self.segments)
        return [
            _join(self.segments[start:stop])
            for start in range(whole)
            for stop in range(start + 1, whole + 1)
            if stop - start < whole
        ]

    def heads(self, listed_length: int) -> list[tuple[str, ...]]:
        """The whole title, its leading runs of segments long enough to judge, and —
        for a listed title of ``listed_length`` words long enough to be a shortened
        one — its first words of about that length (a word more or less: a slip)."""
        leading = (_join(self.segments[:stop]) for stop in range(1, len(self.segments)))
        heads = [self.words, *(head for head in leading if len(head) >= MIN_TOKENS)]
        if _long_prefix_length(listed_length, self.words):
            cuts = (listed_length - 1, listed_length, listed_length + 1)
            heads += [self.words[:cut] for cut in cuts if cut < len(self.words)]
        return heads


def _join(segments: Sequence[Sequence[str]]) -> tuple[str, ...]:
    return tuple(word for segment in segments for word in segment)


@lru_cache(maxsize=4096)
def _title(text: str) -> _Title:
    return _Title(words=tuple(normalize_title(text).split()), segments=title_segments(text))


def title_words(text: str) -> tuple[str, ...]:
    """The normalised words a title is judged by (their count decides too-short and
    long prefixes)."""
    return _title(text).words


@dataclass(frozen=True, slots=True)
class Match:
    """One comparison's outcome, before earlier versions are weighed: the distance
    ranks earlier versions against the current title, the similarity is the score."""

    kind: TitleVerdict
    """SAME, PART, SHORTENED, TYPO (close) or MISMATCH (not close)."""
    distance: float
    similarity: float


EXACT_SAME = Match(kind=TitleVerdict.SAME, distance=0.0, similarity=1.0)
_EXACT_PART = Match(kind=TitleVerdict.PART, distance=0.0, similarity=1.0)


def compare_titles(listed: str, other: str) -> Match:
    """How ``listed`` relates to ``other`` (an arXiv title, current or earlier)."""
    mine, theirs = _title(listed), _title(other)
    if not mine.words:
        return Match(kind=TitleVerdict.MISMATCH, distance=0.0, similarity=0.0)
    if mine.words == theirs.words or mine.squashed == theirs.squashed:
        return EXACT_SAME
    if any(mine.squashed == "".join(part) for part in theirs.parts()):
        return _EXACT_PART
    if len(theirs.words) >= MIN_TOKENS and any(
        "".join(part) == theirs.squashed and 2 * word_weight(part) >= word_weight(mine.words)
        for part in mine.parts()
    ):
        return _EXACT_PART
    if _long_prefix(mine.words, theirs.words):
        tail = word_weight(theirs.words[len(mine.words) :])
        return Match(
            kind=TitleVerdict.SHORTENED,
            distance=tail,
            similarity=word_similarity(mine.words, theirs.words, tail),
        )
    distance, similarity = min(
        (
            (distance, word_similarity(mine.words, head, distance))
            for head in theirs.heads(len(mine.words))
            for distance in [word_distance(mine.words, head)]
        ),
        key=lambda pair: (pair[0], -pair[1]),
    )
    close = _typo_close(distance, similarity) or (
        _truncated(mine.words, theirs.words) <= TRUNCATED_TAIL_MAX
    )
    kind = TitleVerdict.TYPO if close else TitleVerdict.MISMATCH
    return Match(kind=kind, distance=distance, similarity=similarity)


def title_similarity(listed: str, arxiv_title: str) -> float:
    """The judgement's score (0-100) without the verdict: 100 for same and part."""
    return round(100.0 * compare_titles(listed, arxiv_title).similarity, 1)


def same_paper_by_title(listed: str, arxiv_title: str) -> TitleVerdict | None:
    """Whether a paper that a *search* for the listed title found is the listed paper,
    on the titles alone (``entry/suggest-link``: no id vouches for it): ``same``, or —
    arXiv's title with words added at its end — ``shortened`` or a dropped-subtitle
    ``part``, only when the listed words are long enough that no other paper's title
    starts with them (:data:`LONG_PREFIX_MIN_WORDS`, see *Long prefixes*). None for
    anything else: a typo-close title, a short part ("TOFU"), a title that holds the
    listed words elsewhere ("Improved Visual Instruction Tuning") — near misses are
    other papers often enough that suggesting one would be a guess."""
    match = compare_titles(listed, arxiv_title)
    if match.kind is TitleVerdict.SAME:
        return TitleVerdict.SAME
    mine, theirs = _title(listed).words, _title(arxiv_title).words
    prefix = (
        len(theirs) > len(mine)
        and theirs[: len(mine)] == mine
        and _long_prefix_length(len(mine), theirs)
    )
    if match.kind in (TitleVerdict.PART, TitleVerdict.SHORTENED) and prefix:
        return match.kind
    return None
