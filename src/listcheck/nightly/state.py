"""The state the tracking issue carries in its own body (a hidden comment): since when
each problem has been seen, so "since when" survives without the result cache, and the
last nights' link counts the trend chart is drawn from."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from listcheck.nightly.model import Problem
from listcheck.nightly.trend import Night, normalized, record

STATE_PREFIX: Final = "<!-- listcheck:nightly-state "


STATE_LIMIT: Final = 24_000
"""Characters the hidden state may take of the body; the visible report gets the rest."""


class Status(StrEnum):
    OPEN = "open"
    CLEAN = "clean"
    """listcheck closed the issue because the list was clean; it may reopen it."""


@dataclass(frozen=True)
class TrackingState:
    """What the issue remembers between nights: since when each problem has been seen,
    and how many links were broken, moved and transient on each of the last nights."""

    since: Mapping[str, int] = field(default_factory=dict)
    """Problem key -> Unix time (whole seconds) of the first night it was seen."""
    status: Status = Status.OPEN
    nights: tuple[Night, ...] = ()
    """Link counts of the last nights (:mod:`listcheck.nightly.trend`), oldest first."""

    def encode(self, limit: int = STATE_LIMIT) -> str:
        """The hidden comment, compressed (keys are mostly URLs) and base64-encoded, so no
        URL can close the comment early. Past ``limit``, the most recent entries are
        dropped first: they lose least (a day of "since"), the oldest matter most. The
        nights (a few hundred characters at most) are always kept."""
        nights = [night.to_json() for night in self.nights]
        entries = sorted(self.since.items(), key=lambda item: (item[1], item[0]))
        while True:
            data: dict[str, object] = {"v": 1, "status": self.status.value, "since": dict(entries)}
            if nights:  # absent rather than empty: an old body and a new one read alike
                data["nights"] = nights
            payload = json.dumps(data, separators=(",", ":"), sort_keys=True)
            blob = base64.b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")
            comment = f"{STATE_PREFIX}{blob} -->"
            if len(comment) <= limit or not entries:
                return comment
            entries = entries[: max(0, len(entries) - max(1, len(entries) // 10))]

    @classmethod
    def decode(cls, body: str | None) -> TrackingState:
        """The state found in an issue body; an absent or unreadable one is a fresh start
        (someone edited the body by hand): the worst outcome is "since tonight". A body
        from before the trend chart has no nights and starts a fresh series; a damaged
        point is dropped alone."""
        if not body:
            return cls()
        start = body.rfind(STATE_PREFIX)
        end = body.find("-->", start)
        if start < 0 or end < 0:
            return cls()
        blob = body[start + len(STATE_PREFIX) : end].strip()
        try:
            data = json.loads(zlib.decompress(base64.b64decode(blob, validate=True)))
            since = {
                str(key): int(value)
                for key, value in data["since"].items()
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0
            }
            stored = data.get("nights")
            points = [Night.from_json(item) for item in stored] if isinstance(stored, list) else []
            return cls(
                since=since,
                status=Status(data.get("status", Status.OPEN)),
                nights=normalized(point for point in points if point is not None),
            )
        except (ValueError, TypeError, KeyError, AttributeError, zlib.error, binascii.Error):
            return cls()

    def advance(self, problems: Iterable[Problem], now: float) -> TrackingState:
        """Tonight's state: known problems keep their night, new ones start now, fixed
        ones are forgotten (if one comes back, its clock starts again). The nights are
        kept as they are: :meth:`with_night` adds tonight's."""
        stamp = int(now)
        return TrackingState(
            since={p.key: self.since.get(p.key, stamp) for p in problems},
            status=Status.OPEN,
            nights=self.nights,
        )

    def with_night(self, night: Night | None) -> TrackingState:
        """This state with tonight's counts in its series (see :func:`trend.record`)."""
        return replace(self, nights=record(self.nights, night))
