"""Entry dates: every form lists write, what is a publication date and what is not,
and the dates of the real lists."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from listcheck.dates import find_dates
from listcheck.stated_date import DateKind, StatedDate

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REAL = CORPUS / "real"

P, V, U, M = DateKind.PUBLICATION, DateKind.VENUE, DateKind.UPDATE, DateKind.MENTIONED


def only(text: str) -> StatedDate:
    (date,) = find_dates(text)
    return date


# --- the forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "year", "month", "day"),
    [
        # tags before the title (awesome-genai-unlearning.md, lines 234 and 100)
        ("- 【202503】MMUNLEARNER: Reformulating Multimodal", "【202503】", 2025, 3, None),
        ("- [202401] Erasediff: Erasing data influence", "[202401]", 2024, 1, None),
        (
            "- [2023/10] **Paper A: A Title.** *Ann Author et al. arXiv.*",
            "[2023/10]",
            2023,
            10,
            None,
        ),
        ("- [2023-10] Paper A", "[2023-10]", 2023, 10, None),
        ("- 【2024.06】Paper A", "【2024.06】", 2024, 6, None),
        ("| 2023-10 | Paper A |", "2023-10", 2023, 10, None),
        ("- Paper A, 2022.01", "2022.01", 2022, 1, None),
        ("- Paper A, 2024.01.15", "2024.01.15", 2024, 1, 15),
        ("- Paper A, 2018/9/18", "2018/9/18", 2018, 9, 18),
        ("  - Date: 2025-07", "2025-07", 2025, 7, None),
        ("Published 2023-10", "2023-10", 2023, 10, None),
        ("- Paper A (arXiv 2023.10)", "2023.10", 2023, 10, None),
        # the date closing a diff-usion paragraph entry (line 527)
        ("30 Sep 2023", "30 Sep 2023", 2023, 9, 30),
        ("10 Jan 2024", "10 Jan 2024", 2024, 1, 10),
        ("1st March, 2024", "1st March, 2024", 2024, 3, 1),
        ("- Paper A. Jan 10, 2024", "Jan 10, 2024", 2024, 1, 10),
        ("- Paper A. January 2024", "January 2024", 2024, 1, None),
        ("- Paper A. Jan. 2024", "Jan. 2024", 2024, 1, None),
        ("- Paper A. SEPT 2023", None, None, None, None),
        ("- Paper A. Sept. 2023", "Sept. 2023", 2023, 9, None),
        ("- 2023年10月 Paper A", "2023年10月", 2023, 10, None),
        # cells that hold nothing but a date
        (
            "| 202310 | Paper A | [PDF](https://arxiv.org/abs/2310.12773) |",
            "202310",
            2023,
            10,
            None,
        ),
        ("| **10/2023** | Paper A |", "10/2023", 2023, 10, None),
        ("| Paper A | 2.2024 |", "2.2024", 2024, 2, None),
    ],
)
def test_publication_dates_in_every_form(
    text: str, raw: str | None, year: int | None, month: int | None, day: int | None
) -> None:
    dates = find_dates(text)
    if raw is None:  # an upper-case abbreviation other than the three-letter one
        assert [d for d in dates if d.month is not None] == []
        return
    (date,) = dates
    assert (date.raw, date.year, date.month, date.day) == (raw, year, month, day)
    assert text[date.start : date.end] == raw
    assert date.kind is P
    assert date.comparable


@pytest.mark.parametrize(
    ("text", "raw", "year", "venue"),
    [
        # awesome-genai-unlearning.md line 101
        (
            "- [ICLR 2024] Machine Unlearning for Image-to-Image Generative Models",
            "2024",
            2024,
            "ICLR",
        ),
        # hoya012 line 279
        (
            "- **[GIoU]** Generalized Intersection over Union: A Metric and A Loss for Bounding"
            " Box Regression | **[CVPR' 19]** |[`[pdf]`](https://arxiv.org/pdf/1902.09630.pdf) ",
            "' 19",
            2019,
            "CVPR",
        ),
        ("CVPR'19", "'19", 2019, "CVPR"),
        # atfortes line 48
        ("    *Yaoting Wang, Ziwei Liu, Jiebo Luo, Hao Fei.* Preprint'25", "'25", 2025, "Preprint"),
        (
            "Schwarz et al., NeurIPS 2020 | [github](https://github.com/autonomousvision/graf)",
            "2020",
            2020,
            "NeurIPS",
        ),
        ("NIPS'98", "'98", 1998, "NIPS"),
    ],
)
def test_venue_years_are_venue_dates_without_a_month(
    text: str, raw: str, year: int, venue: str
) -> None:
    date = only(text)
    assert (date.raw, date.year, date.month, date.venue) == (raw, year, None, venue)
    assert text[date.start : date.end] == raw
    assert date.kind is V
    assert not date.comparable


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a conference date with a month is still the venue's
        ("- Paper A [NeurIPS 2023.12]", V),
        # a number after a model's name in a title is that model's date
        ("- GPT-4 2023.10 Technical Notes", V),
        # hoya012 line 4
        ("*Last updated: 2020/09/22*", U),
        ("- Paper A (added 2024-01)", U),
        # dair-ai line 1106: a date inside a summary sentence
        (
            "the MoE model activates 25% of the weights; its pretraining cutoff date is"
            " October 2023.",
            M,
        ),
    ],
)
def test_dates_that_are_not_the_papers(text: str, kind: DateKind) -> None:
    date = only(text)
    assert date.month is not None
    assert date.kind is kind
    assert not date.comparable


@pytest.mark.parametrize(
    "text",
    [
        # arXiv ids are never dates: 2012.02190 is not December 2020's "2012.02"
        "- [pixelNeRF](https://arxiv.org/abs/2012.02190), Yu et al., CVPR 2021",
        "- Safe RLHF [arxiv 2310.12773]",
        "- Paper A arXiv:2012.02190v2",
        "- Paper A (2001.01234)",
        # version numbers and numbers glued to other numbers
        "- Toolkit v2023.10",
        "- Toolkit version 2023.10",
        "- Toolkit 1.2023.10",
        "- Paper A 2023.10.1234",
        # URLs, link destinations, HTML attributes (dair-ai line 1036)
        "| 6) **AI-powered Gene Editors** | [Paper](https://www.biorxiv.org/content/10.1101/"
        "2024.04.22.590591v1),  [Tweet](https://x.com/thisismadani/status/1782510590839406904)  |",
        "[[Website](https://maciejdomagala.github.io/generative_models/2022/06/06/"
        "The-recent-rise-of-diffusion-based-models.html)] \\",
        '<img src="https://example.com/2023/10/badge.svg">',
        # ranges: no single paper has them (dair-ai line 210 has no date at all)
        "## Top ML Papers of the Week (May 26 - June 1) - 2025",
        "- Papers of 2023.01 - 2023.06",
        "- Papers of 2023.01-2023.06",
        "- Papers of Jan 2024 – Mar 2024",
        "- Papers from 2023-01 to 2023-06",
        # impossible days and months
        "- Paper A 2023.13",
        "- Paper A 2023-02-30",
        "- Paper A 2023-02-29",
        # six bare digits outside brackets or a cell
        "- 202310 samples were labelled",
    ],
)
def test_what_is_not_a_date_with_a_month(text: str) -> None:
    assert [d for d in find_dates(text) if d.month is not None] == []


def test_offsets_point_at_each_date_of_a_line() -> None:
    text = "- 【202406】 Paper A ([PDF](https://arxiv.org/abs/2404.11577)) [ICLR 2025], 2024-05"
    dates = find_dates(text)
    assert [(d.raw, d.start, d.kind) for d in dates] == [
        ("【202406】", 2, P),
        ("2025", text.index("2025"), V),
        ("2024-05", text.index("2024-05"), P),
    ]


# --- the real lists --------------------------------------------------------------------------

# Every date found on each list, by kind and whether it names a month. Counted by
# find_dates over every line; the kinds were checked by reading samples of each: the
# diff-usion paragraphs close with a submission date ("30 Sep 2023") and give the year
# after the venue ("arXiv 2023.", "NeurIPS 2023."); hoya012 writes "**[CVPR' 16]**";
# atfortes "Preprint'25" / "ACL'24"; awesome-NeRF "Arxiv 2020" / "CVPR 2021"; dair-ai
# names dates only in summaries ("AIME 2024", "cutoff date is October 2023").
REAL_DATES = {
    "atfortes__Awesome-LLM-Reasoning.md": {"venue": 145},
    "awesome-NeRF__awesome-NeRF.md": {"publication": 47, "venue": 105},
    "dair-ai__ML-Papers-of-the-Week.md": {"venue": 13, "publication": 1, "mentioned+month": 1},
    "diff-usion__Awesome-Diffusion-Models.md": {
        "publication+month": 2957,
        "publication": 2375,
        "venue": 566,
    },
    "hoya012__deep_learning_object_detection.md": {
        "update+month": 1,
        "publication+month": 2,
        "venue": 337,
        "publication": 2,
    },
    "yaodongC__awesome-instruction-dataset.md": {"venue": 1},
}


def _census(path: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        for date in find_dates(line):
            counts[date.kind.value + ("+month" if date.month is not None else "")] += 1
    return dict(counts)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize(("name", "expected"), sorted(REAL_DATES.items()))
def test_dates_on_the_real_lists(name: str, expected: dict[str, int]) -> None:
    assert _census(REAL / name) == expected


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_every_month_tag_of_the_mature_corpus_list_is_a_publication_date() -> None:
    lines = (CORPUS / "awesome-genai-unlearning.md").read_text(encoding="utf-8").splitlines()
    tags = [d for line in lines for d in find_dates(line) if d.bracketed and d.month]
    assert len(tags) == 169
    assert all(d.kind is P for d in tags)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize("name", sorted(REAL_DATES))
def test_months_only_finds_the_same_dates_with_a_month(name: str) -> None:
    lines = (REAL / name).read_text(encoding="utf-8").splitlines()
    for line in lines:
        with_month = [d for d in find_dates(line) if d.month is not None]
        assert find_dates(line, months_only=True) == with_month, line


def test_months_only_leaves_out_years() -> None:
    text = "| 2023 | Paper A [ICLR 2024] (2015) | 2023-10 |"
    assert [d.raw for d in find_dates(text)] == ["2023", "2024", "(2015)", "2023-10"]
    assert [d.raw for d in find_dates(text, months_only=True)] == ["2023-10"]
