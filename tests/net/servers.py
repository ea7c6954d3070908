"""Small aiohttp servers on 127.0.0.1 that misbehave on request, for the engine's tests.

Each server records what it received (per path, with headers) and how many
requests it held at once, so the tests assert on what reached the wire: counts,
headers, bounds. Waits between retries go to a recorder instead of the clock.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

from aiohttp import web
from yarl import URL

from listcheck.net import Engine, host_key
from tests.localserver import listening

SECRET = "Bearer s3cret-token"
HUGE = 5 * 1024**3


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


class Sleeps:
    """Stands in for ``asyncio.sleep``: records each wait and yields once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


EngineFactory = Callable[..., Engine]


def sent_to(engine: Engine, site: Site) -> int:
    return engine.requests_by_host[host_key(URL(site.base))]


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port
