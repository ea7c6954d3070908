"""Which links lead back into the list's own rendered page from outside the ``#``.

``./#x`` or ``README.md#x`` written in the README itself, or the list's own github.com URL
with a fragment (``https://github.com/OWNER/REPO#x``, ``.../blob/main/README.md#x``), land
on the same rendered page as ``#x``, so both anchor rules hold them to the same anchors.
Telling such links from links to other pages needs the file system, git and the
environment, which matching a fragment does not, so it has a module of its own. The
list's repository comes from ``GITHUB_REPOSITORY`` (set in Actions), else from the
checkout's ``origin`` remote; without either, only the relative forms are recognised.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from listcheck.models import Document, Link, LinkKind
from listcheck.rules.anchor_index import fragment_of
from listcheck.rules.base import LintContext
from listcheck.rules.files import checked_out_branch, origin_repository, repository_root

_README = re.compile(r"readme(?:\.[A-Za-z0-9]+)?", re.IGNORECASE)
"""The file names GitHub shows below a folder's listing (README, README.md, readme.rst ...)."""
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
_USUAL_BRANCHES = ("main", "master", "HEAD")
_BRANCH_VARIABLES = ("GITHUB_BASE_REF", "GITHUB_HEAD_REF", "GITHUB_REF_NAME")
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?")
"""``#L10``, ``#L3-L7``: GitHub's line highlights on a file page, not headings."""
_README_SECTION = "readme"
"""The id of the README box on a repository's or folder's page."""


@dataclass(frozen=True)
class SelfPage:
    """Where the list lives, to tell which links lead back into its own rendered page.

    Built once per rule run from the file system and the environment; never fails on an
    odd checkout (missing git files, a remote on another host): it just recognises less.
    """

    file: Path
    folder: Path
    root: Path
    relative: PurePosixPath
    """The list's path inside its repository."""
    repository: str | None
    """``owner/repo`` in lowercase, when known."""
    refs: frozenset[str]
    """Branch names a self-URL may name and still mean this copy of the list."""

    @classmethod
    def of(cls, doc: Document, ctx: LintContext) -> SelfPage:
        folder = Path(os.path.abspath(ctx.root))
        file = folder / Path(doc.path).name
        root = repository_root(folder)
        try:
            relative = PurePosixPath(file.relative_to(root).as_posix())
        except ValueError:
            relative = PurePosixPath(file.name)
        repository = os.environ.get("GITHUB_REPOSITORY") or origin_repository(root)
        branches = {*_USUAL_BRANCHES, *(os.environ.get(name) for name in _BRANCH_VARIABLES)}
        branches.add(checked_out_branch(root))
        return cls(
            file=file,
            folder=folder,
            root=root,
            relative=relative,
            repository=repository.strip().lower() if repository else None,
            refs=frozenset(branch for branch in branches if branch),
        )

    @property
    def is_readme(self) -> bool:
        """Whether GitHub shows this list on its folder's page (and the repository's
        home page, at the root)."""
        return bool(_README.fullmatch(self.file.name))

    @cached_property
    def folder_shows_list(self) -> bool:
        """Whether ``./`` from the list reaches a page meant to show it: the list is the
        folder's README, or the folder has no README at all (a list saved under another
        name, as the development corpus keeps them). In the second case GitHub would show
        no README, so a fragment this finds missing is broken there as well."""
        if self.is_readme:
            return True
        try:
            names = os.listdir(self.folder)
        except OSError:
            return False
        return not any(_README.fullmatch(name) for name in names)

    def fragment(self, link: Link) -> str | None:
        """The decoded fragment of a link that lands on this list's own page, else None
        (a link to another file or page, or one without a fragment)."""
        if link.kind is LinkKind.ANCHOR:
            return fragment_of(link.url)
        if "#" not in link.url:
            return None
        if link.kind is LinkKind.FILE:
            return self._relative_fragment(link.url)
        if "github.com" in link.url.lower():
            return self._url_fragment(link.url)
        return None

    def _relative_fragment(self, url: str) -> str | None:
        path, _, _ = url.partition("#")
        if "?" in path or path.startswith("//"):
            return None
        written = unquote(path)
        base = self.root if written.startswith("/") else self.folder
        target = Path(os.path.normpath(os.path.join(base, written.lstrip("/"))))
        if target == self.file or (target == self.folder and self.folder_shows_list):
            return fragment_of(url)
        return None

    def _url_fragment(self, url: str) -> str | None:
        if self.repository is None:
            return None
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or parts.query:
            return None
        if (parts.hostname or "").lower() not in _GITHUB_HOSTS:
            return None
        segments = [unquote(part) for part in parts.path.split("/") if part]
        if len(segments) < 2 or f"{segments[0]}/{segments[1]}".lower() != self.repository:
            return None
        if self._same_page(segments[2:]):
            return fragment_of(url)
        return None

    def _same_page(self, rest: list[str]) -> bool:
        """Whether ``/owner/repo/<rest>`` on github.com renders this list."""
        folder = self.relative.parent.parts
        if not rest:
            return self.is_readme and not folder
        kind, ref, path = rest[0], rest[1] if len(rest) > 1 else None, tuple(rest[2:])
        if ref is None or ref not in self.refs:
            return False
        if kind == "blob":
            return path == self.relative.parts
        return kind == "tree" and self.is_readme and path == folder

    def resolves_outside_headings(self, link: Link, fragment: str) -> bool:
        """Fragments a page reached by a path or URL has beyond the list's anchors: line
        highlights of a file page and the README box of a folder page."""
        if link.kind is LinkKind.ANCHOR:
            return False
        return bool(_LINE_FRAGMENT.fullmatch(fragment)) or fragment.lower() == _README_SECTION
