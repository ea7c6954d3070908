"""Network access for the online checks: one shared, polite HTTP engine.

Checkers import from here: :class:`Engine` to send, :class:`HttpResponse` for
what comes back, :class:`FetchError` (with :class:`FetchErrorKind`) when nothing
usable came back.

Each name is imported from its module when first asked for, so importing a light
submodule (``listcheck.net.urls``, ``listcheck.net.retry``) does not load aiohttp.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from listcheck.net.credentials import is_secret_header
    from listcheck.net.engine import USER_AGENT, Engine
    from listcheck.net.errors import FetchError, FetchErrorKind
    from listcheck.net.redirects import PERMANENT_REDIRECTS, REDIRECT_STATUSES
    from listcheck.net.response import DEFAULT_MAX_BODY, HttpResponse
    from listcheck.net.retry import RETRY_STATUSES
    from listcheck.net.urls import host_key, origin

_HOMES = {
    "DEFAULT_MAX_BODY": "response",
    "PERMANENT_REDIRECTS": "redirects",
    "REDIRECT_STATUSES": "redirects",
    "USER_AGENT": "engine",
    "Engine": "engine",
    "HttpResponse": "response",
    "is_secret_header": "credentials",
    "FetchError": "errors",
    "FetchErrorKind": "errors",
    "RETRY_STATUSES": "retry",
    "host_key": "urls",
    "origin": "urls",
}


def __getattr__(name: str) -> Any:
    """Imports the module that defines ``name`` on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DEFAULT_MAX_BODY",
    "PERMANENT_REDIRECTS",
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "USER_AGENT",
    "Engine",
    "FetchError",
    "FetchErrorKind",
    "HttpResponse",
    "host_key",
    "is_secret_header",
    "origin",
]
