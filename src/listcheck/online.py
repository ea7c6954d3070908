"""The check stage: the plan's remote targets -> answers, from the cache or the network.

Every service runs at once on one engine (so the global and per-host limits hold across
services); the cache answers first, and only what it cannot answer is asked. A second,
small round asks what the judge needs once it has seen the first answers (arXiv: the
earlier versions of a paper whose listed title matches no current title, which may be a
title the paper had when it was added).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from yarl import URL

from listcheck.cache import FailureHistory, ResultCache
from listcheck.checkers import registry
from listcheck.checkers.base import (
    NO_DNS_DETAIL,
    Checker,
    CheckResult,
    ProgressCallback,
    Reason,
    Target,
)
from listcheck.checkers.service import RunContext
from listcheck.config import Config
from listcheck.models import Verdict
from listcheck.net.engine import Engine
from listcheck.net.urls import Origin, never_resolves, origin
from listcheck.plan import Plan


class Progress:
    """An observer of the check stage; the default does nothing (no TTY, JSON output)."""

    def start(self, totals: Mapping[str, int]) -> None:
        """Called once with the number of targets per service."""

    def advance(self, service: str, count: int) -> None:
        """``count`` more targets of ``service`` are done."""

    def stop(self) -> None:
        """The check stage is over."""


@dataclass
class OnlineSettings:
    config: Config
    environ: Mapping[str, str]
    cache: ResultCache
    tokens: Mapping[str, str | None] = field(default_factory=dict)
    """Service name -> a token given on the command line (``--github-token``); else the
    service's own environment variable is read."""
    progress: Progress = field(default_factory=Progress)
    checker_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Service name -> extra checker arguments; tests lower arXiv's interval here (the
    configuration cannot: arXiv's terms set the floor at three seconds)."""
    engine_options: Mapping[str, Any] = field(default_factory=dict)
    """Extra Engine.from_config arguments (tests inject ``sleep``)."""


@dataclass
class OnlineOutcome:
    results: dict[str, CheckResult]
    """Check key -> its answer, the follow-up round's included."""
    requests: Counter[str]
    notes: list[str]
    """One-line messages for standard error (a rejected token, a cache problem)."""
    history: dict[str, FailureHistory] = field(default_factory=dict)
    """Check key -> its failure streak across runs, for keys failing now."""


Followups = Callable[[Mapping[str, CheckResult]], Mapping[str, Sequence[Target]]]
"""Given the first round's answers, what the judge needs asked too, by service (the
judge says what; this stage only fetches it, so it never imports the judge)."""


async def check_online(
    plan: Plan, settings: OnlineSettings, followups: Followups | None = None
) -> OnlineOutcome:
    config = settings.config
    deadline = time.monotonic() + config.max_time
    # Answers of a GitHub or Hub API other than the public one are kept under its address.
    cache = settings.cache.scoped(registry.api_scopes(config, settings.environ))
    now = time.time()
    cached = cache.get_many(plan.keys(), now)
    todo: dict[str, list[Any]] = {
        service.name: [t for k, t in plan.of(service.name).items() if k not in cached]
        for service in registry.SERVICES
    }
    results: dict[str, CheckResult] = dict(cached)
    notes: list[str] = []
    environ = settings.environ
    limits = registry.host_limits(config, environ)
    engine = Engine.from_config(config.http, host_limits=limits, **dict(settings.engine_options))
    unreachable = await _unresolvable(engine, todo, config, settings.environ)
    if unreachable:
        results.update(unreachable)
        todo = {
            name: [t for t in targets if t.key not in unreachable] for name, targets in todo.items()
        }
    progress = settings.progress
    progress.start({name: len(targets) for name, targets in todo.items()})
    validators = cache.etags(
        key
        for service in registry.SERVICES
        if service.revalidates
        for key in plan.of(service.name)
        if key not in cached
    )
    tokens = _tokens(config, environ, settings.tokens, notes)
    run = RunContext(
        engine=engine,
        config=config,
        environ=environ,
        tokens=tokens,
        validators=validators,
        options=settings.checker_options,
    )
    checkers = {service.name: service.checker(run) for service in registry.SERVICES}
    try:
        async with engine:
            work = [(checkers[name], targets) for name, targets in todo.items()]
            fresh, late = await _within(deadline, work, progress.advance)
            results.update((result.key, result) for result in fresh)
            results.update(_skipped_at_deadline(late, config.max_time))
            if followups is not None and deadline > time.monotonic():
                more = _uncached(followups(results), cache, now, results)
                work = [(checkers[name], targets) for name, targets in more.items()]
                second, _ = await _within(deadline, work, lambda service, count: None)
                results.update((result.key, result) for result in second)
                fresh.extend(second)
    finally:
        progress.stop()
    kept: dict[str, str] = {}
    for checker in checkers.values():
        kept.update(checker.validators)
    cache.put_many(fresh, etags=kept)
    cache.prune()  # what can no longer serve goes, so the file does not grow without bound
    history = {
        key: streak
        for key, result in results.items()
        if result.verdict in (Verdict.BROKEN, Verdict.TRANSIENT)
        and (streak := cache.history(key)) is not None
    }
    notes.extend(checker.auth_error for checker in checkers.values() if checker.auth_error)
    return OnlineOutcome(
        results=results,
        requests=Counter(engine.requests_by_host),
        notes=notes,
        history=history,
    )


async def _within(
    deadline: float,
    work: Sequence[tuple[Checker[Any], Sequence[Any]]],
    advance: ProgressCallback,
) -> tuple[list[CheckResult], list[Any]]:
    """Every service at once until ``deadline`` (a ``time.monotonic`` instant): the
    answers obtained, and the targets left without one when time ran out (their checks
    are cancelled; what a checker already knew is kept)."""
    sinks: list[dict[str, CheckResult]] = [{} for _ in work]
    tasks = [
        asyncio.create_task(checker.check_all(targets, advance, sink))
        for (checker, targets), sink in zip(work, sinks, strict=True)
        if targets
    ]
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in tasks:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]  # a bug: let the funnel say so
    fresh = [result for sink in sinks for result in sink.values()]
    late = [
        target
        for (_, targets), sink in zip(work, sinks, strict=True)
        for target in targets
        if target.key not in sink
    ]
    return fresh, late


def _skipped_at_deadline(late: Sequence[Any], max_time: float) -> dict[str, CheckResult]:
    stamp = time.time()
    detail = f"the run reached its time limit of {max_time:g} s"
    return {
        target.key: CheckResult(
            key=target.key,
            verdict=Verdict.SKIPPED,
            detail=detail,
            reason=Reason.DEADLINE,
            checked_at=stamp,
        )
        for target in late
    }


async def _unresolvable(
    engine: Engine,
    todo: Mapping[str, Sequence[Any]],
    config: Config,
    environ: Mapping[str, str],
) -> dict[str, CheckResult]:
    """Transient answers, without a request, for the targets whose host cannot be looked
    up on a machine where no name resolves (a sandbox, an air-gapped runner): they share
    one reason, so the report says it once instead of once per link. Where DNS works this
    costs one lookup; names under ``.invalid`` are left to the checkers (they prove a
    link dead anywhere), and so are IP literals and hosts-file names, which still work."""
    if not any(todo.values()) or await engine.dns_works():
        return {}
    hosts: dict[str, list[str]] = {}
    services = registry.by_name()
    for name, targets in todo.items():
        for target in targets:
            host = services[name].host_of(config, environ, target)
            if host and not never_resolves(host):
                hosts.setdefault(host, []).append(target.key)
    names = list(hosts)
    found = await asyncio.gather(*(engine.resolves(name) for name in names))
    stamp = time.time()
    return {
        key: CheckResult(
            key=key,
            verdict=Verdict.TRANSIENT,
            detail=NO_DNS_DETAIL,
            reason=Reason.NO_DNS,
            checked_at=stamp,
        )
        for name, ok in zip(names, found, strict=True)
        if not ok
        for key in hosts[name]
    }


def _tokens(
    config: Config,
    environ: Mapping[str, str],
    given: Mapping[str, str | None],
    notes: list[str],
) -> dict[str, str | None]:
    """Each service's token (given, else from its environment variable), kept only for
    the origin it belongs to."""
    tokens: dict[str, str | None] = {}
    for service in registry.SERVICES:
        trusted = service.token_origin(environ)
        if service.token_env is None or trusted is None or service.api is None:
            continue
        token = given.get(service.name) or environ.get(service.token_env) or None
        tokens[service.name] = token_for(service.api(config, environ), token, trusted, notes)
    return tokens


def token_for(base: str, token: str | None, trusted: Origin, notes: list[str]) -> str | None:
    """A configuration file lives in the repository a pull request can change, so an API
    address from it is not trusted with a token: the token would go wherever the PR
    says. Only the origin the environment names gets it; any other is asked anonymously."""
    if token is None or origin(URL(base)) == trusted:
        return token
    notes.append(
        f"the configured API {base} is not the one the token is for ({trusted}); "
        "no token is sent to it"
    )
    return None


def _uncached(
    wanted: Mapping[str, Sequence[Target]],
    cache: ResultCache,
    now: float,
    results: dict[str, CheckResult],
) -> dict[str, list[Target]]:
    """The follow-up targets the cache cannot answer; those it can go into ``results``
    (an earlier version's title never changes, so it is almost always cached)."""
    keys = {target.key for targets in wanted.values() for target in targets}
    hits = cache.get_many(keys, now)
    results.update(hits)
    return {
        name: [target for target in targets if target.key not in hits]
        for name, targets in wanted.items()
    }


def run_checks(
    plan: Plan,
    settings: OnlineSettings,
    followups: Followups | None = None,
    runner: Callable[..., Any] = asyncio.run,
) -> OnlineOutcome:
    """Runs the check stage to completion from synchronous code (the CLI)."""
    outcome: OnlineOutcome = runner(check_online(plan, settings, followups))
    return outcome
