"""Many repositories in one GitHub GraphQL query, and reading the answer back.

Why GraphQL when a token is at hand: REST spends one request of the 5,000/hour core
quota per repository, while one GraphQL query looks up a whole batch through
aliases (``r0: repository(...) { ... } r1: ...``) and costs one point of a separate
5,000-point budget. GitHub's limits for such a query: a call may touch at most
500,000 nodes, counted over *connections* (``first:``/``last:`` lists); a
``repository`` lookup with scalar fields is no connection, so a batch of 100 is a
few hundred nodes and costs the minimum of 1 point. The batch size is still kept
moderate (:data:`DEFAULT_BATCH`) because a large query runs longer on GitHub's side
and its 10-second timeout turns a whole batch into a failure.

Owner and name travel as GraphQL *variables*, not spliced into the query text, so no
repository name, however odd, can break or change the query.

How GitHub answers (recorded samples, ``api-samples/github/graphql_*``): ``data``
holds one key per alias; a repository found under a former name answers with its
new ``nameWithOwner`` (``repository`` follows renames by default); a missing or
private one is ``null`` plus an ``errors[]`` entry of ``type: NOT_FOUND`` whose
``path`` names the alias. A spent quota is HTTP 200 with ``errors`` only, typed
``RATE_LIMITED`` (as documented) or ``RATE_LIMIT`` (as sent since 2026).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_BATCH = 50
MAX_BATCH = 100
RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})
REPO_FIELDS = "nameWithOwner url isArchived"


def graphql_url(api_base: str) -> str:
    """The GraphQL endpoint for a REST API base.

    github.com serves REST at ``https://api.github.com`` and GraphQL at
    ``https://api.github.com/graphql``; GitHub Enterprise Server serves REST at
    ``https://HOST/api/v3`` and GraphQL at ``https://HOST/api/graphql``. Any other base
    (a proxy, a test server) is taken to follow github.com's layout.
    """
    base = api_base.rstrip("/")
    parts = urlsplit(base)
    if parts.path.endswith("/api/v3"):
        path = parts.path.removesuffix("/v3") + "/graphql"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return base + "/graphql"


@dataclass(frozen=True)
class Batch:
    """One query: the slugs it asks about, in alias order (``r0`` is ``slugs[0]``)."""

    slugs: tuple[str, ...]

    def alias(self, index: int) -> str:
        return f"r{index}"

    def payload(self) -> dict[str, Any]:
        """The JSON body of ``POST /graphql``."""
        params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(len(self.slugs)))
        lookups = " ".join(
            f"{self.alias(i)}: repository(owner: $o{i}, name: $n{i}) {{ {REPO_FIELDS} }}"
            for i in range(len(self.slugs))
        )
        variables: dict[str, str] = {}
        for i, slug in enumerate(self.slugs):
            owner, _, name = slug.partition("/")
            variables[f"o{i}"] = owner
            variables[f"n{i}"] = name
        return {"query": f"query Repos({params}) {{ {lookups} }}", "variables": variables}


def batches(slugs: Sequence[str], size: int) -> list[Batch]:
    """``slugs`` cut into batches of at most ``size`` (1..100)."""
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"batch size must be between 1 and {MAX_BATCH}, got {size}")
    return [Batch(tuple(slugs[i : i + size])) for i in range(0, len(slugs), size)]


@dataclass(frozen=True)
class Found:
    full_name: str
    html_url: str
    archived: bool


@dataclass(frozen=True)
class NotFound:
    message: str


@dataclass(frozen=True)
class Unanswered:
    """GitHub gave neither the repository nor NOT_FOUND for it (another error type)."""

    message: str


Answer = Found | NotFound | Unanswered


@dataclass(frozen=True)
class BatchAnswer:
    """What one 200 answer says: per slug, or (``rate_limited``/``error``) for the batch."""

    repos: dict[str, Answer]
    rate_limited: str | None = None
    """GitHub's message when the answer is a spent quota."""
    error: str | None = None
    """The first message when the whole query failed (no ``data``)."""


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = body.get("errors")
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def read_answer(batch: Batch, raw: bytes) -> BatchAnswer:
    """Interpret the body of a 200 answer to ``batch``; raises ValueError when it is not
    a GraphQL answer at all (not JSON, not an object)."""
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("GraphQL answer is not a JSON object")
    errors = _errors(body)
    for error in errors:
        if error.get("type") in RATE_LIMIT_TYPES or error.get("code") == "graphql_rate_limit":
            return BatchAnswer({}, rate_limited=str(error.get("message") or ""))
    data = body.get("data")
    if not isinstance(data, dict):
        first = errors[0].get("message") if errors else None
        return BatchAnswer({}, error=str(first or "GraphQL answer without data"))
    by_alias: dict[str, dict[str, Any]] = {}
    for error in errors:
        path = error.get("path")
        if isinstance(path, list) and path and isinstance(path[0], str):
            by_alias.setdefault(path[0], error)
    repos: dict[str, Answer] = {}
    for index, slug in enumerate(batch.slugs):
        alias = batch.alias(index)
        node = data.get(alias)
        if isinstance(node, dict) and isinstance(node.get("nameWithOwner"), str):
            repos[slug] = Found(
                full_name=node["nameWithOwner"],
                html_url=str(node.get("url") or f"https://github.com/{node['nameWithOwner']}"),
                archived=bool(node.get("isArchived")),
            )
            continue
        problem = by_alias.get(alias)
        message = str(problem.get("message") or "") if problem else ""
        if problem is not None and problem.get("type") == "NOT_FOUND":
            repos[slug] = NotFound(message)
        else:
            repos[slug] = Unanswered(message or "no answer for this repository")
    return BatchAnswer(repos)
