"""Network access for the online checks: one shared, polite HTTP engine.

Checkers import from here: :class:`Engine` to send, :class:`HttpResponse` for
what comes back, :class:`FetchError` (with :class:`FetchErrorKind`) when nothing
usable came back.
"""

from listcheck.net.engine import (
    DEFAULT_MAX_BODY,
    PERMANENT_REDIRECTS,
    REDIRECT_STATUSES,
    USER_AGENT,
    Engine,
    HttpResponse,
    is_secret_header,
)
from listcheck.net.errors import FetchError, FetchErrorKind
from listcheck.net.retry import RETRY_STATUSES
from listcheck.net.urls import host_key, origin

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
