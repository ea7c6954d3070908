"""One online run against the fake internet, for the end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TypeVar, cast

from listcheck.cache import ResultCache
from listcheck.config import Config
from listcheck.models import Report
from listcheck.online import OnlineSettings
from listcheck.plan import Plan
from listcheck.run import OnlineRequest, RunRequest, run
from tests.fakes import FakeInternet

T = TypeVar("T")


async def run_online(
    server: FakeInternet,
    path: Path,
    cache_path: Path,
    *,
    token: str | None = None,
    interval: float,
    timeout: float,
    sleep: Callable[[float], Awaitable[None]],
    github_api_url: str | None = None,
    settings_extra: Mapping[str, object] | None = None,
) -> Report:
    """The run, in a worker thread: it starts its own event loop (as the CLI does) while
    the fake internet keeps serving on the test's loop. ``interval`` lowers arXiv's pace
    (the configuration cannot; tests may), ``sleep`` replaces the engine's backoff."""
    config = Config.model_validate(
        {
            "arxiv": {"api_url": server.arxiv_api_url},
            "http": {"timeout": timeout},
            **(settings_extra or {}),
        }
    )

    def settings() -> OnlineSettings:
        return OnlineSettings(
            config=config,
            environ={
                "GITHUB_API_URL": github_api_url or server.github_api_url,
                "HF_ENDPOINT": server.hf_endpoint,
            },
            cache=ResultCache(cache_path),
            tokens={"github": token},
            checker_options={"arxiv": {"min_interval": interval}},
            engine_options={"sleep": sleep},
        )

    request = RunRequest(paths=(path,), config=config, online=OnlineRequest(settings))
    return await asyncio.to_thread(run, request)


def targets_of(plan: Plan, service: str, kind: type[T]) -> dict[str, T]:
    """A service's planned targets as its own target type."""
    found = plan.of(service)
    assert all(isinstance(target, kind) for target in found.values())
    return cast(dict[str, T], found)
