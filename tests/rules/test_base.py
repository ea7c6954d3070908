"""Facts several rules derive from the same text are worked out once per list, and
forgotten when the list is done (memory grows with one list, never with a run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck import dates
from listcheck.config import Config
from listcheck.lint import lint_document
from listcheck.parse import parse_document
from listcheck.rules import arxiv
from listcheck.rules.base import LintContext
from listcheck.stated_date import StatedDate

ENTRY = "- 【2024{m:02d}】Paper Number {m} [[pdf](https://arxiv.org/abs/24{m:02d}.0000{n})]\n"
LIST = "# Papers\n\n## Newest first\n\n" + "".join(
    ENTRY.format(m=month, n=month % 10) for month in range(12, 0, -1)
)


def test_each_line_is_read_for_dates_once_and_forgotten_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    find_dates = dates.find_dates

    def counted(text: str, **options: bool) -> list[StatedDate]:
        read.append(text)
        return find_dates(text, **options)

    monkeypatch.setattr(arxiv, "find_dates", counted)
    doc = parse_document(LIST, str(tmp_path / "README.md"))
    findings = lint_document(doc, LintContext(root=tmp_path), Config())
    assert not [f for f in findings if f.rule in ("arxiv/tag-month", "entry/order")]
    entry_lines = [line for line in doc.lines if line.startswith("- ")]
    assert len(entry_lines) == 12
    assert sorted(read) == sorted(entry_lines)  # tag-month and order: one read each line
    read.clear()
    lint_document(doc, LintContext(root=tmp_path), Config())
    assert sorted(read) == sorted(entry_lines)  # forgotten after the first list: read again
