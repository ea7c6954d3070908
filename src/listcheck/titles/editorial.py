"""When a list's title mismatches are its naming convention rather than wrong ids.

A rule over the counts of many judgements (:mod:`~listcheck.titles.compare`), not over
any one title: it decides whether a list or section gets one notice for naming papers
its own way instead of an error per title.
"""

from __future__ import annotations

__all__ = ["EDITORIAL_MIN_MISMATCHES", "EDITORIAL_MIN_SHARE", "names_its_own"]

EDITORIAL_MIN_MISMATCHES = 5
EDITORIAL_MIN_SHARE = 0.05


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
