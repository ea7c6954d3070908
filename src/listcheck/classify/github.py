"""Which repository a github.com URL names, and which ref and path inside it.

Most of the work is saying no: GitHub's own pages (``/topics/...``, ``/orgs/...``) share
the owner/repo shape, and asking the API about them would report a missing repository.
"""

from __future__ import annotations

import re

from listcheck.classify.result import CLASSIFIED, PLAIN, Classified
from listcheck.models import LinkKind

_GITHUB_RESERVED = frozenset(
    {
        "about",
        "account",
        "apps",
        "blog",
        "codespaces",
        "collections",
        "contact",
        "copilot",
        "customer-stories",
        "dashboard",
        "enterprise",
        "events",
        "explore",
        "features",
        "git-guides",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "pulls",
        "readme",
        "search",
        "security",
        "sessions",
        "settings",
        "signup",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "watching",
    }
)
"""First path segments that are GitHub's own pages, never an owner."""

_GITHUB_OWNER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*", re.ASCII)
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]+", re.ASCII)
_GITHUB_REF_KINDS = frozenset({"tree", "blob", "raw", "blame", "edit", "commits", "commit"})


def classify_github(path: str) -> Classified:
    """The repository the path of a github.com URL names; plain WEB for GitHub's own
    pages and profiles."""
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in _GITHUB_RESERVED:
        return PLAIN[LinkKind.WEB]
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not _GITHUB_OWNER.fullmatch(owner) or not _REPO_NAME.fullmatch(repo) or repo in {".", ".."}:
        return PLAIN[LinkKind.WEB]
    kind: str | None = None
    ref: str | None = None
    sub_path: str | None = None
    if len(segments) > 2:
        kind = segments[2]
        rest = segments[3:]
        if kind in _GITHUB_REF_KINDS and rest:
            ref, rest = rest[0], rest[1:]
        elif kind == "releases" and len(rest) >= 2 and rest[0] == "tag":
            ref, rest = rest[1], rest[2:]
        sub_path = "/".join(rest) or None
    github = {"slug": f"{owner}/{repo}", "path_kind": kind, "ref": ref, "path": sub_path}
    return CLASSIFIED.validate_python({"kind": LinkKind.GITHUB, "github": github})
