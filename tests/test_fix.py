"""``--fix``: safe edits only, exactly at their spans, and a write that is all or nothing.

The fixtures are shaped like the corpus lists (【YYYYMM】 tags, ``[[PDF](...)]``,
tables, reference definitions, a centred HTML banner). Each fix test checks the
text it produces literally, that no byte outside an edit span moved, and that the
fixed text parses to the same entries and links with only the fixed ones changed.
"""

from __future__ import annotations

import errno
import html
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from listcheck.config import Config
from listcheck.errors import InputError
from listcheck.fix.apply import Edit, apply_edits, unified_diff
from listcheck.fix.plan import plan_fixes
from listcheck.fix.write import write_fixed
from listcheck.lint import lint_document
from listcheck.models import Document, Finding
from listcheck.parse import parse_document
from listcheck.reader import read_list
from listcheck.rules.base import LintContext, finding

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MIB = 1 << 20
ENDING = re.compile(rb"\r\n|\r|\n")

Findings = Callable[[Document], list[Finding]]


# --- how findings are made: the offline lint, or the judge's shape for online rules ---


def lint(doc: Document) -> list[Finding]:
    return lint_document(doc, LintContext(root=Path(".")), Config())


def offline(rule: str) -> Findings:
    return lambda doc: [f for f in lint(doc) if f.rule == rule]


def at_links(rule: str, url: str, suggestion: str | None) -> Findings:
    """One finding per link citing ``url``, as the judge reports remote answers."""

    def make(doc: Document) -> list[Finding]:
        found = [
            finding(
                doc, rule, link.line, link.column, "remote", url=link.url, suggestion=suggestion
            )
            for link in doc.links
            if link.url == url
        ]
        assert found, f"fixture has no link {url}"
        return found

    return make


def renamed(url: str, new: str) -> Findings:
    return at_links("github/renamed", url, new)


def moved(url: str, new: str) -> Findings:
    return at_links("link/moved", url, new)


def title(rule: str, listed: str, suggestion: str) -> Findings:
    def make(doc: Document) -> list[Finding]:
        entry = next(e for e in doc.entries if e.title == listed)
        line = entry.title_line or entry.line
        column = entry.title_column or entry.column
        return [finding(doc, rule, line, column, "title", suggestion=suggestion)]

    return make


def typo(listed: str, suggestion: str) -> Findings:
    return title("arxiv/title-typo", listed, suggestion)


def both(*makers: Findings) -> Findings:
    return lambda doc: [f for make in makers for f in make(doc)]


# --- what every fix must keep ------------------------------------------------------------


def byte_offset(data: bytes, line: int, column: int) -> int:
    """Independent of the code under test: byte offset of a (line, code-point column)."""
    starts = [0, *(m.end() for m in ENDING.finditer(data))]
    start = starts[line - 1]
    end = ENDING.search(data, start)
    text = data[start : end.start() if end else len(data)].decode()
    return start + len(text[: column - 1].encode())


def assert_only_spans_changed(before: str, after: str, edits: Sequence[Edit]) -> None:
    """Every byte outside the edit spans is the same byte, in the same order."""
    old, new = before.encode(), after.encode()
    delta = cursor = 0
    for edit in sorted(edits, key=lambda e: (e.line, e.column)):
        start = byte_offset(old, edit.line, edit.column)
        end = start + len(edit.old_text.encode())
        assert old[start:end] == edit.old_text.encode()
        assert new[cursor + delta : start + delta] == old[cursor:start]
        assert new[start + delta : start + delta + len(edit.new_text.encode())] == (
            edit.new_text.encode()
        )
        delta += len(edit.new_text.encode()) - (end - start)
        cursor = end
    assert new[cursor + delta :] == old[cursor:]
    assert len(new) == len(old) + delta


def assert_reparses_the_same(before: Document, after_text: str, edits: Sequence[Edit]) -> None:
    after = parse_document(after_text, before.path)
    assert len(after.entries) == len(before.entries)
    assert len(after.links) == len(before.links)
    fixed_titles = {e.old_text: e.new_text for e in edits if e.findings[0].url is None}
    for old_entry, new_entry in zip(before.entries, after.entries, strict=True):
        if old_entry.title != new_entry.title:
            assert old_entry.title is not None
            assert new_entry.title == fixed_titles[old_entry.title]
    fixed = {f.url for e in edits for f in e.findings if f.url}
    for old_link, new_link in zip(before.links, after.links, strict=True):
        if old_link.url not in fixed:
            assert new_link.url == old_link.url


def fix(text: str, make: Findings, *, titles: bool = False) -> tuple[str, list[Edit], Document]:
    doc = parse_document(text, "README.md")
    edits = list(plan_fixes(doc, make(doc), titles=titles).edits)
    return apply_edits(text, edits), edits, doc


# --- fixes that are made ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    text: str
    make: Findings
    expected: str
    titles: bool = False


FIXED = {
    "arxiv-ftp-and-www": Case(
        "## LLM Unlearning\n"
        "- 【202311】Knowledge Unlearning for LLMs "
        "[[PDF](https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf)] \n"
        "- 【202502】Modality-Aware Neuron Pruning ([PDF](https://www.arxiv.org/abs/2502.15910))\n",
        offline("arxiv/url-form"),
        "## LLM Unlearning\n"
        "- 【202311】Knowledge Unlearning for LLMs [[PDF](https://arxiv.org/pdf/2311.15766)] \n"
        "- 【202502】Modality-Aware Neuron Pruning ([PDF](https://arxiv.org/abs/2502.15910))\n",
    ),
    "arxiv-fragment-and-query-kept": Case(
        "- 【202401】TOFU ([PDF](http://arxiv.org/pdf/2401.06121v2.pdf#page=3), "
        "[abs](https://export.arxiv.org/abs/2401.06121?context=cs))\n",
        offline("arxiv/url-form"),
        "- 【202401】TOFU ([PDF](https://arxiv.org/pdf/2401.06121v2#page=3), "
        "[abs](https://arxiv.org/abs/2401.06121?context=cs))\n",
    ),
    "two-findings-on-one-line": Case(
        "- 【202310】Large Language Model Unlearning ([PDF](http://arxiv.org/abs/2310.10683), "
        "[code](https://github.com/kevinyao/llm_unlearn))\n",
        both(
            offline("arxiv/url-form"),
            renamed(
                "https://github.com/kevinyao/llm_unlearn", "https://github.com/kyao/llm_unlearn"
            ),
        ),
        "- 【202310】Large Language Model Unlearning ([PDF](https://arxiv.org/abs/2310.10683), "
        "[code](https://github.com/kyao/llm_unlearn))\n",
    ),
    "emoji-and-cjk-before-the-span": Case(
        "- 👩‍🔬🔥【202402】《大模型遗忘》 Rethinking Unlearning ([PDF](http://arxiv.org/abs/2402.08787))\n",
        offline("arxiv/url-form"),
        "- 👩‍🔬🔥【202402】《大模型遗忘》 Rethinking Unlearning ([PDF](https://arxiv.org/abs/2402.08787))\n",
    ),
    "reference-definition-cited-twice": Case(
        "- 【202401】TOFU: A Task of Fictitious Unlearning [[code][tofu]]\n"
        "- 【202403】TOFU leaderboard [[code][tofu]]\n\n"
        '[tofu]: https://github.com/locuslab/tofu "TOFU"\n',
        renamed("https://github.com/locuslab/tofu", "https://github.com/locuslab/open-unlearning"),
        "- 【202401】TOFU: A Task of Fictitious Unlearning [[code][tofu]]\n"
        "- 【202403】TOFU leaderboard [[code][tofu]]\n\n"
        '[tofu]: https://github.com/locuslab/open-unlearning "TOFU"\n',
    ),
    "angle-bracket-reference-definition": Case(
        "- WMDP benchmark [[site][wmdp]]\n\n[wmdp]: <http://wmdp.example.org/>\n",
        moved("http://wmdp.example.org/", "https://www.wmdp.ai/"),
        "- WMDP benchmark [[site][wmdp]]\n\n[wmdp]: <https://www.wmdp.ai/>\n",
    ),
    "html-href-with-entities": Case(
        '<p align="center"><a href="https://github.com/old/repo?tab=readme&amp;x=1">repo</a></p>\n',
        renamed(
            "https://github.com/old/repo?tab=readme&x=1",
            "https://github.com/new/repo?tab=readme&x=1",
        ),
        '<p align="center"><a href="https://github.com/new/repo?tab=readme&amp;x=1">repo</a></p>\n',
    ),
    "html-single-quoted-href": Case(
        "- Demo <a href='https://example.org/demo' target=_blank>demo</a> of a paper\n",
        moved("https://example.org/demo", "https://demo.example.org/"),
        "- Demo <a href='https://demo.example.org/' target=_blank>demo</a> of a paper\n",
    ),
    "autolink-and-bare-url": Case(
        "- Code: <https://github.com/a/unlearn> and https://github.com/a/unlearn.\n",
        renamed("https://github.com/a/unlearn", "https://github.com/b/unlearn"),
        "- Code: <https://github.com/b/unlearn> and https://github.com/b/unlearn.\n",
    ),
    "same-url-at-three-places": Case(
        "- A ([code](https://github.com/o/r))\n- B ([code](https://github.com/o/r))\n"
        "| Title | Code |\n|---|---|\n| C paper here | [code](https://github.com/o/r) |\n",
        renamed("https://github.com/o/r", "https://github.com/o/r2"),
        "- A ([code](https://github.com/o/r2))\n- B ([code](https://github.com/o/r2))\n"
        "| Title | Code |\n|---|---|\n| C paper here | [code](https://github.com/o/r2) |\n",
    ),
    "moved-keeps-the-fragment": Case(
        "- Project page ([site](http://old.example.org/p#results))\n",
        moved("http://old.example.org/p#results", "https://new.example.org/p"),
        "- Project page ([site](https://new.example.org/p#results))\n",
    ),
    "title-typo": Case(
        "- 【202401】TOFU: A Task of Ficticious Unlearning for LLMs [[PDF](https://arxiv.org/abs/2401.06121)]\n",
        typo(
            "TOFU: A Task of Ficticious Unlearning for LLMs",
            "TOFU: A Task of Fictitious Unlearning for LLMs",
        ),
        "- 【202401】TOFU: A Task of Fictitious Unlearning for LLMs [[PDF](https://arxiv.org/abs/2401.06121)]\n",
        titles=True,
    ),
    "title-typo-keeps-venue-tag": Case(
        "- Large Langauge Model Unlearning (NeurIPS 2024) ([PDF](https://arxiv.org/abs/2310.10683))\n",
        # The venue in parentheses is not part of the title, so the fix leaves it alone.
        typo("Large Langauge Model Unlearning", "Large Language Model Unlearning"),
        "- Large Language Model Unlearning (NeurIPS 2024) ([PDF](https://arxiv.org/abs/2310.10683))\n",
        titles=True,
    ),
    "title-typo-in-table": Case(
        "| Title | Venue | Links |\n|---|---|---|\n"
        "| Who's Harry Potter? Aproximate Unlearning in LLMs | arXiv "
        "| [PDF](https://arxiv.org/abs/2310.02238) |\n",
        typo(
            "Who's Harry Potter? Aproximate Unlearning in LLMs",
            "Who's Harry Potter? Approximate Unlearning in LLMs",
        ),
        "| Title | Venue | Links |\n|---|---|---|\n"
        "| Who's Harry Potter? Approximate Unlearning in LLMs | arXiv "
        "| [PDF](https://arxiv.org/abs/2310.02238) |\n",
        titles=True,
    ),
    "title-and-url-on-one-line": Case(
        "- Machine Unlearnig of LLMs ([PDF](http://arxiv.org/abs/2402.08787))\n",
        both(
            typo("Machine Unlearnig of LLMs", "Rethinking Machine Unlearning for LLMs"),
            offline("arxiv/url-form"),
        ),
        "- Rethinking Machine Unlearning for LLMs ([PDF](https://arxiv.org/abs/2402.08787))\n",
        titles=True,
    ),
}


@pytest.mark.parametrize("case", FIXED.values(), ids=FIXED.keys())
def test_fixes_exactly_the_intended_spans(case: Case) -> None:
    doc = parse_document(case.text, "README.md")
    findings = case.make(doc)
    plan = plan_fixes(doc, findings, titles=case.titles)
    after = apply_edits(case.text, plan.edits)
    assert after == case.expected
    assert_only_spans_changed(case.text, after, plan.edits)
    assert_reparses_the_same(doc, after, plan.edits)
    assert plan.skipped == ()
    assert sorted(map(id, plan.fixed)) == sorted(map(id, findings))


@pytest.mark.parametrize("case", FIXED.values(), ids=FIXED.keys())
def test_a_second_run_finds_nothing_to_fix(case: Case) -> None:
    after, edits, _ = fix(case.text, case.make, titles=case.titles)
    again = parse_document(after, "README.md")
    fixed = {(f.rule, f.url) for e in edits for f in e.findings}
    assert not [f for f in lint(again) if (f.rule, f.url) in fixed]
    for edit in edits:
        if edit.findings[0].url is not None:  # the new URL stands on the old one's line
            on_line = {link.url for link in again.links if link.line == edit.line}
            assert html.unescape(edit.new_text) in on_line
            assert edit.findings[0].url not in on_line
    # and fixing the fixed text again is a no-op
    assert plan_fixes(again, [f for f in lint(again) if f.rule == "arxiv/url-form"]).edits == ()


def test_the_reference_definition_gets_one_edit_for_both_citations() -> None:
    case = FIXED["reference-definition-cited-twice"]
    doc = parse_document(case.text, "README.md")
    findings = case.make(doc)
    assert len(findings) == 2
    [edit] = list(plan_fixes(doc, findings).edits)
    assert (edit.line, edit.column) == (4, 9)
    assert len(edit.findings) == 2


def test_one_edit_per_place_for_a_repeated_url() -> None:
    case = FIXED["same-url-at-three-places"]
    _, edits, _ = fix(case.text, case.make)
    assert [(e.line, e.column) for e in edits] == [(1, 13), (2, 13), (5, 25)]


# --- line endings, BOM, trailing blanks ---------------------------------------------------

LINES = [
    "# Awesome GenAI Unlearning  ",
    "",
    "## LLM Unlearning",
    "- 【202402】Rethinking Machine Unlearning [[PDF](http://arxiv.org/abs/2402.08787)]  ",
    "- 【202401】TOFU ([PDF](https://arxiv.org/abs/2401.06121), [code](https://github.com/locuslab/tofu))\t",
    "- 【202311】Knowledge Unlearning [[PDF](https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf)]",
]


@pytest.mark.parametrize(
    "endings",
    [
        pytest.param(["\n"] * 6, id="lf"),
        pytest.param(["\r\n"] * 6, id="crlf"),
        pytest.param(["\r"] * 6, id="cr"),
        pytest.param(["\r\n", "\n", "\r", "\r\n", "\n", ""], id="mixed-no-final-newline"),
        pytest.param(["\n", "\n\r", "\r\n", "\r", "\r\n", "\r\n"], id="lf-cr-pair-is-two-endings"),
    ],
)
def test_line_endings_and_trailing_blanks_survive(endings: list[str]) -> None:
    text = "".join(line + end for line, end in zip(LINES, endings, strict=True))
    make = both(
        offline("arxiv/url-form"),
        renamed("https://github.com/locuslab/tofu", "https://github.com/locuslab/open-unlearning"),
    )
    after, edits, doc = fix(text, make)
    assert len(edits) == 3
    expected = (
        text.replace("http://arxiv.org/abs/2402.08787", "https://arxiv.org/abs/2402.08787")
        .replace("github.com/locuslab/tofu", "github.com/locuslab/open-unlearning")
        .replace("arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf", "arxiv.org/pdf/2311.15766")
    )
    assert after == expected
    assert ENDING.findall(after.encode()) == ENDING.findall(text.encode())
    assert_only_spans_changed(text, after, edits)
    assert_reparses_the_same(doc, after, edits)


def test_bom_and_crlf_are_written_back(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    raw = ("\r\n".join(LINES) + "\r\n").encode()
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    text = read_list(path, MIB)
    doc = parse_document(text, str(path))
    new_text = apply_edits(text, list(plan_fixes(doc, lint(doc)).edits))
    write_fixed(path, new_text, original=text)
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert written[3:] == new_text.encode()
    assert written.count(b"\r\n") == raw.count(b"\r\n") == len(LINES)
    assert b"https://arxiv.org/pdf/2311.15766" in written
    assert read_list(path, MIB) == new_text


def test_no_bom_is_added(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"- [PDF](http://arxiv.org/abs/2402.08787)\n")
    text = read_list(path, MIB)
    doc = parse_document(text, str(path))
    write_fixed(path, apply_edits(text, list(plan_fixes(doc, lint(doc)).edits)), original=text)
    assert path.read_bytes() == b"- [PDF](https://arxiv.org/abs/2402.08787)\n"


# --- fixes that are refused ---------------------------------------------------------------

ONE = (
    "- 【202401】TOFU ([PDF](http://arxiv.org/abs/2401.06121), [code](https://github.com/o/tofu))\n"
)


@dataclass(frozen=True)
class Refusal:
    text: str
    make: Findings
    reason: str
    titles: bool = False


def stale(make: Findings) -> Findings:
    """Findings computed on ``ONE``, planned against a document that has since changed."""
    return lambda _doc: make(parse_document(ONE, "README.md"))


REFUSED = {
    "stale-url-edited-since": Refusal(
        ONE.replace("github.com/o/tofu", "github.com/o/tofu-v2"),
        stale(renamed("https://github.com/o/tofu", "https://github.com/n/tofu")),
        "is now 'https://github.com/o/tofu-v2' (the finding is stale)",
    ),
    "stale-text-inserted-before": Refusal(
        ONE.replace("TOFU (", "TOFU benchmark ("),
        stale(offline("arxiv/url-form")),
        "no link starts at 1:23 any more (the finding is stale)",
    ),
    "no-canonical-form": Refusal(
        "- Sources <http://arxiv.org/src/2401.01234>\n",
        offline("arxiv/url-form"),
        "no suggestion",
    ),
    "redirect-to-plain-http": Refusal(
        "- Site ([site](https://example.org/paper))\n",
        moved("https://example.org/paper", "http://example.org/paper/"),
        "from https to plain http",
    ),
    "suggestion-with-a-blank": Refusal(
        "- Site ([site](https://example.org/paper))\n",
        moved("https://example.org/paper", "https://example.org/my paper"),
        "blanks",
    ),
    "suggestion-not-a-url": Refusal(
        "- Site ([site](https://example.org/paper))\n",
        moved("https://example.org/paper", "/login?next=/paper"),
        "not an absolute http(s) URL",
    ),
    "unbalanced-parenthesis-breaks-the-link": Refusal(
        "- Site ([site](https://example.org/paper))\n",
        moved("https://example.org/paper", "https://example.org/a_(b"),
        "would not read the new URL as a link",
    ),
    "bare-url-trailing-dot-would-be-cut": Refusal(
        "- Code https://github.com/a/unlearn here\n",
        renamed("https://github.com/a/unlearn", "https://github.com/b/unlearn."),
        "would not read the new URL as a link",
    ),
    "quote-in-html-attribute": Refusal(
        '<a href="https://example.org/x">x</a>\n',
        moved("https://example.org/x", "https://example.org/it's"),
        "inside this HTML attribute",
    ),
    "overlapping-fixes-keep-the-first": Refusal(
        "- Code ([code](https://github.com/o/r))\n",
        both(
            renamed("https://github.com/o/r", "https://github.com/n/r"),
            moved("https://github.com/o/r", "https://github.com/m/r"),
        ),
        "overlaps the github/renamed fix at 1:16",
    ),
    "title-with-emphasis-is-not-verbatim": Refusal(
        "- Machine *Unlearnig* for LLMs ([PDF](https://arxiv.org/abs/2402.08787))\n",
        typo("Machine Unlearnig for LLMs", "Machine Unlearning for LLMs"),
        "no entry title starts at 1:3",
        titles=True,
    ),
    "title-with-an-escape-is-not-verbatim": Refusal(
        "- Machine Unlearnig \\& Privacy in LLMs ([PDF](https://arxiv.org/abs/2402.08787))\n",
        typo("Machine Unlearnig & Privacy in LLMs", "Machine Unlearning & Privacy in LLMs"),
        "no entry title starts at 1:3",
        titles=True,
    ),
    "title-suggestion-with-emphasis": Refusal(
        "- Towards Safer Modles via Unlearning ([PDF](https://arxiv.org/abs/2402.08787))\n",
        typo("Towards Safer Modles via Unlearning", "Towards *Safer* Models via Unlearning"),
        "would not read the new title as is",
        titles=True,
    ),
    "title-suggestion-with-a-pipe-in-a-table": Refusal(
        "| Title | Links |\n|---|---|\n"
        "| Unlearning Benchmrks Compared | [PDF](https://arxiv.org/abs/2402.08787) |\n",
        typo("Unlearning Benchmrks Compared", "Unlearning | Benchmarks Compared"),
        "would not read the new title as is",
        titles=True,
    ),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_unsafe_or_stale_fixes_are_skipped_with_a_reason(case: Refusal) -> None:
    doc = parse_document(case.text, "README.md")
    findings = case.make(doc)
    plan = plan_fixes(doc, findings, titles=case.titles)
    assert plan.skipped, "expected a refusal"
    assert any(case.reason in s.reason for s in plan.skipped), [s.reason for s in plan.skipped]
    assert all(s.finding in findings for s in plan.skipped)
    after = apply_edits(case.text, plan.edits)
    assert_only_spans_changed(case.text, after, plan.edits)
    if case.reason.startswith("overlaps"):
        assert after == "- Code ([code](https://github.com/n/r))\n"
    else:
        assert after == case.text


@pytest.mark.parametrize(
    ("rule", "titles"),
    [
        ("arxiv/title-typo", False),
        ("arxiv/title-mismatch", True),
        ("arxiv/title-outdated", True),
    ],
)
def test_title_rules_only_typos_and_only_when_asked(rule: str, titles: bool) -> None:
    text = "- Machine Unlearnig of LLMs ([PDF](https://arxiv.org/abs/2402.08787))\n"
    doc = parse_document(text, "README.md")
    findings = title(rule, "Machine Unlearnig of LLMs", "Rethinking Machine Unlearning")(doc)
    plan = plan_fixes(doc, findings, titles=titles)
    assert plan == plan_fixes(doc, [], titles=titles)  # neither an edit nor a skip


@pytest.mark.parametrize(
    "rule", ["arxiv/version-not-found", "arxiv/tag-month", "github/not-found", "link/broken"]
)
def test_rules_without_a_mechanical_fix_are_left_alone(rule: str) -> None:
    text = "- 【202402】Paper ([PDF](https://arxiv.org/abs/2401.06121v9))\n"
    doc = parse_document(text, "README.md")
    findings = at_links(
        rule, "https://arxiv.org/abs/2401.06121v9", "https://arxiv.org/abs/2401.06121v2"
    )(doc)
    assert plan_fixes(doc, findings).edits == ()
    assert plan_fixes(doc, findings).skipped == ()


def test_findings_of_another_file_are_ignored() -> None:
    doc = parse_document(ONE, "README.md")
    other = [f.model_copy(update={"path": "docs/OTHER.md"}) for f in lint(doc)]
    assert other
    assert plan_fixes(doc, other).edits == ()


def test_identical_fixes_from_two_rules_become_one_edit() -> None:
    text = "- Code ([code](https://github.com/o/r))\n"
    doc = parse_document(text, "README.md")
    findings = both(
        renamed("https://github.com/o/r", "https://github.com/n/r"),
        moved("https://github.com/o/r", "https://github.com/n/r"),
    )(doc)
    [edit] = list(plan_fixes(doc, findings).edits)
    assert [f.rule for f in edit.findings] == ["github/renamed", "link/moved"]


# --- apply_edits and the preview -----------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(Edit(1, 3, "B", "x"), "expects 'B' but the text has 'b'", id="wrong-text"),
        pytest.param(Edit(1, 3, "bc\n", "x"), "spans a line ending", id="crosses-line"),
        pytest.param(Edit(1, 3, "bcd", "x"), "expects 'bcd' but the text has 'bc'", id="past-eol"),
        pytest.param(Edit(4, 1, "a", "x"), "outside the text", id="no-such-line"),
    ],
)
def test_apply_refuses_an_edit_that_does_not_fit(edit: Edit, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        apply_edits("a bc\r\nd\n", [edit])


def test_apply_refuses_overlapping_edits() -> None:
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcdef\n", [Edit(1, 2, "bcd", "x"), Edit(1, 4, "de", "y")])


def test_apply_counts_columns_in_code_points() -> None:
    text = "【】🔥ab\r\nx\n"
    assert apply_edits(text, [Edit(1, 4, "a", "A"), Edit(2, 1, "x", "X")]) == "【】🔥Ab\r\nX\n"


def test_diff_preview_shows_the_change_without_carriage_returns() -> None:
    before = "# L\r\n\r\n- [PDF](http://arxiv.org/abs/2402.08787)\r\n"
    after = before.replace("http://", "https://")
    diff = unified_diff("README.md", before, after)
    assert diff.splitlines() == [
        "--- README.md",
        "+++ README.md",
        "@@ -1,3 +1,3 @@",
        " # L",
        " ",
        "-- [PDF](http://arxiv.org/abs/2402.08787)",
        "+- [PDF](https://arxiv.org/abs/2402.08787)",
    ]
    assert "\r" not in diff
    assert unified_diff("README.md", before, before) == ""


# --- the corpus -----------------------------------------------------------------------------


@pytest.mark.skipif(
    not (CORPUS / "awesome-genai-unlearning.md").is_file(), reason="../shared/corpus is absent"
)
def test_corpus_list_gets_its_two_url_form_fixes(tmp_path: Path) -> None:
    source = CORPUS / "awesome-genai-unlearning.md"
    text = read_list(source, 16 * MIB)
    doc = parse_document(text, str(source))
    findings = lint(doc)
    plan = plan_fixes(doc, findings)
    assert [(e.old_text, e.new_text) for e in plan.edits] == [
        (
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            "https://arxiv.org/pdf/2311.15766",
        ),
        ("https://www.arxiv.org/abs/2502.15910", "https://arxiv.org/abs/2502.15910"),
    ]
    assert plan.skipped == ()
    after = apply_edits(text, plan.edits)
    assert_only_spans_changed(text, after, plan.edits)
    assert_reparses_the_same(doc, after, plan.edits)
    again = parse_document(after, str(source))
    assert [f.rule for f in lint(again) if f.rule == "arxiv/url-form"] == []
    assert len(lint(again)) == len(findings) - 2
    assert [e.title for e in again.entries] == [e.title for e in doc.entries]
    # written to a copy: the bytes are the original's but for the two URLs
    copy = tmp_path / "README.md"
    copy.write_bytes(source.read_bytes())
    write_fixed(copy, after, original=text)
    assert copy.read_bytes() == source.read_bytes().replace(
        b"https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
        b"https://arxiv.org/pdf/2311.15766",
    ).replace(b"https://www.arxiv.org/abs/2502.15910", b"https://arxiv.org/abs/2502.15910")


# --- writing -------------------------------------------------------------------------------


def _listed(tmp_path: Path, data: bytes = b"- [PDF](http://arxiv.org/abs/2402.08787)\n") -> Path:
    path = tmp_path / "README.md"
    path.write_bytes(data)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "README.md")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX mode bits")
@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o664])
def test_write_keeps_mode_bits(tmp_path: Path, mode: int) -> None:
    path = _listed(tmp_path)
    path.chmod(mode)
    text = read_list(path, MIB)
    write_fixed(path, text.replace("http:", "https:"), original=text)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text() == "- [PDF](https://arxiv.org/abs/2402.08787)\n"
    assert _leftovers(tmp_path) == []


def test_write_refuses_a_file_changed_underneath(tmp_path: Path) -> None:
    path = _listed(tmp_path)
    text = read_list(path, MIB)
    path.write_bytes(b"- [PDF](http://arxiv.org/abs/2402.08787)\n- a new entry\n")
    with pytest.raises(InputError) as raised:
        write_fixed(path, text.replace("http:", "https:"), original=text)
    message = str(raised.value)
    assert "changed on disk since it was read" in message
    assert "\n" not in message
    assert path.read_bytes().endswith(b"- a new entry\n")
    assert _leftovers(tmp_path) == []


def test_write_refuses_a_file_removed_underneath(tmp_path: Path) -> None:
    path = _listed(tmp_path)
    text = read_list(path, MIB)
    path.unlink()
    with pytest.raises(InputError, match="no longer exists"):
        write_fixed(path, text, original=text)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("fsync", OSError(errno.EIO, "Input/output error")),
        ("replace", OSError(errno.ENOSPC, "No space left on device")),
        ("fchmod", OSError(errno.EPERM, "Operation not permitted")),
    ],
)
def test_a_failed_write_leaves_the_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, error: OSError
) -> None:
    path = _listed(tmp_path)
    before = path.read_bytes()
    text = read_list(path, MIB)

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(InputError, match=f"cannot write the fixed file: {error.strerror}"):
        write_fixed(path, text.replace("http:", "https:"), original=text)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _listed(tmp_path)
    text = read_list(path, MIB)

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_fixed(path, text.replace("http:", "https:"), original=text)
    monkeypatch.undo()
    assert path.read_text() == text
    assert _leftovers(tmp_path) == []


def test_nothing_to_fix_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = _listed(tmp_path)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    text = read_list(path, MIB)
    write_fixed(path, text, original=text)
    assert path.stat().st_mtime_ns == 1_000_000_000


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlinked_list_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    real = tmp_path / "lists" / "papers.md"
    real.parent.mkdir()
    data = b"- [PDF](http://arxiv.org/abs/2402.08787)\r\n"
    real.write_bytes(data)
    docs = tmp_path / "docs"
    docs.mkdir()
    link = docs / "README.md"
    link.symlink_to(real)
    text = read_list(link, MIB)
    with pytest.raises(InputError) as raised:
        write_fixed(link, text.replace("http:", "https:"), original=text)
    assert str(raised.value) == (
        f"{link}: is a symbolic link (to {real}); --fix never writes through one, "
        "run it on that file"
    )
    assert link.is_symlink()
    assert real.read_bytes() == data
    assert sorted(p.name for p in real.parent.iterdir()) == ["papers.md"]
    assert [p.name for p in docs.iterdir()] == ["README.md"]


def test_an_unsafe_fix_does_not_hold_back_a_safe_one_on_its_line() -> None:
    text = "- Site ([site](https://example.org/paper), [PDF](http://arxiv.org/abs/2402.08787))\n"
    doc = parse_document(text, "README.md")
    findings = both(
        moved("https://example.org/paper", "https://example.org/a_(b"), offline("arxiv/url-form")
    )(doc)
    plan = plan_fixes(doc, findings)
    assert apply_edits(text, plan.edits) == text.replace("http://arxiv", "https://arxiv")
    assert [(s.finding.rule, s.reason) for s in plan.skipped] == [
        ("link/moved", "after the fix Markdown would not read the new URL as a link")
    ]


def test_a_fix_that_changes_another_part_of_the_list_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each fix reads right at its own place, but one of them (here made to, through
    the parser) changes a link elsewhere: that one is found alone and skipped."""
    import listcheck.fix.verify

    text = (
        "- A ([code](https://github.com/o/a))\n- B ([site](https://example.org/b))\n"
        "- C ([site](https://example.org/c))\n"
    )

    def side_effect(new_text: str, path: str) -> Document:
        if "github.com/n/a" in new_text:
            new_text = new_text.replace("example.org/c", "example.org/else")
        return parse_document(new_text, path)

    monkeypatch.setattr(listcheck.fix.verify, "parse_document", side_effect)
    doc = parse_document(text, "README.md")
    findings = both(
        renamed("https://github.com/o/a", "https://github.com/n/a"),
        moved("https://example.org/b", "https://example.org/b/"),
    )(doc)
    plan = plan_fixes(doc, findings)
    assert [e.new_text for e in plan.edits] == ["https://example.org/b/"]
    assert [(s.finding.rule, s.reason) for s in plan.skipped] == [
        ("github/renamed", "the fixed text would change how the rest of the list parses")
    ]


@pytest.mark.parametrize("culprit", [0, 37, 63])
def test_the_fix_that_changes_the_list_is_found_in_few_parses(
    monkeypatch: pytest.MonkeyPatch, culprit: int
) -> None:
    """One fix among 64 changes a link elsewhere (made to, through the parser): it is
    found by halving, in a number of parses that grows with log2(64), where trying
    each fix alone took 64; every other fix is kept."""
    import listcheck.fix.verify

    text = "".join(f"- P{i} ([site](https://example.org/p{i}))\n" for i in range(64))
    text += "- Z ([site](https://example.org/z))\n"
    parses = 0

    def side_effect(new_text: str, path: str) -> Document:
        nonlocal parses
        parses += 1
        if f"example.org/p{culprit}/" in new_text:
            new_text = new_text.replace("example.org/z", "example.org/else")
        return parse_document(new_text, path)

    doc = parse_document(text, "README.md")
    findings = both(
        *(moved(f"https://example.org/p{i}", f"https://example.org/p{i}/") for i in range(64))
    )(doc)
    monkeypatch.setattr(listcheck.fix.verify, "parse_document", side_effect)
    plan = plan_fixes(doc, findings)
    assert [s.finding.url for s in plan.skipped] == [f"https://example.org/p{culprit}"]
    assert {s.reason for s in plan.skipped} == {
        "the fixed text would change how the rest of the list parses"
    }
    assert len(plan.edits) == 63
    assert parses <= 2 * 6 + 2
