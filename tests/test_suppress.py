from __future__ import annotations

import pytest

from listcheck.models import Comment, Document, Finding, Severity
from listcheck.parse import parse_document
from listcheck.suppress import INVALID_SUPPRESSION, Scope, apply_suppressions, parse_directives

ENTRY = "([PDF](https://arxiv.org/abs/2404.01234))"


def parse(text: str, comments: int) -> Document:
    doc = parse_document(text, "README.md")
    assert len(doc.comments) == comments, "the parser did not find the comments the case uses"
    return doc


def f(rule: str, line: int, column: int = 3, path: str = "README.md") -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.WARNING,
        path=path,
        line=line,
        column=column,
        message=f"{rule} at {line}:{column}",
    )


def kept(doc: Document, findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [
        (x.rule, x.line, x.column)
        for x in apply_suppressions(doc, findings)
        if x.rule != INVALID_SUPPRESSION
    ]


@pytest.mark.parametrize(
    ("text", "comments", "findings", "expected"),
    [
        pytest.param(
            "# Papers\n"
            "<!-- listcheck-disable-next-line arxiv/tag-month -->\n"
            f"- 【202406】 Paper {ENTRY}\n"
            f"- 【202406】 Other {ENTRY}\n",
            1,
            [f("arxiv/tag-month", 3), f("link/broken", 3, 20), f("arxiv/tag-month", 4)],
            [("link/broken", 3, 20), ("arxiv/tag-month", 4, 3)],
            id="next-line-one-rule",
        ),
        pytest.param(
            "# Papers\n<!-- listcheck-disable-next-line -->\n- Paper\n- Other\n",
            1,
            [f("entry/no-link", 3), f("text/mojibake", 3, 9), f("entry/no-link", 4)],
            [("entry/no-link", 4, 3)],
            id="next-line-every-rule",
        ),
        pytest.param(
            "# Papers\n<!-- listcheck-disable-next-line entry/no-link -->\n\n- Paper\n",
            1,
            [f("entry/no-link", 4)],
            [("entry/no-link", 4, 3)],
            id="next-line-is-literal-a-blank-line-takes-it",
        ),
        pytest.param(
            "# Papers\n- Paper\n  <!-- listcheck-disable-next-line -->\n- Other\n",
            1,
            [f("entry/no-link", 2), f("entry/no-link", 4)],
            [("entry/no-link", 2, 3)],
            id="next-line-from-inside-a-list-item",
        ),
        pytest.param(
            "# Papers\n"
            "<!-- listcheck-disable-next-line\n"
            "     arxiv/tag-month, entry/duplicate -->\n"
            f"- 【202406】 Paper {ENTRY}\n",
            1,
            [f("arxiv/tag-month", 4), f("entry/duplicate", 4), f("arxiv/url-form", 4, 20)],
            [("arxiv/url-form", 4, 20)],
            id="next-line-after-a-multi-line-comment",
        ),
        pytest.param(
            f"# Papers\n\n- 【202406】 Paper {ENTRY} <!-- listcheck-disable-line arxiv -->\n"
            f"- 【202406】 Other {ENTRY}\n",
            1,
            [
                f("arxiv/tag-month", 3),
                f("arxiv/url-form", 3, 20),
                f("link/broken", 3, 20),
                f("arxiv/tag-month", 4),
            ],
            [("link/broken", 3, 20), ("arxiv/tag-month", 4, 3)],
            id="same-line-category",
        ),
        pytest.param(
            "| Title | Link |\n|---|---|\n"
            "| Paper <!-- listcheck-disable-line link/empty --> | [PDF]() |\n"
            "| Other | [PDF]() |\n",
            1,
            [f("link/empty", 3, 57), f("link/empty", 4, 21)],
            [("link/empty", 4, 21)],
            id="same-line-in-a-table-row",
        ),
        pytest.param(
            "# Papers\n\n"
            "<!-- listcheck-disable link/transient, github/archived -->\n"
            "- A\n- B\n"
            "<!-- listcheck-enable -->\n"
            "- C\n",
            2,
            [
                f("link/transient", 4),
                f("github/archived", 5),
                f("link/broken", 5),
                f("link/transient", 7),
            ],
            [("link/broken", 5, 3), ("link/transient", 7, 3)],
            id="range-ended-by-bare-enable",
        ),
        pytest.param(
            "- Before\n<!-- listcheck-disable entry -->\n- A\n- B\n",
            1,
            [f("entry/no-link", 1), f("entry/no-link", 3), f("entry/duplicate", 4)],
            [("entry/no-link", 1, 3)],
            id="range-to-end-of-file",
        ),
        pytest.param(
            "<!-- listcheck-disable arxiv -->\n- A\n"
            "<!-- listcheck-enable arxiv/tag-month -->\n- B\n",
            2,
            [f("arxiv/tag-month", 2), f("arxiv/tag-month", 4), f("arxiv/url-form", 4)],
            [("arxiv/tag-month", 4, 3)],
            id="enable-one-rule-inside-a-disabled-category",
        ),
        pytest.param(
            "<!-- listcheck-disable -->\n- A\n<!-- listcheck-enable link/empty -->\n- B\n",
            2,
            [f("link/empty", 2), f("link/empty", 4), f("entry/no-link", 4)],
            [("link/empty", 4, 3)],
            id="enable-one-rule-after-disabling-all",
        ),
        pytest.param(
            "<!-- listcheck-disable link/empty -->\n- A\n<!-- listcheck-enable arxiv -->\n- B\n",
            2,
            [f("link/empty", 4)],
            [],
            id="enabling-another-rule-leaves-this-one-off",
        ),
        pytest.param(
            "<!-- listcheck-disable link -->\n<!-- listcheck-disable link/empty -->\n"
            "- A\n<!-- listcheck-enable link/empty -->\n- B\n",
            3,
            [f("link/empty", 3), f("link/empty", 5), f("link/broken", 5)],
            [("link/empty", 5, 3)],
            id="repeated-disable-ends-at-first-enable",
        ),
        pytest.param(
            f"- 【202406】 A {ENTRY} <!-- listcheck-disable arxiv/ -->\n- 【202406】 B {ENTRY}\n",
            1,
            [f("arxiv/url-form", 1, 20), f("arxiv/url-form", 1, 80), f("arxiv/url-form", 2)],
            [("arxiv/url-form", 1, 20)],
            id="range-starts-where-the-comment-starts",
        ),
        pytest.param(
            "<!-- listcheck-disable-line arxiv/tag-month -- listed by conference month -->\n",
            1,
            [f("arxiv/tag-month", 1), f("arxiv/url-form", 1)],
            [("arxiv/url-form", 1, 3)],
            id="reason-after-double-dash",
        ),
        pytest.param(
            "<!-- listcheck-disable-line -- CI mirror is flaky -->\n",
            1,
            [f("link/transient", 1), f("link/broken", 1)],
            [],
            id="reason-without-rules-means-every-rule",
        ),
        pytest.param(
            "<!-- listcheck-disable arxiv -->\n- A\n",
            1,
            [f("arxiv/some-future-rule", 2)],
            [],
            id="category-covers-uncatalogued-rule",
        ),
        pytest.param(
            "<!-- TODO: add the 2025 papers -->\n<!-- listcheck is great -->\n- A\n",
            2,
            [f("entry/no-link", 3)],
            [("entry/no-link", 3, 3)],
            id="ordinary-comments-do-nothing",
        ),
        pytest.param(
            "<!-- listcheck-disable -->\n- A\n",
            1,
            [f("entry/no-link", 2, path="docs/other.md")],
            [("entry/no-link", 2, 3)],
            id="findings-of-another-file-untouched",
        ),
    ],
)
def test_suppression(
    text: str,
    comments: int,
    findings: list[Finding],
    expected: list[tuple[str, int, int]],
) -> None:
    doc = parse(text, comments)
    assert kept(doc, findings) == expected
    assert [x for x in apply_suppressions(doc, findings) if x.rule == INVALID_SUPPRESSION] == []


def test_kept_findings_are_the_same_objects_in_the_same_order() -> None:
    doc = parse("- A\n<!-- listcheck-disable-next-line link -->\n- B\n- C\n", 1)
    findings = [f("entry/no-link", 4), f("link/empty", 3), f("entry/no-link", 1)]
    out = apply_suppressions(doc, findings)
    assert out == [findings[0], findings[2]]
    assert all(a is b for a, b in zip(out, [findings[0], findings[2]], strict=True))


@pytest.mark.parametrize(
    ("text", "findings", "expected_kept", "notices"),
    [
        pytest.param(
            "<!-- listcheck-disable-next-line arxiv/tag-mnth -->\n- 【202406】 A\n",
            [f("arxiv/tag-month", 2), f("entry/no-link", 2)],
            [("arxiv/tag-month", 2, 3), ("entry/no-link", 2, 3)],
            [
                (
                    1,
                    1,
                    "unknown rule 'arxiv/tag-mnth' in a listcheck-disable-next-line comment; "
                    "it suppresses nothing (did you mean 'arxiv/tag-month'?)",
                    "arxiv/tag-month",
                )
            ],
            id="unknown-rule-never-widens-to-every-rule",
        ),
        pytest.param(
            "- A <!-- listcheck-disable-line entry/no-link, entry/dupe -->\n",
            [f("entry/no-link", 1), f("entry/duplicate", 1)],
            [("entry/duplicate", 1, 3)],
            [
                (
                    1,
                    5,
                    "unknown rule 'entry/dupe' in a listcheck-disable-line comment; "
                    "it suppresses nothing (did you mean 'entry/duplicate'?)",
                    "entry/duplicate",
                )
            ],
            id="known-rules-still-apply-beside-an-unknown-one",
        ),
        pytest.param(
            "<!-- listcheck-disable-nextline -->\n- A\n",
            [f("entry/no-link", 2)],
            [("entry/no-link", 2, 3)],
            [
                (
                    1,
                    1,
                    "unknown directive 'listcheck-disable-nextline' in a suppression comment; "
                    "it suppresses nothing (known: listcheck-disable, listcheck-enable, "
                    "listcheck-disable-line, listcheck-disable-next-line)",
                    "listcheck-disable-next-line",
                )
            ],
            id="misspelt-directive",
        ),
        pytest.param(
            "<!-- listcheck-ignore entry -->\n- A\n",
            [f("entry/no-link", 2)],
            [("entry/no-link", 2, 3)],
            [
                (
                    1,
                    1,
                    "unknown directive 'listcheck-ignore' in a suppression comment; "
                    "it suppresses nothing (known: listcheck-disable, listcheck-enable, "
                    "listcheck-disable-line, listcheck-disable-next-line)",
                    "listcheck-disable",
                )
            ],
            id="directive-from-another-tool",
        ),
    ],
)
def test_comments_that_cannot_work_are_reported(
    text: str,
    findings: list[Finding],
    expected_kept: list[tuple[str, int, int]],
    notices: list[tuple[int, int, str, str]],
) -> None:
    doc = parse(text, 1)
    out = apply_suppressions(doc, findings)
    assert [(x.rule, x.line, x.column) for x in out if x.rule != INVALID_SUPPRESSION] == (
        expected_kept
    )
    problems = [x for x in out if x.rule == INVALID_SUPPRESSION]
    assert [(x.line, x.column, x.message, x.suggestion) for x in problems] == notices
    assert all(x.severity is Severity.NOTICE and x.path == "README.md" for x in problems)
    assert out[-len(problems) :] == problems


def test_notices_are_reported_even_without_findings() -> None:
    doc = parse("<!-- listcheck-disable linkz -->\n", 1)
    (notice,) = apply_suppressions(doc, [])
    assert notice.rule == INVALID_SUPPRESSION
    assert "(did you mean 'link'?)" in notice.message


def test_comment_text_with_its_delimiters_is_understood() -> None:
    doc = Document(
        path="README.md",
        text="",
        lines=(),
        comments=(
            Comment(text="<!-- listcheck-disable-line entry -->", line=4, column=9, end_line=4),
        ),
    )
    assert kept(doc, [f("entry/no-link", 4), f("entry/no-link", 5)]) == [("entry/no-link", 5, 3)]


def test_parse_directives_in_document_order() -> None:
    doc = Document(
        path="README.md",
        text="",
        lines=(),
        comments=(
            Comment(text="listcheck-enable", line=9, column=1, end_line=9),
            Comment(text="listcheck-disable arxiv link/empty", line=2, column=1, end_line=3),
        ),
    )
    directives, problems = parse_directives(doc)
    assert problems == []
    assert [(d.scope, d.selectors, d.line) for d in directives] == [
        (Scope.DISABLE, ("arxiv", "link/empty"), 2),
        (Scope.ENABLE, None, 9),
    ]
