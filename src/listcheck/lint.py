"""The offline stage: every enabled offline rule over one document, then the one
findings funnel (:func:`listcheck.findings.settle`).

Rules report with their default severity and know nothing of configuration; this is
the one place where what they found meets what the maintainer asked for.
"""

from __future__ import annotations

from listcheck.config import Config
from listcheck.findings import settle
from listcheck.models import Document, Finding
from listcheck.rules import (  # noqa: F401 - registers the rules
    anchors,
    arxiv,
    duplicates,
    entries,
    files,
    links,
    misplaced,
    order,
    reading,
    text,
    toc,
)
from listcheck.rules.base import OFFLINE_RULES, LintContext, forget_document


def lint_document(doc: Document, context: LintContext, config: Config) -> list[Finding]:
    found: list[Finding] = []
    try:
        for rule_id, rule in OFFLINE_RULES.items():
            if config.is_enabled(rule_id):
                found.extend(rule(doc, context))
    finally:
        forget_document()
    return settle(doc, found, config)
