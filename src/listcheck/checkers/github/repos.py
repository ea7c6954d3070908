"""What GitHub says about one repository, asked by REST or in a GraphQL batch.

Both ways end in the same two shapes, :class:`Repo` (it exists, under this name) or
:class:`~.transport.Fail` (it does not, or GitHub could not say), so the checker
draws its verdicts once whichever way was used; only ``status`` differs, as GraphQL
has no per-repository status. A REST answer that arrived through a ``301``/``308``
redirect keeps that status: the repository was renamed or transferred.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from listcheck.checkers.github.graphql import Batch, Found, NotFound, read_answer
from listcheck.checkers.github.ratelimit import GRAPHQL, body_message
from listcheck.checkers.github.transport import Fail, GithubApi, Got
from listcheck.models import Verdict

REPO_BODY_LIMIT: Final = 256 * 1024
MISSING_REPO: Final = "repository does not exist or is private"


@dataclass(frozen=True)
class Repo:
    """A repository as GitHub describes it now."""

    full_name: str
    html_url: str
    archived: bool
    status: int | None


def repo_facts(raw: bytes) -> dict[str, Any]:
    """The repository fields the checker needs from a REST repository object."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
        raise ValueError("not a repository object")
    full_name: str = data["full_name"]
    html_url = data.get("html_url")
    return {
        "full_name": full_name,
        "html_url": html_url if isinstance(html_url, str) else f"https://github.com/{full_name}",
        "archived": bool(data.get("archived")),
    }


async def rest_repo(api: GithubApi, path: str) -> Repo | Fail:
    """``GET`` of the repository at ``path`` (see :func:`repo_path`)."""
    got = await api.get(path, REPO_BODY_LIMIT, repo_facts)
    if isinstance(got, Fail):
        return got
    if got.facts is not None:
        renamed = any(status in (301, 308) for status, _ in got.history)
        return Repo(
            full_name=str(got.facts["full_name"]),
            html_url=str(got.facts["html_url"]),
            archived=bool(got.facts["archived"]),
            status=301 if renamed else 200,
        )
    return _repo_failure(got)


async def graphql_repos(api: GithubApi, url: str, batch: Batch) -> dict[str, Repo | Fail]:
    """Every slug of ``batch`` from one GraphQL query at ``url``; a failure of the
    query as a whole is every slug's answer."""
    response = await api.send(
        GRAPHQL,
        "POST",
        url,
        headers={"Accept": "application/json"},
        json=batch.payload(),
        max_body=REPO_BODY_LIMIT,
    )
    if isinstance(response, Fail):
        return dict.fromkeys(batch.slugs, response)
    if response.status != 200:
        fail = Fail(
            Verdict.TRANSIENT,
            f"GitHub GraphQL API answered {response.status}: "
            f"{body_message(response.body) or 'no message'}",
            response.status,
        )
        return dict.fromkeys(batch.slugs, fail)
    try:
        if response.truncated:
            raise ValueError("answer cut short")
        answer = read_answer(batch, response.body)
    except ValueError as exc:
        fail = Fail(Verdict.TRANSIENT, f"unreadable GitHub GraphQL answer: {exc}", 200)
        return dict.fromkeys(batch.slugs, fail)
    if answer.rate_limited is not None:
        stop = await api.exhausted(GRAPHQL, response.headers, answer.rate_limited)
        return dict.fromkeys(batch.slugs, stop)
    if answer.error is not None:
        fail = Fail(Verdict.TRANSIENT, f"GitHub GraphQL query failed: {answer.error}")
        return dict.fromkeys(batch.slugs, fail)
    out: dict[str, Repo | Fail] = {}
    for slug, repo in answer.repos.items():
        if isinstance(repo, Found):
            out[slug] = Repo(repo.full_name, repo.html_url, repo.archived, None)
        elif isinstance(repo, NotFound):
            out[slug] = Fail(Verdict.BROKEN, MISSING_REPO)
        else:
            out[slug] = Fail(Verdict.TRANSIENT, f"GitHub GraphQL: {repo.message}")
    return out


def _repo_failure(got: Got) -> Fail:
    """The verdict for a repository lookup that did not answer 200."""
    status, message = got.status, got.message
    if status in (404, 410):
        return Fail(Verdict.BROKEN, MISSING_REPO, status)
    if status == 451:
        return Fail(
            Verdict.BROKEN,
            "repository unavailable for legal reasons (e.g. a DMCA takedown)"
            + (f": {message}" if message else ""),
            status,
        )
    if status == 403 and "access blocked" in message.lower():
        return Fail(Verdict.BROKEN, f"GitHub blocked access to the repository: {message}", 403)
    if status == 304:
        return Fail(Verdict.TRANSIENT, "GitHub answered 304 to a request it could not match")
    return Fail(
        Verdict.TRANSIENT,
        f"GitHub API answered {status}" + (f": {message}" if message else ""),
        status,
    )


def repo_path(slug: str) -> str:
    """The REST path of a repository, each part percent-encoded."""
    owner, _, name = slug.partition("/")
    return f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}"
