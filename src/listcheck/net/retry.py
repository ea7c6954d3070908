"""When to try a request again, and how long to wait first.

A polite client retries only what the server said is temporary (429 and the
gateway/overload statuses) or what the network lost (a reset, a timeout), waits
longer each time with full jitter so many clients do not retry in lockstep, and
waits exactly as long as ``Retry-After`` asks when the server says so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Final

RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
"""Answers that say "not now" rather than "no": worth asking again after a pause."""


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait as ``Retry-After`` asks, or None when it is absent or unreadable.

    The header holds either delay seconds or an HTTP date; a date in the past means
    "now" (0). ``now`` is Unix time, passed in so the date form can be tested.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


_EPOCH_THRESHOLD: Final = 1_000_000_000.0
"""A reset value this large is a Unix time (GitHub's ``X-RateLimit-Reset``), not a delay
(the IETF draft's ``RateLimit-Reset``): no quota window lasts 30 years."""


def requested_wait(headers: Mapping[str, str], now: float) -> float | None:
    """How long the server asked us to wait, or None when it did not say.

    ``Retry-After`` first; failing that, a spent quota (``X-RateLimit-Remaining`` or
    ``RateLimit-Remaining`` of 0) with its reset time, which is how GitHub and many
    other APIs answer a 429/403 without ``Retry-After``. Retrying before the reset
    only spends requests on answers known in advance.
    """
    asked = parse_retry_after(headers.get("Retry-After"), now)
    if asked is not None:
        return asked
    for prefix in ("X-RateLimit-", "RateLimit-"):
        remaining = headers.get(f"{prefix}Remaining", "").strip()
        reset = headers.get(f"{prefix}Reset", "").strip()
        if remaining != "0" or not reset:
            continue
        try:
            value = float(reset)
        except ValueError:
            continue
        if not math.isfinite(value) or value < 0:
            continue
        return max(0.0, value - now) if value >= _EPOCH_THRESHOLD else value
    return None


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Full jitter: a uniform pause in ``[0, min(cap, base * 2**attempt)]``.

    ``attempt`` counts from 0 for the pause after the first failure. Spreading the
    whole interval (rather than adding a little noise to a fixed wait) is what keeps
    many clients from hitting a recovering server together.
    """
    ceiling = min(cap, base * 2.0 ** min(attempt, 62))
    return (rng or random).uniform(0.0, max(0.0, ceiling))
