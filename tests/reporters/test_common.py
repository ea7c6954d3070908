"""The helpers every format (and the nightly issue) cuts and dates with."""

from __future__ import annotations

import pytest

from listcheck.reporters.common import cut_to_fit, utc_day

NOTE = "*(cut)*"


@pytest.mark.parametrize(
    ("text", "budget", "utf8", "expected"),
    [
        ("a\nb\n", 4, False, "a\nb\n"),  # fits: unchanged
        ("one\ntwo\nthree\n", 13, False, "one\n*(cut)*"),  # at the last whole line
        ("abcdefghijkl", 10, False, "ab\n*(cut)*"),  # no line break: cut where it must be
        ("é\n" * 4, 8, False, "é\né\né\né\n"),  # 8 characters fit
        ("é\n" * 4, 8, True, "\n*(cut)*"),  # 12 bytes do not: only the note does
        ("é\n" * 4, 11, True, "é\n*(cut)*"),  # 3 bytes a line
        ("éééééé", 11, True, "é\n*(cut)*"),  # 3 bytes of room end inside the second é
        ("xyzxyzxyz", 7, False, None),  # not even the note and its line break fit
    ],
)
def test_cut_to_fit(text: str, budget: int, utf8: bool, expected: str | None) -> None:
    cut = cut_to_fit(text, budget, NOTE, utf8=utf8)
    assert cut == expected
    if cut is not None:
        size = len(cut.encode("utf-8")) if utf8 else len(cut)
        assert size <= budget


@pytest.mark.parametrize(
    ("stamp", "day"),
    [(0, "1970-01-01"), (1_735_862_399, "2025-01-02"), (1_735_862_400, "2025-01-03")],
)
def test_utc_day(stamp: int, day: str) -> None:
    assert utc_day(stamp) == day
