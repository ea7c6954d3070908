"""How the engine names hosts and origins.

Two notions, kept apart on purpose. A *host key* is what politeness and statistics
count by (``example.com``, or ``127.0.0.1:8080`` when the port is not the scheme's
default), so ``http://x`` and ``https://x`` share one per-host budget. An *origin*
(scheme, host, port) is what a credential is bound to: a token given for
``https://api.github.com`` must never reach ``http://api.github.com`` or another port.
"""

from __future__ import annotations

from typing import NamedTuple

from yarl import URL

HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int | None

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def origin(url: URL) -> Origin:
    """The (scheme, host, port) a credential is bound to; the port is always explicit."""
    return Origin((url.scheme or "").lower(), (url.host or "").lower(), url.port)


def host_key(url: URL) -> str:
    """The name per-host limits, blocked-host memories and statistics count by."""
    host = (url.host or "").lower()
    if ":" in host:
        host = f"[{host}]"
    scheme = (url.scheme or "").lower()
    if url.port is not None and url.port != DEFAULT_PORTS.get(scheme):
        return f"{host}:{url.port}"
    return host


def strip_fragment(url: URL) -> URL:
    """The URL as sent on the wire: a fragment never leaves the client."""
    return url.with_fragment(None) if url.fragment else url


def never_resolves(host: str) -> bool:
    """Names under ``.invalid`` never resolve anywhere (RFC 6761, section 6.4): they fail
    without asking any server, and their failure proves the host does not exist."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".").lower()
    return name == "invalid" or name.endswith(".invalid")
