"""``#fragment`` links checked against the anchors GitHub gives the same file.

Fragments are matched the way a reader on github.com experiences them:

* percent-escapes are decoded first (``#%E4%BD%A0`` is ``#你``);
* ``#`` alone and ``#top`` (any case) scroll to the top of the page in every browser;
* GitHub renders each anchor as ``id="user-content-<slug>"`` and its page script maps a
  fragment onto that prefix, so ``#user-content-foo`` works as well as ``#foo``;
* matching is case-sensitive first and then, as GitHub's script retries with the
  fragment lowercased, on the lowercased fragment. Heading anchors are always lowercase,
  so ``#Installation`` works on github.com and is not reported: the rule's severity is
  "error", and a link that works where the list is read is not one. An HTML anchor
  ``<a name="Foo">`` matches ``#Foo`` but not ``#foo``.

A link can also lead back into the list from outside the ``#``: ``./#x`` or ``README.md#x``
written in the README itself, or the list's own github.com URL with a fragment
(``https://github.com/OWNER/REPO#x``, ``.../blob/main/README.md#x``). Those land on the
same rendered page, so they are held to the same anchors (:class:`SelfPage`). The list's
repository comes from ``GITHUB_REPOSITORY`` (set in Actions), else from the checkout's
``origin`` remote; without either, only the relative forms are recognised.

A table of contents that points at the first of two same-named headings is valid to a
browser but wrong to a reader; ``anchor/shadowed`` infers the heading meant from the
entry's list depth and position, which is why it only looks at lists of anchor links.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from listcheck.models import Document, Finding, Heading, Link, LinkKind
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.files import checked_out_branch, origin_repository, repository_root
from listcheck.slugs import base_slugs

_GITHUB_PREFIX = "user-content-"
_NUMBERED = re.compile(r"(.*)-(\d+)")
_FUZZY_CUTOFF = 85.0
_FUZZY_MARGIN = 5.0
_FUZZY_BUDGET = 200
"""Dead anchors per file that get a fuzzy suggestion. Each compares the fragment with
every anchor of the file, so a pull request of ten thousand headings and as many dead
links would take minutes; past this many, the list is broken wholesale and a guess per
link helps no one (numbered anchors still get their exact fix)."""
_MIN_TOC_LINKS = 2
_OFFSET_SHARE = 0.6
"""How much of a table of contents must agree on ``level - depth`` before its depth is
trusted to name a heading level."""


_README = re.compile(r"readme(?:\.[A-Za-z0-9]+)?", re.IGNORECASE)
"""The file names GitHub shows below a folder's listing (README, README.md, readme.rst ...)."""
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
_USUAL_BRANCHES = ("main", "master", "HEAD")
_BRANCH_VARIABLES = ("GITHUB_BASE_REF", "GITHUB_HEAD_REF", "GITHUB_REF_NAME")
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?")
"""``#L10``, ``#L3-L7``: GitHub's line highlights on a file page, not headings."""
_README_SECTION = "readme"
"""The id of the README box on a repository's or folder's page."""
_UNSAFE_IN_FRAGMENT = frozenset("%()<>[]\"'`#\\")


def fragment_of(url: str) -> str:
    """The decoded fragment of a ``#...`` link (without the ``#``)."""
    _, _, raw = url.partition("#")
    return unquote(raw, errors="replace")


def written_fragment(name: str) -> str:
    """``name`` as a fragment that reads back as ``name`` and can stand in a Markdown
    link: blanks, controls and characters with a meaning there are percent-encoded,
    everything else (non-ASCII letters too) stays as GitHub's own TOCs write it."""
    return "".join(
        quote(char, safe="")
        if char in _UNSAFE_IN_FRAGMENT or char.isspace() or not char.isprintable()
        else char
        for char in name
    )


def _goes_to_top(fragment: str) -> bool:
    return fragment == "" or fragment.lower() == "top"


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


@dataclass(frozen=True)
class AnchorIndex:
    """Every target a fragment can reach in one document."""

    headings: Sequence[Heading]
    by_slug: dict[str, int]
    """Final anchor -> index into ``headings``."""
    html_names: frozenset[str]
    groups: dict[str, tuple[int, ...]]
    """Anchor before numbering -> the headings sharing it, in document order."""
    bases: Sequence[str]
    """Each heading's anchor before numbering."""
    _by_level: dict[tuple[str, int | None], list[int]] = field(default_factory=dict)
    _choices: list[str] = field(default_factory=list)
    """Every anchor a fuzzy suggestion may offer, gathered on the first dead anchor."""

    @classmethod
    def of(cls, doc: Document) -> AnchorIndex:
        groups: defaultdict[str, list[int]] = defaultdict(list)
        by_slug: dict[str, int] = {}
        bases = base_slugs(heading.text for heading in doc.headings)
        for index, (heading, base) in enumerate(zip(doc.headings, bases, strict=True)):
            groups[base].append(index)
            by_slug.setdefault(heading.slug, index)  # a browser stops at the first
        return cls(
            headings=doc.headings,
            by_slug=by_slug,
            html_names=frozenset(anchor.name for anchor in doc.html_anchors),
            groups={base: tuple(members) for base, members in groups.items()},
            bases=bases,
        )

    def resolve(self, fragment: str) -> int | str | None:
        """The heading index or HTML anchor name the fragment reaches on GitHub, or None.

        A document-top fragment resolves to ``""``.
        """
        if _goes_to_top(fragment):
            return ""
        names = [fragment]
        if fragment.startswith(_GITHUB_PREFIX):
            names.append(fragment[len(_GITHUB_PREFIX) :])
        for name in names:
            for candidate in dict.fromkeys((name, name.lower())):
                if candidate in self.by_slug:
                    return self.by_slug[candidate]
                if candidate in self.html_names:
                    return candidate
        return None

    def group_of(self, heading: int) -> tuple[int, ...]:
        return self.groups[self.bases[heading]]

    def group_at_level(self, heading: int, level: int | None) -> list[int]:
        """The heading's same-text group, narrowed to one level unless ``level`` is None;
        remembered, as a long table of contents asks for the same few groups again."""
        key = (self.bases[heading], level)
        if key not in self._by_level:
            self._by_level[key] = [
                member
                for member in self.group_of(heading)
                if level is None or self.headings[member].level == level
            ]
        return self._by_level[key]

    def suggest(self, fragment: str, *, fuzzy: bool = True) -> str | None:
        """The anchor a missing fragment most likely meant, if one stands out; with
        ``fuzzy`` False, only the exact fix of a numbered anchor (``#x-1`` of one ``x``).

        Whatever is offered is checked against this same index first: a fix that would
        not resolve, or would only reach the top of the page, is never suggested.
        """
        wanted = fragment.lower()
        numbered = _NUMBERED.fullmatch(wanted)
        group = self.groups.get(numbered[1], ()) if numbered else ()
        if len(group) == 1:
            return self._verified(self.headings[group[0]].slug)
        if not fuzzy:
            return None
        if not self._choices:
            self._choices.extend(slug for slug in self.by_slug if slug)
            self._choices.extend(sorted(self.html_names))
        from rapidfuzz import fuzz, process  # only a missing anchor needs it

        best = process.extract(wanted, self._choices, scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < _FUZZY_CUTOFF:
            return None
        if len(best) > 1 and best[0][1] - best[1][1] < _FUZZY_MARGIN:
            return None
        return self._verified(str(best[0][0]))

    def _verified(self, anchor: str) -> str | None:
        target = self.resolve(anchor)
        return anchor if target is not None and target != "" else None


@offline_rule("anchor/not-found")
def anchor_not_found(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A dead in-page link: the reader clicks and the page does not move. The likely
    anchor is offered only when one stands out, so a fix is never a guess."""
    index = AnchorIndex.of(doc)
    page = SelfPage.of(doc, ctx)
    fuzzy_left = _FUZZY_BUDGET
    for link in doc.links:
        fragment = page.fragment(link)
        if fragment is None or index.resolve(fragment) is not None:
            continue
        if page.resolves_outside_headings(link, fragment):
            continue
        suggestion = index.suggest(fragment, fuzzy=fuzzy_left > 0)
        fuzzy_left -= 1
        hint = f"; did you mean #{suggestion}?" if suggestion is not None else ""
        where = "" if link.kind is LinkKind.ANCHOR else " (the link leads back to this file)"
        yield finding(
            doc,
            "anchor/not-found",
            link.line,
            link.column,
            f"no heading or HTML anchor in this file has the anchor #{fragment}{where}{hint}",
            url=link.url,
            suggestion=None if suggestion is None else with_fragment(link.url, suggestion),
        )


def with_fragment(url: str, anchor: str) -> str:
    """``url`` with its fragment replaced by ``anchor``: the rest stays as written."""
    head, _, _ = url.partition("#")
    return f"{head}#{written_fragment(anchor)}"


@dataclass(frozen=True)
class _TocEntry:
    link: Link
    depth: int
    heading: int | None
    """The heading the fragment reaches, if it reaches one."""
    unambiguous: bool
    """Reaches a heading whose text no other heading shares."""


def _tables_of_contents(doc: Document, index: AnchorIndex, page: SelfPage) -> list[list[_TocEntry]]:
    """Lists of in-page links, each a run in one top-level block, in source order."""
    runs: defaultdict[int, list[_TocEntry]] = defaultdict(list)
    for link in doc.links:
        fragment = None if link.list_depth is None else page.fragment(link)
        if fragment is None or link.list_depth is None:
            continue
        target = index.resolve(fragment)
        heading = target if isinstance(target, int) else None
        unambiguous = heading is not None and len(index.group_of(heading)) == 1
        runs[link.block].append(_TocEntry(link, link.list_depth, heading, unambiguous))
    tocs = []
    for entries in runs.values():
        if len(entries) >= _MIN_TOC_LINKS:
            tocs.append(sorted(entries, key=lambda entry: (entry.link.line, entry.link.column)))
    return tocs


def _level_offset(entries: Sequence[_TocEntry], index: AnchorIndex) -> int | None:
    """The ``heading level - list depth`` most sure entries agree on, if they agree."""
    offsets = Counter(
        index.headings[entry.heading].level - entry.depth
        for entry in entries
        if entry.unambiguous and entry.heading is not None
    )
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    if count < _MIN_TOC_LINKS or count < _OFFSET_SHARE * offsets.total():
        return None
    return offset


def _sure_neighbours(entries: Sequence[_TocEntry]) -> list[tuple[int, int | None]]:
    """For each entry, the headings of the nearest sure entries before and after it."""
    before: list[int] = []
    last = -1
    for entry in entries:
        before.append(last)
        if entry.unambiguous and entry.heading is not None:
            last = entry.heading
    after: list[int | None] = []
    following: int | None = None
    for entry in reversed(entries):
        after.append(following)
        if entry.unambiguous and entry.heading is not None:
            following = entry.heading
    return list(zip(before, reversed(after), strict=True))


def _meant_heading(
    entry: _TocEntry, window: tuple[int, int | None], offset: int | None, index: AnchorIndex
) -> int | None:
    """The one heading of the entry's same-text group its depth and place point at.

    Entries follow document order, so the heading meant lies between the headings of
    the nearest sure entries before and after it; the depth names its level.
    """
    if entry.heading is None:
        return None
    low, high = window
    by_level = index.group_at_level(entry.heading, None if offset is None else entry.depth + offset)
    start = bisect_left(by_level, low + 1)
    end = len(by_level) if high is None else bisect_left(by_level, high, lo=start)
    landed = bisect_left(by_level, entry.heading)
    fits_level = landed < len(by_level) and by_level[landed] == entry.heading
    if fits_level and (start <= landed < end or start == end):
        return None
    if end - start == 1:
        return by_level[start]
    if start == end and len(by_level) == 1:
        return by_level[0]
    return None


@offline_rule("anchor/shadowed")
def anchor_shadowed(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A table-of-contents entry that works but lands on the wrong same-named heading:
    browsers cannot see the mistake, so only the TOC's own shape can reveal it."""
    index = AnchorIndex.of(doc)
    page = SelfPage.of(doc, ctx)
    for entries in _tables_of_contents(doc, index, page):
        offset = _level_offset(entries, index)
        linked = {entry.heading for entry in entries}
        for entry, window in zip(entries, _sure_neighbours(entries), strict=True):
            if entry.heading is None or entry.unambiguous:
                continue
            meant = _meant_heading(entry, window, offset, index)
            if meant is None or meant in linked:
                continue  # a heading another entry already links is not the one missed
            landed = index.headings[entry.heading]
            target = index.headings[meant]
            yield finding(
                doc,
                "anchor/shadowed",
                entry.link.line,
                entry.link.column,
                f"#{fragment_of(entry.link.url)} lands on the {'#' * landed.level} "
                f"{landed.text.strip()!r} heading at line {landed.line}, but this "
                f"table-of-contents entry means the {'#' * target.level} "
                f"{target.text.strip()!r} heading at line {target.line}, "
                f"whose anchor is #{target.slug}",
                url=entry.link.url,
                suggestion=with_fragment(entry.link.url, target.slug),
            )
