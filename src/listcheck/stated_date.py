"""One date as an entry states it: what it is the date of, whether it may be held
against an arXiv id's month, and how to write another month in the same form.

:mod:`listcheck.dates` finds the dates a line states; this module is what a found
date *is*, so a rule can judge a date (and a fix rewrite it) without knowing the
forms, and a date the parser saw as a tag can be judged the same way.

Which dates are the paper's own
-------------------------------
Only a **publication** date (:attr:`DateKind.PUBLICATION`) is comparable with the
month of the entry's arXiv id; every other date is reported but never compared:

* a **venue** date (:attr:`DateKind.VENUE`) qualifies a name written right before it,
  with nothing but spaces, an apostrophe or a hyphen between: ``[ICLR 2024]``,
  ``CVPR'19``, ``**[CVPR' 16]**``, ``NeurIPS 2021``, ``Preprint'25``,
  ``NeurIPS 2023.12``. A name is a word with a capital letter or a digit in it
  (``ICLR``, ``NeurIPS``, ``GPT-4``), so a number after a model's name in a title
  (``GPT-4 2023.10``) is that name's date, not the entry's. The exceptions are the
  words that *introduce* the paper's own date: ``arXiv``/``Preprint`` and labels such
  as ``Date``, ``Published``, ``Submitted``: ``arXiv 2023.10`` is an arXiv date.
  ``arXiv 2023.`` is a year only, and a year is never compared.
* an **update** date (:attr:`DateKind.UPDATE`) is one the list keeps about itself
  (``Last updated: 2020/09/22``, ``added 2024-01``).
* a **mentioned** date (:attr:`DateKind.MENTIONED`) is part of a sentence, right
  after a lower-case word: ``its pretraining cutoff date is October 2023`` in a
  summary says nothing about when the paper appeared.

Everything else with a month is a publication date: a tag at the head of the entry,
a date on a line of its own (``14 Mar 2023`` closing a paragraph entry), a date after
a comma or a colon (``Ann Author et al., 2023.10``), a date cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_NUMBERS = {name.lower(): index for index, name in enumerate(MONTH_NAMES, start=1)}
MONTH_NUMBERS.update({name[:3].lower(): n for name, n in list(MONTH_NUMBERS.items())})
MONTH_NUMBERS["sept"] = 9
# A tag before a title opens with one of these; the brackets are part of its ``raw``.
OPENERS = "【[("


class DateKind(StrEnum):
    """What a date is the date of; only ``publication`` is compared with an arXiv id."""

    PUBLICATION = "publication"
    VENUE = "venue"
    UPDATE = "update"
    MENTIONED = "mentioned"


@dataclass(frozen=True)
class StatedDate:
    """One date as an entry states it.

    ``start`` is the offset of ``raw`` in the text searched; ``year_at`` and
    ``month_at`` are the (start, end) of the year and month inside ``raw``, so a
    suggestion can rewrite the date in the form it was written.
    """

    raw: str
    start: int
    year: int
    month: int | None
    day: int | None
    kind: DateKind
    year_at: tuple[int, int]
    month_at: tuple[int, int] | None = None
    venue: str | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    @property
    def comparable(self) -> bool:
        """Whether the date may be held against an arXiv id's year and month."""
        return self.kind is DateKind.PUBLICATION and self.month is not None

    @property
    def bracketed(self) -> bool:
        """A tag such as ``【202406】`` or ``[2023/10]``: the brackets are part of ``raw``."""
        return self.raw[:1] in OPENERS

    def rewritten(self, year: int, month: int) -> str | None:
        """``raw`` naming ``year`` and ``month`` instead, written the same way; None
        when that cannot be done with certainty (a day would be left wrong, an
        abbreviation is unusual)."""
        if self.day is not None or self.month is None or self.month_at is None:
            return None
        year_text = self.raw[slice(*self.year_at)]
        month_text = self.raw[slice(*self.month_at)]
        new_year = _like_year(year_text, year)
        new_month = _like_month(month_text, self.month, month, self._always_padded())
        if new_year is None or new_month is None:
            return None
        parts = sorted([(self.year_at, new_year), (self.month_at, new_month)])
        out, at = [], 0
        for (begin, finish), text in parts:
            out.append(self.raw[at:begin])
            out.append(text)
            at = finish
        out.append(self.raw[at:])
        return "".join(out)

    def _always_padded(self) -> bool:
        """Months this form writes with two digits whatever the month: six digits in a
        row (``202406``) and ISO's ``2024-06``."""
        if self.month_at is None:
            return False
        between = self.raw[min(self.year_at[1], self.month_at[0]) : self.month_at[0]]
        return between in ("", "-") and self.year_at[0] < self.month_at[0]


def _like_year(written: str, year: int) -> str | None:
    if written.isdigit() and len(written) == 4:
        return f"{year:04d}"
    return None


def _like_month(written: str, old: int, new: int, padded: bool) -> str | None:
    """``new`` in the style ``written`` names ``old``: digits padded as written, or
    the full or three-letter name in the same case."""
    if written.isdigit():
        if len(written) == 1:
            return str(new)
        if padded or written.startswith("0") or new >= 10:
            return f"{new:02d}"
        return None  # "2023.10" to March: whether this list writes "2023.3" is unknown
    full = MONTH_NAMES[old - 1]
    name = MONTH_NAMES[new - 1]
    for shape, candidate in ((full, name), (full[:3], name[:3])):
        if written == shape:
            return candidate
        if written == shape.upper():
            return candidate.upper()
    return None


# --- whose date it is ------------------------------------------------------------------------

# The words that introduce the paper's own date: a date after them is not a venue's.
ARXIV_WORDS = frozenset({"arxiv", "preprint", "corr", "biorxiv", "medrxiv"})
LABELS = frozenset(
    {"date", "dated", "published", "publication", "submitted", "posted", "released", "online"}
)
_NAME_BEFORE = re.compile(
    r"(?<![\w\-])(?P<word>[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9])(?:\s*['’]\s*|[\s\-]+)$"
)
_UPDATE_BEFORE = re.compile(
    r"(?:last\s+)?(?:updated?|modified|added|accessed|retrieved)(?:\s+on)?\s*:?\s*[*_]*$",
    re.IGNORECASE,
)


def kind_from_context(before: str) -> tuple[DateKind, str | None]:
    """Whose date it is, from the words right before it (see the module docstring)."""
    if _UPDATE_BEFORE.search(before[-40:]):
        return DateKind.UPDATE, None
    name = _NAME_BEFORE.search(before[-60:])
    if name is None:
        return DateKind.PUBLICATION, None
    word = name.group("word")
    lowered = word.lower()
    if lowered in ARXIV_WORDS or lowered in LABELS or lowered in MONTH_NUMBERS:
        return DateKind.PUBLICATION, None
    if any(c.isupper() or c.isdigit() for c in word):
        return DateKind.VENUE, word
    return DateKind.MENTIONED, None
