"""How long the cache trusts what it learned, kept apart from how it stores it.

A good answer lives days, a broken one hours, a transient or skipped one not at all by
default (DESIGN: "the cache never stores a failure as final"). These numbers are a
policy a maintainer may want to read or tune without reading any SQL.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from listcheck.models import Verdict

HOUR = 3600.0
DAY = 24 * HOUR

DEFAULT_TTL: Mapping[Verdict, float] = MappingProxyType(
    {
        Verdict.OK: 7 * DAY,
        Verdict.MOVED: 3 * DAY,
        Verdict.BROKEN: 6 * HOUR,
        Verdict.TRANSIENT: 0.0,
        Verdict.SKIPPED: 0.0,
    }
)
"""Seconds an answer is served, by verdict. Zero means never served: retried next run."""

DEFAULT_RETENTION = 30 * DAY
"""How long a stale answer with an ETag is kept for revalidation, and the failure history
of a key no longer checked (a link removed from the list) is remembered."""

STREAK_GAP = 7 * DAY
"""The longest silence between two failing checks of one key that still continues its
streak. A weekly schedule, or a nightly one paused over a holiday, keeps counting; after a
longer gap nothing says the link failed in between, so a failure starts a new streak
(three failing nights and one more 200 days later are not "four runs in a row")."""


def merge_ttl(ttl: Mapping[Verdict, float] | None) -> dict[Verdict, float]:
    """The defaults with the caller's overrides; a verdict left out keeps its default."""
    merged = dict(DEFAULT_TTL)
    for verdict, seconds in (ttl or {}).items():
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"TTL for {verdict.value} must be a non-negative number of seconds")
        merged[Verdict(verdict)] = float(seconds)
    return merged


def is_fresh(ttl: Mapping[Verdict, float], verdict: str, checked_at: float, now: float) -> bool:
    """Whether a stored answer (its verdict as stored) may still be served at ``now``."""
    # An answer from the future (a clock set wrong on another CI machine) is not
    # trusted: it would otherwise be served until the clock caught up.
    try:
        seconds = ttl[Verdict(verdict)]
    except ValueError:
        return False
    return 0 <= now - checked_at < seconds
