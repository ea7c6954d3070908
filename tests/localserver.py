"""One aiohttp app served on 127.0.0.1 at a free port, for tests with servers of their own."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web


@asynccontextmanager
async def listening(
    app: web.Application, on_close: Callable[[], None] | None = None
) -> AsyncIterator[str]:
    """Yields the base URL. ``on_close`` runs before shutdown, so handlers stalling on
    purpose (slow bodies, held connections) can be released instead of waited for."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        if on_close is not None:
            on_close()
        await runner.cleanup()
