"""The fake GitHub API: REST repository lookups, contents, quotas, and ``POST /graphql``.

Bodies and headers come from the recorded samples (``samples/github``), with
the world's names, ids, flags and the live rate-limit counters written in:

- ``GET /repos/{owner}/{repo}``: 200 (``repos_get_200`` shape; owner and name
  match case-insensitively, as on GitHub), 301 for a renamed repository (body
  ``url`` and ``Location`` both point at ``/repositories/{id}`` on this fake),
  404 for a missing or private one (``repos_get_404_2023``).
- ``GET /repositories/{id}``: the repository a redirect leads to.
- ``GET /repos/{o}/{r}/contents/{path}?ref=``: file object, directory listing,
  or raw file (``Accept: application/vnd.github.raw``); 404 "Not Found" for a
  missing path and 404 "No commit found for the ref X" for a missing ref.
- ``GET /repos/{o}/{r}/branches/{branch}`` (200/404) and ``/commits/{ref}``
  (200/422) so a checker can tell a missing ref from a missing path.
- ``GET /rate_limit``: the buckets, free of charge.
- Quotas per token and resource: 60/hour anonymous, 5000 per token (or the
  world's figure per token); every answered request costs 1 except a 304 to a
  matching ``If-None-Match``; when spent, the documented primary-limit 403.
  Secondary limits: :func:`secondary_limit` for a forced answer, or
  ``world.github.max_concurrent`` to trip it with parallel requests.
- ``POST /graphql``: 401 without a token (or with a bad one), the GraphQL
  answer from :mod:`.graphql` otherwise, the 2026 ``RATE_LIMIT`` body when the
  graphql bucket is empty.

Modelled without a capture (see ``samples/SOURCES.md``, "Not found"): the
contents 404 bodies (from the 2026 notes), the branch 404 and commit 422 bodies,
the body of a GitHub 429, and the headers of a 401 without a token.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from .context import CONCURRENCY_ON_ARRIVAL, WORLD
from .graphql import execute
from .recorded import dumps, load
from .world import Bucket, FakeRepo, Forced, GitHubWorld, World

JSON_TYPE = "application/json; charset=utf-8"
_REQUEST_IDS = itertools.count(0x0684_0000)
_RATE_NAMES = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
)
_TOKEN_ONLY = frozenset({"x-oauth-scopes", "github-authentication-token-expiration"})

CONTENTS_DOCS = "https://docs.github.com/rest/repos/contents#get-repository-content"


def _error(message: str, docs: str, status: int) -> bytes:
    """GitHub's current error body (``status`` as a string, as the 2026 notes show)."""
    return dumps({"message": message, "documentation_url": docs, "status": str(status)})


def headers_from(
    stem: str,
    *,
    token: str | None,
    bucket: Bucket | None,
    resource: str = "core",
    values: dict[str, str] | None = None,
    drop: frozenset[str] = frozenset(),
) -> CIMultiDict[str]:
    """Headers of sample ``stem`` in recorded spelling and order, with live values written in.

    Rate-limit headers take the bucket's numbers (and are added when the sample
    predates them); ``values`` replace or add others (ETag, Location,
    Content-Type); token-only headers vanish for anonymous callers.
    """
    sample = load("github", stem)
    live: dict[str, str] = {k.lower(): v for k, v in (values or {}).items()}
    if bucket is not None:
        live.update(
            {
                "x-ratelimit-limit": str(bucket.limit),
                "x-ratelimit-remaining": str(bucket.remaining),
                "x-ratelimit-reset": str(bucket.reset),
                "x-ratelimit-used": str(bucket.used),
                "x-ratelimit-resource": resource,
            }
        )
    spelled = {k.lower(): k for k in (values or {})}
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in sample.response_headers(drop=drop):
        low = name.lower()
        if token is None and low in _TOKEN_ONLY:
            continue
        if low in {"etag", "last-modified", "location"} and low not in live:
            continue
        if low == "x-github-request-id":
            value = f"{next(_REQUEST_IDS):X}:{hashlib.sha1(stem.encode()).hexdigest()[:8].upper()}"
        if low in live:
            value = live.pop(low)
        out.add(name, value)
    for low, value in live.items():
        out.add(spelled.get(low, "-".join(p.capitalize() for p in low.split("-"))), value)
    return out


def secondary_limit(
    status: int = 403, retry_after: int = 60, *, match: str | None = None
) -> Forced:
    """A secondary ("abuse") rate-limit answer with ``Retry-After``.

    403 is the 2018 capture (``search_code_403_secondary_rate_limit_2018``);
    429 has no capture and carries the documented message instead.
    """
    if status == 403:
        sample = load("github", "search_code_403_secondary_rate_limit_2018")
        headers = [
            (k, str(retry_after) if k.lower() == "retry-after" else v)
            for k, v in sample.response_headers()
        ]
        return Forced(status=403, body=sample.body, headers=tuple(headers), match=match)
    docs = load("github", "secondary_rate_limit_403_docs")
    return Forced(
        status=status,
        body=docs.body,
        headers=(("Content-Type", JSON_TYPE), ("Retry-After", str(retry_after))),
        match=match,
    )


# --------------------------------------------------------------------------- bodies


def repo_body(world: GitHubWorld, repo: FakeRepo, token: str | None) -> bytes:
    """The ``repos_get_200`` object rewritten for ``repo`` (byte-identical for the sample repo)."""
    text = load("github", "repos_get_200").body.decode("utf-8")
    text = text.replace("octokit-fixture-org/hello-world", repo.full_name)
    text = text.replace("octokit-fixture-org", repo.owner)
    text = text.replace("https://api.github.com", world.api_url_in_bodies)
    data: dict[str, Any] = json.loads(text)
    data["id"] = repo.id
    data["node_id"] = base64.b64encode(f"010:Repository{repo.id}".encode()).decode()
    data["name"] = repo.name
    data["private"] = repo.private
    data["description"] = repo.description
    data["fork"] = repo.fork
    data["archived"] = repo.archived
    data["disabled"] = repo.disabled
    data["visibility"] = "private" if repo.private else "public"
    data["default_branch"] = repo.default_branch
    if token is None:
        data.pop("permissions", None)
        data.pop("temp_clone_token", None)
    return dumps(data)


def _content_entry(
    world: GitHubWorld, repo: FakeRepo, ref: str, path: str, kind: str
) -> dict[str, Any]:
    """One contents item in the current key order (as in ``contents_dir_listing_200``)."""
    api = f"{world.api_url_in_bodies}/repos/{repo.full_name}"
    sha = repo.sha(f"{ref}:{path}")
    html_kind = "blob" if kind == "file" else "tree"
    html = f"https://github.com/{repo.full_name}/{html_kind}/{ref}/{path}"
    git = f"{api}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
    self_url = f"{api}/contents/{path}?ref={ref}"
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": len(file_text(path)) if kind == "file" else 0,
        "url": self_url,
        "html_url": html,
        "git_url": git,
        "download_url": (
            f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}"
            if kind == "file"
            else None
        ),
        "type": kind,
        "_links": {"self": self_url, "git": git, "html": html},
    }


def file_text(path: str) -> bytes:
    """What a file in the fake holds: a line naming it (enough for a raw-content check)."""
    return f"# {path}\n".encode()


# --------------------------------------------------------------------------- plumbing


@dataclass
class Answer:
    """A REST answer before quota and conditional-request handling."""

    status: int
    body: bytes
    stem: str
    values: dict[str, str] = field(default_factory=dict)
    cacheable: bool = False


def _world(request: web.Request) -> GitHubWorld:
    world: World = request.app[WORLD]
    return world.github


def token_of(request: web.Request) -> tuple[str | None, bool]:
    """(token, acceptable) from ``Authorization``: ``token X``, ``Bearer X`` or Basic ``user:X``."""
    value = request.headers.get("Authorization")
    if value is None:
        return None, True
    scheme, _, credential = value.partition(" ")
    credential = credential.strip()
    if scheme.lower() == "basic":
        try:
            credential = base64.b64decode(credential).decode().partition(":")[2]
        except ValueError:
            return value, False
    elif scheme.lower() not in {"token", "bearer"}:
        return value, False
    gh = _world(request)
    if not credential or credential in gh.bad_tokens:
        return credential, False
    if gh.only_known_tokens and credential not in gh.tokens:
        return credential, False
    return credential, True


def _etag(body: bytes, token: str | None) -> str:
    return '"' + hashlib.sha256(body + (token or "").encode()).hexdigest() + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(
        part.strip() == "*" or part.strip().removeprefix("W/") == wanted
        for part in header.split(",")
    )


def _bad_credentials(token: str | None) -> web.Response:
    sample = load("github", "graphql_bad_credentials_401_2018")
    headers = CIMultiDict(sample.response_headers())
    return web.Response(status=401, body=sample.body, headers=headers)


def _primary_limit(gh: GitHubWorld, token: str | None, bucket: Bucket) -> web.Response:
    """The documented primary-limit 403 (``rate_limit_403_primary_docs``)."""
    sample = load("github", "rate_limit_403_primary_docs")
    if token is None:
        body = sample.body
    else:
        body = dumps(
            {
                "message": f"API rate limit exceeded for user ID {gh.user_id(token)}.",
                "documentation_url": json.loads(sample.body)["documentation_url"],
            }
        )
    headers = headers_from(
        "rate_limit_403_primary_docs",
        token=token,
        bucket=bucket,
        values={"Content-Type": JSON_TYPE, "X-GitHub-Media-Type": "github.v3; format=json"},
    )
    return web.Response(status=403, body=body, headers=headers)


async def _serve(request: web.Request, compute: Callable[[str | None], Answer]) -> web.Response:
    """Authentication, secondary limit, conditional request, quota, then the answer."""
    gh = _world(request)
    token, acceptable = token_of(request)
    if not acceptable:
        return _bad_credentials(token)
    if gh.max_concurrent is not None and CONCURRENCY_ON_ARRIVAL.get() > gh.max_concurrent:
        forced = secondary_limit(403, gh.secondary_retry_after)
        return web.Response(status=403, body=forced.body, headers=CIMultiDict(forced.headers))
    answer = compute(token)
    bucket = gh.quota(token, "core")
    values = dict(answer.values)
    if answer.cacheable:
        etag = _etag(answer.body, token)
        values["ETag"] = etag
        if _etag_matches(request.headers.get("If-None-Match"), etag) and (
            bucket.remaining > 0 or gh.revalidate_when_exhausted
        ):
            headers = headers_from(
                answer.stem,
                token=token,
                bucket=bucket,
                values=values,
                drop=frozenset({"content-type"}),
            )
            return web.Response(status=304, headers=headers)
    if bucket.remaining <= 0:
        return _primary_limit(gh, token, bucket)
    bucket.used += 1
    headers = headers_from(answer.stem, token=token, bucket=bucket, values=values)
    return web.Response(status=answer.status, body=answer.body, headers=headers)


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _moved(request: web.Request, repo: FakeRepo, suffix: str = "") -> Answer:
    """The 301 for a former name; ``suffix`` keeps the rest of the path and the query."""
    target = f"{_base(request)}/repositories/{repo.id}{suffix}"
    if request.query_string:
        target += "?" + request.query_string
    sample = load("github", "repos_get_301_renamed")
    data = json.loads(sample.body)
    data["url"] = target
    return Answer(301, dumps(data), "repos_get_301_renamed", {"Location": target})


def _lookup(request: web.Request, token: str | None) -> tuple[FakeRepo | None, bool]:
    """(repo, moved) for the path's ``owner/repo`` or ``repositories/{id}``, or (None, False)."""
    gh = _world(request)
    info = request.match_info
    if "id" in info:
        repo = gh.repos.get(int(info["id"])) if info["id"].isdigit() else None
        if repo is None or not gh.visible(repo, token):
            return None, False
        return repo, False
    found = gh.find(f"{info['owner']}/{info['repo']}")
    if found is None or not gh.visible(found[0], token):
        return None, False
    return found


# --------------------------------------------------------------------------- REST routes


async def get_repo(request: web.Request) -> web.Response:
    def compute(token: str | None) -> Answer:
        gh = _world(request)
        repo, moved = _lookup(request, token)
        if repo is None:
            return Answer(404, load("github", "repos_get_404_2023").body, "repos_get_404_2023")
        if moved:
            return _moved(request, repo)
        stem = (
            "repositories_by_id_200_after_redirect"
            if "id" in request.match_info
            else "repos_get_200"
        )
        return Answer(
            200, repo_body(gh, repo, token), stem, {"Last-Modified": _LAST_MODIFIED}, True
        )

    return await _serve(request, compute)


_LAST_MODIFIED = "Tue, 19 Sep 2017 15:57:54 GMT"


async def get_contents(request: web.Request) -> web.Response:
    def compute(token: str | None) -> Answer:
        gh = _world(request)
        path = request.match_info.get("path", "").strip("/")
        repo, moved = _lookup(request, token)
        if repo is None:
            return Answer(404, _error("Not Found", CONTENTS_DOCS, 404), "repos_get_404_2023")
        if moved:
            return _moved(request, repo, f"/contents/{path}" if path else "/contents")
        asked = request.query.get("ref") or repo.default_branch
        ref = repo.resolve_ref(asked)
        if ref is None:
            body = _error(f"No commit found for the ref {asked}", CONTENTS_DOCS, 404)
            return Answer(404, body, "repos_get_404_2023")
        kind = repo.kind_at(ref, path)
        if kind is None:
            return Answer(404, _error("Not Found", CONTENTS_DOCS, 404), "repos_get_404_2023")
        accept = request.headers.get("Accept", "")
        if kind == "file" and ".raw" in accept:
            return Answer(200, file_text(path), "contents_file_raw_200", {}, True)
        if kind == "file":
            entry = _content_entry(gh, repo, ref, path, "file")
            encoded = base64.encodebytes(file_text(path)).decode()
            entry = {
                **{k: v for k, v in entry.items() if k != "_links"},
                "content": encoded,
                "encoding": "base64",
                "_links": entry["_links"],
            }
            return Answer(200, dumps(entry), "contents_dir_listing_200", {}, True)
        listing = [
            _content_entry(gh, repo, ref, f"{path}/{name}" if path else name, child)
            for name, child in repo.listing(ref, path)
        ]
        return Answer(200, dumps(listing), "contents_dir_listing_200", {}, True)

    return await _serve(request, compute)


async def get_branch(request: web.Request) -> web.Response:
    def compute(token: str | None) -> Answer:
        gh = _world(request)
        repo, moved = _lookup(request, token)
        branch = request.match_info["branch"]
        docs = "https://docs.github.com/rest/branches/branches#get-a-branch"
        if repo is None:
            return Answer(404, _error("Not Found", docs, 404), "repos_get_404_2023")
        if moved:
            return _moved(request, repo, f"/branches/{branch}")
        if branch not in repo.refs or branch in repo.tags:
            return Answer(404, _error("Branch not found", docs, 404), "repos_get_404_2023")
        api = f"{gh.api_url_in_bodies}/repos/{repo.full_name}"
        sha = repo.sha(branch)
        body = {
            "name": branch,
            "commit": {"sha": sha, "url": f"{api}/commits/{sha}"},
            "_links": {
                "self": f"{api}/branches/{branch}",
                "html": f"https://github.com/{repo.full_name}/tree/{branch}",
            },
            "protected": False,
            "protection_url": f"{api}/branches/{branch}/protection",
        }
        return Answer(200, dumps(body), "repos_get_200", {}, True)

    return await _serve(request, compute)


async def get_commit(request: web.Request) -> web.Response:
    def compute(token: str | None) -> Answer:
        gh = _world(request)
        repo, moved = _lookup(request, token)
        asked = request.match_info["ref"]
        docs = "https://docs.github.com/rest/commits/commits#get-a-commit"
        if repo is None:
            return Answer(404, _error("Not Found", docs, 404), "repos_get_404_2023")
        if moved:
            return _moved(request, repo, f"/commits/{asked}")
        ref = repo.resolve_ref(asked)
        if ref is None:
            body = _error(f"No commit found for SHA: {asked}", docs, 422)
            return Answer(422, body, "repos_get_404_2023")
        sha = repo.sha(ref)
        api = f"{gh.api_url_in_bodies}/repos/{repo.full_name}"
        commit = {
            "sha": sha,
            "node_id": "C_" + sha[:20],
            "commit": {"message": f"Update {ref}", "tree": {"sha": repo.sha(ref + ":")}},
            "url": f"{api}/commits/{sha}",
            "html_url": f"https://github.com/{repo.full_name}/commit/{sha}",
        }
        return Answer(200, dumps(commit), "repos_get_200", {}, True)

    return await _serve(request, compute)


async def get_rate_limit(request: web.Request) -> web.Response:
    """``GET /rate_limit`` reports every bucket and costs nothing, as on GitHub."""
    gh = _world(request)
    token, acceptable = token_of(request)
    if not acceptable:
        return _bad_credentials(token)

    def row(resource: str) -> dict[str, int]:
        b = gh.quota(token, resource)
        return {"limit": b.limit, "used": b.used, "remaining": b.remaining, "reset": b.reset}

    body = {"resources": {"core": row("core"), "graphql": row("graphql")}, "rate": row("core")}
    headers = headers_from("repos_get_200", token=token, bucket=gh.quota(token, "core"), values={})
    return web.Response(status=200, body=dumps(body), headers=headers)


async def not_found(request: web.Request) -> web.Response:
    """Any other REST path: GitHub's generic 404."""
    gh = _world(request)
    token, _ = token_of(request)
    body = _error("Not Found", "https://docs.github.com/rest", 404)
    headers = headers_from("repos_get_404_2023", token=token, bucket=gh.quota(token, "core"))
    return web.Response(status=404, body=body, headers=headers)


# --------------------------------------------------------------------------- GraphQL


async def post_graphql(request: web.Request) -> web.Response:
    gh = _world(request)
    if "Authorization" not in request.headers:
        sample = load("github", "graphql_unauthenticated_401_2023")
        return web.Response(status=401, body=sample.body, headers={"Content-Type": JSON_TYPE})
    token, acceptable = token_of(request)
    if not acceptable:
        return _bad_credentials(token)
    raw = await request.read()
    try:
        payload = json.loads(raw)
        query = payload["query"]
        if not isinstance(query, str):
            raise TypeError("query must be a string")
    except (ValueError, KeyError, TypeError):
        body = dumps(
            {
                "message": "Problems parsing JSON",
                "documentation_url": "https://docs.github.com/graphql",
            }
        )
        return web.Response(status=400, body=body, headers={"Content-Type": JSON_TYPE})
    bucket = gh.quota(token, "graphql")
    cost = max(1, gh.graphql_cost)
    if bucket.remaining < cost:
        uid = gh.user_id(token)
        if gh.graphql_rate_limit_type == "RATE_LIMIT":
            text = load("github", "graphql_rate_limited_2026").body.decode()
            body = text.replace("xxxxx", str(uid)).encode()
        else:
            body = dumps(
                {
                    "errors": [
                        {
                            "type": gh.graphql_rate_limit_type,
                            "message": f"API rate limit exceeded for user ID {uid}.",
                        }
                    ]
                }
            )
        headers = headers_from(
            "graphql_repository_200_2024", token=token, bucket=bucket, resource="graphql"
        )
        return web.Response(status=200, body=body, headers=headers)
    bucket.used += cost
    answer = execute(
        gh,
        token,
        query,
        payload.get("variables") or {},
        payload.get("operationName"),
        cost=cost,
    )
    headers = headers_from(
        "graphql_repository_200_2024", token=token, bucket=bucket, resource="graphql"
    )
    return web.Response(status=200, body=dumps(answer), headers=headers)


def make_app(app: web.Application) -> None:
    """Add the GitHub API routes to ``app``."""
    r = app.router
    r.add_get("/repos/{owner}/{repo}", get_repo)
    r.add_get("/repositories/{id}", get_repo)
    for prefix in ("/repos/{owner}/{repo}", "/repositories/{id}"):
        r.add_get(prefix + "/contents", get_contents)
        r.add_get(prefix + "/contents/{path:.*}", get_contents)
        r.add_get(prefix + "/branches/{branch:.+}", get_branch)
        r.add_get(prefix + "/commits/{ref:.+}", get_commit)
    r.add_get("/rate_limit", get_rate_limit)
    r.add_post("/graphql", post_graphql)
    r.add_route("*", "/{tail:.*}", not_found)
