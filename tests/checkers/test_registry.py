"""Services are plug-ins: a new one is its own checker plus one entry in the registry.

The proof is a small DOI service written here, against a local resolver: registered in
front of ``web`` (the test's stand-in for the one registry line), it claims doi.org
links, is planned, checked, cached and judged like the built-in services, and nothing
else in listcheck knows it exists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiohttp import web
from yarl import URL

from listcheck.cache import ResultCache
from listcheck.checkers import registry
from listcheck.checkers.base import Checker, CheckResult, Target
from listcheck.checkers.service import RunContext, Service, Unchecked
from listcheck.classify import Classified, classify_url
from listcheck.config import Config
from listcheck.models import Link, Verdict
from listcheck.net.errors import FetchError
from listcheck.online import OnlineSettings
from listcheck.run import OnlineRequest, RunRequest, run
from tests.localserver import listening

KNOWN = {"10.1145/3292500.3330701"}


@dataclass(frozen=True)
class DoiTarget:
    doi: str

    @property
    def key(self) -> str:
        return f"doi:{self.doi.lower()}"


class DoiChecker(Checker[DoiTarget]):
    """Asks the resolver's handle API: 200 means the DOI exists, 404 that it does not."""

    service: ClassVar[str] = "doi"

    def __init__(self, run: RunContext, base: str) -> None:
        self._run = run
        self._base = base

    async def check_one(self, target: DoiTarget) -> CheckResult:
        try:
            answer = await self._run.engine.request("GET", f"{self._base}/api/handles/{target.doi}")
        except FetchError as error:
            return CheckResult(key=target.key, verdict=Verdict.TRANSIENT, detail=error.message)
        if answer.status == 404:
            return CheckResult(
                key=target.key, verdict=Verdict.BROKEN, status=404, detail="no such DOI"
            )
        return CheckResult(key=target.key, verdict=Verdict.OK, status=answer.status)


def _claim(link: Link | Classified, url: str) -> Target | None:
    parsed = URL(url)
    if parsed.host == "doi.org" and parsed.path.startswith("/10."):
        return DoiTarget(parsed.path[1:])
    return None


def doi_service(base: str) -> Service:
    return Service(
        name="doi",
        rules=("link/broken",),
        claim=_claim,
        checker=lambda run: DoiChecker(run, base),
        host=lambda config, environ, target: URL(base).host,
    )


async def _resolver(asked: list[str]) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        doi = request.match_info["doi"]
        asked.append(doi)
        if doi in KNOWN:
            return web.json_response({"responseCode": 1, "handle": doi})
        return web.json_response({"responseCode": 100}, status=404)

    app = web.Application()
    app.router.add_get("/api/handles/{doi:.+}", handle)
    return app


async def test_a_service_is_its_module_and_one_registry_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    async with listening(await _resolver(asked)) as base:
        *builtin, web_service = registry.SERVICES
        monkeypatch.setattr(registry, "SERVICES", (*builtin, doi_service(base), web_service))
        path = tmp_path / "README.md"
        path.write_text(
            "# L\n"
            "- KDD paper [doi](https://doi.org/10.1145/3292500.3330701)\n"
            "- Lost paper [doi](https://doi.org/10.9999/nothing.here)\n"
            "## Elsewhere\n"
            "- Lost paper [doi](https://doi.org/10.9999/NOTHING.here)\n",
            encoding="utf-8",
        )
        config = Config()
        cache_path = tmp_path / "cache.sqlite3"

        def settings() -> OnlineSettings:
            return OnlineSettings(config=config, environ={}, cache=ResultCache(cache_path))

        request = RunRequest(paths=(path,), config=config, online=OnlineRequest(settings))
        report = await asyncio.to_thread(run, request)
        again = await asyncio.to_thread(run, request)
    assert [(f.rule, f.line, f.message) for f in report.findings] == [
        ("link/broken", 3, "no such DOI"),
        ("link/broken", 5, "no such DOI"),
    ]
    verdicts: Mapping[str, Any] = {link.url: link.verdict for link in report.links}
    assert verdicts["https://doi.org/10.1145/3292500.3330701"] is Verdict.OK
    assert sorted(asked) == ["10.1145/3292500.3330701", "10.9999/nothing.here"]  # once each
    assert again.findings == report.findings  # the second run is answered by the cache
    assert len(asked) == 2
    assert "doi.org" not in str(report.stats.requests)  # only the resolver was asked


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, {}),
        ({"GITHUB_API_URL": "https://api.github.com"}, {}),
        (
            {"GITHUB_API_URL": "https://ghe.example.com/api/v3"},
            {"github:": "https://ghe.example.com/api/v3"},
        ),
        (
            {"HF_ENDPOINT": "https://hf-mirror.example.org"},
            {"hf:": "https://hf-mirror.example.org"},
        ),
    ],
)
def test_answers_of_a_non_public_api_are_scoped_by_its_address(
    environ: dict[str, str], expected: dict[str, str]
) -> None:
    assert registry.api_scopes(Config(), environ) == expected


@pytest.mark.parametrize(
    "url", ["https://github.com/org/repo", "https://huggingface.co/datasets/org/data"]
)
def test_a_scoped_service_keys_its_checks_under_its_prefix(url: str) -> None:
    """The cache scopes answers by key prefix: a service's keys must carry it."""
    link = classify_url(url)
    service = next(s for s in registry.SERVICES if s.claim(link, url) is not None)
    target = service.claim(link, url)
    assert service.key_prefix
    assert not isinstance(target, Unchecked | None)
    assert target.key.startswith(service.key_prefix)
