"""Reading the parts of an entry that are neither title nor link, and writing them back
in the section's form: author lists, venues, dates."""

from __future__ import annotations

import pytest

from listcheck.add.paper import Paper
from listcheck.add.parts import (
    Authors,
    learn_authors,
    parse_authors,
    parse_date,
    parse_venue,
    pieces,
    preprint_form,
    write_date,
    write_venue,
)
from listcheck.models import ArxivId


@pytest.mark.parametrize(
    ("text", "names", "etal"),
    [
        ("Yaoting Wang, Shengqiong Wu, Hao Fei", 3, ""),
        ("Wen et al.", 1, " et al."),
        ("Trevithick and Yang", 2, ""),
        ("Niemeyer & Geiger", 2, ""),
        ("Zhen Xing, Qijun Feng, Zuxuan Wu and Yu-Gang Jiang", 4, ""),
        ("Ludwig van Beethoven, Weijie J. Su", 2, ""),
    ],
)
def test_author_lists_are_read(text: str, names: int, etal: str) -> None:
    authors = parse_authors(text, emphasized=False)
    assert authors is not None
    assert len(authors.names) == names
    assert authors.etal == etal


@pytest.mark.parametrize(
    "text",
    ["A method that forgets quickly", "Code and data", "CVPR 2023", "Calvin Luo", "1)"],
)
def test_other_words_are_no_author_list(text: str) -> None:
    assert parse_authors(text, emphasized=False) is None


def test_one_name_counts_when_set_apart_by_emphasis() -> None:
    assert parse_authors("Calvin Luo", emphasized=True) == Authors(("Calvin Luo",), (), "")


@pytest.mark.parametrize(
    ("text", "name", "sep", "year"),
    [
        ("Preprint'25", "Preprint", "'", "25"),
        ("ACL'23 Findings", "ACL", "'", "23"),
        ("CVPR' 14", "CVPR", "' ", "14"),
        ("Arxiv 2020", "Arxiv", " ", "2020"),
        ("arXiv 2023", "arXiv", " ", "2023"),
    ],
)
def test_venues_are_read(text: str, name: str, sep: str, year: str) -> None:
    venue = parse_venue(text)
    assert venue is not None
    assert (venue.name, venue.sep, venue.year) == (name, sep, year)


@pytest.mark.parametrize("text", ["Jones et al", "CVPR 14", "Deep Learning", "al. NeurIPS 2022"])
def test_other_words_are_no_venue(text: str) -> None:
    assert parse_venue(text) is None


@pytest.mark.parametrize(
    ("written", "name", "year", "out"),
    [
        ("Preprint'25", "ICML", 2025, "ICML'25"),
        ("CVPR' 14", "arXiv", 2023, "arXiv' 23"),
        ("Arxiv 2020", "NeurIPS", 2024, "NeurIPS 2024"),
    ],
)
def test_a_venue_is_written_in_the_form_of_the_model(
    written: str, name: str, year: int, out: str
) -> None:
    form = parse_venue(written)
    assert form is not None
    assert write_venue(name, year, form) == out


def test_the_preprint_marker_is_the_one_the_section_keeps_to() -> None:
    venues = [v for t in ("Preprint'24", "Preprint'25", "ACL'24") if (v := parse_venue(t))]
    marker = preprint_form(venues)
    assert marker is not None
    assert (marker.name, marker.sep) == ("Preprint", "'")
    mixed = [v for t in ("arXiv 2023", "Preprint'24") if (v := parse_venue(t))]
    assert preprint_form(mixed) is None


def lists(*texts: str) -> list[Authors]:
    return [a for t in texts if (a := parse_authors(t, emphasized=True)) is not None]


NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper")


@pytest.mark.parametrize(
    ("section", "wider", "names", "out"),
    [
        # atfortes: everyone, full names, commas throughout.
        (("Ann Lee, Bo Chen, Cy Diaz", "Dee Evans, Fay Gold"), (), NAMES, ", ".join(NAMES)),
        # awesome-NeRF: surnames; two are written out, more are cut after the first.
        (("Smith et al.", "Jones and Brown"), (), NAMES, "Lovelace et al."),
        (("Smith et al.", "Jones and Brown"), (), NAMES[:2], "Lovelace and Turing"),
        # A section of "et al." alone learns the pair form from the rest of the list.
        (("Smith et al.",), ("Jones & Brown",), NAMES[:2], "Lovelace & Turing"),
        # diff-usion: "and" before the last name.
        (
            ("Zhen Xing, Qi Dai and Yu Jiang",),
            (),
            NAMES,
            "Ada Lovelace, Alan Turing and Grace Hopper",
        ),
    ],
)
def test_author_lists_are_written_the_section_s_way(
    section: tuple[str, ...], wider: tuple[str, ...], names: tuple[str, ...], out: str
) -> None:
    style = learn_authors(lists(*section), lists(*wider))
    assert style is not None
    assert style.write(names) == out


@pytest.mark.parametrize(
    ("written", "published", "out"),
    [
        ("30 Oct 2023", (2025, 5, 7), "7 May 2025"),
        ("04 March 2023", (2024, 1, 9), "09 January 2024"),
    ],
)
def test_dates_keep_the_model_s_form(
    written: str, published: tuple[int, int, int], out: str
) -> None:
    form = parse_date(written)
    assert form is not None
    assert write_date(published, form) == out


@pytest.mark.parametrize(
    ("block", "kinds"),
    [
        ("    *Nuo Chen, Zhiyuan Hu.* Preprint'25", ["authors", "venue"]),
        (", Wen et al., CVPR 2023 | ", ["authors", "venue"]),
        (" | **[CVPR' 14]** |", ["venue"]),
        (" <!---Li20arxiv_nsff-->", ["comment"]),
        ("30 Oct 2023", ["date"]),
        (": A method that forgets quickly and well.", ["description"]),
        ("🏡", ["unknown"]),
        ("| 1) ", ["unknown"]),
    ],
)
def test_pieces_are_sorted_by_what_they_are(block: str, kinds: list[str]) -> None:
    assert [p.kind for p in pieces(block, [False] * len(block), [])] == kinds


def paper(comment: str = "", journal_ref: str = "", published: str = "") -> Paper:
    return Paper(ArxivId("2505.00001"), "T", "", comment, (), journal_ref, published)


@pytest.mark.parametrize(
    ("comment", "venue"),
    [
        ("Submitted to ICML 2025", None),
        ("Under review at NeurIPS 2025; 9 pages", None),
        ("Accepted at ICML 2025", "ICML 2025"),
    ],
)
def test_a_venue_the_paper_has_not_reached_is_no_venue(comment: str, venue: str | None) -> None:
    assert paper(comment).venue == venue


def test_the_published_date_is_read() -> None:
    assert paper(published="2025-05-07T17:59:01Z").published_on == (2025, 5, 7)
    assert paper().published_on is None
