"""A name that does not resolve is a dead host only where other names resolve."""

from __future__ import annotations

from typing import Any

import pytest

from listcheck.checkers.base import WebTarget
from listcheck.checkers.web.checker import WebChecker
from listcheck.models import Verdict
from listcheck.net.errors import FetchError, FetchErrorKind


class NoSuchName:
    """An engine whose every lookup says "no such name"; ``dns_works`` is the probe."""

    def __init__(self, dns_works: bool) -> None:
        self._dns_works = dns_works
        self.probes = 0

    async def request(self, method: str, url: str, **_: Any) -> Any:
        raise FetchError(FetchErrorKind.DNS, "gone.example.org does not resolve", url)

    async def dns_works(self) -> bool:
        self.probes += 1
        return self._dns_works


@pytest.mark.parametrize(
    ("url", "dns_works", "verdict"),
    [
        ("https://gone.example.org/paper", True, Verdict.BROKEN),
        ("https://gone.example.org/paper", False, Verdict.TRANSIENT),
        ("https://dead.invalid/paper", False, Verdict.BROKEN),
    ],
)
async def test_dns_failure_is_broken_only_when_dns_works(
    url: str, dns_works: bool, verdict: Verdict
) -> None:
    engine = NoSuchName(dns_works)
    checker = WebChecker(engine)  # type: ignore[arg-type]
    (result,) = await checker.check_all([WebTarget(url=url)])
    assert result.verdict is verdict
    assert engine.probes == (0 if url.endswith(".invalid/paper") else 1)
