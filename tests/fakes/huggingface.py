"""The fake Hugging Face Hub API: ``GET /api/{models|datasets|spaces}/{repo_id}``.

Answers as the recorded Hub does (``samples/huggingface``):

- 200 with the ``models_get_200`` / ``datasets_get_200`` body rewritten for the
  world's repository (``gated`` is ``false``, ``"auto"`` or ``"manual"``), with
  an ETag computed the way the Hub's server does (``W/"<length hex>-<27
  characters of base64 SHA-1>"``, which reproduces every recorded ETag).
- A missing or private repository: anonymous callers get the recorded 401
  ``{"error":"Invalid username or password."}`` with its exact headers and no
  ``X-Error-Code``; a caller with a token gets 404 with ``X-Error-Code:
  RepoNotFound`` (described in public notes, not captured).
- A legacy or former name: the recorded 307 with a relative ``Location`` and
  its text/plain body.
- ``/revision/{rev}`` and ``/tree/{rev}/{path}`` below a repository: 200, or the
  recorded ``RevisionNotFound`` / ``EntryNotFound`` 404s.
- A token in ``world.hf.bad_tokens``: 401 "Invalid credentials in Authorization
  header" (the message ``huggingface_hub`` singles out; not captured).
- A disabled repository: 403 with ``X-Error-Message: Access to this resource
  is disabled.`` (the message ``huggingface_hub`` checks; not captured).

Space bodies are not captured either; they reuse the dataset shape plus
``sdk``/``runtime``.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from .context import WORLD
from .recorded import dumps, load
from .world import HfKind, HfRepo, HfWorld, World

JSON_TYPE = "application/json; charset=utf-8"
KINDS: dict[str, HfKind] = {"models": "model", "datasets": "dataset", "spaces": "space"}


def etag(body: bytes) -> str:
    """The Hub's weak ETag for ``body`` (verified against every recorded one)."""
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode()[:27]
    return f'W/"{len(body):x}-{digest}"'


def _headers(stem: str, body: bytes, values: dict[str, str] | None = None) -> CIMultiDict[str]:
    """Sample ``stem``'s headers with a fresh ETag and ``values`` written in (order kept)."""
    sample = load("huggingface", stem)
    live = {k.lower(): v for k, v in (values or {}).items()}
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in sample.response_headers():
        low = name.lower()
        if low == "etag":
            value = etag(body)
        if low in live:
            value = live.pop(low)
        out.add(name, value)
    for low, value in live.items():
        out.add("-".join(p.capitalize() for p in low.split("-")), value)
    return out


def repo_body(repo: HfRepo) -> bytes:
    """The recorded info body rewritten for ``repo`` (key order kept)."""
    stem = "models_get_200" if repo.kind == "model" else "datasets_get_200"
    data: dict[str, Any] = load("huggingface", stem).json()
    owner = repo.repo_id.split("/")[0] if "/" in repo.repo_id else None
    data["_id"] = repo.object_id
    data["id"] = repo.repo_id
    if "modelId" in data:
        data["modelId"] = repo.repo_id
    if owner is not None:
        data["author"] = owner
    else:
        data.pop("author", None)
    data["sha"] = repo.sha
    data["lastModified"] = repo.last_modified
    data["private"] = repo.private
    data["gated"] = repo.gated
    data["disabled"] = repo.disabled
    data["siblings"] = [{"rfilename": f} for f in repo.files]
    if repo.kind == "space":
        for key in ("citation", "description", "downloads", "cardData"):
            data.pop(key, None)
        data["sdk"] = "gradio"
        data["runtime"] = {"stage": "RUNNING", "hardware": {"current": "cpu-basic"}}
    return dumps(data)


def _token(request: web.Request) -> str | None:
    value = request.headers.get("Authorization")
    if value is None:
        return None
    scheme, _, credential = value.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" else value


def _missing(token: str | None) -> web.Response:
    """How the Hub hides a repository the caller cannot see."""
    if token is None:
        sample = load("huggingface", "models_get_401_missing_repo_anonymous")
        return web.Response(
            status=401,
            body=sample.body,
            headers=_headers("models_get_401_missing_repo_anonymous", sample.body),
        )
    body = dumps({"error": "Repository not found"})
    headers = _headers(
        "models_get_401_missing_repo_anonymous",
        body,
        {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
    )
    del headers["Www-Authenticate"]
    return web.Response(status=404, body=body, headers=headers)


def _error(stem: str, message: str, code: str | None, status: int) -> web.Response:
    body = dumps({"error": message})
    values = {"X-Error-Message": message}
    if code is not None:
        values["X-Error-Code"] = code
    return web.Response(status=status, body=body, headers=_headers(stem, body, values))


def split_path(segments: list[str]) -> tuple[str, list[str]]:
    """(repo_id, rest) from the segments after ``/api/{kind}/``; legacy ids have no owner."""
    if len(segments) >= 2 and segments[1] in {"revision", "tree"}:
        return segments[0], segments[1:]
    return "/".join(segments[:2]), segments[2:]


async def get_repo(request: web.Request) -> web.Response:
    """``/api/{kind}/{id}`` and its ``revision``/``tree`` children."""
    world: World = request.app[WORLD]
    hf: HfWorld = world.hf
    kind = KINDS[request.match_info["kind"]]
    repo_id, rest = split_path([s for s in request.match_info["tail"].split("/") if s])
    token = _token(request)
    if token is not None and token in hf.bad_tokens:
        message = "Invalid credentials in Authorization header"
        return _error("models_get_401_missing_repo_anonymous", message, None, 401)
    canonical = hf.redirects.get((kind, repo_id))
    if canonical is not None:
        sample = load("huggingface", "models_get_307_legacy_name_redirect")
        prefix = f"/api/{request.match_info['kind']}/"
        target = prefix + canonical + "".join("/" + s for s in rest)
        text = sample.body.decode().replace("/api/models/google-bert/bert-base-uncased", target)
        data = text.encode()
        headers = _headers("models_get_307_legacy_name_redirect", data, {"Location": target})
        return web.Response(status=307, body=data, headers=headers)
    repo = hf.repos.get((kind, repo_id))
    if repo is None or (repo.private and (token is None or token not in repo.readers)):
        return _missing(token)
    if repo.disabled:
        message = "Access to this resource is disabled."
        return _error("models_get_401_missing_repo_anonymous", message, None, 403)
    if rest and rest[0] == "revision":
        rev = "/".join(rest[1:])
        if rev not in repo.revisions and rev != repo.sha:
            return _error(
                "models_revision_404_RevisionNotFound",
                f"Invalid rev id: {rev}",
                "RevisionNotFound",
                404,
            )
        rest = []
    if rest and rest[0] == "tree" and len(rest) >= 2:
        rev, path = rest[1], "/".join(rest[2:])
        if rev not in repo.revisions:
            return _error(
                "models_revision_404_RevisionNotFound",
                f"Invalid rev id: {rev}",
                "RevisionNotFound",
                404,
            )
        prefix = path + "/" if path else ""
        children = sorted(
            {prefix + f[len(prefix) :].split("/")[0] for f in repo.files if f.startswith(prefix)}
        )
        if path and not children:
            return _error(
                "models_tree_404_EntryNotFound",
                f'{path} does not exist on "{rev}"',
                "EntryNotFound",
                404,
            )
        listing = [
            {"type": "file" if c in repo.files else "directory", "oid": repo.sha, "path": c}
            for c in children
        ]
        tree = dumps(listing)
        return web.Response(status=200, body=tree, headers=_headers("datasets_get_200", tree))
    if rest:
        return _error(
            "models_get_401_missing_repo_anonymous", "Sorry, we can't find the page.", None, 404
        )
    body = repo_body(repo)
    stem = "models_get_200" if kind == "model" else "datasets_get_200"
    return web.Response(status=200, body=body, headers=_headers(stem, body))


async def not_found(request: web.Request) -> web.Response:
    body = dumps({"error": "Sorry, we can't find the page you are looking for."})
    return web.Response(status=404, body=body, headers={"Content-Type": JSON_TYPE})


def make_app(app: web.Application) -> None:
    """Add the Hub API routes to ``app``."""
    app.router.add_get("/api/{kind:models|datasets|spaces}/{tail:.+}", get_repo)
    app.router.add_route("*", "/{tail:.*}", not_found)
