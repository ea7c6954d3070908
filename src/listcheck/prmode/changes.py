"""PR mode (``--diff BASE``): check what a pull request added or changed, and report
what the change is answerable for.

A maintainer reviewing a PR that adds one paper does not want 40 annotations about
links that rotted last year, and the runner should not spend 300 requests confirming
them. So:

* :func:`changed_lines` asks git which lines of the list the change added or modified,
  comparing the file in the work tree with the file at the merge base of ``BASE`` and
  ``HEAD`` (what a PR's "Files changed" view shows, plus any uncommitted edits);
* :func:`restrict_for_online` names the links on those lines: only they are checked
  online, unchanged lines cost no network;
* :func:`select_findings` keeps findings on changed lines, plus findings elsewhere that
  the change caused -- offline findings the base version of the file did not have (a
  renamed heading breaks a table-of-contents link that nobody touched). A finding that
  was already there is the list's old debt, not this PR's.

Decisions:

* Line numbers are the parser's (CRLF, CR and LF each end a line), so they index
  :attr:`Document.lines` directly even where git, which splits at LF only, disagrees.
* A line whose only change is its line ending is unchanged (``--ignore-cr-at-eol``).
* A deleted line does not exist in the new file and does not make its neighbours
  changed (removing a paper does not make the one above it new). It is remembered in
  :attr:`ChangedLines.deleted_after`, and a deletion strictly inside a multi-line entry
  does change that entry (see :meth:`ChangedLines.touches`).
* A file the base does not have (new, untracked, or a rename git cannot pair) is
  changed on every line, and so is a file whose base version is not UTF-8 text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from listcheck.config import Config
from listcheck.errors import InputError
from listcheck.findings import finding_order
from listcheck.lint import lint_document
from listcheck.models import Document, Finding
from listcheck.parse import parse_document
from listcheck.prmode import gitdiff
from listcheck.reader import decode_list
from listcheck.rules.base import CATALOGUE, LintContext

_BREAK = re.compile(rb"\r\n|\r|\n")
_LINE_REF = re.compile(r"\bline (\d+)\b")
_DUPLICATE = re.compile(r"^same paper as line (\d+)\b")


def default_base(environ: Mapping[str, str]) -> str | None:
    """The ref ``--diff`` compares with when none is given: in a GitHub Actions run for a
    pull request (``pull_request`` or ``pull_request_target``, the events that set
    ``GITHUB_BASE_REF``), the PR's base branch as ``actions/checkout`` names its remote,
    ``origin/<base>``. Anywhere else there is no sensible default, so None.

    Whether that ref is present is git's business: a shallow checkout lacks it, and
    :func:`changed_lines` says so with the fix. Under ``pull_request_target``,
    ``actions/checkout`` checks out the base itself unless ``ref:`` names the PR head;
    the comparison is then empty and PR mode reports nothing.
    """
    if environ.get("GITHUB_ACTIONS") != "true":
        return None
    base = environ.get("GITHUB_BASE_REF", "").strip()
    return f"origin/{base}" if base else None


@dataclass(frozen=True)
class ChangedLines:
    """What a change did to one file, in the work tree's line numbers (1-based)."""

    path: Path
    base: str
    """The ref as given (``origin/main``)."""
    merge_base: str
    """The commit compared with."""
    line_count: int
    lines: frozenset[int]
    """Lines the change added or modified."""
    line_map: Mapping[int, int] = field(default_factory=dict)
    """Base line -> work-tree line, for every line the change left as it was."""
    deleted_after: frozenset[int] = frozenset()
    """Work-tree lines after which base lines were removed (0: before the first line)."""
    base_text: str | None = None
    """The file at the merge base (None: the base has no such file)."""

    def touches(self, first: int, last: int) -> bool:
        """Whether the change reaches the block on lines ``first``..``last``: a line of it
        changed, or a line between two of its lines was deleted."""
        if any(first <= line <= last for line in self.lines):
            return True
        return any(first <= after < last for after in self.deleted_after)


def changed_lines(path: Path, base: str, *, cwd: Path | None = None) -> ChangedLines:
    """The lines of ``path`` (relative to ``cwd``, if given) that the change from the
    merge base of ``base`` and ``HEAD`` to the work tree added or modified.

    git runs in ``cwd`` (default: the file's folder). Raises :class:`InputError` with one
    line when git is missing, the file is not in a git work tree, ``base`` is unknown,
    or the clone is too shallow to hold the merge base.
    """
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    path = path.parent.resolve() / path.name
    root = gitdiff.repo_root((cwd or path.parent).resolve())
    try:
        rel = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InputError(f"--diff: {path} is outside the git work tree at {root}") from None
    commit = gitdiff.merge_base(base, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    new_starts = editor_line_starts(data)
    line_count = new_starts[-1] - 1
    everything = ChangedLines(
        path=path,
        base=base,
        merge_base=commit,
        line_count=line_count,
        lines=frozenset(range(1, line_count + 1)),
    )
    source = _source_path(commit, rel, root)
    if source is None:
        return everything
    old = gitdiff.read_blob(commit, source, root)
    base_text = _decoded(old, f"{base}:{source}")
    if old is None or base_text is None:
        return everything
    diff = gitdiff.diff_unified0(commit, [source, rel] if source != rel else [rel], root)
    try:
        changed, deleted, mapping = hunk_lines(
            gitdiff.hunk_headers(diff), _git_line_count(old), _git_line_count(data)
        )
    except ValueError as exc:
        raise InputError(f"--diff: {path}: {exc} (was the file edited during the run?)") from None
    old_starts = editor_line_starts(old)
    return ChangedLines(
        path=path,
        base=base,
        merge_base=commit,
        line_count=line_count,
        lines=frozenset(_editor_lines(changed, new_starts)),
        line_map=_editor_map(mapping, old_starts, new_starts),
        deleted_after=frozenset(new_starts[a] - 1 if a else 0 for a in deleted),
        base_text=base_text,
    )


def _source_path(commit: str, rel: str, root: Path) -> str | None:
    """The file's path in ``commit``: its own name, or the name it was renamed from."""
    if not gitdiff.is_tracked(rel, root):
        return None
    if gitdiff.read_blob(commit, rel, root) is not None:
        return rel
    return gitdiff.rename_source(commit, rel, root)


def _decoded(data: bytes | None, name: str) -> str | None:
    if data is None:
        return None
    try:
        return decode_list(data, name)
    except InputError:
        return None


def _git_line_count(data: bytes) -> int:
    """Lines as git counts them: LF-terminated, plus an unterminated last one."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def editor_line_starts(data: bytes) -> list[int]:
    """For git line ``k`` (1-based), ``starts[k - 1]`` is the parser's line on which it
    begins; a final element is the parser's line count plus one.

    git splits at LF only, the parser at CRLF, CR and LF; a lone CR inside a git line
    makes it span several of the parser's lines. (CR and LF bytes never occur inside a
    UTF-8 sequence, so the bytes need no decoding.)
    """
    if not data:
        return [1]
    starts = [1]
    line = 1
    end = 0
    for match in _BREAK.finditer(data):
        line += 1
        end = match.end()
        if match.group().endswith(b"\n"):
            starts.append(line)
    if not data.endswith(b"\n"):
        starts.append(line + 1 if end < len(data) else line)
    return starts


def _editor_lines(git_lines: Iterable[int], starts: Sequence[int]) -> set[int]:
    out: set[int] = set()
    for k in git_lines:
        out.update(range(starts[k - 1], starts[k]))
    return out


def _editor_map(
    mapping: Mapping[int, int], old_starts: Sequence[int], new_starts: Sequence[int]
) -> dict[int, int]:
    out: dict[int, int] = {}
    for old, new in mapping.items():
        olds = range(old_starts[old - 1], old_starts[old])
        news = range(new_starts[new - 1], new_starts[new])
        out.update(zip(olds, news, strict=False))
    return out


def hunk_lines(
    hunks: Iterable[tuple[int, int, int, int]], old_count: int, new_count: int
) -> tuple[set[int], set[int], dict[int, int]]:
    """From ``--unified=0`` hunk headers: the new lines added or modified, the new lines
    after which old lines were deleted (0: at the top), and old -> new line for every
    line outside the hunks. Raises ValueError if the hunks do not fit the line counts.

    With no context a hunk ``-a,b +c,d`` replaces old lines ``a..a+b-1`` by new lines
    ``c..c+d-1``; a count of 0 means nothing on that side, and the start then names the
    line *after which* the hunk sits.
    """
    changed: set[int] = set()
    deleted: set[int] = set()
    mapping: dict[int, int] = {}
    old_next = new_next = 1
    for a, b, c, d in hunks:
        old_first = a if b else a + 1
        new_first = c if d else c + 1
        if old_first - old_next != new_first - new_next or old_first < old_next:
            raise ValueError("git's hunks do not fit the file")
        mapping.update(zip(range(old_next, old_first), range(new_next, new_first), strict=True))
        changed.update(range(new_first, new_first + d))
        if b and not d:
            deleted.add(new_first - 1)
        old_next, new_next = old_first + b, new_first + d
    if old_count - old_next != new_count - new_next:
        raise ValueError("git's hunks do not fit the file")
    mapping.update(zip(range(old_next, old_count + 1), range(new_next, new_count + 1), strict=True))
    return changed, deleted, mapping


def base_findings(
    changed: ChangedLines, doc_path: str, context: LintContext, config: Config
) -> list[Finding]:
    """The offline findings of the file as it was at the merge base, named ``doc_path``
    like the current one (the baseline :func:`select_findings` compares with).

    Relative links in the base version are judged against today's work tree, as the base
    tree is not checked out; a PR that deletes a linked file and leaves the link on an
    unchanged line is therefore not blamed for it.
    """
    if changed.base_text is None:
        return []
    return lint_document(parse_document(changed.base_text, doc_path), context, config)


def changed_entries(doc: Document, changed: ChangedLines) -> set[int]:
    """Indexes of the entries the change touched (a line of theirs changed, or a line
    inside them was deleted): their titles are compared with arXiv again."""
    return {i for i, e in enumerate(doc.entries) if changed.touches(e.line, e.end_line)}


def restrict_for_online(doc: Document, changed: ChangedLines) -> set[int]:
    """Indexes into ``doc.links`` of the links to check online: those whose URL is on a
    changed line, and every link of a touched entry (a changed title of a two-line entry
    needs the arXiv answer for the link below it). Nothing else costs a request."""
    entries = changed_entries(doc, changed)
    return {
        i
        for i, link in enumerate(doc.links)
        if link.line in changed.lines or (link.entry is not None and link.entry in entries)
    }


def _masked(message: str) -> str:
    """A message with its references to other lines blanked: those move when lines are
    added above them, and the finding is the same finding."""
    return _LINE_REF.sub("line #", message)


def _key(item: Finding, line: int) -> tuple[str, int, int, str | None, str]:
    return (item.rule, line, item.column, item.url, _masked(item.message))


def _needs_network(rule: str) -> bool:
    info = CATALOGUE.get(rule)
    return info is not None and info.needs_network


def select_findings(
    head: Sequence[Finding],
    base: Sequence[Finding],
    changed: ChangedLines,
    *,
    doc: Document | None = None,
) -> list[Finding]:
    """The findings of one file that the change is answerable for.

    ``head`` are the file's findings now, ``base`` the offline findings of its base
    version (:func:`base_findings`). Kept: every finding on a changed line; an offline
    finding on an unchanged line that the base does not have at the same place (same
    rule, column, URL and message, references to other lines aside); an online finding
    inside an entry the change touched, when ``doc`` (the current document) is given.
    Online findings elsewhere are dropped: the change cannot have made a remote link
    rot, and the base was never checked online to compare with.

    A new duplicate placed *before* the entry it repeats is reported by the rule at the
    old entry, on an unchanged line; it is moved to the changed line, where the author
    can act on it, naming the old entry instead.
    """
    before = Counter(
        _key(item, changed.line_map[item.line]) for item in base if item.line in changed.line_map
    )
    entry_spans = (
        [(e.line, e.end_line) for e in doc.entries if changed.touches(e.line, e.end_line)]
        if doc is not None
        else []
    )
    kept: list[Finding] = []
    for item in head:
        if item.line in changed.lines:
            kept.append(item)
        elif _needs_network(item.rule):
            if any(first <= item.line <= last for first, last in entry_spans):
                kept.append(item)
        else:
            key = _key(item, item.line)
            if before[key]:
                before[key] -= 1
            else:
                kept.append(_reanchored(item, changed, doc))
    unique = {(f.rule, f.line, f.column, f.message, f.url): f for f in kept}
    return sorted(unique.values(), key=finding_order)


def _reanchored(item: Finding, changed: ChangedLines, doc: Document | None) -> Finding:
    """A caused ``entry/duplicate`` on an unchanged line whose other copy is on a changed
    line, reported at the changed copy instead."""
    match = _DUPLICATE.match(item.message) if item.rule == "entry/duplicate" else None
    if match is None or item.line in changed.lines:
        return item
    earlier = int(match[1])
    if earlier not in changed.lines:
        return item
    column = item.column
    if doc is not None:
        column = next((e.column for e in doc.entries if e.line == earlier), column)
    message = f"same paper as line {item.line}{item.message[match.end() :]}"
    return item.model_copy(update={"line": earlier, "column": column, "message": message})
