"""``--fix`` for entry/order: entries moved as whole lines, verified, through the CLI."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from listcheck.cli import main
from listcheck.config import Config
from listcheck.fix.apply import Reorder, apply_reorders
from listcheck.fix.plan import FixPlan, plan_fixes
from listcheck.lint import lint_document
from listcheck.models import Document
from listcheck.parse import parse_document
from listcheck.rules.base import LintContext
from listcheck.rules.order import section_orders
from tests.real_lists import REAL


def fix(path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str]:
    code = main(["--offline", "--fix", "--no-cache", "--select", "entry/order", *more, str(path)])
    return code, capsys.readouterr().err


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "README.md"
    path.write_bytes(text.encode("utf-8"))
    return path


def bullet(month: str, name: str, tail: str = "") -> str:
    return f"- 【{month}】Paper {name} ([PDF](https://example.org/{name})){tail}"


HEAD = ["# List", "", "## Papers", ""]
SORTED = ["202406", "202405", "202404", "202403", "202402", "202401", "202312", "202311"]


def test_an_entry_moves_with_its_sub_items_continuation_and_comment_keeping_crlf_and_eof(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c_block = [
        "<!-- listcheck-disable-next-line entry/no-link -->",
        bullet("202404", "C"),
        "  - Code: [repo](https://github.com/org/c)",
        "  a continuation line of C",
    ]
    rest = [bullet(m, n) for m, n in zip(SORTED[4:], "EFGH", strict=True)]
    a_b = [bullet("202406", "A"), bullet("202405", "B")]
    before = [*HEAD, *a_b, bullet("202403", "D"), *c_block, *rest]
    path = write(tmp_path, "\r\n".join(before))  # CRLF, and no line ending at the end
    code, err = fix(path, capsys)
    assert "fixed 1 finding in" in err
    after = [*HEAD, *a_b, *c_block, bullet("202403", "D"), *rest]
    assert path.read_bytes().decode("utf-8") == "\r\n".join(after)
    assert code == 0
    assert fix(path, capsys) == (0, "")  # nothing left to move


def test_a_numbered_list_keeps_counting_after_the_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    months = ["202406", "202405", "202403", "202402", "202401", "202312", "202404", "202311"]
    items = [
        f"{n}. 【{m}】Paper {n} ([PDF](https://example.org/{n}))" for n, m in enumerate(months, 1)
    ]
    path = write(tmp_path, "\n".join(HEAD + items) + "\n")
    fix(path, capsys)
    lines = path.read_text(encoding="utf-8").splitlines()[4:]
    assert [line.split(" ", 1)[0] for line in lines] == [f"{n}." for n in range(1, 9)]
    assert lines[2] == "3. 【202404】Paper 7 ([PDF](https://example.org/7))"
    assert lines[3] == "4. 【202403】Paper 3 ([PDF](https://example.org/3))"


def test_table_rows_move_as_whole_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    months = ["202406", "202404", "202403", "202402", "202401", "202405", "202312", "202311"]
    rows = [
        f"| {m} | Paper {n} | [PDF](https://example.org/{n}) |" for n, m in enumerate(months, 1)
    ]
    table = ["| Date | Title | Links |", "|---|---|---|"]
    path = write(tmp_path, "\n".join(HEAD + table + rows) + "\n")
    fix(path, capsys)
    fixed = path.read_text(encoding="utf-8").splitlines()[6:]
    assert fixed == [rows[0], rows[5], *rows[1:5], *rows[6:]]


def test_several_entries_out_of_place_are_sorted_in_one_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    months = [*SORTED, "202310", "202309", "202308", "202307", "202306", "202305"]
    shuffled = list(months)
    shuffled.insert(7, shuffled.pop(2))  # 202404 slipped down
    shuffled.insert(1, shuffled.pop(9))  # 202309 slipped up: 12 of 14 in order
    path = write(tmp_path, "\n".join(HEAD + [bullet(m, m) for m in shuffled]) + "\n")
    _, err = fix(path, capsys)
    assert "fixed 2 findings" in err
    assert path.read_text(encoding="utf-8").splitlines()[4:] == [bullet(m, m) for m in months]


def plan(tmp_path: Path, text: str) -> FixPlan:
    doc = parse_document(text, str(tmp_path / "README.md"))
    return plan_fixes(doc, lint_document(doc, LintContext(tmp_path), Config()))


def order_skips(fixes: FixPlan) -> list[tuple[int, str]]:
    return [(s.finding.line, s.reason) for s in fixes.skipped if s.finding.rule == "entry/order"]


def test_a_move_across_text_between_entries_is_refused_naming_the_line(tmp_path: Path) -> None:
    items = [bullet(m, m) for m in ["202406", "202405", "202403", "202402"]]
    items += ["", "Some papers from the workshop:", ""]
    items += [bullet(m, m) for m in ["202401", "202404", "202312", "202311"]]
    fixes = plan(tmp_path, "\n".join(HEAD + items) + "\n")
    assert fixes.moves == ()
    assert order_skips(fixes) == [(13, "the move would carry the text on line 10 to another entry")]


HTML = """\
## Papers

<table>
{rows}
</table>
"""


def test_html_rows_get_the_finding_but_no_move(tmp_path: Path) -> None:
    months = ["202406", "202405", "202401", "202404", "202403", "202402", "202312", "202311"]
    rows = "\n".join(
        f'<tr><td>Paper {n}</td><td><a href="https://arxiv.org/abs/{m[2:]}.0000{n}">PDF</a>'
        "</td></tr>"
        for n, m in enumerate(months, 1)
    )
    fixes = plan(tmp_path, HTML.format(rows=rows))
    assert fixes.moves == ()
    assert order_skips(fixes) == [
        (6, "a html-table-row entry is not whole lines of Markdown to move")
    ]


def test_an_entry_whose_url_is_fixed_in_the_same_run_moves_in_the_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [bullet(m, m) for m in ["202406", "202405", "202403", "202402", "202401", "202312"]]
    items.insert(5, "- 【202404】Paper late ([PDF](http://arxiv.org/abs/2404.01234))")
    items.append(bullet("202311", "202311"))
    path = write(tmp_path, "\n".join(HEAD + items) + "\n")
    main(["--offline", "--fix", "--no-cache", str(path)])
    err = capsys.readouterr().err
    assert "fixed 1 finding" in err
    assert "entry/order: another fix edits these lines in this run; run --fix again" in err
    assert "https://arxiv.org/abs/2404.01234" in path.read_text(encoding="utf-8")
    main(["--offline", "--fix", "--no-cache", str(path)])
    assert "fixed 1 finding" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").splitlines()[6].startswith("- 【202404】Paper late")


def test_the_diff_preview_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    months = ["202405", "202404", "202403", "202402", "202401", "202312", "202311", "202406"]
    text = "\n".join(HEAD + [bullet(m, m) for m in months]) + "\n"
    path = write(tmp_path, text)
    main(["--offline", "--fix", "--diff", "--no-cache", "--select", "entry/order", str(path)])
    out = capsys.readouterr().out
    assert f"+{bullet('202406', '202406')}" in out
    assert f"-{bullet('202406', '202406')}" in out
    assert path.read_text(encoding="utf-8") == text


# --- the edit itself -------------------------------------------------------------------------


def test_reorder_keeps_line_endings_at_their_places_and_refuses_other_text() -> None:
    text = "a\r\nb\nc\rd"
    assert apply_reorders(text, [Reorder(2, ("b", "c"), ("c", "b"))]) == "a\r\nc\nb\rd"
    assert apply_reorders(text, [Reorder(3, ("c", "d"), ("d", "c"))]) == "a\r\nb\nd\rc"
    with pytest.raises(ValueError, match="not the ones the move expects"):
        apply_reorders(text, [Reorder(1, ("b",), ("b",))])
    with pytest.raises(ValueError, match="overlap"):
        apply_reorders(text, [Reorder(1, ("a", "b"), ("b", "a")), Reorder(2, ("b",), ("b",))])
    with pytest.raises(ValueError, match="does not keep its lines whole"):
        apply_reorders(text, [Reorder(1, ("a",), ("a", "x"))])


# --- the real lists ---------------------------------------------------------------------------


def _entries(doc: Document) -> Counter[tuple[tuple[str, ...], str | None, tuple[str, ...]]]:
    return Counter(
        (e.section, e.title, tuple(doc.links[i].url for i in e.links)) for e in doc.entries
    )


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize(
    ("name", "moved"),
    [("atfortes__Awesome-LLM-Reasoning.md", 2), ("diff-usion__Awesome-Diffusion-Models.md", 8)],
)
def test_real_lists_are_sorted_and_keep_every_entry_and_link(
    name: str, moved: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "README.md"
    shutil.copyfile(REAL / name, path)
    before_text = path.read_text(encoding="utf-8")
    _, err = fix(path, capsys)
    assert f"fixed {moved} findings" in err
    after_text = path.read_text(encoding="utf-8")
    before = parse_document(before_text, "README.md")
    after = parse_document(after_text, "README.md")
    assert _entries(after) == _entries(before)
    assert Counter(after_text.splitlines()) == Counter(before_text.splitlines())
    assert [o.misplaced for o in section_orders(after)] == [() for _ in section_orders(after)]
