"""Links that lead back into the list itself from outside the ``#``: ``./#x``,
``README.md#x`` and the list's own github.com URL are held to its anchors; links to any
other page are not. The repository is laid out in tmp_path, with git's own files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from listcheck.models import Document, Finding
from listcheck.parse import parse_document
from listcheck.rules.anchor_index import AnchorIndex
from listcheck.rules.anchors import anchor_not_found
from listcheck.rules.base import LintContext
from listcheck.rules.files import (
    checked_out_branch,
    github_repository_of_remote,
    origin_repository,
)
from listcheck.rules.self_page import SelfPage
from listcheck.rules.toc import anchor_shadowed

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"
DAIR = REAL / "dair-ai__ML-Papers-of-the-Week.md"

HEADINGS = (
    "# Awesome Papers [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
    "## Intro\n\n"
    "## Week of June 23\n"
)

ORIGIN_CONFIG = """\
[core]
\trepositoryformatversion = 0
[remote "upstream"]
\turl = https://github.com/someone/else.git
[remote "origin"]
\turl = git@github.com:Owner/Repo.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
"""


@pytest.fixture(autouse=True)
def _no_actions_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_REPOSITORY", "GITHUB_BASE_REF", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)


def make_repo(root: Path, *, config: str | None = ORIGIN_CONFIG, head: str = "main") -> Path:
    (root / ".git").mkdir(parents=True)
    if config is not None:
        (root / ".git" / "config").write_text(config, encoding="utf-8")
    (root / ".git" / "HEAD").write_text(f"ref: refs/heads/{head}\n", encoding="utf-8")
    return root


def lint(folder: Path, name: str, body: str) -> list[Finding]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    doc = parse_document(body, str(folder / name))
    ctx = LintContext(root=folder)
    return list(anchor_not_found(doc, ctx)) + list(anchor_shadowed(doc, ctx))


def one_link(url: str) -> str:
    return f"- [Go]({url})\n\n{HEADINGS}"


IN_PAGE_MISSING = [
    "./#week-of-june-16",
    ".#week-of-june-16",
    "README.md#week-of-june-16",
    "./README.md#week-of-june-16",
    "/README.md#week-of-june-16",
    "https://github.com/Owner/Repo#week-of-june-16",
    "https://github.com/owner/repo/#week-of-june-16",
    "https://www.github.com/owner/repo#week-of-june-16",
    "https://github.com/owner/repo/blob/main/README.md#week-of-june-16",
    "https://github.com/owner/repo/blob/master/README.md#week-of-june-16",
    "https://github.com/owner/repo/tree/main#week-of-june-16",
    "http://github.com/owner/repo/tree/main/#week-of-june-16",
]


@pytest.mark.parametrize("url", IN_PAGE_MISSING)
def test_self_links_with_a_missing_anchor_are_errors(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo")
    (found,) = lint(repo, "README.md", one_link(url))
    assert (found.rule, found.line, found.url) == ("anchor/not-found", 1, url)
    assert "week-of-june-16" in found.message
    assert "leads back to this file" in found.message


@pytest.mark.parametrize("url", IN_PAGE_MISSING)
def test_self_links_with_an_existing_anchor_pass(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo")
    assert lint(repo, "README.md", one_link(url.replace("16", "23"))) == []


@pytest.mark.parametrize(
    "url",
    [
        "./#awesome-papers-",  # the badge heading, as GitHub anchors it
        "./#intro",
        "./#Intro",
        "./#user-content-intro",
        "./#top",
        "./#readme",  # the README box of the folder page
        "https://github.com/owner/repo#readme",
        "https://github.com/owner/repo/blob/main/README.md#L12",  # a line highlight
        "README.md#L3-L5",
        "README.md?plain=1#L3",
    ],
)
def test_self_links_github_resolves_pass(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo")
    assert lint(repo, "README.md", one_link(url)) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/owner/other#nothing-here",  # another repository
        "https://github.com/someone/else#nothing-here",  # the upstream, not origin
        "https://github.com/owner/repo/blob/v1.0/README.md#nothing-here",  # a tag: old copy
        "https://github.com/owner/repo/blob/main/docs/README.md#nothing-here",
        "https://github.com/owner/repo/issues#nothing-here",
        "https://github.com/owner/repo/blob/main/README.md?plain=1#nothing-here",
        "https://gitlab.com/owner/repo#nothing-here",
        "docs/guide.md#nothing-here",
        "../README.md#nothing-here",  # outside the repository: file/not-found's business
        "./",
        "README.md",
    ],
)
def test_links_to_other_pages_are_left_alone(tmp_path: Path, url: str) -> None:
    repo = make_repo(tmp_path / "repo")
    assert lint(repo, "README.md", one_link(url)) == []


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("./#intr", "./#intro"),
        ("README.md#awesome-papers", "README.md#awesome-papers-"),
        (
            "https://github.com/owner/repo/blob/main/README.md#week-of-june-2",
            "https://github.com/owner/repo/blob/main/README.md#week-of-june-23",
        ),
    ],
)
def test_suggestion_keeps_the_link_as_written(tmp_path: Path, url: str, suggestion: str) -> None:
    repo = make_repo(tmp_path / "repo")
    (found,) = lint(repo, "README.md", one_link(url))
    assert found.suggestion == suggestion


def test_the_badge_heading_link_is_never_broken_by_a_fix(tmp_path: Path) -> None:
    """Issue 8: ``#awesome-papers-`` works on GitHub; ``#awesome-papers`` does not."""
    repo = make_repo(tmp_path / "repo")
    assert lint(repo, "README.md", one_link("#awesome-papers-")) == []
    (found,) = lint(repo, "README.md", one_link("#awesome-papers"))
    assert found.suggestion == "#awesome-papers-"


def test_a_list_that_is_not_the_readme(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    docs = repo / "docs"
    docs.mkdir()
    (docs / "README.md").write_text("# Docs\n", encoding="utf-8")
    body = (
        "- [a](./#missing-one)\n"  # the folder page shows docs/README.md, not this list
        "- [b](papers.md#missing-two)\n"
        "- [c](https://github.com/owner/repo/blob/main/docs/papers.md#missing-three)\n"
        "- [d](https://github.com/owner/repo/tree/main/docs#missing-four)\n"
        "- [e](/docs/papers.md#intro)\n\n"
        "## Intro\n"
    )
    found = lint(docs, "papers.md", body)
    assert [f.url for f in found] == [
        "papers.md#missing-two",
        "https://github.com/owner/repo/blob/main/docs/papers.md#missing-three",
    ]


def test_a_readme_in_a_folder_is_its_tree_page(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    body = (
        "- [a](https://github.com/owner/repo/tree/main/lists#missing-one)\n"
        "- [b](https://github.com/owner/repo#missing-two)\n\n"  # the root README, not this
        "## Intro\n"
    )
    found = lint(repo / "lists", "README.md", body)
    assert [f.url for f in found] == ["https://github.com/owner/repo/tree/main/lists#missing-one"]


def test_actions_names_the_repository_and_branch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", config=None, head="x")
    monkeypatch.setenv("GITHUB_REPOSITORY", "Org/List")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    body = one_link("https://github.com/org/list/blob/develop/README.md#nothing")
    (found,) = lint(repo, "README.md", body)
    assert found.url is not None
    assert found.url.endswith("#nothing")


def test_the_checked_out_branch_counts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", head="gh-pages")
    body = one_link("https://github.com/owner/repo/blob/gh-pages/README.md#nothing")
    assert [f.url for f in lint(repo, "README.md", body)] == [
        "https://github.com/owner/repo/blob/gh-pages/README.md#nothing"
    ]
    assert checked_out_branch(repo) == "gh-pages"


def test_without_a_repository_only_relative_forms_count(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    body = "- [a](./#missing-one)\n- [b](https://github.com/owner/repo#missing-two)\n\n# T\n"
    assert [f.url for f in lint(folder, "README.md", body)] == ["./#missing-one"]


def test_a_linked_worktree_reads_the_main_config(tmp_path: Path) -> None:
    main = make_repo(tmp_path / "main")
    worktree_git = main / ".git" / "worktrees" / "wt"
    worktree_git.mkdir(parents=True)
    (worktree_git / "commondir").write_text("../..\n", encoding="utf-8")
    (worktree_git / "HEAD").write_text("ref: refs/heads/feature\n", encoding="utf-8")
    checkout = tmp_path / "wt"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {worktree_git}\n", encoding="utf-8")
    assert origin_repository(checkout) == "Owner/Repo"
    assert checked_out_branch(checkout) == "feature"


@pytest.mark.parametrize(
    "config",
    [
        "",
        "\x00\xff binary",
        '[remote "origin"]\n\turl = https://gitlab.com/owner/repo.git\n',
        '[remote "origin"]\n',
        '[remote "origin"\n\turl = git@github.com:owner/repo.git\n',
    ],
)
def test_odd_configs_mean_unknown(tmp_path: Path, config: str) -> None:
    repo = make_repo(tmp_path / "repo", config=config)
    assert origin_repository(repo) is None
    body = "- [a](https://github.com/owner/repo#missing)\n\n# T\n"
    assert lint(repo, "README.md", body) == []


def test_a_broken_gitdir_file_means_unknown(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: /nonexistent/place\n", encoding="utf-8")
    assert origin_repository(tmp_path) is None
    assert checked_out_branch(tmp_path) is None


@pytest.mark.parametrize(
    ("remote", "repository"),
    [
        ("git@github.com:Owner/Repo.git", "Owner/Repo"),
        ("https://github.com/owner/repo", "owner/repo"),
        ("https://github.com/owner/repo.git/", "owner/repo"),
        ("ssh://git@github.com/owner/my.repo.git", "owner/my.repo"),
        ("git://github.com/owner/repo-name", "owner/repo-name"),
        ("https://www.github.com/owner/repo", "owner/repo"),
        ("https://gitlab.com/owner/repo.git", None),
        ("https://github.com/owner", None),
        ("https://notgithub.com/owner/repo", None),
        ("", None),
    ],
)
def test_remote_urls(remote: str, repository: str | None) -> None:
    assert github_repository_of_remote(remote) == repository


# The real list: its table of contents links every week as ./#top-ml-papers-...
DAIR_BROKEN = [
    # The TOC entry reads "(April 7 - April 13)"; the heading at line 308 reads
    # "## Top ML Papers of the Week (April 6 - April 13) - 2025", so GitHub's anchor is
    # #top-ml-papers-of-the-week-april-6---april-13---2025 and this link goes nowhere.
    (25, 52, "./#top-ml-papers-of-the-week-april-7---april-13---2025"),
]


@pytest.mark.parametrize("name", ["README.md", DAIR.name])
def test_dair_ai_table_of_contents(tmp_path: Path, name: str) -> None:
    """130 ``./#`` links, counted by hand (``grep -o '](./#' | wc -l``); one is broken.
    Checked both as the repository's README.md and as the corpus keeps it."""
    if not DAIR.exists():
        pytest.skip(f"corpus file {DAIR} is not available")
    shutil.copyfile(DAIR, tmp_path / name)
    text = DAIR.read_text(encoding="utf-8")
    doc: Document = parse_document(text, str(tmp_path / name))
    ctx = LintContext(root=tmp_path)
    page = SelfPage.of(doc, ctx)
    in_page = [link for link in doc.links if link.url.startswith("./#")]
    assert len(in_page) == 130
    assert all(page.fragment(link) is not None for link in in_page)
    index = AnchorIndex.of(doc)
    resolving = [link for link in in_page if index.resolve(link.url[3:]) is not None]
    assert len(resolving) == 129
    found = list(anchor_not_found(doc, ctx)) + list(anchor_shadowed(doc, ctx))
    assert [(f.line, f.column, f.url) for f in found] == DAIR_BROKEN
    assert "top-ml-papers-of-the-week-june-2---june-8---2025" in {h.slug for h in doc.headings}
