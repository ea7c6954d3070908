"""The offline stage: every enabled offline rule over one document, then the list's own
suppression comments and the configuration's re-grading.

Rules report with their default severity and know nothing of configuration; this is
the one place where what they found meets what the maintainer asked for.
"""

from __future__ import annotations

from listcheck.config import Config
from listcheck.models import Document, Finding
from listcheck.rules import (  # noqa: F401 - registers the rules
    anchors,
    arxiv,
    entries,
    files,
    links,
    reading,
    text,
)
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.suppress import apply_suppressions


def lint_document(doc: Document, context: LintContext, config: Config) -> list[Finding]:
    found: list[Finding] = []
    for rule_id, rule in OFFLINE_RULES.items():
        if config.is_enabled(rule_id):
            found.extend(rule(doc, context))
    kept = config.regrade(apply_suppressions(doc, found))
    return sorted(kept, key=finding_order)


def finding_order(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.column, finding.rule)
