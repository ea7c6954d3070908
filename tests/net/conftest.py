"""Fixtures for the engine's tests: a running server or two, an engine, a sleep recorder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from listcheck.net import Engine
from tests.net.servers import EngineFactory, Site, Sleeps, serve


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with serve(Site()) as running:
        yield running


@pytest.fixture
async def other_site() -> AsyncIterator[Site]:
    async with serve(Site()) as running:
        yield running


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_engine(sleeps: Sleeps) -> EngineFactory:
    def make(**overrides: Any) -> Engine:
        settings: dict[str, Any] = {
            "timeout": 5.0,
            "max_redirects": 5,
            "per_host": 4,
            "total": 8,
            "retries": 3,
            "sleep": sleeps,
        }
        settings.update(overrides)
        return Engine(**settings)

    return make


@pytest.fixture
async def engine(make_engine: EngineFactory) -> AsyncIterator[Engine]:
    async with make_engine() as running:
        yield running
