"""Relative links checked against the files of the repository the list lives in.

GitHub serves a relative link from the list's folder and an absolute one (``/x``) from
the repository root, so the root is found the way git finds it: the nearest folder
upwards holding ``.git``. Without one, the list's own folder stands in for it.

A link that climbs out of the repository (``../../x`` from the root) is reported
rather than followed: on disk it might happen to exist, but it is not part of what
GitHub shows. Paths are compared with the case they have on disk, because GitHub's
are case-sensitive even when the checkout's file system is not.

The same checkout also tells which repository and branch the list is (its ``origin``
remote and ``HEAD``), read from git's own text files so a lint run never starts git or
touches the network; the anchor rules use it to recognise the list's own URLs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

from listcheck.models import Document, Finding, LinkKind
from listcheck.rules.base import LintContext, finding, offline_rule

_SUFFIX = re.compile(r"[?#]")


def repository_root(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` holding ``.git``, else ``folder``."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


class _Listing:
    """Folder contents read once per rule run; a list links the same folders often."""

    def __init__(self) -> None:
        self._names: dict[Path, frozenset[str] | None] = {}

    def names(self, folder: Path) -> frozenset[str] | None:
        if folder not in self._names:
            try:
                self._names[folder] = frozenset(os.listdir(folder))
            except OSError:
                self._names[folder] = None
        return self._names[folder]

    def walk(self, root: Path, parts: tuple[str, ...]) -> tuple[bool, dict[str, str] | None]:
        """Whether ``parts`` exist below ``root`` with exactly this case, and if not, the
        case corrections (written name -> name on disk) that would make them exist."""
        folder = root
        corrections: dict[str, str] = {}
        for part in parts:
            names = self.names(folder)
            if names is None:
                return False, None
            if part not in names:
                matches = [name for name in names if name.casefold() == part.casefold()]
                if len(matches) != 1:
                    return False, None
                corrections[part] = matches[0]
                part = matches[0]
            folder = folder / part
        return not corrections, corrections


def _split(url: str) -> tuple[str, str]:
    """The path of a relative URL, and what follows it (``?query``, ``#fragment``)."""
    match = _SUFFIX.search(url)
    if match is None:
        return url, ""
    return url[: match.start()], url[match.start() :]


def _corrected_url(path: str, suffix: str, corrections: dict[str, str]) -> str:
    segments = []
    for segment in path.split("/"):
        name = unquote(segment)
        if name in corrections:
            real = corrections[name]
            segment = quote(real, safe="") if "%" in segment else real
        segments.append(segment)
    return "/".join(segments) + suffix


@offline_rule("file/not-found")
def file_not_found(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A relative link GitHub would answer with a 404 page, or one that only works in
    this checkout (outside the repository, or by the file system ignoring case)."""
    folder = ctx.root.resolve()
    repo = repository_root(folder)
    listing = _Listing()
    for link in doc.links:
        if link.kind is not LinkKind.FILE:
            continue
        path, suffix = _split(link.url)
        if path.startswith("//"):
            continue  # a scheme-relative URL to another host, not a file
        written = unquote(path)
        base = repo if written.startswith("/") else folder
        target = os.path.normpath(os.path.join(base, written.lstrip("/")))
        if os.path.commonpath([repo, target]) != str(repo):
            yield finding(
                doc,
                "file/not-found",
                link.line,
                link.column,
                f"{path} leads outside the repository (its root is {repo.name}/): "
                "a relative link can only reach the repository's own files",
                url=link.url,
            )
            continue
        relative = Path(target).relative_to(repo)
        exists, corrections = listing.walk(repo, relative.parts)
        if exists:
            continue
        shown = relative.as_posix() if relative.parts else "."
        if corrections:
            fixed = "/".join(corrections.get(part, part) for part in relative.parts)
            message = (
                f"{path} does not exist: GitHub paths are case-sensitive and the "
                f"repository has {fixed}"
            )
            suggestion: str | None = _corrected_url(path, suffix, corrections)
        else:
            message = f"{path} does not exist in the repository (looked for {shown})"
            suggestion = None
        yield finding(
            doc,
            "file/not-found",
            link.line,
            link.column,
            message,
            url=link.url,
            suggestion=suggestion,
        )


_GIT_TEXT_LIMIT = 1 << 20
"""Git's own small text files (config, HEAD) are read only up to this size: a checkout
is never trusted to be sane, and a huge or binary file must not stall a lint run."""
_GITHUB_REMOTE = re.compile(
    r"(?:^|[@/])(?:www\.)?github\.com[:/]+([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)"
    r"/([A-Za-z0-9._-]+?)(?:\.git)?/*$",
    re.IGNORECASE,
)
_ORIGIN_SECTION = re.compile(r'^\s*\[\s*remote\s+"origin"\s*\]\s*$', re.IGNORECASE)
_SECTION = re.compile(r"^\s*\[")
_URL_KEY = re.compile(r"^\s*url\s*=\s*(.*?)\s*$", re.IGNORECASE)


def _read_small(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(_GIT_TEXT_LIMIT)
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def git_dir(root: Path) -> Path | None:
    """The git directory of the checkout rooted at ``root``: ``.git`` itself, or where a
    worktree's or submodule's ``.git`` file points (``gitdir: ...``)."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    text = _read_small(dot) if dot.is_file() else None
    if text is None or not text.startswith("gitdir:"):
        return None
    target = Path(text[len("gitdir:") :].strip())
    target = target if target.is_absolute() else root / target
    return target if target.is_dir() else None


def _common_dir(gitdir: Path) -> Path:
    """A linked worktree keeps its config in the main repository's git directory."""
    text = _read_small(gitdir / "commondir")
    if text is None or not text.strip():
        return gitdir
    common = Path(text.strip())
    return common if common.is_absolute() else gitdir / common


def github_repository_of_remote(url: str) -> str | None:
    """``owner/repo`` of a github.com remote URL in any form git accepts (https, ssh,
    ``git@github.com:owner/repo.git``), or None for another host."""
    match = _GITHUB_REMOTE.search(url.strip())
    if match is None:
        return None
    return f"{match[1]}/{match[2]}"


def origin_repository(root: Path) -> str | None:
    """``owner/repo`` of the checkout's ``origin`` remote on github.com, read from git's
    config text (no git process, no network); None when there is none or it is odd."""
    gitdir = git_dir(root)
    text = None if gitdir is None else _read_small(_common_dir(gitdir) / "config")
    if text is None:
        return None
    in_origin = False
    for line in text.splitlines():
        if _SECTION.match(line):
            in_origin = bool(_ORIGIN_SECTION.match(line))
            continue
        match = _URL_KEY.match(line) if in_origin else None
        if match is not None:
            return github_repository_of_remote(match[1])
    return None


def checked_out_branch(root: Path) -> str | None:
    """The branch the checkout at ``root`` has checked out, from its ``HEAD`` file."""
    gitdir = git_dir(root)
    text = None if gitdir is None else _read_small(gitdir / "HEAD")
    prefix = "ref: refs/heads/"
    if text is None or not text.startswith(prefix):
        return None
    return text[len(prefix) :].strip() or None
