"""Every request the fake internet received, for assertions.

Politeness and secrecy are properties of the requests a checker sends, not of
the verdicts it returns: "never two arXiv calls within 3 seconds", "the token
never reaches a non-API host", "a 304 was asked with the cached ETag". So each
request is kept whole (time, method, Host header, path, query, headers, body)
together with the status it got.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy


@dataclass
class RecordedRequest:
    """One request as received, and what became of it."""

    service: str
    """``arxiv``, ``github``, ``huggingface`` or ``web``."""
    at: float
    """``time.monotonic()`` on arrival."""
    method: str
    host: str
    """The Host header as sent (for the web fake in host mode, the host it pretends to be)."""
    path: str
    """The path as sent, still percent-encoded."""
    query: MultiDictProxy[str]
    headers: CIMultiDictProxy[str]
    body: bytes
    url: str
    """The URL as the client addressed it, or for the web fake the real URL it stands for."""
    peer: tuple[str, int] | None = None
    """Client address and port: distinct ports are distinct connections."""
    status: int | None = None
    """The status sent, ``None`` while answering or when the connection was dropped."""
    finished_at: float | None = None

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")

    @property
    def token(self) -> str | None:
        """The credential in ``Authorization`` (``token X``, ``Bearer X``), if any."""
        value = self.authorization
        if value is None:
            return None
        scheme, _, credential = value.partition(" ")
        return credential.strip() if scheme.lower() in {"token", "bearer"} else value


@dataclass
class RequestLog:
    """The requests of one fake internet, in arrival order."""

    entries: list[RecordedRequest] = field(default_factory=list)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> RecordedRequest:
        return self.entries[index]

    def add(self, entry: RecordedRequest) -> RecordedRequest:
        self.entries.append(entry)
        return entry

    def clear(self) -> None:
        self.entries.clear()

    def of(self, service: str) -> list[RecordedRequest]:
        """The requests one service received."""
        return [e for e in self.entries if e.service == service]

    def to_host(self, host: str) -> list[RecordedRequest]:
        """Requests whose (pretended) host is ``host``, port ignored."""
        wanted = host.lower()
        return [e for e in self.entries if e.host.lower().rsplit(":", 1)[0] == wanted]

    def with_authorization(self) -> list[RecordedRequest]:
        """Requests that carried an ``Authorization`` header."""
        return [e for e in self.entries if e.authorization is not None]

    def gaps(self, service: str) -> list[float]:
        """Seconds between consecutive arrivals at ``service``."""
        times = [e.at for e in self.of(service)]
        return [b - a for a, b in itertools.pairwise(times)]


def freeze_query(pairs: MultiDictProxy[str]) -> MultiDictProxy[str]:
    """A detached copy of a query multidict (the request object does not outlive the test)."""
    return MultiDictProxy(MultiDict(pairs))


def freeze_headers(headers: CIMultiDictProxy[str]) -> CIMultiDictProxy[str]:
    """A detached copy of request headers."""
    return CIMultiDictProxy(CIMultiDict(headers))
