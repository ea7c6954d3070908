"""What every fake service's handlers share: typed application keys, and pausing.

A stall longer than the client's timeout is a behaviour under test, but the
server must not keep sleeping after the test is done: every pause ends early
when the fake internet shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
from contextvars import ContextVar

from aiohttp import web

from .world import World

WORLD = web.AppKey("world", World)
"""The world every handler answers from."""
WEB_PORTS = web.AppKey("web_ports", dict[int, str])
"""Local port -> the scheme (``http``/``https``) the web fake pretends to speak on it."""

CONCURRENCY_ON_ARRIVAL: ContextVar[int] = ContextVar("concurrency_on_arrival", default=0)
"""How many requests the service was answering when this one arrived (this one included).

Limits on concurrency are decided on arrival, as a real server does, not after
the service's latency has passed; a context variable carries the figure from
the middleware to the handler of the same request."""

CLOSING = web.AppKey("closing", asyncio.Event)
"""Set when the fake internet shuts down; every pause wakes up."""


async def pause(app: web.Application, seconds: float) -> bool:
    """Sleep ``seconds`` (or until shutdown). True when the full time elapsed."""
    if seconds <= 0:
        return True
    closing = app[CLOSING]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(closing.wait(), timeout=seconds)
        return False
    return True
