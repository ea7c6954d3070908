"""file/not-found against a small repository laid out in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import Document, Finding, Link, LinkKind, LinkSyntax
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.rules.files import file_not_found, repository_root

FILES = [
    "README.md",
    "docs/guide.md",
    "docs/My File.md",
    "docs/résumé.md",
    "assets/logo.png",
    "Papers/index.md",
    "lists/README.md",
    "lists/sub/other.md",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout whose list lives in ``lists/``; a file sits next to it, outside."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    return root


def make_doc(*urls: str, kind: LinkKind = LinkKind.FILE) -> Document:
    return Document(
        path="lists/README.md",
        text="",
        lines=(),
        links=tuple(
            Link(
                url=url,
                line=n + 1,
                column=7,
                text_line=n + 1,
                text_column=1,
                syntax=LinkSyntax.INLINE,
                kind=kind,
            )
            for n, url in enumerate(urls)
        ),
    )


def check(root: Path, *urls: str) -> list[Finding]:
    return list(file_not_found(make_doc(*urls), LintContext(root=root)))


def test_rule_is_registered() -> None:
    assert OFFLINE_RULES["file/not-found"] is file_not_found


@pytest.mark.parametrize(
    "url",
    [
        "sub/other.md",
        "./sub/other.md",
        "sub/",
        "sub",
        "./",
        "README.md",
        "../README.md#install",
        "sub/other.md#L10",
        "../docs/guide.md",
        "../docs/",
        "../docs/My%20File.md",
        "../docs/r%C3%A9sum%C3%A9.md",
        "../docs/résumé.md",
        "/docs/guide.md",
        "/assets/logo.png?raw=true",
        "/assets/logo.png?raw=true#frag",
        "/",
        "..",
        "sub/../../docs/guide.md",
        "//cdn.example.org/x.png",  # another host, not a file
    ],
)
def test_existing_targets_pass(repo: Path, url: str) -> None:
    assert check(repo / "lists", url) == []


@pytest.mark.parametrize(
    ("url", "looked_for"),
    [
        ("sub/missing.md", "lists/sub/missing.md"),
        ("../doc/guide.md", "doc/guide.md"),
        ("/lists/missing/", "lists/missing"),
        ("/docs/guide.md/extra", "docs/guide.md/extra"),
        ("../docs/My%20File2.md", "docs/My File2.md"),
        ("docs/guide.md", "lists/docs/guide.md"),  # relative to the list, not the root
    ],
)
def test_missing_targets_are_errors(repo: Path, url: str, looked_for: str) -> None:
    (found,) = check(repo / "lists", url)
    assert found.rule == "file/not-found"
    assert found.severity.value == "error"
    assert (found.line, found.column, found.url) == (1, 7, url)
    assert looked_for in found.message
    assert found.suggestion is None


@pytest.mark.parametrize("url", ["../../outside.md", "/../outside.md", "../../../etc/passwd"])
def test_paths_leaving_the_repository_are_reported(repo: Path, url: str) -> None:
    (found,) = check(repo / "lists", url)
    assert "outside the repository" in found.message
    assert found.url == url


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("../papers/index.md", "../Papers/index.md"),
        ("../docs/my%20file.md", "../docs/My%20File.md"),
        ("/DOCS/Guide.md#intro", "/docs/guide.md#intro"),
        ("sub/OTHER.md", "sub/other.md"),
    ],
)
def test_wrong_case_is_reported_with_the_right_path(repo: Path, url: str, suggestion: str) -> None:
    (found,) = check(repo / "lists", url)
    assert "case-sensitive" in found.message
    assert found.suggestion == suggestion


def test_without_git_the_list_folder_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "sibling.md").write_text("x", encoding="utf-8")
    root = tmp_path / "docs"
    assert repository_root(root) == root.resolve()
    assert check(root, "/a.md", "a.md") == []
    (found,) = check(root, "../sibling.md")
    assert "outside the repository" in found.message


def test_repository_root_is_found_upwards(repo: Path) -> None:
    assert repository_root(repo / "lists" / "sub") == repo.resolve()
    (repo / "lists" / ".git").write_text("gitdir: elsewhere", encoding="utf-8")  # a worktree
    assert repository_root(repo / "lists" / "sub") == (repo / "lists").resolve()


def test_only_file_links_are_checked(repo: Path) -> None:
    doc = make_doc("missing.md", kind=LinkKind.WEB)
    assert list(file_not_found(doc, LintContext(root=repo / "lists"))) == []


def test_markdown_through_parser(repo: Path) -> None:
    parse = pytest.importorskip("listcheck.parse")
    text = (
        "# List\n\n"
        "- [Guide](../docs/guide.md) ![logo](/assets/logo.png?raw=true)\n"
        '- [Gone](./sub/gone.md#part) <img src="../Assets/logo.png">\n'
        "- [Out](../../outside.md)\n"
    )
    doc: Document = parse.parse_document(text, "lists/README.md")
    found = list(file_not_found(doc, LintContext(root=repo / "lists")))
    assert [(f.line, f.url, f.suggestion) for f in found] == [
        (4, "./sub/gone.md#part", None),
        (4, "../Assets/logo.png", "../assets/logo.png"),
        (5, "../../outside.md", None),
    ]
