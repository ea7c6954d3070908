"""The plain-web checker against a local server whose pages answer HEAD and GET as
real sites do (including the ones that refuse HEAD, block bots or never finish).

Each case asserts the verdict, the decisive status and how many requests reached
the server, so a checker that guessed, or asked more than it needed, fails.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import pytest
from aiohttp import web
from yarl import URL

from listcheck.checkers.base import Reason, WebTarget
from listcheck.checkers.web.checker import WebChecker, is_permanent_move
from listcheck.models import Verdict
from listcheck.net import Engine, HttpResponse, host_key
from tests.localserver import listening

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Site:
    def __init__(self) -> None:
        self.base = ""
        self.hits: Counter[tuple[str, str]] = Counter()
        self.closing = asyncio.Event()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    @property
    def host(self) -> str:
        return host_key(URL(self.base))

    def total(self) -> int:
        return sum(self.hits.values())


def build_app(site: Site) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        site.hits[request.method, request.path] += 1
        return await handler(request)

    @routes.route("*", "/page/{code}")
    async def page(request: web.Request) -> web.Response:
        code = int(request.match_info["code"])
        return web.Response(status=code, text="" if code == 204 else "page")

    @routes.route("*", "/head/{head}/get/{get}")
    async def head_differs(request: web.Request) -> web.Response:
        """A server whose HEAD answer differs from its GET answer."""
        code = int(request.match_info["head" if request.method == "HEAD" else "get"])
        return web.Response(status=code, text="page")

    @routes.route("*", "/redirect/{code}")
    async def redirect(request: web.Request) -> web.Response:
        code = int(request.match_info["code"])
        return web.Response(status=code, headers={"Location": request.query["to"]})

    @routes.route("*", "/loop")
    async def loop(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/loop?again=1"})

    @routes.route("*", "/slow")
    async def slow(request: web.Request) -> web.Response:
        with suppress(TimeoutError):
            await asyncio.wait_for(site.closing.wait(), 30)
        return web.Response(text="late")

    @routes.route("*", "/head-drops")
    async def head_drops(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            assert request.transport is not None
            request.transport.abort()
            raise asyncio.CancelledError
        return web.Response(text="page")

    @routes.route("*", "/download")
    async def download(request: web.Request) -> web.StreamResponse:
        """Refuses HEAD, then streams without end to GET."""
        if request.method == "HEAD":
            return web.Response(status=405, headers={"Allow": "GET"})
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        while not site.closing.is_set():
            await response.write(b"d" * 16384)
        return response

    @routes.route("*", "/busy")
    async def busy(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "3600"})

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@asynccontextmanager
async def serve() -> AsyncIterator[Site]:
    site = Site()
    async with listening(build_app(site), site.closing.set) as base:
        site.base = base
        yield site


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serve() as running:
        yield running


@pytest.fixture
async def other_site() -> AsyncIterator[Site]:
    async with serve() as running:
        yield running


async def no_wait(delay: float) -> None:
    await asyncio.sleep(0)


def new_engine(**overrides: Any) -> Engine:
    settings: dict[str, Any] = {
        "timeout": 5.0,
        "max_redirects": 5,
        "per_host": 4,
        "total": 8,
        "retries": 1,
        "sleep": no_wait,
    }
    settings.update(overrides)
    return Engine(**settings)


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    async with new_engine() as running:
        yield running


@pytest.fixture
def checker(engine: Engine) -> WebChecker:
    return WebChecker(engine)


def assert_one_sentence(detail: str) -> None:
    assert detail
    assert "\n" not in detail
    assert detail[0].isupper()
    assert detail.endswith(".")


# --- one URL at a time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "verdict", "status", "requests"),
    [
        ("/page/200", Verdict.OK, 200, 1),
        ("/page/204", Verdict.OK, 204, 1),
        # Broken rests on a GET: HEAD first, then GET to confirm.
        ("/page/404", Verdict.BROKEN, 404, 2),
        ("/page/410", Verdict.BROKEN, 410, 2),
        # Servers that answer HEAD wrongly: GET decides.
        ("/head/405/get/200", Verdict.OK, 200, 2),
        ("/head/501/get/200", Verdict.OK, 200, 2),
        ("/head/400/get/200", Verdict.OK, 200, 2),
        ("/head/403/get/200", Verdict.OK, 200, 2),
        ("/head/404/get/200", Verdict.OK, 200, 2),
        ("/head/500/get/200", Verdict.OK, 200, 2),
        ("/head/405/get/404", Verdict.BROKEN, 404, 2),
        # Bots turned away, unclear answers, server errors: never broken.
        ("/page/401", Verdict.TRANSIENT, 401, 2),
        ("/page/403", Verdict.TRANSIENT, 403, 2),
        ("/page/400", Verdict.TRANSIENT, 400, 2),
        ("/page/451", Verdict.TRANSIENT, 451, 2),
        ("/page/500", Verdict.TRANSIENT, 500, 2),
        # Already retried by the engine (retries=1): no GET on top.
        ("/page/503", Verdict.TRANSIENT, 503, 2),
        ("/page/502", Verdict.TRANSIENT, 502, 2),
        ("/page/429", Verdict.TRANSIENT, 429, 2),
        # Retry-After beyond the cap: one request, no wait.
        ("/busy", Verdict.TRANSIENT, 429, 1),
        ("/page/300", Verdict.TRANSIENT, 300, 1),
    ],
)
async def test_status_verdicts(
    checker: WebChecker, site: Site, path: str, verdict: Verdict, status: int, requests: int
) -> None:
    target = WebTarget(url=site.url(path))
    result = await checker.check_one(target)
    assert (result.verdict, result.status) == (verdict, status)
    assert result.key == target.key
    assert result.final_url is None
    assert result.checked_at > 0
    assert_one_sentence(result.detail)
    assert site.total() == requests


@pytest.mark.parametrize(
    ("path", "verdict", "final"),
    [
        ("/redirect/301?to=/page/200", Verdict.MOVED, "/page/200"),
        ("/redirect/308?to=/page/200", Verdict.MOVED, "/page/200"),
        ("/redirect/301?to=/redirect/308?to=/page/200", Verdict.MOVED, "/page/200"),
        ("/redirect/302?to=/page/200", Verdict.OK, None),
        ("/redirect/303?to=/page/200", Verdict.OK, None),
        ("/redirect/307?to=/page/200", Verdict.OK, None),
        ("/redirect/301?to=/redirect/302?to=/page/200", Verdict.OK, None),
        ("/redirect/302?to=/redirect/301?to=/page/200", Verdict.OK, None),
    ],
)
async def test_redirect_verdicts(
    checker: WebChecker, site: Site, path: str, verdict: Verdict, final: str | None
) -> None:
    result = await checker.check_one(WebTarget(url=site.url(path)))
    assert result.verdict is verdict
    assert result.status == 200
    assert result.final_url == (site.url(final) if final else None)
    if final:
        assert site.url(final) in result.detail
    assert_one_sentence(result.detail)
    assert site.hits["GET", "/page/200"] == 0


async def test_a_permanent_redirect_to_a_missing_page_is_broken(
    checker: WebChecker, site: Site
) -> None:
    result = await checker.check_one(WebTarget(url=site.url("/redirect/301?to=/page/404")))
    assert (result.verdict, result.status, result.final_url) == (Verdict.BROKEN, 404, None)


async def test_a_moved_link_keeps_its_fragment(checker: WebChecker, site: Site) -> None:
    result = await checker.check_one(WebTarget(url=site.url("/redirect/301?to=/page/200#results")))
    assert result.final_url == site.url("/page/200#results")


@pytest.mark.parametrize("path", ["/loop", "/redirect/301?to=/redirect/301?to=/loop"])
async def test_a_redirect_loop_is_transient(checker: WebChecker, site: Site, path: str) -> None:
    result = await checker.check_one(WebTarget(url=site.url(path)))
    assert result.verdict is Verdict.TRANSIENT
    assert "loop" in result.detail
    assert_one_sentence(result.detail)


async def test_too_many_redirects_is_transient(site: Site) -> None:
    async with new_engine(max_redirects=1) as engine:
        deep = site.url("/redirect/301?to=/redirect/301?to=/page/200")
        result = await WebChecker(engine).check_one(WebTarget(url=deep))
    assert result.verdict is Verdict.TRANSIENT
    assert "more than 1 redirect" in result.detail


async def test_head_dropped_then_get_answers(checker: WebChecker, site: Site) -> None:
    result = await checker.check_one(WebTarget(url=site.url("/head-drops")))
    assert result.verdict is Verdict.OK
    assert site.hits["GET", "/head-drops"] == 1


async def test_get_fallback_reads_only_a_prefix_of_an_endless_body(
    checker: WebChecker, site: Site
) -> None:
    result = await checker.check_one(WebTarget(url=site.url("/download")))
    assert (result.verdict, result.status) == (Verdict.OK, 200)
    assert site.hits == Counter({("HEAD", "/download"): 1, ("GET", "/download"): 1})


async def test_a_slow_server_is_transient(site: Site) -> None:
    async with new_engine(timeout=0.2, retries=0) as engine:
        result = await WebChecker(engine).check_one(WebTarget(url=site.url("/slow")))
    assert result.verdict is Verdict.TRANSIENT
    assert result.status is None
    assert "did not answer" in result.detail
    assert site.total() == 1


async def test_a_host_that_does_not_resolve_is_broken() -> None:
    async with new_engine(timeout=2.0) as engine:
        result = await WebChecker(engine).check_one(WebTarget(url="https://gone.invalid/paper"))
        assert engine.requests_by_host == Counter()
    assert (result.verdict, result.status) == (Verdict.BROKEN, None)
    assert "gone.invalid" in result.detail
    assert_one_sentence(result.detail)


async def test_a_refused_connection_is_transient(checker: WebChecker) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = await checker.check_one(WebTarget(url=f"http://127.0.0.1:{port}/"))
    assert result.verdict is Verdict.TRANSIENT
    assert "refused" in result.detail
    assert_one_sentence(result.detail)


@pytest.mark.parametrize(
    "url", ["ftp://ftp.example.org/pub/x", "mailto:someone@example.org", "http://", "https:///x"]
)
async def test_what_is_not_http_is_skipped_without_a_request(
    checker: WebChecker, engine: Engine, url: str
) -> None:
    result = await checker.check_one(WebTarget(url=url))
    assert result.verdict is Verdict.SKIPPED
    assert_one_sentence(result.detail)
    assert engine.requests_by_host == Counter()


# --- the blocked-hosts memory ------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "status", "first_requests", "reason"),
    [("/page/403", 403, 2, Reason.BLOCKED), ("/busy", 429, 1, Reason.RATE_LIMITED)],
)
async def test_a_host_that_refused_is_not_asked_again_this_run(
    checker: WebChecker,
    site: Site,
    other_site: Site,
    first: str,
    status: int,
    first_requests: int,
    reason: Reason,
) -> None:
    targets = [WebTarget(url=site.url(path)) for path in (first, "/page/200", "/page/404")]
    targets.append(WebTarget(url=other_site.url("/page/200")))
    results = await checker.check_all(targets)
    assert [result.verdict for result in results] == [
        Verdict.TRANSIENT,
        Verdict.TRANSIENT,
        Verdict.TRANSIENT,
        Verdict.OK,
    ]
    assert results[0].status == status
    assert [result.reason for result in results] == [reason, reason, reason, None]
    for blocked in results[1:3]:
        assert blocked.status is None
        assert f"HTTP {status}" in blocked.detail
        assert "no more requests" in blocked.detail
        assert_one_sentence(blocked.detail)
    assert site.total() == first_requests
    assert checker.blocked_hosts == {site.host: status}
    assert other_site.total() == 1


@pytest.mark.parametrize(
    ("first", "verdict"),
    [
        ("/page/404", Verdict.BROKEN),
        ("/head/403/get/200", Verdict.OK),
        ("/page/500", Verdict.TRANSIENT),
    ],
)
async def test_other_answers_do_not_block_the_host(
    checker: WebChecker, site: Site, first: str, verdict: Verdict
) -> None:
    results = await checker.check_all(
        [WebTarget(url=site.url(first)), WebTarget(url=site.url("/page/200"))]
    )
    assert [result.verdict for result in results] == [verdict, Verdict.OK]
    assert checker.blocked_hosts == {}
    assert site.hits["HEAD", "/page/200"] == 1


async def test_the_memory_is_per_checker(engine: Engine, site: Site) -> None:
    await WebChecker(engine).check_one(WebTarget(url=site.url("/page/403")))
    result = await WebChecker(engine).check_one(WebTarget(url=site.url("/page/200")))
    assert result.verdict is Verdict.OK


async def test_many_links_to_one_host_all_get_their_own_answer(
    checker: WebChecker, site: Site
) -> None:
    paths = [f"/page/{code}" for code in (200, 404, 200, 410, 204, 200)]
    done: list[int] = []
    results = await checker.check_all(
        [WebTarget(url=site.url(path)) for path in paths],
        progress=lambda service, n: done.append(n),
    )
    assert [result.status for result in results] == [200, 404, 200, 410, 204, 200]
    assert [result.key for result in results] == [f"web:{site.url(p)}" for p in paths]
    assert len(done) == len(paths)


# --- the judgement, without a network ----------------------------------------------------


@pytest.mark.parametrize(
    ("history", "final", "permanent"),
    [
        ([(301, "https://a.org/x")], "https://a.org/y", True),
        ([(308, "https://a.org/x")], "https://b.org/x", True),
        ([(302, "https://a.org/x")], "https://a.org/y", False),
        ([(307, "http://a.org/x")], "https://a.org/x", True),
        ([(302, "http://a.org/x?q=1")], "https://a.org/x?q=1", True),
        ([(302, "http://a.org/x")], "https://a.org/login", False),
        ([(302, "http://a.org:8080/x")], "https://a.org/x", False),
        ([(302, "https://a.org/x")], "http://a.org/x", False),
        ([(301, "http://a.org/x"), (302, "https://a.org/x")], "https://a.org/y", False),
        ([(302, "http://a.org/x"), (301, "https://a.org/x")], "https://a.org/z", True),
        ([(301, "http://a.org/x"), (308, "http://b.org/x")], "https://b.org/x", True),
    ],
)
def test_is_permanent_move(history: list[tuple[int, str]], final: str, permanent: bool) -> None:
    assert is_permanent_move(history, final) is permanent


@pytest.mark.parametrize(
    ("status", "history", "verdict"),
    [
        (200, (), Verdict.OK),
        (200, ((302, "http://a.org/x"),), Verdict.MOVED),
        (200, ((303, "https://a.org/x"),), Verdict.OK),
        (404, ((301, "https://a.org/x"),), Verdict.BROKEN),
        (410, (), Verdict.BROKEN),
        (403, (), Verdict.TRANSIENT),
        (599, (), Verdict.TRANSIENT),
        (304, (), Verdict.TRANSIENT),
        (418, (), Verdict.TRANSIENT),
    ],
)
async def test_judge(
    status: int, history: tuple[tuple[int, str], ...], verdict: Verdict, engine: Engine
) -> None:
    response = HttpResponse(status=status, headers={}, url="https://a.org/x", history=history)
    checker = WebChecker(engine, wall_clock=lambda: 1_700_000_000.0)
    result = checker.judge(WebTarget(url="http://a.org/x"), response)
    assert result.checked_at == 1_700_000_000.0  # the injected clock, not the machine's
    assert result.verdict is verdict
    assert result.status == status
    assert (result.final_url is not None) is (verdict is Verdict.MOVED)
    assert_one_sentence(result.detail)
