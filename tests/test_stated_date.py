"""A stated date rewritten to name another month, in the form the list wrote it."""

from __future__ import annotations

import pytest

from listcheck.dates import find_dates

# --- rewriting in the form written -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "month", "rewritten"),
    [
        ("- 【202406】Paper A", 2024, 4, "【202404】"),
        ("- [202310] Paper A", 2023, 3, "[202303]"),
        ("2023-10", 2023, 3, "2023-03"),
        ("- [2023/09] Paper A", 2023, 3, "[2023/03]"),
        ("- [2023/9] Paper A", 2023, 11, "[2023/11]"),
        ("- Paper A, 2022.01", 2021, 12, "2021.12"),
        ("- Paper A. January 2024", 2023, 12, "December 2023"),
        ("- Paper A. Jan. 2024", 2023, 12, "Dec. 2023"),
        ("- Paper A. JAN 2024", 2023, 12, "DEC 2023"),
        ("- 2023年10月 Paper A", 2023, 11, "2023年11月"),
        # a day would be left wrong: no rewrite
        ("30 Dec 2021", 2021, 11, None),
        ("2024.01.15", 2023, 12, None),
        # "2023.10" to March: "2023.3" or "2023.03"? the list's habit is unknown
        ("- Paper A, 2023.10", 2023, 3, None),
        ("| 10/2023 | Paper A |", 2023, 3, None),
        ("- Paper A. Sept. 2023", 2023, 10, None),
    ],
)
def test_rewritten_keeps_the_form(text: str, year: int, month: int, rewritten: str | None) -> None:
    (date,) = find_dates(text)
    assert date.rewritten(year, month) == rewritten
