"""GitHub as a service: the links it claims (a repository, or a path in it), how its
checker is built, and what an answer means for a link (gone, renamed, archived)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from listcheck.checkers.base import Checker, CheckResult, GithubTarget, Target
from listcheck.checkers.service import RunContext, Service, Unchecked, replace_in_path
from listcheck.classify import Classified
from listcheck.config import GITHUB_API_URL, Config
from listcheck.models import Document, Finding, Link, LinkKind, RepoSlug, Verdict
from listcheck.rules.base import finding

RULES = ("github/not-found", "github/renamed", "github/archived", "github/path-not-found")


def claim(link: Link | Classified, url: str) -> Target | Unchecked | None:
    github = link.github
    if link.kind is not LinkKind.GITHUB or github is None:
        return None
    if github.path_kind in ("tree", "blob") and github.ref:
        return GithubTarget(
            slug=github.slug, path_kind=github.path_kind, ref=github.ref, path=github.path
        )
    return GithubTarget(slug=RepoSlug(github.slug))


def api(config: Config, environ: Mapping[str, str]) -> str:
    return config.github.api_base(environ)


def build_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.github.checker import GithubChecker

    base = run.config.github.api_base(run.environ)
    return GithubChecker(run.engine, base, run.tokens.get("github"), etags=run.validators)


def judge_link(doc: Document, link: Link, result: CheckResult) -> tuple[Verdict, list[Finding]]:
    record = result.github
    assert link.github is not None
    if result.verdict is Verdict.BROKEN:
        path_missing = record is not None and record.path_found is False
        rule = "github/path-not-found" if path_missing else "github/not-found"
        return Verdict.BROKEN, [
            finding(doc, rule, link.line, link.column, result.detail, url=link.url)
        ]
    if record is None:
        return result.verdict, []
    found = []
    verdict = Verdict.OK
    if result.verdict is Verdict.MOVED or record.renamed:
        verdict = Verdict.MOVED
        found.append(
            finding(
                doc,
                "github/renamed",
                link.line,
                link.column,
                f"repository {link.github.slug} is now {record.full_name}",
                url=link.url,
                suggestion=replace_in_path(link.url, link.github.slug, record.full_name),
            )
        )
    if record.archived:
        found.append(
            finding(
                doc,
                "github/archived",
                link.line,
                link.column,
                f"repository {record.full_name} is archived (read-only, no longer maintained)",
                url=link.url,
            )
        )
    return verdict, found


SERVICE = Service(
    name="github",
    label="GitHub",
    rules=RULES,
    claim=claim,
    checker=build_checker,
    judge_link=judge_link,
    revalidates=True,
    api=api,
    api_env="GITHUB_API_URL",
    public_api=GITHUB_API_URL,
    key_prefix="github:",
    token_env="GITHUB_TOKEN",
)
