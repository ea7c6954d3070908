"""Failures without an answer, each sorted into the kind a checker decides on."""

from __future__ import annotations

import errno
import socket
import ssl
from collections import Counter

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from yarl import URL

from listcheck.net import Engine, FetchError, FetchErrorKind
from listcheck.net.errors import classify
from tests.net.servers import EngineFactory, Site, Sleeps, closed_port

# --- failures without an answer ----------------------------------------------------------


async def test_a_name_that_does_not_resolve_is_dns(
    make_engine: EngineFactory, sleeps: Sleeps
) -> None:
    async with make_engine(timeout=2.0) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", "http://no-such-host.invalid/page")
        assert engine.requests_by_host == Counter()
    assert caught.value.kind is FetchErrorKind.DNS
    assert "no-such-host.invalid" in caught.value.message
    assert sleeps.delays == []


async def test_a_refused_connection_is_refused_and_not_retried(
    engine: Engine, sleeps: Sleeps
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", f"http://127.0.0.1:{closed_port()}/")
    assert caught.value.kind is FetchErrorKind.REFUSED
    assert engine.requests_by_host == Counter()
    assert sleeps.delays == []


async def test_tls_to_a_plain_http_server_is_a_tls_failure(engine: Engine, site: Site) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.base.replace("http://", "https://") + "/ok")
    assert caught.value.kind is FetchErrorKind.TLS


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "mailto:a@example.com", "http://", "not a url", "/relative"]
)
async def test_what_is_not_an_http_url_is_refused_before_sending(engine: Engine, url: str) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", url)
    assert caught.value.kind is FetchErrorKind.INVALID_URL
    assert engine.requests_by_host == Counter()


def _key() -> ConnectionKey:
    return ConnectionKey("example.org", 443, True, True, None, None, None)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (aiohttp.ClientConnectorDNSError(_key(), socket.gaierror(socket.EAI_NONAME, "x")), "dns"),
        (
            aiohttp.ClientConnectorDNSError(_key(), socket.gaierror(socket.EAI_AGAIN, "x")),
            "dns_temporary",
        ),
        (
            aiohttp.ClientConnectorError(_key(), ConnectionRefusedError(errno.ECONNREFUSED, "x")),
            "refused",
        ),
        (aiohttp.ClientConnectorError(_key(), OSError(errno.ENETUNREACH, "unreachable")), "other"),
        (aiohttp.ClientConnectorCertificateError(_key(), ssl.CertificateError("expired")), "tls"),
        (aiohttp.ClientConnectorSSLError(_key(), ssl.SSLError(1, "bad")), "tls"),
        (aiohttp.ServerDisconnectedError(), "reset"),
        (aiohttp.ClientPayloadError("Response payload is not completed"), "reset"),
        (aiohttp.ClientOSError(errno.ECONNRESET, "reset by peer"), "reset"),
        (aiohttp.ConnectionTimeoutError(), "timeout"),
        (aiohttp.SocketTimeoutError(), "timeout"),
        (TimeoutError(), "timeout"),
        (aiohttp.ClientResponseError(None, (), status=400, message="bad\nheader"), "other"),  # type: ignore[arg-type]
    ],
)
def test_classify_sorts_aiohttp_failures(exc: BaseException, kind: str) -> None:
    error = classify(exc, URL("https://example.org/page"), 10.0)
    assert error.kind == kind
    assert error.message
    assert "\n" not in error.message
