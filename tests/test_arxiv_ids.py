"""The arXiv id grammar: every id the API would reject with HTTP 400 must be refused here,
and every real id must pass, or a whole batch of checks is lost."""

from __future__ import annotations

import pytest

from listcheck.arxiv_ids import (
    OLD_STYLE_ARCHIVES,
    arxiv_id_problem,
    id_year_month,
    is_valid_arxiv_id,
    parse_arxiv_id,
    parse_arxiv_id_full,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ids cited in the corpus lists
        ("2404.11577", ("2404.11577", None)),
        ("2406.14796v1", ("2406.14796", 1)),
        ("2312.07420v1", ("2312.07420", 1)),
        ("1506.06724", ("1506.06724", None)),
        # the first and last four-digit months, the first five-digit month
        ("0704.0001", ("0704.0001", None)),
        ("1412.8999", ("1412.8999", None)),
        ("1501.00001", ("1501.00001", None)),
        ("1111.2011v2", ("1111.2011", 2)),
        ("2401.12345v12", ("2401.12345", 12)),
        # old style, with and without a subject class; the class is not part of the id
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("hep-th/9108001v1", ("hep-th/9108001", 1)),
        ("cs/0112017", ("cs/0112017", None)),
        ("math.GT/0309136", ("math/0309136", None)),
        ("math.GT/0309136v2", ("math/0309136", 2)),
        ("physics.optics/0101001", ("physics/0101001", None)),
        ("cond-mat.mes-hall/0102536", ("cond-mat/0102536", None)),
        ("quant-ph/0703001", ("quant-ph/0703001", None)),
        ("q-bio/0309001", ("q-bio/0309001", None)),
    ],
)
def test_valid_ids_parse_to_id_and_version(text: str, expected: tuple[str, int | None]) -> None:
    assert parse_arxiv_id(text) == expected
    assert is_valid_arxiv_id(text)
    assert arxiv_id_problem(text) is None


@pytest.mark.parametrize(
    ("text", "because"),
    [
        ("", "empty"),
        ("2401.1234567", "7 digits after the dot; ids since 2015 have 5"),
        ("2401.1234", "4 digits after the dot; ids since 2015 have 5"),
        ("1412.12345", "5 digits after the dot; ids from 2007 to 2014 have 4"),
        ("0901.123", "3 digits after the dot"),
        ("2413.00001", "month 13"),
        ("2400.00001", "month 00"),
        ("240.12345", "3 digits before the dot"),
        ("24011.12345", "5 digits before the dot"),
        ("0612.1234", "before new-style ids began in April 2007"),
        ("0703.1234", "before new-style ids began in April 2007"),
        ("2401.00000", "sequence number 0"),
        ("2401.12345v0", "v0"),
        ("2401.12345V2", "malformed version"),
        ("2401.12345v", "malformed version"),
        ("arXiv:2401.12345", "'arXiv:' prefix"),
        ("abc", "not an arXiv identifier"),
        (" 2401.12345", "not an arXiv identifier"),
        ("2401.12345 ", "not an arXiv identifier"),
        ("2401.12345.pdf", "not an arXiv identifier"),
        ("２４０１.１２３４５", "not an arXiv identifier"),  # full-width digits
        ("hep-xx/9901001", "'hep-xx', which is not an arXiv archive"),
        ("HEP-TH/9901001", "not an arXiv archive"),
        ("cs/011201", "7 digits"),
        ("cs/01120170", "7 digits"),
        ("hep-th/9913001", "month 13"),
        ("hep-th/9001001", "1990-01; old-style ids run from August 1991"),
        ("hep-th/0704001", "2007-04; old-style ids run from August 1991 to March 2007"),
        ("hep-th/9901000", "sequence number 000"),
        ("astro-ph.CO/0101001", "subject class to 'astro-ph'"),
        ("math.gt-/0309136", "malformed subject class"),
    ],
)
def test_invalid_ids_are_refused_with_a_reason(text: str, because: str) -> None:
    assert parse_arxiv_id(text) is None
    assert not is_valid_arxiv_id(text)
    problem = arxiv_id_problem(text)
    assert problem is not None
    assert because in problem


@pytest.mark.parametrize(
    ("arxiv_id", "year_month"),
    [
        ("2404.11577", (2024, 4)),
        ("0704.0001", (2007, 4)),
        ("1501.00001", (2015, 1)),
        ("hep-th/9901001", (1999, 1)),
        ("math/0703001", (2007, 3)),
        ("hep-th/9108001", (1991, 8)),
        ("cs/0112017", (2001, 12)),
        ("2406.14796v1", (2024, 6)),
    ],
)
def test_year_and_month(arxiv_id: str, year_month: tuple[int, int]) -> None:
    assert id_year_month(arxiv_id) == year_month


def test_year_month_of_an_invalid_id_raises() -> None:
    with pytest.raises(ValueError, match="month 13"):
        id_year_month("2413.00001")


def test_full_parse_knows_the_scheme() -> None:
    new = parse_arxiv_id_full("2401.12345v3")
    old = parse_arxiv_id_full("math.GT/0309136")
    assert new is not None
    assert old is not None
    assert (new.old_style, new.version, new.year, new.month) == (False, 3, 2024, 1)
    assert (old.old_style, old.id, old.year, old.month) == (True, "math/0309136", 2003, 9)
    assert parse_arxiv_id_full("nope") is None


@pytest.mark.parametrize("archive", sorted(OLD_STYLE_ARCHIVES))
def test_every_archive_issues_old_style_ids(archive: str) -> None:
    assert parse_arxiv_id(f"{archive}/0101001") == (f"{archive}/0101001", None)
