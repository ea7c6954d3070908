"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Code scanning keeps an alert open across runs by matching results between uploads, so
each result carries a ``partialFingerprints`` entry that does not depend on where the
finding sits: it hashes the rule, the file, and what the finding is about (the URL
when there is one, else the message with its "line N" references removed), plus an
ordinal that tells apart identical findings in one file. Adding or removing lines
elsewhere in the list leaves every fingerprint as it was; fixing a finding closes its
alert. (The report carries no source text, so the line's own text is not used.)

Every rule of the catalogue is described, whether or not it found anything, so a rule's
``ruleIndex`` is the same in every run and a viewer can show what each rule checks;
rule ids unknown to the catalogue (a newer rule in an old catalogue) follow it.

Code scanning accepts at most 25,000 results per run. Beyond that the most important
are kept (errors, then warnings, then notes) and the run says how many were left out,
both in ``run.properties`` and as a warning notification of the invocation.

Suggested fixes go into the message and ``properties.suggestion``, not into SARIF
``fixes``: a fix there must name the exact region it replaces, which the report does
not know.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, Final, TextIO
from urllib.parse import quote

from listcheck.models import Finding, Report, Severity
from listcheck.reporters.base import Reporter
from listcheck.reporters.common import finding_order
from listcheck.rules.base import CATALOGUE

SCHEMA_URI: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI: Final = "https://github.com/listcheck/listcheck"
MAX_RESULTS: Final = 25_000
"""Results GitHub code scanning accepts in one run."""

FINGERPRINT_KEY: Final = "listcheckFinding/v1"
"""The ``partialFingerprints`` key; a new version gets a new key, never a new meaning."""

SOURCE_ROOT: Final = "SRCROOT"

LEVELS: Final[Mapping[Severity, str]] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTICE: "note",
}

_LINE_REFERENCE: Final = re.compile(r"\b(lines?|columns?) \d+(?:\s*(?:[-–,]|and)\s*\d+)*")
_WINDOWS_DRIVE: Final = re.compile(r"[A-Za-z]:/")


class SarifReporter(Reporter):
    name = "sarif"
    for_programs = True

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(json.dumps(sarif_log(report), indent=2, ensure_ascii=True) + "\n")


def sarif_log(report: Report, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The whole SARIF log, one run, as plain JSON data."""
    rules = _rule_ids(report.findings)
    index = {rule: position for position, rule in enumerate(rules)}
    findings = report.findings
    prints = fingerprints(findings, report.files)
    rank = finding_order(report.files, severity_first=True)
    ranked = sorted(range(len(findings)), key=lambda i: rank(findings[i]))
    kept, left = ranked[:max_results], max(len(ranked) - max_results, 0)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "listcheck",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule, report.findings) for rule in rules],
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {
            SOURCE_ROOT: {
                "description": {"text": "The folder listcheck ran in (the repository root)."}
            }
        },
        "results": [_result(findings[i], index[findings[i].rule], prints[i]) for i in kept],
        "columnKind": "unicodeCodePoints",
    }
    if left:
        note = (
            f"{left} of {len(ranked)} results left out: GitHub code scanning accepts at "
            f"most {max_results} per run; errors, then warnings, then notes were kept."
        )
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": note}}]
        run["properties"] = {"resultsOmitted": left, "resultsLimit": max_results}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def fingerprints(findings: Sequence[Finding], files: Sequence[str]) -> list[str]:
    """A position-free fingerprint for each finding, in the order given.

    Identical findings in one file (the same broken URL cited twice) are numbered in
    file order, so each keeps its own alert and moving other lines changes nothing.
    """
    key_of = finding_order(files)
    seen: Counter[tuple[str, str, str]] = Counter()
    out = [""] * len(findings)
    for index in sorted(range(len(findings)), key=lambda i: key_of(findings[i])):
        finding = findings[index]
        key = (finding.rule, _relative(finding.path), _subject(finding))
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        out[index] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def artifact_uri(path: str) -> tuple[str, str | None]:
    """The SARIF ``uri`` for a report path and its ``uriBaseId``: a relative path is a
    percent-encoded relative URI against SRCROOT; an absolute one a ``file:`` URI."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/"), None
    if _WINDOWS_DRIVE.match(posix):
        return "file:///" + quote(posix, safe="/:"), None
    return quote(_relative(path), safe="/"), SOURCE_ROOT


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    uri, base = artifact_uri(finding.path)
    location: dict[str, Any] = {"uri": uri}
    if base is not None:
        location["uriBaseId"] = base
    text = finding.message
    if finding.suggestion is not None:
        text += f"\nfix: {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    extra = {
        key: value
        for key, value in (("url", finding.url), ("suggestion", finding.suggestion))
        if value is not None
    }
    if extra:
        result["properties"] = extra
    return result


def _rule_ids(findings: Iterable[Finding]) -> list[str]:
    unknown = sorted({f.rule for f in findings} - CATALOGUE.keys())
    return [*CATALOGUE, *unknown]


def _descriptor(rule: str, findings: Sequence[Finding]) -> dict[str, Any]:
    info = CATALOGUE.get(rule)
    if info is not None:
        summary, severity = info.summary, info.severity
    else:
        summary = rule
        severity = next(f.severity for f in findings if f.rule == rule)
    return {
        "id": rule,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": [rule.split("/", 1)[0]]},
    }


def _subject(finding: Finding) -> str:
    """What the finding is about, independent of where it sits in the file."""
    if finding.url:
        return "url:" + finding.url
    message = _LINE_REFERENCE.sub(lambda m: m.group(1), finding.message)
    return "message:" + " ".join(message.split())


def _relative(path: str) -> str:
    parts = [part for part in PurePosixPath(path.replace("\\", "/")).parts if part != "."]
    return "/".join(parts)
