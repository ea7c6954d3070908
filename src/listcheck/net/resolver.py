"""Name resolution as the engine does it, and whether it works here at all.

A name that "does not exist" means a dead host only where other names do exist. A
sandbox, an air-gapped runner or a proxy-only network answers "no such name" for
every name, and must not turn every link into a broken one; so the engine probes
a name that always exists before it believes a lookup failure.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Final

from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver

from listcheck.net.urls import never_resolves

DNS_PROBE: Final = "example.com"
"""A name that always exists (RFC 2606), asked when another name does not resolve."""

LOOKUP_TIMEOUT: Final = 5.0
"""Seconds one probing lookup may take before the name counts as not resolving."""


class Resolver(ThreadedResolver):
    """The system resolver, except that names under ``.invalid`` fail at once.

    RFC 6761 (section 6.4) reserves ``.invalid`` and asks resolver libraries to
    answer it negatively without asking any server; doing so means such a name
    fails the same way, instantly, on a machine with no DNS at all.
    """

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if never_resolves(host):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return await super().resolve(host, port, family)


async def resolves(resolver: Resolver, host: str) -> bool:
    """Whether ``host`` resolves through ``resolver`` within :data:`LOOKUP_TIMEOUT`."""
    try:
        await asyncio.wait_for(resolver.resolve(host, 443), LOOKUP_TIMEOUT)
    except (OSError, TimeoutError):
        return False
    return True
