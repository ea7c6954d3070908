"""The state the tracking issue carries in its own body (a hidden comment): since when
each problem has been seen, so "since when" survives without the result cache."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from listcheck.nightly.model import Problem

STATE_PREFIX: Final = "<!-- listcheck:nightly-state "


STATE_LIMIT: Final = 24_000
"""Characters the hidden state may take of the body; the visible report gets the rest."""


class Status(StrEnum):
    OPEN = "open"
    CLEAN = "clean"
    """listcheck closed the issue because the list was clean; it may reopen it."""


@dataclass(frozen=True)
class TrackingState:
    """What the issue remembers between nights: since when each problem has been seen."""

    since: Mapping[str, int] = field(default_factory=dict)
    """Problem key -> Unix time (whole seconds) of the first night it was seen."""
    status: Status = Status.OPEN

    def encode(self, limit: int = STATE_LIMIT) -> str:
        """The hidden comment, compressed (keys are mostly URLs) and base64-encoded, so no
        URL can close the comment early. Past ``limit``, the most recent entries are
        dropped first: they lose least (a day of "since"), the oldest matter most."""
        entries = sorted(self.since.items(), key=lambda item: (item[1], item[0]))
        while True:
            payload = json.dumps(
                {"v": 1, "status": self.status.value, "since": dict(entries)},
                separators=(",", ":"),
                sort_keys=True,
            )
            blob = base64.b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")
            comment = f"{STATE_PREFIX}{blob} -->"
            if len(comment) <= limit or not entries:
                return comment
            entries = entries[: max(0, len(entries) - max(1, len(entries) // 10))]

    @classmethod
    def decode(cls, body: str | None) -> TrackingState:
        """The state found in an issue body; an absent or unreadable one is a fresh start
        (someone edited the body by hand): the worst outcome is "since tonight"."""
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
            return cls(since=since, status=Status(data.get("status", Status.OPEN)))
        except (ValueError, TypeError, KeyError, AttributeError, zlib.error, binascii.Error):
            return cls()

    def advance(self, problems: Iterable[Problem], now: float) -> TrackingState:
        """Tonight's state: known problems keep their night, new ones start now, fixed
        ones are forgotten (if one comes back, its clock starts again)."""
        stamp = int(now)
        return TrackingState(
            since={p.key: self.since.get(p.key, stamp) for p in problems}, status=Status.OPEN
        )
