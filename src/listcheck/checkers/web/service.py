"""The web as a service: every http(s) URL no other service claimed (so it comes last
in the registry), asked at its own host, judged as there, moved or gone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yarl import URL

from listcheck.checkers.base import Checker, Target, WebTarget
from listcheck.checkers.service import RunContext, Service, Unchecked, judge_web_link
from listcheck.classify import Classified
from listcheck.config import Config
from listcheck.models import Link


def claim(link: Link | Classified, url: str) -> Target | Unchecked | None:
    return WebTarget(url=url)


def host(config: Config, environ: Mapping[str, str], target: Any) -> str | None:
    return URL(target.url).host


def build_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.web.checker import WebChecker

    return WebChecker(run.engine)


SERVICE = Service(
    name="web",
    rules=("link/broken", "link/moved"),
    claim=claim,
    host=host,
    checker=build_checker,
    judge_link=judge_web_link,
)
