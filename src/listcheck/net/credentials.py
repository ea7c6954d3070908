"""Which request headers are credentials, and where they may go.

``Authorization``, ``Cookie`` and any header named like a secret are bound to one
origin (scheme, host, port). The engine asks here on the first request and again
on every redirect hop, so a token never follows a server's redirect to anywhere
else. Kept apart from the redirect logic because the rule holds for any request,
redirected or not.
"""

from __future__ import annotations

import re
from typing import Final

from multidict import CIMultiDict
from yarl import URL

from listcheck.net.urls import Origin, origin

_ALWAYS_SECRET: Final = frozenset({"authorization", "proxy-authorization", "cookie"})
_SECRET_NAME: Final = re.compile(r"token|secret|passw|api-?key|auth|credential|session", re.I)


def is_secret_header(name: str) -> bool:
    """Whether a header carries a credential and so must stay with its origin."""
    return name.lower() in _ALWAYS_SECRET or _SECRET_NAME.search(name) is not None


def headers_for(given: CIMultiDict[str], url: URL, allowed: Origin) -> CIMultiDict[str]:
    """The headers to send to ``url``: all of them at the ``allowed`` origin, none of
    the secret ones anywhere else."""
    if origin(url) == allowed:
        return given
    return CIMultiDict((name, value) for name, value in given.items() if not is_secret_header(name))
