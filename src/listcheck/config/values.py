"""The kinds of value a setting may hold, each checked where it is read.

A rule name, an API address or a URL pattern is rejected when the file is loaded, as
one line naming the value, rather than failing later in the middle of a run. Apart
from the settings because these checks are about values, not about any one table:
several tables share them, and the environment's API addresses go through the same
test as the file's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError

from listcheck.config.messages import toml_value
from listcheck.config.selectors import is_known_selector, unknown_rule_message
from listcheck.errors import ConfigError


def _check_selector(selector: str) -> str:
    if not is_known_selector(selector):
        raise PydanticCustomError("unknown_rule", unknown_rule_message(selector))
    return selector


RuleSelector = Annotated[str, AfterValidator(_check_selector)]
Level = Literal["error", "warning", "notice", "off"]
FailOn = Literal["error", "warning", "notice"]
Seconds = Annotated[float, Strict(), Field(allow_inf_nan=False)]


def _is_http_url(value: str) -> bool:
    """Strict enough that the client (yarl) takes every address accepted here, so a bad
    one is this one line, not a failure later in the run: no spaces or invisible
    characters, a port that exists, a host in ASCII (an internationalised name in its
    ``xn--`` form). Stdlib only: an offline run validates the defaults too, and must not
    load the network stack for it."""
    if not value.isascii() or not value.isprintable() or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # raises for a port past 65535 or not a number
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def _check_http_url(value: str) -> str:
    if not _is_http_url(value):
        raise PydanticCustomError("http_url", f"must be an http(s) URL, got {toml_value(value)}")
    return value


def api_base(
    configured: str | None, environ: Mapping[str, str], variable: str, default: str
) -> str:
    """The configured address, else the environment's (checked as strictly as the
    file's, and named in the error), else the public one; without a trailing slash."""
    if configured:
        return configured.rstrip("/")
    value = environ.get(variable)
    if not value:
        return default
    if not _is_http_url(value):
        raise ConfigError(f"{variable}: must be an http(s) URL, got {toml_value(value)}")
    return value.rstrip("/")


def _check_pattern(value: str) -> str:
    from listcheck.patterns import PatternError, compile_pattern

    try:
        compile_pattern(value)
    except PatternError as exc:
        raise PydanticCustomError(
            "regex", f"{value!r} is not a valid RE2 regular expression: {exc}"
        ) from None
    return value


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
UrlPattern = Annotated[str, AfterValidator(_check_pattern)]
