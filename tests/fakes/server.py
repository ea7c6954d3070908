"""Start the fake services on 127.0.0.1 and hand out their addresses.

:class:`FakeInternet` runs four aiohttp applications on random local ports,
all answering from one :class:`~.world.World` and writing into one
:class:`~.record.RequestLog`:

========== ============================================ ==================================
service    address for the code under test              stands for
- arxiv: ``arxiv_api_url`` (``…/api/query``) for ``https://export.arxiv.org/api/query``;
- github: ``github_api_url`` for ``https://api.github.com`` (as ``GITHUB_API_URL``);
- huggingface: ``hf_endpoint`` for ``https://huggingface.co`` (as ``HF_ENDPOINT``);
- web: ``web_url(url)`` or ``web_url_by_host(url)`` for any other host (see :mod:`.web`).

Each application shares one middleware that records the request, keeps the
service's call times and concurrency figures, applies queued
:class:`~.world.Forced` responses, and adds the service's latency. Handlers are
cancelled when their client goes away, and every pause ends at shutdown, so a
test that stalls a client never stalls the suite.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDict

from . import arxiv, github, huggingface
from . import web as web_fake
from .context import CLOSING, CONCURRENCY_ON_ARRIVAL, WEB_PORTS, WORLD, pause
from .record import RecordedRequest, RequestLog, freeze_headers, freeze_query
from .world import ServiceWorld, World

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SERVICE = web.AppKey("service", str)
LOG = web.AppKey("log", RequestLog)


@dataclass(frozen=True)
class ServiceUrls:
    """Where the code under test should send its requests."""

    arxiv_api: str
    """The full query endpoint: ``http://127.0.0.1:{port}/api/query``."""
    github_api: str
    """The REST and GraphQL origin (``{github_api}/graphql``), as ``GITHUB_API_URL``."""
    hf_endpoint: str
    """The Hub origin, as ``HF_ENDPOINT``."""
    web_base: str
    """The generic web fake's origin (prefix mode, port standing for http)."""


def _service_world(world: World, service: str) -> ServiceWorld:
    return {
        "arxiv": world.arxiv,
        "github": world.github,
        "huggingface": world.hf,
        "web": world.web,
    }[service]


@web.middleware
async def _bookkeeping(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request, apply forced responses and latency, then let the service answer."""
    app = request.app
    service = app[SERVICE]
    state = _service_world(app[WORLD], service)
    body = await request.read() if request.can_read_body else b""
    host = request.headers.get("Host", "")
    url = str(request.url)
    if service == "web":
        where = web_fake.locate(request)
        if where is not None:
            mode, scheme, vhost, path, query = where
            url = f"{scheme}://{vhost}{path}" + (f"?{query}" if query else "")
            if mode == "prefix":
                host = vhost
    peer = request.transport.get_extra_info("peername") if request.transport else None
    entry = app[LOG].add(
        RecordedRequest(
            service=service,
            at=time.monotonic(),
            method=request.method,
            host=host,
            path=request.rel_url.raw_path,
            query=freeze_query(request.rel_url.query),
            headers=freeze_headers(request.headers),
            body=body,
            url=url,
            peer=(peer[0], peer[1]) if peer else None,
        )
    )
    state.call_times.append(entry.at)
    state.in_flight += 1
    state.max_in_flight = max(state.max_in_flight, state.in_flight)
    CONCURRENCY_ON_ARRIVAL.set(state.in_flight)
    try:
        response = await _answer(request, handler, state)
        entry.status = response.status
        return response
    finally:
        state.in_flight -= 1
        entry.finished_at = time.monotonic()


async def _answer(
    request: web.Request, handler: Handler, state: ServiceWorld
) -> web.StreamResponse:
    forced = state.take_forced(request.rel_url.raw_path)
    if forced is not None:
        if forced.delay and not await pause(request.app, forced.delay):
            return web.Response(status=503, text="fake internet shutting down")
        if forced.drop:
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        if not forced.passthrough:
            return web.Response(
                status=forced.status, body=forced.body, headers=CIMultiDict(forced.headers)
            )
    if state.latency:
        await pause(request.app, state.latency)
    return await handler(request)


class FakeResolver(AbstractResolver):
    """Resolves every host name to 127.0.0.1, except the world's unresolvable ones.

    Give it to ``aiohttp.TCPConnector(resolver=...)`` to use the web fake in
    host mode; an unresolvable name fails the way a real DNS miss does
    (``aiohttp.ClientConnectorDNSError``).
    """

    def __init__(self, world: World) -> None:
        self.world = world

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host.lower() in self.world.web.unresolvable:
            raise OSError(socket.EAI_NONAME, f"Name or service not known: {host}")
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        return None


class FakeInternet:
    """The four fake services, started on one world; use as ``async with``."""

    SHUTDOWN_TIMEOUT = 0.5

    def __init__(self, world: World | None = None) -> None:
        self.world = world if world is not None else World()
        self.log = RequestLog()
        self._closing = asyncio.Event()
        self._runners: list[web.AppRunner] = []
        self.ports: dict[str, int] = {}
        self.web_ports: dict[int, str] = {}

    # ------------------------------------------------------------------ lifecycle

    def _app(self, service: str, install: Callable[[web.Application], None]) -> web.Application:
        app = web.Application(middlewares=[_bookkeeping])
        app[WORLD] = self.world
        app[SERVICE] = service
        app[LOG] = self.log
        app[CLOSING] = self._closing
        app[WEB_PORTS] = self.web_ports
        install(app)
        return app

    async def _serve(self, app: web.Application, count: int = 1) -> list[int]:
        runner = web.AppRunner(
            app,
            handler_cancellation=True,
            shutdown_timeout=self.SHUTDOWN_TIMEOUT,
            access_log=None,
        )
        await runner.setup()
        self._runners.append(runner)
        ports = []
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            await web.SockSite(runner, sock).start()
            ports.append(sock.getsockname()[1])
        return ports

    async def start(self) -> Self:
        (self.ports["arxiv"],) = await self._serve(self._app("arxiv", arxiv.make_app))
        (self.ports["github"],) = await self._serve(self._app("github", github.make_app))
        (self.ports["huggingface"],) = await self._serve(
            self._app("huggingface", huggingface.make_app)
        )
        http_port, https_port = await self._serve(self._app("web", web_fake.make_app), count=2)
        self.ports["web"], self.ports["web_https"] = http_port, https_port
        self.web_ports.update({http_port: "http", https_port: "https"})
        return self

    async def close(self) -> None:
        """Wake every pause, then stop the servers (handlers still running are cancelled)."""
        self._closing.set()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ addresses

    def _origin(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def urls(self) -> ServiceUrls:
        return ServiceUrls(
            arxiv_api=self.arxiv_api_url,
            github_api=self.github_api_url,
            hf_endpoint=self.hf_endpoint,
            web_base=self.web_base,
        )

    @property
    def arxiv_api_url(self) -> str:
        return self._origin("arxiv") + "/api/query"

    @property
    def github_api_url(self) -> str:
        return self._origin("github")

    @property
    def hf_endpoint(self) -> str:
        return self._origin("huggingface")

    @property
    def web_base(self) -> str:
        return self._origin("web")

    def web_url(self, url: str) -> str:
        """``https://host/p?q`` -> ``http://127.0.0.1:{port}/https/host/p?q`` (prefix mode)."""
        parts = urlsplit(url)
        rest = url.split(parts.netloc, 1)[1] or "/"
        return f"{self.web_base}/{parts.scheme}/{parts.netloc.lower()}{rest}"

    def web_url_by_host(self, url: str) -> str:
        """``https://host/p?q`` -> ``http://host:{https port}/p?q`` (host mode, see resolver)."""
        parts = urlsplit(url)
        port = self.ports["web_https" if parts.scheme == "https" else "web"]
        rest = url.split(parts.netloc, 1)[1] or "/"
        return f"http://{parts.hostname}:{port}{rest}"

    def real_url(self, fake_url: str) -> str:
        """The real URL a fake one stands for (inverse of both mappings); others unchanged."""
        parts = urlsplit(fake_url)
        if parts.port not in self.web_ports:
            return fake_url
        tail = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else ""
        )
        if parts.hostname in web_fake.LOCAL_NAMES:
            # "/https/host" | "/https/host/" | "/https/host/a/b" -> "", scheme, host[, rest]
            segments = parts.path.split("/", 3)
            if len(segments) < 3:
                return fake_url
            path = "/" + segments[3] if len(segments) == 4 else "/"
            return f"{segments[1]}://{segments[2]}{path}{tail}"
        scheme = self.web_ports[parts.port]
        return f"{scheme}://{parts.hostname}{parts.path or '/'}{tail}"

    def resolver(self) -> FakeResolver:
        """A resolver sending every name to 127.0.0.1 (host mode), refusing unresolvable ones."""
        return FakeResolver(self.world)

    @staticmethod
    def dead_url() -> str:
        """An address where nothing listens: connecting is refused."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}/"
