"""Is the title a list gives for an arXiv link the title of that paper?

Three rules rest on this judgement (DESIGN.md): ``arxiv/title-mismatch`` (error: the
id names a different paper), ``arxiv/title-typo`` (warning: the same paper,
misspelled; suggest arXiv's title) and ``arxiv/title-outdated`` (notice: the title of
an earlier arXiv version; suggest the current one). Everything here is pure: the
arXiv titles come from the caller, who fetched them.

How a listed title is judged against an arXiv title, in order:

1. **same** — equal after :func:`~listcheck.titles_normalize.normalize_title` (case,
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
5. Otherwise the titles are compared word by word (:func:`word_distance`) and the
   result is **typo**-close or not; before reporting either, earlier versions are
   consulted (**needs-versions** while the caller has not fetched them; **outdated**
   when the listed title is the same as, part of, or typo-close to an earlier one and
   closer to it than to the current title).

The word distance, and why: a curated list is formulaic ("… Unlearning for Large
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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Indel

from listcheck.models import Frozen
from listcheck.titles.normalize import normalize_title, title_segments

__all__ = [
    "EDITORIAL_MIN_MISMATCHES",
    "EDITORIAL_MIN_SHARE",
    "LONG_PREFIX_MIN_SHARE",
    "LONG_PREFIX_MIN_WORDS",
    "MIN_TOKENS",
    "TRUNCATED_TAIL_MAX",
    "TYPO_MAX_DISTANCE",
    "TYPO_MAX_DISTANCE_LONG",
    "TYPO_MIN_SIMILARITY_LONG",
    "EntryTitleJudgement",
    "TitleJudgement",
    "TitleVerdict",
    "collapse_whitespace",
    "judge_entry_titles",
    "judge_title",
    "names_its_own",
    "same_paper_by_title",
    "title_similarity",
    "word_distance",
]

MIN_TOKENS = 3
TYPO_MAX_DISTANCE = 1.0
TYPO_MAX_DISTANCE_LONG = 2.0
TYPO_MIN_SIMILARITY_LONG = 0.9
TRUNCATED_TAIL_MAX = 1.5
LONG_PREFIX_MIN_WORDS = 10
LONG_PREFIX_MIN_SHARE = 0.5
EDITORIAL_MIN_MISMATCHES = 5
EDITORIAL_MIN_SHARE = 0.05

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


class TitleJudgement(Frozen):
    """What the listed title is, compared with arXiv's; enough to word a finding."""

    verdict: TitleVerdict
    score: float
    """Similarity (0-100) with the title matched: the current one, or the earlier
    version's for ``outdated``."""
    listed: str
    """The listed title, whitespace collapsed."""
    arxiv_title: str
    """arXiv's current title, wrapped whitespace collapsed."""
    suggestion: str | None = None
    """The text to put in the list: arXiv's current title (typo, shortened, outdated)."""
    matched_version: int | None = None
    """For ``outdated``: the earlier version whose title the list carries."""
    provisional: TitleVerdict | None = None
    """For ``needs-versions``: typo or mismatch, what it is unless an earlier version
    explains it."""
    reason: str = ""
    """A short human explanation, for messages."""


class EntryTitleJudgement(Frozen):
    """An entry with several arXiv links, judged against the best-matching one."""

    arxiv_id: str
    judgement: TitleJudgement
    needs_versions: tuple[str, ...] = ()
    """Ids whose earlier versions must be fetched before the judgement is final."""


def collapse_whitespace(text: str) -> str:
    """arXiv wraps long titles with a newline and spaces; a suggestion must not."""
    return " ".join(text.split())


def _cost(word: str) -> float:
    return _FUNCTION_WORD_COST if word in _FUNCTION_WORDS else 1.0


def _weight(words: Sequence[str]) -> float:
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


def _similarity(a: Sequence[str], b: Sequence[str], distance: float) -> float:
    total = _weight(a) + _weight(b)
    return max(0.0, 1.0 - distance / total) if total else 0.0


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
        return _weight(theirs[len(mine) :])
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


@dataclass(frozen=True, slots=True)
class _Match:
    kind: TitleVerdict
    """SAME, PART, SHORTENED, TYPO (close) or MISMATCH (not close)."""
    distance: float
    similarity: float


_EXACT_SAME = _Match(kind=TitleVerdict.SAME, distance=0.0, similarity=1.0)
_EXACT_PART = _Match(kind=TitleVerdict.PART, distance=0.0, similarity=1.0)


def _compare(listed: str, other: str) -> _Match:
    """How ``listed`` relates to ``other`` (an arXiv title, current or earlier)."""
    mine, theirs = _title(listed), _title(other)
    if not mine.words:
        return _Match(kind=TitleVerdict.MISMATCH, distance=0.0, similarity=0.0)
    if mine.words == theirs.words or mine.squashed == theirs.squashed:
        return _EXACT_SAME
    if any(mine.squashed == "".join(part) for part in theirs.parts()):
        return _EXACT_PART
    if len(theirs.words) >= MIN_TOKENS and any(
        "".join(part) == theirs.squashed and 2 * _weight(part) >= _weight(mine.words)
        for part in mine.parts()
    ):
        return _EXACT_PART
    if _long_prefix(mine.words, theirs.words):
        tail = _weight(theirs.words[len(mine.words) :])
        return _Match(
            kind=TitleVerdict.SHORTENED,
            distance=tail,
            similarity=_similarity(mine.words, theirs.words, tail),
        )
    distance, similarity = min(
        (
            (distance, _similarity(mine.words, head, distance))
            for head in theirs.heads(len(mine.words))
            for distance in [word_distance(mine.words, head)]
        ),
        key=lambda pair: (pair[0], -pair[1]),
    )
    close = _typo_close(distance, similarity) or (
        _truncated(mine.words, theirs.words) <= TRUNCATED_TAIL_MAX
    )
    kind = TitleVerdict.TYPO if close else TitleVerdict.MISMATCH
    return _Match(kind=kind, distance=distance, similarity=similarity)


def title_similarity(listed: str, arxiv_title: str) -> float:
    """The judgement's score (0-100) without the verdict: 100 for same and part."""
    return round(100.0 * _compare(listed, arxiv_title).similarity, 1)


def same_paper_by_title(listed: str, arxiv_title: str) -> TitleVerdict | None:
    """Whether a paper that a *search* for the listed title found is the listed paper,
    on the titles alone (``entry/suggest-link``: no id vouches for it): ``same``, or —
    arXiv's title with words added at its end — ``shortened`` or a dropped-subtitle
    ``part``, only when the listed words are long enough that no other paper's title
    starts with them (:data:`LONG_PREFIX_MIN_WORDS`, see *Long prefixes*). None for
    anything else: a typo-close title, a short part ("TOFU"), a title that holds the
    listed words elsewhere ("Improved Visual Instruction Tuning") — near misses are
    other papers often enough that suggesting one would be a guess."""
    match = _compare(listed, arxiv_title)
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


_KIND_ORDER = {TitleVerdict.SAME: 0, TitleVerdict.PART: 1, TitleVerdict.TYPO: 2}


def _best_earlier(listed: str, earlier_titles: Mapping[int, str]) -> tuple[int, _Match] | None:
    """The earlier version the listed title matches best, if it matches any (ties: the
    latest version, the title the list most likely copied)."""
    best: tuple[tuple[int, float, int], int, _Match] | None = None
    for version, title in earlier_titles.items():
        found = _compare(listed, title)
        if found.kind not in _KIND_ORDER:
            continue
        key = (_KIND_ORDER[found.kind], found.distance, -version)
        if best is None or key < best[0]:
            best = (key, version, found)
    return None if best is None else (best[1], best[2])


def judge_title(
    listed: str,
    arxiv_title: str,
    earlier_titles: Mapping[int, str] | None = None,
) -> TitleJudgement:
    """Judge the listed title against arXiv's current title.

    ``earlier_titles`` maps version numbers before the current one to their titles.
    None means "not fetched yet": a title that would be a typo or a mismatch then comes
    back as ``needs-versions`` (with ``provisional`` set) and the caller asks arXiv for
    the earlier versions and judges again. Pass an empty mapping for a paper that has
    only one version.
    """
    current = collapse_whitespace(arxiv_title)
    shown = collapse_whitespace(listed)

    def judgement(
        verdict: TitleVerdict,
        match: _Match,
        reason: str,
        *,
        suggestion: str | None = None,
        matched_version: int | None = None,
        provisional: TitleVerdict | None = None,
    ) -> TitleJudgement:
        return TitleJudgement(
            verdict=verdict,
            score=round(100.0 * match.similarity, 1),
            listed=shown,
            arxiv_title=current,
            suggestion=suggestion,
            matched_version=matched_version,
            provisional=provisional,
            reason=reason,
        )

    match = _compare(listed, arxiv_title)
    if match.kind is TitleVerdict.SAME:
        return judgement(TitleVerdict.SAME, match, "the same title")
    if match.kind is TitleVerdict.PART:
        return judgement(TitleVerdict.PART, match, "part of the title")
    if match.kind is TitleVerdict.SHORTENED:
        # The same paper either way, and a notice: no arXiv call is worth making to tell
        # a retitle from a cut, but versions fetched for another reason are used.
        words = len(_title(listed).words)
        for version, title in sorted((earlier_titles or {}).items(), reverse=True):
            if _compare(listed, title).kind is TitleVerdict.SAME:
                return judgement(
                    TitleVerdict.OUTDATED,
                    _EXACT_SAME,
                    f"the title of v{version}; the paper has been retitled on arXiv",
                    suggestion=current,
                    matched_version=version,
                )
        return judgement(
            TitleVerdict.SHORTENED,
            match,
            f"arXiv's title shortened to its first {words} of "
            f"{len(_title(arxiv_title).words)} words",
            suggestion=current,
        )
    words = len(_title(listed).words)
    if words < MIN_TOKENS or not _title(arxiv_title).words:
        return judgement(
            TitleVerdict.TOO_SHORT, match, f"{words} word(s): a name or label, not judged"
        )
    if earlier_titles is None:
        return judgement(
            TitleVerdict.NEEDS_VERSIONS,
            match,
            "earlier versions' titles are needed",
            provisional=match.kind,
        )
    earlier = _best_earlier(listed, earlier_titles)
    if earlier is not None:
        version, found = earlier
        closer = found.kind is not TitleVerdict.TYPO or (
            match.kind is TitleVerdict.MISMATCH or found.distance < match.distance
        )
        if closer:
            return judgement(
                TitleVerdict.OUTDATED,
                found,
                f"the title of v{version}; the paper has been retitled on arXiv",
                suggestion=current,
                matched_version=version,
            )
    if match.kind is TitleVerdict.TYPO:
        return judgement(
            TitleVerdict.TYPO, match, "the same paper, written differently", suggestion=current
        )
    return judgement(TitleVerdict.MISMATCH, match, "a different paper")


_VERDICT_ORDER = {
    TitleVerdict.SAME: 0,
    TitleVerdict.PART: 1,
    TitleVerdict.TOO_SHORT: 2,
    TitleVerdict.SHORTENED: 3,
    TitleVerdict.OUTDATED: 4,
    TitleVerdict.TYPO: 5,
    TitleVerdict.NEEDS_VERSIONS: 6,
    TitleVerdict.MISMATCH: 7,
}


def judge_entry_titles(
    listed: str,
    candidates: Sequence[tuple[str, str]],
    earlier_titles: Mapping[str, Mapping[int, str]] | None = None,
) -> EntryTitleJudgement:
    """Judge an entry citing several arXiv papers (``(id, current title)`` pairs)
    against the one its title fits best.

    ``earlier_titles`` maps an id to its earlier versions' titles; an id missing from
    it has not been fetched. While no candidate fits and some still lack their
    versions, the answer is ``needs-versions`` and ``needs_versions`` lists the ids to
    fetch: any of them could turn out to be the retitled paper the entry means.
    """
    if not candidates:
        raise ValueError("judge_entry_titles needs at least one (id, title) candidate")
    judged = [
        (
            arxiv_id,
            judge_title(
                listed, title, None if earlier_titles is None else earlier_titles.get(arxiv_id)
            ),
        )
        for arxiv_id, title in candidates
    ]
    pending = tuple(i for i, j in judged if j.verdict is TitleVerdict.NEEDS_VERSIONS)
    best_id, best = min(judged, key=lambda pair: (_VERDICT_ORDER[pair[1].verdict], -pair[1].score))
    if pending and best.verdict in (TitleVerdict.TYPO, TitleVerdict.MISMATCH):
        best_id, best = max(
            ((i, j) for i, j in judged if j.verdict is TitleVerdict.NEEDS_VERSIONS),
            key=lambda pair: pair[1].score,
        )
    if best.verdict is not TitleVerdict.NEEDS_VERSIONS:
        pending = ()
    return EntryTitleJudgement(arxiv_id=best_id, judgement=best, needs_versions=pending)


def names_its_own(mismatches: int, compared: int) -> bool:
    """Whether a list (or one section) evidently names papers its own way — editorial
    headlines, short names — so that its title mismatches are its convention, not
    wrong ids, and deserve one notice rather than an error each.

    ``compared`` counts the titles actually compared with arXiv's (every verdict but
    too-short and needs-versions); ``mismatches`` those called a different paper. True
    from :data:`EDITORIAL_MIN_MISMATCHES` (5) mismatches making up at least
    :data:`EDITORIAL_MIN_SHARE` (5 %) of them. Why there:

    - Lists that copy arXiv's titles have few wrong ids: 0 of the ~200 titles of the
      mature corpus list (``tests/test_corpus_online.py``), and, counting arXiv ids a
      list gives twice under two unrelated titles, 4 of 2,929 in
      diff-usion/Awesome-Diffusion-Models and 1 of 184 in
      hoya012/deep_learning_object_detection — at most 0.5 %.
    - dair-ai/ML-Papers-of-the-Week heads each row with its own headline. Its 54 papers
      that another list of ../shared/corpus/real/ gives with arXiv's title are judged
      27 same, 15 part (a name: "MEM1", "Buffer of Thoughts"), 1 too short, 4 typo and
      7 mismatch — 13 % ("Sketching as a Visual Chain of Thought" for "Visual Sketchpad:
      Sketching as a Visual Chain of Thought for Multimodal Language Models"). Those
      rows are mostly 2023's, which often copy the title; the 2025 rows are headlines
      throughout ("Ultra-Fast Diffusion-based Language Models" for "Mercury: Ultra-Fast
      Language Models Based on Diffusion"), so 13 % is the low end.

    5 % is ten times the worst faithful list and under half the editorial one; five
    mismatches at least keep a short list (or section) with a few real wrong ids from
    being excused: fewer than five are always reported one by one.
    """
    return mismatches >= EDITORIAL_MIN_MISMATCHES and mismatches >= EDITORIAL_MIN_SHARE * compared
