"""The git side of PR mode: the few git commands ``--diff`` needs, and their failures as
one-line :class:`~listcheck.errors.InputError` messages that say what to do.

git is run without a shell, with a timeout, with ``core.quotepath=off`` (paths come back
as written) and ``GIT_LITERAL_PATHSPECS`` (a list named ``[draft]*.md`` is a file name,
not a glob). Nothing here writes to the repository: ``GIT_OPTIONAL_LOCKS=0`` keeps
``git diff`` from refreshing the index, so a run never races a concurrent git command.

The base of a comparison is the merge base of the given ref and ``HEAD``, as a pull
request's "Files changed" view shows it: commits that landed on the base branch after
the PR branched off are not the PR's changes. A shallow clone (``actions/checkout``
fetches a single commit by default) has no merge base; that is detected and the error
names the two fixes that work, ``fetch-depth: 0`` or ``git fetch --unshallow``.
Fetching only the base branch, even in full, is not one of them: the shallow ``HEAD``
still has no parents, so it shares no history with anything.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from listcheck.errors import InputError

GIT_TIMEOUT = 60.0
"""Seconds any one git command may take; a hung credential helper or network filesystem
must end the run with a message, not stall a CI job until its own timeout."""

_CONFIG = (
    "-c",
    "core.quotepath=off",
    "-c",
    "diff.interHunkContext=0",
    "-c",
    "color.ui=never",
)
_HUNK = re.compile(rb"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_REMOTE_BRANCH = re.compile(r"(?P<remote>origin|upstream)/(?P<branch>.+)")


def run_git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Runs ``git <args>`` in ``cwd`` and returns whatever it answered (the caller reads
    the exit status: for several commands a non-zero one is an answer, not a failure)."""
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
    env.pop("GIT_EXTERNAL_DIFF", None)
    try:
        return subprocess.run(
            ["git", *_CONFIG, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise InputError("--diff needs git, and no git executable was found on PATH") from None
    except subprocess.TimeoutExpired:
        raise InputError(
            f"git {args[0]} did not finish within {GIT_TIMEOUT:g} seconds (in {cwd})"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot run git in {cwd}: {exc.strerror or exc}") from None


def git_message(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own complaint, reduced to one line without its ``fatal:`` prefix."""
    text = result.stderr.decode("utf-8", errors="replace").strip()
    first = text.splitlines()[0] if text else f"exit status {result.returncode}"
    return re.sub(r"^(?:fatal|error): ", "", first)


def repo_root(cwd: Path) -> Path:
    """The top of the work tree holding ``cwd``."""
    result = run_git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise InputError(f"--diff: {cwd} is not inside a git work tree ({git_message(result)})")
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def is_shallow(root: Path) -> bool:
    result = run_git(["rev-parse", "--is-shallow-repository"], root)
    return result.returncode == 0 and result.stdout.strip() == b"true"


def _refspec(match: re.Match[str]) -> str:
    """``origin main:refs/remotes/origin/main``: spelled out, because a single-branch
    clone (``git clone --branch``) would fetch ``main`` without creating ``origin/main``."""
    remote, branch = match["remote"], match["branch"]
    return f"{remote} {branch}:refs/remotes/{remote}/{branch}"


def _fetch_advice(base: str) -> str:
    """The command that brings ``base`` into a clone that lacks it."""
    match = _REMOTE_BRANCH.fullmatch(base)
    if match:
        return f"run `git fetch {_refspec(match)}`"
    return "check the name (a branch, tag or commit of this repository)"


def _shallow_error(base: str, what: str) -> InputError:
    match = _REMOTE_BRANCH.fullmatch(base)
    fetch = f"git fetch --unshallow {_refspec(match)}" if match else "git fetch --unshallow"
    return InputError(
        f"--diff {base}: {what} in this shallow clone, so the changes cannot be found; "
        f"fetch the history: set `fetch-depth: 0` on actions/checkout, or run `{fetch}`"
    )


def merge_base(base: str, root: Path) -> str:
    """The commit a PR from ``HEAD`` into ``base`` is compared with, as a full hash."""
    verify = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}"], root
    )
    if verify.returncode != 0:
        if is_shallow(root):
            raise _shallow_error(base, "the base is not fetched")
        raise InputError(f"--diff {base}: unknown git ref; {_fetch_advice(base)}")
    head = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    if head.returncode != 0:
        raise InputError(f"--diff {base}: HEAD has no commit yet; commit the list first")
    found = run_git(["merge-base", "--end-of-options", base, "HEAD"], root)
    if found.returncode == 0:
        return found.stdout.decode("ascii").strip()
    if found.returncode == 1 and not found.stderr.strip():
        if is_shallow(root):
            raise _shallow_error(base, "HEAD and the base share no fetched history")
        raise InputError(f"--diff {base}: HEAD and {base} have no common history")
    raise InputError(f"--diff {base}: git merge-base failed: {git_message(found)}")


def read_blob(commit: str, path: str, root: Path) -> bytes | None:
    """The bytes of ``path`` as committed in ``commit`` (no filters, no textconv), or
    None when the commit has no such file."""
    spec = f"{commit}:{path}"
    kind = run_git(["cat-file", "-t", spec], root)
    if kind.returncode != 0 or kind.stdout.strip() != b"blob":
        return None
    result = run_git(["cat-file", "blob", spec], root)
    if result.returncode != 0:
        raise InputError(f"--diff: cannot read {spec}: {git_message(result)}")
    return result.stdout


def is_tracked(path: str, root: Path) -> bool:
    """Whether the index knows ``path`` (an untracked file is not part of any change git
    can describe; it is new as a whole)."""
    result = run_git(["ls-files", "-z", "--", path], root)
    return result.returncode == 0 and bool(result.stdout)


def rename_source(commit: str, path: str, root: Path) -> str | None:
    """The path in ``commit`` that the work tree's ``path`` was renamed from, if git's
    rename detection pairs them."""
    result = run_git(
        ["diff", "--no-ext-diff", "-M", "--name-status", "-z", "--diff-filter=R", commit],
        root,
    )
    if result.returncode != 0:
        raise InputError(f"--diff: git diff failed: {git_message(result)}")
    fields = result.stdout.split(b"\0")
    # -z --name-status: "R<score>", old, new, "R<score>", old, new, ..., ""
    for i in range(0, len(fields) - 2, 3):
        if fields[i].startswith(b"R") and os.fsdecode(fields[i + 2]) == path:
            return os.fsdecode(fields[i + 1])
    return None


def diff_unified0(commit: str, paths: Sequence[str], root: Path) -> bytes:
    """``git diff --unified=0`` from ``commit`` to the work tree for ``paths`` (the old
    and new name of a renamed file, or the one name). Line-ending-only changes are not
    changes (``--ignore-cr-at-eol``): an editor that rewrote every ending did not touch
    a single entry. ``--text``: a list that ``.gitattributes`` marks binary (or that
    holds a stray NUL) still gets hunks, never "Binary files differ"."""
    args = [
        "diff",
        "--unified=0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--text",
        "--ignore-cr-at-eol",
    ]
    if len(paths) > 1:
        args += ["-M", "--diff-filter=R"]
    result = run_git([*args, commit, "--", *paths], root)
    if result.returncode != 0:
        raise InputError(f"--diff: git diff failed: {git_message(result)}")
    return result.stdout


def hunk_headers(diff: bytes) -> list[tuple[int, int, int, int]]:
    """``(old_start, old_count, new_start, new_count)`` of every ``@@`` header, in order;
    an omitted count is 1, as in the unified format."""
    out = []
    for line in diff.split(b"\n"):
        match = _HUNK.match(line)
        if match:
            a, b, c, d = match.groups()
            out.append((int(a), 1 if b is None else int(b), int(c), 1 if d is None else int(d)))
    return out
