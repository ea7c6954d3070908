"""The arXiv identifier grammar, checked strictly.

The arXiv API answers a whole ``id_list`` batch with HTTP 400 when a single id in it is
malformed, so every later stage trusts that an id which passed here is well formed, and
the lint rules use the same grammar to tell the author exactly what is wrong.

Two schemes exist (https://info.arxiv.org/help/arxiv_identifier.html):

* new style, since April 2007: ``YYMM.NNNN`` until December 2014, ``YYMM.NNNNN`` since
  January 2015;
* old style, August 1991 to March 2007: ``archive(.SUBJ)?/YYMMNNN``.

Either may carry a version suffix ``vN`` (N >= 1).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from listcheck.models import ArxivId

OLD_STYLE_ARCHIVES: frozenset[str] = frozenset(
    {
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    }
)
"""Archives that issued old-style ids; anything else before the slash is a typo."""

_SUBJECT_CLASS_ARCHIVES = frozenset({"math", "cs", "nlin", "physics", "q-bio", "cond-mat"})
"""Old-style archives whose ids were also written with a subject class (``math.GT/...``)."""

_COMMON = re.compile(
    r"(?P<yy>0[7-9]|[1-9][0-9])(?P<mm>[0-9]{2})\.(?P<number>[0-9]{4,5})(?:v(?P<version>[1-9][0-9]*))?"
)
"""A quick accept for the ids nearly every link carries; the rest get the full diagnosis."""
_VERSIONED = re.compile(r"(?P<base>.*\d)v(?P<version>\d+)", re.ASCII)
_BAD_VERSION = re.compile(r"\d[vV]\d*$", re.ASCII)
_NEW_SHAPE = re.compile(r"(?P<yymm>\d+)\.(?P<number>\d+)", re.ASCII)
_OLD_SHAPE = re.compile(r"(?P<archive>[^/.]+)(?:\.(?P<subject>[^/]*))?/(?P<number>[^/]*)")
_SUBJECT = re.compile(r"[A-Z]{2}|[a-z]+(?:-[a-z]+)*")

_FIRST_NEW = (2007, 4)
_FIRST_FIVE_DIGIT = (2015, 1)
_FIRST_OLD = (1991, 8)
_LAST_OLD = (2007, 3)


class ParsedArxivId(NamedTuple):
    """A valid identifier split into the parts later stages ask about."""

    id: ArxivId
    version: int | None
    year: int
    month: int
    old_style: bool


def parse_arxiv_id(text: str) -> tuple[ArxivId, int | None] | None:
    """The id and its version if ``text`` is exactly a valid identifier, else None."""
    result = _analyse(text)
    if isinstance(result, str):
        return None
    return result.id, result.version


def parse_arxiv_id_full(text: str) -> ParsedArxivId | None:
    """Like :func:`parse_arxiv_id`, with the id's year and month."""
    result = _analyse(text)
    return None if isinstance(result, str) else result


def arxiv_id_problem(text: str) -> str | None:
    """Why ``text`` is not a valid identifier, as a phrase to follow the id in a message;
    None when it is valid."""
    result = _analyse(text)
    return result if isinstance(result, str) else None


def is_valid_arxiv_id(text: str) -> bool:
    """True for a valid identifier with or without a version."""
    return not isinstance(_analyse(text), str)


def id_year_month(arxiv_id: str) -> tuple[int, int]:
    """The year and month an id was issued in (``hep-th/9901001`` -> 1999, 1).

    Raises ValueError for an invalid id, so a caller cannot silently compare garbage.
    """
    result = _analyse(arxiv_id)
    if isinstance(result, str):
        raise ValueError(f"{arxiv_id!r} {result}")
    return result.year, result.month


def _analyse(text: str) -> ParsedArxivId | str:
    common = _COMMON.fullmatch(text)
    if common:
        yy, mm, number, version = common.groups()
        year, month = 2000 + int(yy), int(mm)
        if (
            0 < month < 13
            and (year, month) >= _FIRST_NEW
            and len(number) == (5 if year >= 2015 else 4)
            and number.strip("0")
        ):
            end = 5 + len(number)
            return ParsedArxivId(
                ArxivId(text[:end]), int(version) if version else None, year, month, False
            )
    if not text:
        return "is empty"
    if text.lower().startswith("arxiv:"):
        return "carries an 'arXiv:' prefix; the id is what follows it"
    base, version = text, None
    versioned = _VERSIONED.fullmatch(text)
    if versioned:
        base = versioned["base"]
        version = int(versioned["version"])
        if version == 0:
            return "has version v0; versions start at v1"
    elif _BAD_VERSION.search(text):
        return "has a malformed version suffix (expected v1, v2, ...)"
    new = _NEW_SHAPE.fullmatch(base)
    if new:
        return _analyse_new(new["yymm"], new["number"], version)
    old = _OLD_SHAPE.fullmatch(base)
    if old:
        return _analyse_old(old["archive"], old["subject"], old["number"], version)
    return "is not an arXiv identifier (expected YYMM.NNNNN or archive/YYMMNNN)"


def _analyse_new(yymm: str, number: str, version: int | None) -> ParsedArxivId | str:
    if len(yymm) != 4:
        return f"has {len(yymm)} digits before the dot; new-style ids have 4 (YYMM)"
    year, month = 2000 + int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12:
        return f"has month {yymm[2:]}, which is not 01-12"
    if (year, month) < _FIRST_NEW:
        return f"is dated {year}-{month:02d}, before new-style ids began in April 2007"
    expected = 5 if (year, month) >= _FIRST_FIVE_DIGIT else 4
    if len(number) != expected:
        era = "since 2015" if expected == 5 else "from 2007 to 2014"
        return (
            f"has {len(number)} digits after the dot; ids {era} have {expected}"
            f" (YYMM.{'N' * expected})"
        )
    if int(number) == 0:
        return "has sequence number 0, which arXiv never assigns"
    return ParsedArxivId(ArxivId(f"{yymm}.{number}"), version, year, month, False)


def _analyse_old(
    archive: str, subject: str | None, number: str, version: int | None
) -> ParsedArxivId | str:
    if archive not in OLD_STYLE_ARCHIVES:
        return f"names {archive!r}, which is not an arXiv archive"
    if subject is not None:
        if archive not in _SUBJECT_CLASS_ARCHIVES:
            return f"gives a subject class to {archive!r}, which has none"
        if not _SUBJECT.fullmatch(subject):
            return f"has a malformed subject class {subject!r}"
    if not (len(number) == 7 and number.isascii() and number.isdigit()):
        return "must have 7 digits (YYMMNNN) after the archive"
    yy, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12:
        return f"has month {number[2:4]}, which is not 01-12"
    year = 1900 + yy if yy >= 50 else 2000 + yy
    if not _FIRST_OLD <= (year, month) <= _LAST_OLD:
        return f"is dated {year}-{month:02d}; old-style ids run from August 1991 to March 2007"
    if int(number[4:]) == 0:
        return "has sequence number 000, which arXiv never assigns"
    # The subject class is not part of the identity (math.GT/0309136 is math/0309136), and
    # the API knows papers by the bare archive, so the canonical id drops it.
    return ParsedArxivId(ArxivId(f"{archive}/{number}"), version, year, month, True)
