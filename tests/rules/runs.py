"""Running one offline rule on a Markdown snippet or on a corpus list, for the tests of
that rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from listcheck.models import Finding
from listcheck.parse import parse_document
from listcheck.rules.base import LintContext, OfflineRule

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def places(findings: list[Finding]) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


@dataclass(frozen=True)
class RuleRun:
    rule: OfflineRule

    def run(self, markdown: str) -> list[Finding]:
        doc = parse_document(markdown, "README.md")
        return list(self.rule(doc, LintContext(Path("."))))

    def corpus_findings(self, name: str) -> list[tuple[int, str]]:
        """(line, message) of the rule's findings on a corpus list; the test is skipped
        where the corpus is not present (a clean clone)."""
        path = CORPUS / name
        if not path.is_file():
            pytest.skip(f"{path} is not available")
        doc = parse_document(path.read_text(encoding="utf-8"), name)
        return [(f.line, f.message) for f in self.rule(doc, LintContext(path.parent))]
