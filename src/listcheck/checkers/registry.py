"""Every remote service, in the one place that lists them.

The plan asks each service in turn to claim a link (the first to claim it checks it;
``web`` claims every http(s) URL, so it comes last), and the check stage builds and
runs one checker per service. Adding a service is one module (or package) with its
:class:`~listcheck.checkers.service.Service` and one line in :data:`SERVICES`.
"""

from __future__ import annotations

from collections.abc import Mapping

from yarl import URL

from listcheck.checkers.arxiv.service import SERVICE as ARXIV
from listcheck.checkers.github.service import SERVICE as GITHUB
from listcheck.checkers.huggingface.service import SERVICE as HUGGINGFACE
from listcheck.checkers.service import RunContext, Service
from listcheck.checkers.web.service import SERVICE as WEB
from listcheck.config import Config
from listcheck.net.urls import host_key

__all__ = ["SERVICES", "RunContext", "Service", "api_scopes", "by_name", "host_limits"]

SERVICES: tuple[Service, ...] = (ARXIV, GITHUB, HUGGINGFACE, WEB)
"""In claiming order: the first service to claim a link checks it."""


def by_name() -> dict[str, Service]:
    """The services by name (read from :data:`SERVICES` when called, so a test that
    registers one is seen)."""
    return {service.name: service for service in SERVICES}


def api_scopes(config: Config, environ: Mapping[str, str]) -> dict[str, str]:
    """Check-key prefix -> API address, for each service asked somewhere other than its
    public API: the cache keeps those answers apart (see ``ResultCache.scoped``)."""
    scopes = {}
    for service in SERVICES:
        if service.public_api is None or service.api is None:
            continue
        base = service.api(config, environ)
        if base != service.public_api:
            scopes[service.key_prefix] = base
    return scopes


def host_limits(config: Config, environ: Mapping[str, str]) -> dict[str, int]:
    """One connection at a time where a service must (the arXiv API), keyed with the
    port, so another service on the same host name keeps its own limit."""
    return {
        host_key(URL(service.api(config, environ))): 1
        for service in SERVICES
        if service.one_at_a_time and service.api is not None
    }
