"""PR mode on real git repositories: which lines a change touched, which links that puts
online, and which findings the change is answerable for.

Every repository is made in ``tmp_path`` with the developer's own git configuration
shut out (``core.autocrlf`` or a global ``diff.external`` would change what git says).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from listcheck.config import Config
from listcheck.errors import InputError
from listcheck.lint import lint_document
from listcheck.models import Finding, Severity
from listcheck.parse import parse_document
from listcheck.prmode import gitdiff
from listcheck.prmode.changes import (
    ChangedLines,
    base_findings,
    changed_entries,
    changed_lines,
    default_base,
    editor_line_starts,
    hunk_lines,
    restrict_for_online,
    select_findings,
)
from listcheck.rules.base import LintContext

requires_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GITHUB_BASE_REF"):
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def write(path: Path, lines: list[str], eol: str = "\n") -> None:
    path.write_bytes("".join(line + eol for line in lines).encode("utf-8"))


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def new_repo(tmp_path: Path, lines: list[str], eol: str = "\n", name: str = "repo") -> Path:
    repo = tmp_path / name
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "README.md", lines, eol)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


# -- the scenario: one PR that does a bit of everything ----------------------------------

BASE = [
    "# Awesome Papers",  # 1
    "",  # 2
    "- [Methods](#methods)",  # 3
    "- [Datasets](#datasets)",  # 4
    "- [Old section](#old-section)",  # 5  broken before the PR
    "",  # 6
    "## Methods",  # 7
    "",  # 8
    "- 【202401】Paper A ([PDF](https://arxiv.org/abs/2401.00001))",  # 9
    "- 【202402】Paper B ([PDF](https://arxiv.org/abs/2402.00002))",  # 10
    "- 【202405】Paper C ([PDF](https://arxiv.org/abs/2403.00003))",  # 11 wrong tag before
    "",  # 12
    "## Datasets",  # 13
    "",  # 14
    "- Data D ([link](https://example.org/d))",  # 15
    "- Data E ([link](https://example.org/e))",  # 16
    "- Data G ([link](https://example.org/g))",  # 17
]

HEAD = [
    "# Awesome Papers",  # 1
    "",  # 2
    "- [Methods](#methods)",  # 3
    "- [Datasets](#datasets)",  # 4  unchanged, broken by the rename on line 14
    "- [Old section](#old-section)",  # 5  unchanged, still broken
    "",  # 6
    "## Methods",  # 7
    "",  # 8
    "- 【202402】Paper B, again ([PDF](https://arxiv.org/abs/2402.00002))",  # 9 added
    "- 【202312】Paper A2 ([PDF](https://arxiv.org/abs/2401.00009))",  # 10 modified
    "- 【202402】Paper B ([PDF](https://arxiv.org/abs/2402.00002))",  # 11
    "- 【202405】Paper C ([PDF](https://arxiv.org/abs/2403.00003))",  # 12
    "",  # 13
    "## Benchmarks",  # 14 renamed
    "",  # 15
    "- Data D ([link](https://example.org/d))",  # 16
    "- Data G ([link](https://example.org/g))",  # 17 (Data E removed above it)
    "- Data F ([link](https://example.org/f))",  # 18 added
]

SCENARIO_CHANGED = frozenset({9, 10, 14, 18})


def scenario(tmp_path: Path, eol: str) -> tuple[Path, ChangedLines]:
    repo = new_repo(tmp_path, BASE, eol)
    write(repo / "README.md", HEAD, eol)
    commit_all(repo, "pr")
    return repo, changed_lines(repo / "README.md", "main")


@requires_git
@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_changed_lines_of_a_pr(tmp_path: Path, eol: str) -> None:
    repo, changed = scenario(tmp_path, eol)
    assert changed.lines == SCENARIO_CHANGED
    assert changed.deleted_after == {16}
    assert changed.line_count == len(HEAD)
    assert changed.merge_base == git(repo, "rev-parse", "main").strip()
    # unchanged lines keep their identity across the insertion above them
    assert changed.line_map[4] == 4
    assert changed.line_map[10] == 11
    assert changed.line_map[11] == 12
    assert changed.line_map[15] == 16
    assert changed.line_map[17] == 17
    assert not set(changed.line_map.values()) & changed.lines
    assert set(changed.line_map.values()) | changed.lines == set(range(1, len(HEAD) + 1))
    assert changed.base_text == "".join(line + eol for line in BASE)


def lint(text: str) -> list[Finding]:
    doc = parse_document(text, "README.md")
    return lint_document(doc, LintContext(root=Path(".")), Config())


@requires_git
@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_selected_findings_are_the_prs(tmp_path: Path, eol: str) -> None:
    repo, changed = scenario(tmp_path, eol)
    head_text = (repo / "README.md").read_bytes().decode()
    doc = parse_document(head_text, "README.md")
    head = lint(head_text)
    base = base_findings(changed, "README.md", LintContext(root=repo), Config())
    # the list's old debt is there in both runs
    assert ("anchor/not-found", 5) in {(f.rule, f.line) for f in base}
    assert ("arxiv/tag-month", 11) in {(f.rule, f.line) for f in base}
    assert ("arxiv/tag-month", 12) in {(f.rule, f.line) for f in head}

    selected = select_findings(head, base, changed, doc=doc)

    assert [(f.rule, f.line) for f in selected] == [
        ("anchor/not-found", 4),  # caused by the heading rename on line 14
        ("entry/duplicate", 9),  # the new copy, placed before the old one
        ("arxiv/tag-month", 10),  # on a modified line
    ]
    duplicate = selected[1]
    assert duplicate.message == "same paper as line 11 (arXiv 2402.00002)"
    assert duplicate.column == doc.entries[0].column
    assert all(f.line in changed.lines or f.rule == "anchor/not-found" for f in selected)


@requires_git
def test_unchanged_lines_cost_no_network(tmp_path: Path) -> None:
    repo, changed = scenario(tmp_path, "\n")
    doc = parse_document((repo / "README.md").read_text(), "README.md")
    online = restrict_for_online(doc, changed)
    assert {doc.links[i].url for i in online} == {
        "https://arxiv.org/abs/2402.00002",
        "https://arxiv.org/abs/2401.00009",
        "https://example.org/f",
    }
    assert {doc.links[i].line for i in online} == {9, 10, 18}
    assert changed_entries(doc, changed) == {0, 1, 6}


@requires_git
def test_nothing_changed_selects_nothing_and_checks_nothing(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    changed = changed_lines(repo / "README.md", "main")
    assert changed.lines == frozenset()
    assert changed.line_map == {i: i for i in range(1, len(BASE) + 1)}
    text = (repo / "README.md").read_text()
    base = base_findings(changed, "README.md", LintContext(root=repo), Config())
    assert base  # the list has old findings ...
    assert select_findings(lint(text), base, changed) == []  # ... none of them the PR's
    assert restrict_for_online(parse_document(text, "README.md"), changed) == set()


PAPERS = [
    "## Methods",
    "",
    "- Paper A ([PDF](https://arxiv.org/abs/2401.00001))",
    "- Paper B ([PDF](https://arxiv.org/abs/2402.00002))",
]
COPY_OF_A = "- Paper A, again ([PDF](https://arxiv.org/abs/2401.00001))"


@requires_git
@pytest.mark.parametrize(
    ("base", "head", "expected"),
    [
        # the usual case: the new copy comes later and the rule reports it there
        (PAPERS, [*PAPERS, COPY_OF_A], [(5, "same paper as line 3 (arXiv 2401.00001)")]),
        # the new copy comes first: reported on it, not on the old entry
        (
            PAPERS,
            [*PAPERS[:2], COPY_OF_A, *PAPERS[2:]],
            [(3, "same paper as line 4 (arXiv 2401.00001)")],
        ),
        # an old pair, and the PR only retitles its first copy: not the PR's doing
        ([*PAPERS, COPY_OF_A], [*PAPERS[:2], COPY_OF_A, PAPERS[3], COPY_OF_A], []),
        # two old entries in two sections; the PR removes the heading between them
        (
            [*PAPERS, "", "## Surveys", "", COPY_OF_A],
            [*PAPERS, "", "", COPY_OF_A],
            [(7, "same paper as line 3 (arXiv 2401.00001)")],
        ),
    ],
    ids=["new-copy-later", "new-copy-earlier", "old-pair-edited", "sections-merged"],
)
def test_duplicates_the_change_made(
    tmp_path: Path, base: list[str], head: list[str], expected: list[tuple[int, str]]
) -> None:
    repo = new_repo(tmp_path, base)
    write(repo / "README.md", head)
    changed = changed_lines(repo / "README.md", "main")
    text = (repo / "README.md").read_text()
    old = base_findings(changed, "README.md", LintContext(root=repo), Config())
    selected = select_findings(lint(text), old, changed, doc=parse_document(text, "README.md"))
    assert [(f.line, f.message) for f in selected if f.rule == "entry/duplicate"] == expected


# -- what counts as the change ----------------------------------------------------------


@requires_git
def test_base_is_the_merge_base_not_the_base_branch_tip(tmp_path: Path) -> None:
    """Commits that landed on main after the PR branched off are not the PR's changes."""
    repo = new_repo(tmp_path, BASE)
    write(repo / "README.md", [*BASE, "- Data H ([link](https://example.org/h))"])
    commit_all(repo, "pr adds H")
    git(repo, "checkout", "-q", "main")
    write(repo / "README.md", ["# Awesome Papers (2025 edition)", *BASE[1:]])
    commit_all(repo, "main retitles")
    git(repo, "checkout", "-q", "pr")
    changed = changed_lines(repo / "README.md", "main")
    assert changed.lines == {18}
    assert changed.base_text is not None
    assert changed.base_text.startswith("# Awesome Papers\n")


@requires_git
def test_uncommitted_edits_are_part_of_the_change(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    lines = list(BASE)
    lines[2] = "- [Methods and more](#methods)"
    write(repo / "README.md", lines)
    assert changed_lines(repo / "README.md", "main").lines == {3}


@requires_git
@pytest.mark.parametrize("tracked", [True, False], ids=["committed", "untracked"])
def test_a_file_the_base_lacks_is_changed_everywhere(tmp_path: Path, tracked: bool) -> None:
    repo = new_repo(tmp_path, BASE)
    write(repo / "NEW.md", BASE[:4])
    if tracked:
        commit_all(repo, "new list")
    changed = changed_lines(repo / "NEW.md", "main")
    assert changed.lines == {1, 2, 3, 4}
    assert changed.base_text is None
    assert changed.line_map == {}
    assert base_findings(changed, "NEW.md", LintContext(root=repo), Config()) == []


@requires_git
def test_a_renamed_list_is_compared_with_its_old_name(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    git(repo, "mv", "README.md", "PAPERS.md")
    lines = list(BASE)
    lines[14] = "- Data D, revised ([link](https://example.org/d2))"
    write(repo / "PAPERS.md", lines)
    commit_all(repo, "rename and edit")
    changed = changed_lines(repo / "PAPERS.md", "main")
    assert changed.lines == {15}
    assert changed.base_text == "".join(line + "\n" for line in BASE)


@requires_git
@pytest.mark.parametrize(
    ("base_eol", "head_eol"), [("\n", "\r\n"), ("\r\n", "\n")], ids=["lf-to-crlf", "crlf-to-lf"]
)
def test_a_line_ending_alone_is_not_a_change(tmp_path: Path, base_eol: str, head_eol: str) -> None:
    repo = new_repo(tmp_path, BASE, base_eol)
    lines = list(BASE)
    lines[9] = "- 【202402】Paper B, retitled ([PDF](https://arxiv.org/abs/2402.00002))"
    write(repo / "README.md", lines, head_eol)
    commit_all(repo, "editor rewrote the endings")
    assert changed_lines(repo / "README.md", "main").lines == {10}


@requires_git
@pytest.mark.parametrize(
    ("head", "expected_lines", "expected_map"),
    [
        # git sees "a\rb" as one line; the parser as lines 1 and 2
        (b"a\rB\nc\nd\n", {1, 2}, {3: 3, 4: 4}),
        (b"a\rb\nC\nd\n", {3}, {1: 1, 2: 2, 4: 4}),
        (b"x\na\rb\nc\nd\n", {1}, {1: 2, 2: 3, 3: 4, 4: 5}),
    ],
)
def test_line_numbers_are_the_parsers_where_a_lone_cr_splits_a_line(
    tmp_path: Path, head: bytes, expected_lines: set[int], expected_map: dict[int, int]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_bytes(b"a\rb\nc\nd\n")
    commit_all(repo, "base")
    (repo / "README.md").write_bytes(head)
    changed = changed_lines(repo / "README.md", "main")
    assert changed.lines == expected_lines
    assert changed.line_map == expected_map
    assert changed.line_count == len(parse_document(head.decode(), "README.md").lines)


@requires_git
@pytest.mark.parametrize("name", ["论文 列表.md", "[draft] *.md", "-n.md"])
def test_file_names_git_would_quote_or_glob(tmp_path: Path, name: str) -> None:
    repo = new_repo(tmp_path, BASE)
    write(repo / name, BASE[:4])
    write(repo / "decoy.md", BASE[:4])  # what "[draft] *.md" would match as a glob
    commit_all(repo, "more lists")
    git(repo, "branch", "-f", "main", "HEAD")
    write(repo / name, [BASE[0], "", "- [Methods and more](#methods)", BASE[3]])
    changed = changed_lines(repo / name, "main")
    assert changed.lines == {3}
    assert changed.base_text == "".join(line + "\n" for line in BASE[:4])


@requires_git
@pytest.mark.parametrize("attributes", ["*.md -diff\n", "*.md binary\n", "*.md diff=nope\n"])
def test_attributes_do_not_hide_the_hunks(tmp_path: Path, attributes: str) -> None:
    repo = new_repo(tmp_path, BASE)
    (repo / ".gitattributes").write_text(attributes)
    git(repo, "config", "diff.nope.textconv", "false")
    git(repo, "config", "diff.nope.command", "false")
    lines = list(BASE)
    lines[2] = "- [Methods and more](#methods)"
    write(repo / "README.md", lines)
    assert changed_lines(repo / "README.md", "main").lines == {3}


@requires_git
def test_path_relative_to_cwd_and_git_run_from_a_subfolder(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    (repo / "docs").mkdir()
    write(repo / "docs" / "list.md", BASE[:3])
    commit_all(repo, "docs list on the base branch too")
    git(repo, "branch", "-f", "main", "HEAD")
    write(repo / "docs" / "list.md", [*BASE[:3], "- [More](#more)"])
    changed = changed_lines(Path("docs/list.md"), "main", cwd=repo)
    assert changed.lines == {4}
    assert changed.path == (repo / "docs" / "list.md").resolve()


# -- errors: one line that says what to do ----------------------------------------------


@requires_git
def test_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    write(plain / "README.md", BASE)
    with pytest.raises(InputError, match=r"is not inside a git work tree") as info:
        changed_lines(plain / "README.md", "origin/main")
    assert "\n" not in str(info.value)


@requires_git
@pytest.mark.parametrize(
    ("ref", "advice"),
    [
        ("origin/main", "run `git fetch origin main:refs/remotes/origin/main`"),
        ("upstream/dev", "run `git fetch upstream dev:refs/remotes/upstream/dev`"),
        ("no-such-branch", "check the name"),
        ("--output=x", "check the name"),
    ],
)
def test_unknown_ref(tmp_path: Path, ref: str, advice: str) -> None:
    repo = new_repo(tmp_path, BASE)
    with pytest.raises(InputError, match="unknown git ref") as info:
        changed_lines(repo / "README.md", ref)
    assert advice in str(info.value)
    assert not (repo / "x").exists()


@requires_git
@pytest.mark.parametrize("fetch_base", [False, True], ids=["base-absent", "base-fetched-shallow"])
def test_shallow_clone_without_the_merge_base(tmp_path: Path, fetch_base: bool) -> None:
    """What actions/checkout leaves by default: one commit, no history, maybe no base."""
    origin = new_repo(tmp_path, BASE, name="origin")
    write(origin / "README.md", HEAD)
    commit_all(origin, "pr")
    git(origin, "checkout", "-q", "main")
    write(origin / "NOTES.md", ["main moved on"])
    commit_all(origin, "main moves on")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", origin.as_uri(), str(clone))
    if fetch_base:
        git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    with pytest.raises(InputError, match="shallow clone") as info:
        changed_lines(clone / "README.md", "origin/main")
    message = str(info.value)
    assert "`fetch-depth: 0`" in message
    fetch = "git fetch --unshallow origin main:refs/remotes/origin/main"
    assert f"`{fetch}`" in message
    assert "\n" not in message
    # and the advice works, even in a single-branch clone
    git(clone, *fetch.split()[1:], "-q")
    assert changed_lines(clone / "README.md", "origin/main").lines == SCENARIO_CHANGED


@requires_git
def test_no_common_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    git(repo, "checkout", "-q", "--orphan", "other")
    commit_all(repo, "unrelated")
    with pytest.raises(InputError, match="HEAD and pr have no common history"):
        changed_lines(repo / "README.md", "pr")


@requires_git
def test_file_outside_the_work_tree(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, BASE)
    outside = tmp_path / "elsewhere.md"
    write(outside, BASE)
    with pytest.raises(InputError, match="outside the git work tree"):
        changed_lines(outside, "main", cwd=repo)


def test_git_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    write(tmp_path / "README.md", BASE)
    with pytest.raises(InputError, match="no git executable was found on PATH"):
        changed_lines(tmp_path / "README.md", "origin/main")


@pytest.mark.skipif(
    os.name != "posix" or shutil.which("sleep") is None, reason="a shell-script stand-in for git"
)
def test_git_that_hangs_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 5\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(gitdiff, "GIT_TIMEOUT", 0.2)
    write(tmp_path / "README.md", BASE)
    with pytest.raises(InputError, match=r"git rev-parse did not finish within 0\.2 seconds"):
        changed_lines(tmp_path / "README.md", "origin/main")


# -- default base -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_BASE_REF": "main",
            },
            "origin/main",
        ),
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_EVENT_NAME": "pull_request_target",
                "GITHUB_BASE_REF": "release/2.x",
            },
            "origin/release/2.x",
        ),
        # a push or a schedule sets GITHUB_BASE_REF empty
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_BASE_REF": ""}, None),
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule"}, None),
        # outside Actions a stray variable means nothing
        ({"GITHUB_BASE_REF": "main"}, None),
        ({}, None),
    ],
)
def test_default_base(environ: dict[str, str], expected: str | None) -> None:
    assert default_base(environ) == expected


# -- the pieces without git -------------------------------------------------------------


@pytest.mark.parametrize(
    ("hunks", "old_count", "new_count", "changed", "deleted", "mapped"),
    [
        ([], 3, 3, set(), set(), {1: 1, 2: 2, 3: 3}),
        ([(2, 1, 2, 1)], 3, 3, {2}, set(), {1: 1, 3: 3}),  # modified
        ([(1, 0, 2, 2)], 3, 5, {2, 3}, set(), {1: 1, 2: 4, 3: 5}),  # added after line 1
        ([(0, 0, 1, 1)], 2, 3, {1}, set(), {1: 2, 2: 3}),  # added at the top
        ([(2, 2, 1, 0)], 4, 2, set(), {1}, {1: 1, 4: 2}),  # deleted lines 2-3
        ([(1, 1, 0, 0)], 2, 1, set(), {0}, {2: 1}),  # deleted the first line
        ([(0, 0, 1, 2)], 0, 2, {1, 2}, set(), {}),  # a new file
        ([(1, 1, 1, 1), (3, 0, 4, 1)], 3, 4, {1, 4}, set(), {2: 2, 3: 3}),
    ],
)
def test_hunk_lines(
    hunks: list[tuple[int, int, int, int]],
    old_count: int,
    new_count: int,
    changed: set[int],
    deleted: set[int],
    mapped: dict[int, int],
) -> None:
    assert hunk_lines(hunks, old_count, new_count) == (changed, deleted, mapped)


@pytest.mark.parametrize(
    ("hunks", "old_count", "new_count"),
    [
        ([(2, 1, 2, 1)], 3, 4),  # the file has a line the hunks do not explain
        ([(2, 1, 3, 1)], 3, 4),  # unequal unchanged stretch before the hunk
        ([(3, 1, 3, 1), (2, 1, 2, 1)], 3, 3),  # hunks out of order
    ],
)
def test_hunks_that_do_not_fit_are_refused(
    hunks: list[tuple[int, int, int, int]], old_count: int, new_count: int
) -> None:
    with pytest.raises(ValueError, match="do not fit"):
        hunk_lines(hunks, old_count, new_count)


def test_hunk_headers_with_omitted_counts() -> None:
    diff = (
        b"diff --git a/R.md b/R.md\n--- a/R.md\n+++ b/R.md\n"
        b"@@ -3 +3 @@ ## Methods\n-old\n+new\n@@ -7,0 +8,2 @@\n+@@ -1 +1 @@\n+x\n"
    )
    assert gitdiff.hunk_headers(diff) == [(3, 1, 3, 1), (7, 0, 8, 2)]


@pytest.mark.parametrize(
    ("data", "starts"),
    [
        (b"", [1]),
        (b"a\n", [1, 2]),
        (b"a", [1, 2]),
        (b"a\r\nb\r\n", [1, 2, 3]),
        (b"a\rb\nc", [1, 3, 4]),
        (b"a\rb\r", [1, 3]),
        (b"\n\n", [1, 2, 3]),
    ],
)
def test_editor_line_starts(data: bytes, starts: list[int]) -> None:
    assert editor_line_starts(data) == starts
    assert starts[-1] - 1 == len(parse_document(data.decode(), "R.md").lines)


def finding(rule: str, line: int, message: str = "m", column: int = 3) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.WARNING,
        path="README.md",
        line=line,
        column=column,
        message=message,
        url=None,
    )


TWO_LINE_ENTRY = "\n".join(
    [
        "## Methods",  # 1
        "",  # 2
        "- **Big** Paper A",  # 3  title changed
        "  ([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/a/b))",  # 4
        "- Paper B [PDF](https://arxiv.org/abs/2402.00002)",  # 5
        "- Paper C [PDF](https://arxiv.org/abs/2403.00003)",  # 6
        "",
    ]
)


def two_line_change(lines: Iterable[int], deleted: Iterable[int] = ()) -> ChangedLines:
    return ChangedLines(
        path=Path("README.md"),
        base="main",
        merge_base="0" * 40,
        line_count=6,
        lines=frozenset(lines),
        line_map={i: i for i in range(1, 7) if i not in lines},
        deleted_after=frozenset(deleted),
        base_text="",
    )


def test_a_changed_title_puts_its_entrys_links_online() -> None:
    doc = parse_document(TWO_LINE_ENTRY, "README.md")
    online = restrict_for_online(doc, two_line_change({3}))
    assert {doc.links[i].url for i in online} == {
        "https://arxiv.org/abs/2401.00001",
        "https://github.com/a/b",
    }


@pytest.mark.parametrize(
    ("deleted", "entries"),
    [({3}, {0}), ({4}, set()), ({0}, set())],
    ids=["inside-the-entry", "after-the-entry", "at-the-top"],
)
def test_a_deletion_touches_only_the_entry_it_is_inside(
    deleted: set[int], entries: set[int]
) -> None:
    doc = parse_document(TWO_LINE_ENTRY, "README.md")
    assert changed_entries(doc, two_line_change(set(), deleted)) == entries


@pytest.mark.parametrize(
    ("item", "with_doc", "kept"),
    [
        (finding("arxiv/title-mismatch", 3), True, True),  # title line of the touched entry
        (finding("github/not-found", 4), True, True),  # changed line
        (finding("arxiv/title-mismatch", 3), False, False),  # without the doc: lines only
        (finding("link/broken", 5), True, False),  # an untouched entry's rotten link
        (finding("link/broken", 6), True, False),
        (finding("entry/no-link", 5), True, True),  # offline, not in the base: caused
    ],
)
def test_online_findings_only_where_the_change_reached(
    item: Finding, with_doc: bool, kept: bool
) -> None:
    doc = parse_document(TWO_LINE_ENTRY, "README.md")
    changed = two_line_change({4})
    selected = select_findings([item], [], changed, doc=doc if with_doc else None)
    assert (selected == [item]) is kept


def test_old_findings_are_matched_by_count_and_moved_line_references() -> None:
    changed = ChangedLines(
        path=Path("README.md"),
        base="main",
        merge_base="0" * 40,
        line_count=12,
        lines=frozenset({1, 2}),
        line_map={i: i + 2 for i in range(1, 11)},
    )
    base = [
        finding("anchor/not-found", 4, "#x: no such heading"),
        finding("anchor/not-found", 4, "#x: no such heading"),
        finding("anchor/shadowed", 6, "lands on heading at line 8, meant line 9"),
    ]
    head = [
        finding("anchor/not-found", 6, "#x: no such heading"),
        finding("anchor/not-found", 6, "#x: no such heading"),
        finding("anchor/not-found", 6, "#x: no such heading"),  # one more than before
        finding("anchor/shadowed", 8, "lands on heading at line 10, meant line 11"),
        finding("anchor/not-found", 8, "#y: no such heading"),  # a new message
        finding("anchor/not-found", 6, "#x: no such heading", column=9),  # another column
    ]
    assert [(f.line, f.column, f.message) for f in select_findings(head, base, changed)] == [
        (6, 3, "#x: no such heading"),
        (6, 9, "#x: no such heading"),
        (8, 3, "#y: no such heading"),
    ]
