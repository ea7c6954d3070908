"""The fake of every other host: one server pretending to be many.

Which host a request is meant for is read in one of two ways (both work on
the same server, and redirects stay in whichever way the request came):

**Path prefix** (the default; needs nothing from the client): the real URL
``https://example.com/a?b=1`` is fetched as
``http://127.0.0.1:{port}/https/example.com/a?b=1`` — first segment the
scheme, second the host. :meth:`FakeInternet.web_url` builds these.

**Host header** (for code that keys behaviour on the host, e.g. per-host
concurrency or "never send the token to another host"): the client resolves
every name to 127.0.0.1 (:meth:`FakeInternet.resolver`) and fetches
``http://example.com:{port}/a?b=1``; the Host header names the host, and the
port names the scheme (the web fake listens on one port standing for
``http`` and one standing for ``https``). :meth:`FakeInternet.web_url_by_host`
builds these.

Pages are declared by their real URL in :class:`~.world.WebWorld`. Lookup
order: the exact URL; the same URL with the other scheme; the URL without its
query; a rule for the whole host; the default reply (404). A redirect's
``location`` is written as a real URL and translated into the request's own
form, so a client following it stays inside the fake; :meth:`FakeInternet.real_url`
maps a fake URL back.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from aiohttp import web
from multidict import CIMultiDict

from .context import WEB_PORTS, WORLD, pause
from .world import PageKey, Reply, WebWorld, key_text

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
CHUNK = 64 * 1024
ENDLESS_CAP = 4 * 1024**3
"""An endless body stops after this much all the same, so a broken client cannot hang CI."""


def locate(request: web.Request) -> tuple[str, str, str, str, str] | None:
    """(mode, scheme, host, path, query) of the real URL a request stands for.

    ``mode`` is ``prefix`` or ``host``; ``None`` when a prefix-mode path does not
    start with ``/http/`` or ``/https/``.
    """
    raw_host = request.headers.get("Host", "")
    hostname = urlsplit(f"//{raw_host}").hostname or ""
    path = request.rel_url.raw_path
    query = request.rel_url.raw_query_string
    if hostname in LOCAL_NAMES or not hostname:
        _, scheme, rest = path.split("/", 2) if path.count("/") >= 2 else ("", path[1:], "")
        if scheme not in {"http", "https"}:
            return None
        host, slash, tail = rest.partition("/")
        if not host:
            return None
        return "prefix", scheme, host.lower(), slash + tail or "/", query
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    ports = request.app[WEB_PORTS]
    scheme = ports.get(sockname[1], "https") if sockname else "https"
    return "host", scheme, hostname.lower(), path or "/", query


def to_fake(url: str, mode: str, request: web.Request) -> str:
    """Translate a real URL into the form a request in ``mode`` uses."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if mode == "prefix":
        return f"http://{request.host}/{parts.scheme}/{host}{path}{query}{fragment}"
    by_scheme = {scheme: port for port, scheme in request.app[WEB_PORTS].items()}
    name = parts.hostname or host
    return f"http://{name}:{by_scheme[parts.scheme]}{path}{query}{fragment}"


def translate_location(
    location: str, mode: str, scheme: str, host: str, request: web.Request
) -> str:
    """A declared redirect target, rewritten so that following it stays inside the fake."""
    if location.startswith("//"):
        return to_fake(f"{scheme}:{location}", mode, request)
    if location.startswith(("http://", "https://")):
        return to_fake(location, mode, request)
    if location.startswith("/") and mode == "prefix":
        return f"/{scheme}/{host}{location}"
    return location


def find(world: WebWorld, key: PageKey) -> tuple[str, list[Reply]] | None:
    """The declared replies for ``key`` and the counter they advance, or ``None``."""
    scheme, host, path, query = key
    other = "http" if scheme == "https" else "https"
    for candidate in (
        key,
        (other, host, path, query),
        (scheme, host, path, ""),
        (other, host, path, ""),
    ):
        replies = world.pages.get(candidate)
        if replies is not None:
            return key_text(candidate), replies
    replies = world.hosts.get(host) or world.hosts.get(host.split(":")[0])
    if replies is not None:
        return f"host:{host}", replies
    return None


async def handle(request: web.Request) -> web.StreamResponse:
    """Answer one request for whatever real URL it stands for."""
    world = request.app[WORLD].web
    where = locate(request)
    if where is None:
        return web.Response(
            status=400,
            text="fake web: address pages as /http/{host}/{path} or /https/{host}/{path}\n",
        )
    mode, scheme, host, path, query = where
    key: PageKey = (scheme, host, path, query)
    requested = key_text(key)
    found = find(world, key)
    if found is None:
        counter, replies = requested, [world.default]
        world.hit_counts[requested] += 1
        hit = world.hit_counts[requested]
    else:
        counter, replies = found
        if counter.startswith("host:"):
            world.hit_counts[requested] += 1
        world.hit_counts[counter] += 1
        hit = world.hit_counts[counter]
    reply = replies[min(hit, len(replies)) - 1]
    if reply.delay and not await pause(request.app, reply.delay):
        return web.Response(status=503)
    if reply.stream == "drop":
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError
    if request.method == "HEAD" and reply.head_status is not None:
        refusal = {"Allow": "GET"} if reply.head_status == 405 else {}
        return web.Response(status=reply.head_status, headers=refusal)
    headers: CIMultiDict[str] = CIMultiDict(reply.headers)
    if reply.content_type is not None and "Content-Type" not in headers:
        headers["Content-Type"] = reply.content_type
    if reply.location is not None:
        headers["Location"] = translate_location(reply.location, mode, scheme, host, request)
    body = reply.render(hit)
    sent_key = counter if not counter.startswith("host:") else requested
    if reply.stream == "full":
        if request.method != "HEAD":
            world.bytes_sent[sent_key] += len(body)
        return web.Response(status=reply.status, body=body, headers=headers)
    return await _stream(request, world, reply, headers, body, sent_key)


async def _stream(
    request: web.Request,
    world: WebWorld,
    reply: Reply,
    headers: CIMultiDict[str],
    body: bytes,
    sent_key: str,
) -> web.StreamResponse:
    """The streaming replies: endless, huge (advertised length), and reset mid-body."""
    part = body or b"x" * CHUNK
    if reply.stream == "huge":
        headers["Content-Length"] = str(reply.size)
    elif reply.stream == "reset":
        headers["Content-Length"] = str(len(part) * 2)
    response = web.StreamResponse(status=reply.status, headers=headers)
    if reply.stream == "endless":
        response.enable_chunked_encoding()
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    if reply.stream == "reset":
        await response.write(part)
        world.bytes_sent[sent_key] += len(part)
        if request.transport is not None:
            request.transport.abort()
        return response
    limit = reply.size if reply.stream == "huge" else ENDLESS_CAP
    chunk = (body or b"0123456789abcdef" * (CHUNK // 16))[:CHUNK]
    written = 0
    try:
        while written < limit:
            piece = chunk[: limit - written]
            await response.write(piece)
            written += len(piece)
            world.bytes_sent[sent_key] += len(piece)
    except (ConnectionError, RuntimeError):
        return response
    await response.write_eof()
    return response


def make_app(app: web.Application) -> None:
    """Every method on every path goes to :func:`handle`."""
    app.router.add_route("*", "/{tail:.*}", handle)
