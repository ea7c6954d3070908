"""The HTTP engine against small aiohttp servers on 127.0.0.1 that misbehave on request.

Each server records what it received (per path, with headers) and how many
requests it held at once, so the tests assert on what reached the wire: counts,
headers, bounds. Waits between retries go to a recorder instead of the clock.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import gc
import logging
import socket
import ssl
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.client_reqrep import ConnectionKey
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict
from yarl import URL

from listcheck import __version__
from listcheck.config import HttpConfig
from listcheck.net import (
    USER_AGENT,
    Engine,
    FetchError,
    FetchErrorKind,
    HttpResponse,
    host_key,
    is_secret_header,
)
from listcheck.net.errors import classify
from listcheck.net.retry import backoff_delay, parse_retry_after, requested_wait
from tests.localserver import listening

SECRET = "Bearer s3cret-token"
HUGE = 5 * 1024**3

# --- the servers -------------------------------------------------------------------------


class Site:
    """One local server: its address, and what it saw."""

    def __init__(self) -> None:
        self.base = ""
        self.hits: Counter[str] = Counter()
        self.seen: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.methods: dict[str, list[str]] = defaultdict(list)
        self.bodies: dict[str, list[bytes]] = defaultdict(list)
        self.bytes_written: Counter[str] = Counter()
        self.closing = asyncio.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self.hold_until = 0
        self.changed = asyncio.Condition()
        self.redirect_to = ""
        """Where ``/away`` sends clients (set by tests that need a second server)."""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    @property
    def origin(self) -> str:
        return self.base

    async def rest(self, seconds: float) -> None:
        """Sleep, but never past shutdown."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_app(site: Site, shared: Site | None = None) -> web.Application:
    """Handlers for every behaviour the engine must cope with; ``shared`` pools the
    concurrency figures of several servers."""
    routes = web.RouteTableDef()
    gauge = shared or site

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.path_qs
        site.hits[key] += 1
        site.seen[key].append(dict(request.headers))
        site.methods[key].append(request.method)
        site.bodies[key].append(await request.read())
        return await handler(request)

    @routes.route("*", "/ok")
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="hello", headers={"X-Custom": "yes"})

    @routes.get("/status/{code}")
    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="status page")

    @routes.get("/json")
    async def json_page(request: web.Request) -> web.Response:
        return web.json_response({"name": "café"})

    @routes.get("/latin1")
    async def latin1(request: web.Request) -> web.Response:
        body = "café".encode("latin-1")
        return web.Response(body=body, content_type="text/plain", charset="latin-1")

    @routes.get("/redirect/{code}")
    async def redirect(request: web.Request) -> web.Response:
        return web.Response(
            status=int(request.match_info["code"]), headers={"Location": request.query["to"]}
        )

    @routes.route("*", "/chain/{n}")
    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        if n == 0:
            return web.Response(text="end of chain")
        return web.Response(status=301, headers={"Location": f"/chain/{n - 1}"})

    @routes.post("/post-redirect/{code}")
    async def post_redirect(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), headers={"Location": "/echo"})

    @routes.get("/loop/a")
    async def loop_a(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/loop/b"})

    @routes.get("/loop/b")
    async def loop_b(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": f"{site.base}/loop/a"})

    @routes.get("/self")
    async def self_redirect(request: web.Request) -> web.Response:
        return web.Response(status=301, headers={"Location": "/self"})

    @routes.get("/deep/dir/page")
    async def relative(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "../../ok"})

    @routes.get("/away")
    async def away(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": site.redirect_to})

    @routes.route("*", "/echo")
    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        return web.json_response(
            {"method": request.method, "headers": dict(request.headers), "body": body.decode()}
        )

    @routes.get("/slow")
    async def slow(request: web.Request) -> web.Response:
        await site.rest(30)
        return web.Response(text="too late")

    @routes.get("/endless")
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"y" * 16384
        while not site.closing.is_set():
            await response.write(chunk)
            site.bytes_written["/endless"] += len(chunk)
        return response

    @routes.get("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(HUGE)})
        await response.prepare(request)
        chunk = b"z" * 65536
        sent = 0
        while sent < HUGE and not site.closing.is_set():
            await response.write(chunk)
            sent += len(chunk)
            site.bytes_written["/huge"] += len(chunk)
        return response

    @routes.get("/trickle")
    async def trickle(request: web.Request) -> web.StreamResponse:
        """A byte at a time, never long enough apart for a read timeout to notice."""
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        while not site.closing.is_set():
            await response.write(b".")
            await site.rest(0.02)
        return response

    @routes.get("/sized/{n}")
    async def sized(request: web.Request) -> web.Response:
        return web.Response(body=b"s" * int(request.match_info["n"]))

    @routes.get("/reset")
    async def reset(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": "100000"})
        await response.prepare(request)
        await response.write(b"r" * 1000)
        assert request.transport is not None
        request.transport.abort()
        return response

    @routes.get("/drop")
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.abort()
        raise asyncio.CancelledError

    @routes.get("/flaky/{name}")
    async def flaky(request: web.Request) -> web.Response:
        """The first ``fail`` requests answer ``code`` (with ``retry`` as Retry-After)."""
        failures = int(request.query.get("fail", "1"))
        if site.hits[request.path_qs] <= failures:
            headers = {"Retry-After": request.query["retry"]} if "retry" in request.query else {}
            return web.Response(status=int(request.query["code"]), headers=headers)
        return web.Response(text="recovered")

    @routes.get("/retry-date")
    async def retry_date(request: web.Request) -> web.Response:
        if site.hits[request.path_qs] == 1:
            when = email.utils.formatdate(time.time() + 30, usegmt=True)
            return web.Response(status=503, headers={"Retry-After": when})
        return web.Response(text="recovered")

    @routes.get("/quota/{name}")
    async def quota(request: web.Request) -> web.Response:
        """A spent quota without Retry-After, as GitHub answers: the first request is
        refused until ``reset`` seconds from now."""
        if site.hits[request.path_qs] == 1:
            reset = time.time() + float(request.query["reset"])
            headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(reset))}
            return web.Response(status=429, headers=headers)
        return web.Response(text="quota renewed")

    @routes.get("/held")
    async def held(request: web.Request) -> web.Response:
        """Holds each request until ``hold_until`` are in flight (or a bound passes), so
        a limit that lets more through shows up as a higher maximum."""
        async with gauge.changed:
            gauge.in_flight += 1
            gauge.max_in_flight = max(gauge.max_in_flight, gauge.in_flight)
            gauge.changed.notify_all()
            with suppress(TimeoutError):
                await asyncio.wait_for(
                    gauge.changed.wait_for(lambda: gauge.in_flight >= gauge.hold_until), 0.5
                )
        await asyncio.sleep(0.01)
        async with gauge.changed:
            gauge.in_flight -= 1
        return web.Response(text="held")

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@asynccontextmanager
async def serve(site: Site, shared: Site | None = None) -> AsyncIterator[Site]:
    async with listening(build_app(site, shared), site.closing.set) as base:
        site.base = base
        yield site


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serve(Site()) as running:
        yield running


@pytest.fixture
async def other_site() -> AsyncIterator[Site]:
    async with serve(Site()) as running:
        yield running


class Sleeps:
    """Stands in for ``asyncio.sleep``: records each wait and yields once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


EngineFactory = Callable[..., Engine]


@pytest.fixture
def make_engine(sleeps: Sleeps) -> EngineFactory:
    def make(**overrides: Any) -> Engine:
        settings: dict[str, Any] = {
            "timeout": 5.0,
            "max_redirects": 5,
            "per_host": 4,
            "total": 8,
            "retries": 3,
            "sleep": sleeps,
        }
        settings.update(overrides)
        return Engine(**settings)

    return make


@pytest.fixture
async def engine(make_engine: EngineFactory) -> AsyncIterator[Engine]:
    async with make_engine() as running:
        yield running


def sent_to(engine: Engine, site: Site) -> int:
    return engine.requests_by_host[host_key(URL(site.base))]


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


# --- plain answers -----------------------------------------------------------------------


@pytest.mark.parametrize("code", [200, 204, 400, 401, 403, 404, 410, 451, 500, 501])
async def test_a_final_status_is_returned_as_it_is_after_one_request(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/status/{code}"))
    assert response.status == code
    assert response.history == ()
    assert response.url == site.url(f"/status/{code}")
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


async def test_headers_are_a_case_insensitive_copy(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/ok"))
    assert response.headers["x-custom"] == response.headers["X-CUSTOM"] == "yes"
    assert response.body == b"hello"
    assert response.truncated is False


async def test_text_uses_the_declared_charset_and_json_parses(engine: Engine, site: Site) -> None:
    assert (await engine.request("GET", site.url("/latin1"))).text() == "café"
    assert (await engine.request("GET", site.url("/json"))).json() == {"name": "café"}


async def test_head_gets_no_body(engine: Engine, site: Site) -> None:
    response = await engine.request("HEAD", site.url("/ok"))
    assert (response.status, response.body, response.truncated) == (200, b"", False)
    assert site.methods["/ok"] == ["HEAD"]


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [(None, USER_AGENT), ("custom-agent/1.0", "custom-agent/1.0")],
)
async def test_user_agent_names_listcheck_and_its_version(
    make_engine: EngineFactory, site: Site, user_agent: str | None, expected: str
) -> None:
    async with make_engine(user_agent=user_agent) as engine:
        await engine.request("GET", site.url("/echo"))
    assert site.seen["/echo"][0]["User-Agent"] == expected
    assert USER_AGENT.startswith("Mozilla/5.0 (compatible; ")
    assert f"listcheck/{__version__};" in USER_AGENT
    assert "+https://github.com/listcheck/listcheck" in USER_AGENT


async def test_a_caller_header_overrides_the_user_agent(engine: Engine, site: Site) -> None:
    await engine.request("GET", site.url("/echo"), headers={"User-Agent": "mine"})
    assert site.seen["/echo"][0]["User-Agent"] == "mine"


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [({"json": {"query": "{ viewer }"}}, '{"query": "{ viewer }"}'), ({"data": b"raw"}, "raw")],
)
async def test_post_sends_json_or_bytes(
    engine: Engine, site: Site, kwargs: dict[str, Any], body: str
) -> None:
    response = await engine.request("POST", site.url("/echo"), **kwargs)
    assert response.json()["method"] == "POST"
    assert response.json()["body"] == body


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
async def test_each_redirect_status_is_followed_and_recorded(
    engine: Engine, site: Site, code: int
) -> None:
    start = site.url(f"/redirect/{code}?to=/ok")
    response = await engine.request("GET", start)
    assert response.status == 200
    assert response.url == site.url("/ok")
    assert response.history == ((code, start),)
    assert sent_to(engine, site) == 2


async def test_a_chain_keeps_every_hop_in_order(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/chain/3"))
    assert response.status == 200
    assert response.body == b"end of chain"
    assert response.history == (
        (301, site.url("/chain/3")),
        (301, site.url("/chain/2")),
        (301, site.url("/chain/1")),
    )
    assert response.url == site.url("/chain/0")
    assert sent_to(engine, site) == 4


async def test_a_relative_location_is_resolved_against_the_current_url(
    engine: Engine, site: Site
) -> None:
    response = await engine.request("GET", site.url("/deep/dir/page"))
    assert response.url == site.url("/ok")
    assert response.status == 200


async def test_the_cited_fragment_survives_a_redirect(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/redirect/301?to=/ok#usage"))
    assert response.url == site.url("/ok#usage")


async def test_not_following_returns_the_redirect_itself(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/chain/2"), follow_redirects=False)
    assert response.status == 301
    assert response.headers["Location"] == "/chain/1"
    assert response.history == ()
    assert sent_to(engine, site) == 1


@pytest.mark.parametrize(("path", "sent"), [("/loop/a", 2), ("/self", 1)])
async def test_a_redirect_loop_is_named_and_stops(
    engine: Engine, site: Site, path: str, sent: int
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(path))
    assert caught.value.kind is FetchErrorKind.REDIRECT_LOOP
    assert "\n" not in caught.value.message
    assert sent_to(engine, site) == sent


@pytest.mark.parametrize("max_redirects", [0, 1, 3])
async def test_too_many_redirects_stop_at_the_bound(
    make_engine: EngineFactory, site: Site, max_redirects: int
) -> None:
    async with make_engine(max_redirects=max_redirects) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/chain/10"))
        assert caught.value.kind is FetchErrorKind.TOO_MANY_REDIRECTS
        assert sent_to(engine, site) == max_redirects + 1


async def test_exactly_max_redirects_still_arrives(make_engine: EngineFactory, site: Site) -> None:
    async with make_engine(max_redirects=3) as engine:
        response = await engine.request("GET", site.url("/chain/3"))
    assert response.status == 200
    assert len(response.history) == 3


@pytest.mark.parametrize(
    ("code", "method_after", "body_after"),
    [
        (303, "GET", ""),
        (302, "GET", ""),
        (301, "GET", ""),
        (307, "POST", "payload"),
        (308, "POST", "payload"),
    ],
)
async def test_post_redirects_follow_browser_rules(
    engine: Engine, site: Site, code: int, method_after: str, body_after: str
) -> None:
    response = await engine.request("POST", site.url(f"/post-redirect/{code}"), data=b"payload")
    assert response.json()["method"] == method_after
    assert response.json()["body"] == body_after


@pytest.mark.parametrize("location", ["ftp://example.com/file", "mailto:someone@example.com"])
async def test_a_redirect_to_a_non_http_address_is_an_invalid_url(
    engine: Engine, site: Site, location: str
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(f"/redirect/302?to={location}"))
    assert caught.value.kind is FetchErrorKind.INVALID_URL


# --- secrets stay with their origin ------------------------------------------------------


SECRET_HEADERS = {
    "Authorization": SECRET,
    "X-Api-Key": "k-123",
    "Private-Token": "p-456",
    "Cookie": "session=abc",
}


async def test_secret_headers_reach_their_origin_only(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    response = await engine.request(
        "GET",
        site.url("/away"),
        headers={**SECRET_HEADERS, "Accept": "application/json"},
        secret_headers_for=site.origin,
    )
    assert response.status == 200
    first = site.seen["/away"][0]
    assert first["Authorization"] == SECRET
    assert first["X-Api-Key"] == "k-123"
    received = other_site.seen["/echo"][0]
    for name in SECRET_HEADERS:
        assert name not in received
    assert received["Accept"] == "application/json"
    assert sent_to(engine, site) == sent_to(engine, other_site) == 1


async def test_by_default_secrets_belong_to_the_first_urls_origin(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    await engine.request("GET", site.url("/away"), headers={"Authorization": SECRET})
    assert site.seen["/away"][0]["Authorization"] == SECRET
    assert "Authorization" not in other_site.seen["/echo"][0]


async def test_secrets_for_another_origin_are_not_sent_to_the_first_hop(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    await engine.request(
        "GET",
        site.url("/away"),
        headers={"Authorization": SECRET},
        secret_headers_for=other_site.origin,
    )
    assert "Authorization" not in site.seen["/away"][0]
    assert other_site.seen["/echo"][0]["Authorization"] == SECRET


async def test_secrets_survive_a_redirect_within_their_origin(engine: Engine, site: Site) -> None:
    await engine.request(
        "GET",
        site.url("/redirect/301?to=/echo"),
        headers={"Authorization": SECRET},
        secret_headers_for=site.origin,
    )
    assert site.seen["/echo"][0]["Authorization"] == SECRET


async def test_another_host_name_on_the_same_port_is_another_origin(
    engine: Engine, site: Site
) -> None:
    port = URL(site.base).port
    site.redirect_to = f"http://localhost:{port}/echo"
    try:
        await engine.request("GET", site.url("/away"), headers={"Authorization": SECRET})
    except FetchError:  # pragma: no cover - a machine without a localhost entry
        pytest.skip("localhost does not resolve here")
    assert site.seen["/away"][0]["Authorization"] == SECRET
    assert "Authorization" not in site.seen["/echo"][0]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("Authorization", True),
        ("proxy-authorization", True),
        ("Cookie", True),
        ("X-Api-Key", True),
        ("PRIVATE-TOKEN", True),
        ("X-Auth-Token", True),
        ("X-Client-Secret", True),
        ("Accept", False),
        ("User-Agent", False),
        ("If-None-Match", False),
        ("X-GitHub-Api-Version", False),
        ("Content-Type", False),
    ],
)
def test_which_headers_count_as_secret(name: str, secret: bool) -> None:
    assert is_secret_header(name) is secret


# --- bounded bodies ----------------------------------------------------------------------


@pytest.mark.parametrize("max_body", [0, 1, 1000, 64 * 1024])
@pytest.mark.parametrize("path", ["/endless", "/huge"])
async def test_a_large_or_endless_body_costs_only_max_body(
    engine: Engine, site: Site, path: str, max_body: int
) -> None:
    response = await engine.request("GET", site.url(path), max_body=max_body)
    assert response.status == 200
    assert len(response.body) == max_body
    assert response.truncated is True
    site.closing.set()
    # The server could fill the socket buffers, nothing like the whole body.
    assert site.bytes_written[path] < 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("size", "max_body", "truncated"), [(10, 10, False), (11, 10, True), (0, 0, False)]
)
async def test_truncated_says_whether_bytes_were_left_unread(
    engine: Engine, site: Site, size: int, max_body: int, truncated: bool
) -> None:
    response = await engine.request("GET", site.url(f"/sized/{size}"), max_body=max_body)
    assert response.body == b"s" * min(size, max_body)
    assert response.truncated is truncated


async def test_the_connection_is_usable_after_a_truncated_read(engine: Engine, site: Site) -> None:
    await engine.request("GET", site.url("/sized/5000"), max_body=10)
    response = await engine.request("GET", site.url("/ok"))
    assert response.body == b"hello"


# --- retries -----------------------------------------------------------------------------


async def test_429_with_retry_after_waits_as_asked_then_succeeds(
    engine: Engine, site: Site, sleeps: Sleeps
) -> None:
    response = await engine.request("GET", site.url("/flaky/a?code=429&retry=1"))
    assert response.status == 200
    assert sleeps.delays == [pytest.approx(1.0)]
    assert sent_to(engine, site) == 2


async def test_retry_after_as_an_http_date(engine: Engine, site: Site, sleeps: Sleeps) -> None:
    response = await engine.request("GET", site.url("/retry-date"))
    assert response.status == 200
    assert len(sleeps.delays) == 1
    assert 25 <= sleeps.delays[0] <= 31


@pytest.mark.parametrize("code", [429, 502, 503, 504])
async def test_temporary_statuses_are_retried_with_backoff(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/b?code={code}&fail=2"))
    assert response.status == 200
    assert sent_to(engine, site) == 3
    assert len(sleeps.delays) == 2
    for attempt, delay in enumerate(sleeps.delays):
        assert 0 <= delay <= 0.5 * 2**attempt


@pytest.mark.parametrize(("retries", "code"), [(0, 503), (2, 503), (3, 502), (3, 429)])
async def test_retries_are_bounded_and_the_last_answer_returned(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps, retries: int, code: int
) -> None:
    async with make_engine(retries=retries) as engine:
        response = await engine.request("GET", site.url(f"/flaky/c?code={code}&fail=99"))
        assert response.status == code
        assert sent_to(engine, site) == retries + 1
    assert len(sleeps.delays) == retries


@pytest.mark.parametrize("code", [500, 501, 404, 403])
async def test_other_errors_are_not_retried(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/d?code={code}&fail=99"))
    assert response.status == code
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("code", [429, 503])
async def test_a_retry_after_beyond_the_cap_is_returned_without_waiting(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/e?code={code}&retry=3600"))
    assert response.status == code
    assert response.headers["Retry-After"] == "3600"
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


async def test_the_cap_is_configurable(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps
) -> None:
    async with make_engine(retry_after_cap=5) as engine:
        response = await engine.request("GET", site.url("/flaky/f?code=429&retry=6"))
    assert response.status == 429
    assert sleeps.delays == []


@pytest.mark.parametrize(("reset", "waits"), [(600, False), (20, True)])
async def test_a_spent_quota_waits_for_its_reset_within_the_cap(
    engine: Engine, site: Site, sleeps: Sleeps, reset: int, waits: bool
) -> None:
    response = await engine.request("GET", site.url(f"/quota/q?reset={reset}"))
    if waits:
        assert response.status == 200
        assert len(sleeps.delays) == 1
        assert reset - 2 <= sleeps.delays[0] <= reset + 1
        assert sent_to(engine, site) == 2
    else:
        assert response.status == 429
        assert sleeps.delays == []
        assert sent_to(engine, site) == 1


@pytest.mark.parametrize("path", ["/reset", "/drop"])
async def test_a_reset_connection_is_retried_then_named(
    engine: Engine, site: Site, sleeps: Sleeps, path: str
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(path))
    assert caught.value.kind is FetchErrorKind.RESET
    assert len(sleeps.delays) == 3
    # Four attempts; aiohttp itself may resend once when a connection drops before
    # any answer (RFC 9112, 9.3.1). Every request sent is counted either way.
    assert 4 <= site.hits[path] <= 8
    assert sent_to(engine, site) == site.hits[path]


async def test_a_slow_server_times_out_and_is_retried(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps
) -> None:
    async with make_engine(timeout=0.2, retries=1) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/slow"))
        assert sent_to(engine, site) == 2
    assert caught.value.kind is FetchErrorKind.TIMEOUT
    assert "0.2 s" in caught.value.message
    assert len(sleeps.delays) == 1


async def test_a_trickling_body_is_cut_off_by_the_total_timeout(
    make_engine: EngineFactory, site: Site
) -> None:
    async with make_engine(timeout=0.3, retries=0) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/trickle"))
    assert caught.value.kind is FetchErrorKind.TIMEOUT


# --- the breaker: a host that stopped answering -------------------------------------------


async def _outcomes(engine: Engine, urls: list[str]) -> list[str]:
    async def one(url: str) -> str:
        try:
            await engine.request("GET", url)
        except FetchError as error:
            return error.kind.value
        return "ok"

    return list(await asyncio.gather(*(one(url) for url in urls)))


async def test_a_hung_host_is_stopped_and_its_queue_fails_at_once(
    make_engine: EngineFactory, site: Site
) -> None:
    """10 hung pages ahead of 10 healthy ones on one host, 4 at a time, 4 attempts each:
    the first wave times out (4 different URLs), the host is stopped, and nothing queued
    behind it (retries and healthy pages alike) waits for a slot or goes out."""
    hung = [site.url(f"/slow?page={n}") for n in range(10)]
    healthy = [site.url(f"/ok?page={n}") for n in range(10)]
    async with make_engine(timeout=0.3, retries=3, stop_host_after=3) as engine:
        outcomes = await asyncio.wait_for(_outcomes(engine, hung + healthy), timeout=10)
        stopped = dict(engine.stopped_hosts)
        sent = sent_to(engine, site)
    # the first four timed out, and their retries found the host stopped
    assert outcomes == ["host_stopped"] * 20
    # Four in flight; while they time out one by one, a slot freed before the third may
    # let the next hung page out. Without the breaker: 40 attempts, then the 10 healthy.
    assert 4 <= sent <= 6
    assert list(stopped.values()) == [
        f"{host_key(URL(site.base))} stopped answering (3 links in a row timed out or could "
        "not connect); no more requests went to it this run"
    ]


async def test_an_answer_between_timeouts_keeps_the_host(
    make_engine: EngineFactory, site: Site
) -> None:
    async with make_engine(timeout=1.0, retries=0, stop_host_after=2, per_host=1) as engine:
        outcomes = [
            (await _outcomes(engine, [site.url(path)]))[0]
            for path in ("/slow?a", "/ok", "/slow?b", "/ok", "/slow?c", "/ok")
        ]
        assert engine.stopped_hosts == {}
    assert outcomes == ["timeout", "ok"] * 3


@pytest.mark.parametrize(("stop_after", "stopped"), [(2, False), (0, False)])
async def test_one_url_retried_is_one_failure_and_zero_never_stops(
    make_engine: EngineFactory, site: Site, stop_after: int, stopped: bool
) -> None:
    async with make_engine(timeout=0.2, retries=3, stop_host_after=stop_after) as engine:
        assert await _outcomes(engine, [site.url("/slow")]) == ["timeout"]
        if stop_after == 0:
            assert (
                await _outcomes(engine, [site.url(f"/slow?{n}") for n in range(3)])
                == ["timeout"] * 3
            )
        assert bool(engine.stopped_hosts) is stopped


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


# --- limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "limit"),
    [
        ({"per_host": 2, "total": 8}, 2),
        ({"per_host": 4, "total": 3}, 3),
        ({"per_host": 4, "total": 8, "host_limits": {"127.0.0.1": 1}}, 1),
    ],
)
async def test_requests_in_flight_to_one_host_stay_within_the_limit(
    make_engine: EngineFactory, site: Site, settings: dict[str, Any], limit: int
) -> None:
    site.hold_until = limit
    async with make_engine(**settings) as engine:
        calls = [engine.request("GET", site.url("/held")) for _ in range(9)]
        answers = await asyncio.gather(*calls)
    assert [answer.status for answer in answers] == [200] * 9
    assert site.max_in_flight == limit
    assert site.hits["/held"] == 9


async def test_host_limits_may_name_host_and_port(make_engine: EngineFactory, site: Site) -> None:
    site.hold_until = 1
    async with make_engine(host_limits={host_key(URL(site.base)): 1}) as engine:
        await asyncio.gather(*(engine.request("GET", site.url("/held")) for _ in range(4)))
    assert site.max_in_flight == 1


async def test_the_total_limit_spans_hosts(make_engine: EngineFactory) -> None:
    gauge = Site()
    gauge.hold_until = 3
    async with (
        serve(Site(), shared=gauge) as first,
        serve(Site(), shared=gauge) as second,
        make_engine(per_host=3, total=3) as engine,
    ):
        urls = [first.url("/held"), second.url("/held")] * 5
        await asyncio.gather(*(engine.request("GET", url) for url in urls))
        assert sent_to(engine, first) == sent_to(engine, second) == 5
    assert gauge.max_in_flight == 3


# --- counting, lifecycle, cancellation ---------------------------------------------------


async def test_requests_by_host_counts_hops_per_host(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/chain/2")
    await engine.request("GET", site.url("/away"))
    assert sent_to(engine, site) == 1
    assert sent_to(engine, other_site) == 3
    assert sum(engine.requests_by_host.values()) == 4


async def test_an_engine_must_be_opened_first(make_engine: EngineFactory) -> None:
    engine = make_engine()
    with pytest.raises(RuntimeError, match="async with"):
        await engine.request("GET", "http://127.0.0.1:1/")


@pytest.mark.parametrize(
    "settings",
    [{"timeout": 0}, {"per_host": 0}, {"total": 0}, {"retries": -1}, {"host_limits": {"x": 0}}],
)
def test_nonsense_settings_are_refused(
    make_engine: EngineFactory, settings: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match=r"must|positive|at least"):
        make_engine(**settings)


async def test_cancelling_a_request_closes_cleanly(
    make_engine: EngineFactory, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with make_engine() as engine:
            session = engine._session
            task = asyncio.create_task(engine.request("GET", site.url("/slow")))
            while site.hits["/slow"] == 0:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert session is not None
        assert session.closed
        assert engine.closed
        del session, engine, task
        gc.collect()
        await asyncio.sleep(0)
    complaints = [str(w.message) for w in caught if "nclosed" in str(w.message)]
    assert complaints == []
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged if "nclosed" in line or "destroyed" in line]


async def test_cancelling_during_backoff_stops_retrying(
    make_engine: EngineFactory, site: Site
) -> None:
    gate = asyncio.Event()

    async def blocking_sleep(delay: float) -> None:
        gate.set()
        await asyncio.Event().wait()

    async with make_engine(sleep=blocking_sleep) as engine:
        task = asyncio.create_task(engine.request("GET", site.url("/flaky/g?code=503&fail=99")))
        await gate.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert sent_to(engine, site) == 1


async def test_from_config_applies_the_http_settings(site: Site, sleeps: Sleeps) -> None:
    config = HttpConfig(timeout=3.0, max_redirects=1, per_host=1, total=2)
    async with Engine.from_config(config, sleep=sleeps) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/chain/2"))
        assert caught.value.kind is FetchErrorKind.TOO_MANY_REDIRECTS
        site.hold_until = 2
        await asyncio.gather(*(engine.request("GET", site.url("/held")) for _ in range(3)))
    assert site.max_in_flight == 1


async def test_aclose_is_idempotent(make_engine: EngineFactory) -> None:
    engine = make_engine()
    await engine.open()
    await engine.aclose()
    await engine.aclose()
    assert engine.closed


# --- pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("1", 1.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("-5", None),
        ("soon", None),
        ("nan", None),
        ("Thu, 01 Jan 1970 00:01:40 GMT", 60.0),
        ("Thu, 01 Jan 1970 00:00:10 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=40.0) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "7", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2000009999"}, 7),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2000000100"}, 100.0),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1999999000"}, 0.0),
        ({"RateLimit-Remaining": "0", "RateLimit-Reset": "30"}, 30.0),
        ({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "2000000100"}, None),
        ({"X-RateLimit-Remaining": "0"}, None),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "tomorrow"}, None),
    ],
)
def test_requested_wait(headers: dict[str, str], expected: float | None) -> None:
    assert requested_wait(CIMultiDict(headers), now=2_000_000_000.0) == expected


@given(
    attempt=st.integers(min_value=0, max_value=200),
    base=st.floats(min_value=0, max_value=10),
    cap=st.floats(min_value=0, max_value=120),
)
def test_backoff_stays_within_its_ceiling(attempt: int, base: float, cap: float) -> None:
    delay = backoff_delay(attempt, base, cap)
    assert 0 <= delay <= min(cap, base * 2.0**attempt)


def test_http_response_is_frozen() -> None:
    response = HttpResponse(status=200, headers=CIMultiDict(), url="http://x/")
    with pytest.raises(AttributeError):
        response.status = 404  # type: ignore[misc]


async def test_resets_never_stop_a_host(make_engine: EngineFactory, site: Site) -> None:
    """Servers that drop a HEAD they dislike answer the GET after it: resets are no sign
    of a host that stopped answering."""
    async with make_engine(retries=0, stop_host_after=2) as engine:
        urls = [site.url(f"/reset?n={n}") for n in range(3)]
        assert await _outcomes(engine, urls) == ["reset"] * 3
        assert engine.stopped_hosts == {}
