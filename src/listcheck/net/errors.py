"""Why a request got no HTTP answer, sorted into the kinds a checker decides on.

A checker must tell "this host does not exist" (a broken link) from "this host did
not answer in time" (try again later); aiohttp reports both as a tangle of
exception types wrapping OS errors. :func:`classify` turns that tangle into one
:class:`FetchError` with a :class:`FetchErrorKind` and a one-line message, so no
checker ever inspects an aiohttp exception.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from enum import StrEnum

import aiohttp
from yarl import URL

from listcheck.net.urls import host_key


class FetchErrorKind(StrEnum):
    TIMEOUT = "timeout"
    """No answer (connection or next bytes) within the timeout."""
    DNS = "dns"
    """The name does not exist: the resolver answered "no such host"."""
    DNS_TEMPORARY = "dns_temporary"
    """The resolver could not answer (no network, server failure): says nothing about
    the host, so it must not make a link broken."""
    REFUSED = "refused"
    """A machine answered but nothing listens on the port."""
    RESET = "reset"
    """The connection was closed or reset before the answer was complete."""
    TLS = "tls"
    """The TLS handshake or the certificate check failed."""
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    """A redirect led back to a URL already visited in the same chain."""
    HOST_STOPPED = "host_stopped"
    """Not sent: the host stopped answering earlier in this run (the engine's breaker)."""
    INVALID_URL = "invalid_url"
    """The URL (or a redirect's ``Location``) is not an http(s) URL with a host."""
    OTHER = "other"


RETRYABLE_KINDS = frozenset({FetchErrorKind.TIMEOUT, FetchErrorKind.RESET})
"""Failures that another attempt may well not meet."""

UNANSWERED_KINDS = frozenset({FetchErrorKind.TIMEOUT, FetchErrorKind.REFUSED})
"""Failures that say a host is not answering (as opposed to answering badly): enough of
them in a row and the engine stops asking that host. A reset is not one of them: many
servers drop a ``HEAD`` they dislike and answer the ``GET`` that follows."""

_DNS_NO_SUCH_NAME = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
)
_RESET_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


class FetchError(Exception):
    """A request that got no usable HTTP answer. ``message`` is one line for a report."""

    def __init__(self, kind: FetchErrorKind, message: str, url: str | None = None) -> None:
        self.kind = kind
        self.message = " ".join(message.split())
        self.url = url
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"FetchError({self.kind.value!r}, {self.message!r})"


def classify(exc: BaseException, url: URL, timeout: float) -> FetchError:
    """The :class:`FetchError` for an exception raised while fetching ``url``."""
    host = host_key(url) or str(url)
    target = str(url)
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return _dns_error(exc.os_error, url.host or host, target)
    if isinstance(exc, asyncio.TimeoutError):
        return FetchError(
            FetchErrorKind.TIMEOUT, f"{host} did not answer within {timeout:g} s", target
        )
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError | aiohttp.ServerFingerprintMismatch):
        return FetchError(FetchErrorKind.TLS, f"TLS with {host} failed: {_reason(exc)}", target)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return _connect_error(exc.os_error, host, target, timeout)
    if isinstance(
        exc,
        aiohttp.ServerDisconnectedError
        | aiohttp.ClientPayloadError
        | aiohttp.ClientConnectionResetError
        | ConnectionResetError,
    ):
        return FetchError(
            FetchErrorKind.RESET, f"{host} closed the connection before answering in full", target
        )
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return FetchError(FetchErrorKind.INVALID_URL, f"not a fetchable URL: {target}", target)
    if isinstance(exc, OSError):
        return _connect_error(exc, host, target, timeout)
    return FetchError(FetchErrorKind.OTHER, f"{host}: {_reason(exc)}", target)


def _dns_error(os_error: OSError, name: str, target: str) -> FetchError:
    if os_error.errno in _DNS_NO_SUCH_NAME:
        return FetchError(FetchErrorKind.DNS, f"{name} does not resolve", target)
    return FetchError(
        FetchErrorKind.DNS_TEMPORARY,
        f"could not resolve {name} ({_reason(os_error)}); the resolver may be unreachable",
        target,
    )


def _connect_error(os_error: OSError, host: str, target: str, timeout: float) -> FetchError:
    if isinstance(os_error, ConnectionRefusedError) or os_error.errno == errno.ECONNREFUSED:
        return FetchError(FetchErrorKind.REFUSED, f"{host} refused the connection", target)
    if isinstance(os_error, TimeoutError) or os_error.errno == errno.ETIMEDOUT:
        return FetchError(
            FetchErrorKind.TIMEOUT, f"{host} did not answer within {timeout:g} s", target
        )
    if isinstance(os_error, ConnectionResetError) or os_error.errno in _RESET_ERRNOS:
        return FetchError(
            FetchErrorKind.RESET, f"{host} closed the connection before answering in full", target
        )
    if isinstance(os_error, ssl.SSLError):
        return FetchError(
            FetchErrorKind.TLS, f"TLS with {host} failed: {_reason(os_error)}", target
        )
    return FetchError(FetchErrorKind.OTHER, f"{host}: {_reason(os_error)}", target)


def _reason(exc: BaseException) -> str:
    """A short cause for a message; never raises, whatever the exception holds."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        exc = exc.os_error
    for attribute in ("verify_message", "reason"):
        value = getattr(exc, attribute, None) if isinstance(exc, ssl.SSLError) else None
        if isinstance(value, str) and value:
            return value.replace("_", " ").lower()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    try:
        text = str(exc)
    except Exception:
        text = ""
    return " ".join(text.split()) or type(exc).__name__
