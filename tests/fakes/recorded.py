"""Load the recorded responses in ``samples/`` (status line, headers, body).

The fakes answer with these bytes so that a checker is tested against what the
real services send, not against what its author believed they send. A sample is
read once and cached; callers get immutable data and copy what they change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"
"""The folder holding the copies of ``shared/api-samples``."""

# Headers that describe one recorded transfer rather than the response itself.
# aiohttp writes its own (a body's length, the current date, keep-alive), so a
# recorded value would only contradict what is actually sent.
HOP_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "date",
        "status",
        "keep-alive",
    }
)


@dataclass(frozen=True)
class Sample:
    """One recorded response: the status, the headers in recorded order and spelling, the body."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first value of ``name`` (case-insensitive), as recorded."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def json(self) -> Any:
        """The body parsed as JSON (key order kept, so it can be re-serialised faithfully)."""
        return json.loads(self.body)

    def response_headers(self, *, drop: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """Recorded headers to send again, minus transfer-level ones and ``drop`` (lower-case)."""
        return [
            (k, v)
            for k, v in self.headers
            if k.lower() not in HOP_HEADERS and k.lower() not in drop
        ]


def _parse_status(line: str) -> tuple[int, str]:
    """``HTTP/1.1 404 Not Found`` or ``HTTP/2 403`` -> (404, "Not Found")."""
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"not a status line: {line!r}")
    return int(parts[1]), parts[2] if len(parts) > 2 else ""


@cache
def load(service: str, stem: str) -> Sample:
    """Load ``samples/{service}/{stem}.*``: the body plus its ``.headers`` or ``.status`` file.

    A sample without a status line (a request body, a docs example) gets status 0.
    """
    folder = SAMPLES / service
    bodies = [
        p
        for p in sorted(folder.glob(f"{stem}.*"))
        if p.suffix not in {".headers", ".status"} and p.stem == stem
    ]
    if len(bodies) != 1:
        raise FileNotFoundError(f"expected one body for {service}/{stem}, found {bodies}")
    body = bodies[0].read_bytes()
    status, reason = 0, ""
    headers: list[tuple[str, str]] = []
    for meta in (folder / f"{stem}.headers", folder / f"{stem}.status"):
        if not meta.exists():
            continue
        for raw in meta.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            if raw.startswith("HTTP/"):
                status, reason = _parse_status(raw)
                continue
            name, sep, value = raw.partition(":")
            if not sep:
                raise ValueError(f"bad header line in {meta.name}: {raw!r}")
            headers.append((name.strip(), value.strip()))
    return Sample(status=status, reason=reason, headers=tuple(headers), body=body)


def dumps(value: Any) -> bytes:
    """Serialise JSON the way the recorded APIs do: compact, key order kept, UTF-8 unescaped."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
