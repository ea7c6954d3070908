"""Findings built by hand for the reporter tests, hostile strings included."""

from __future__ import annotations

from listcheck.models import Finding, Severity

EVIL_URL = "https://evil.example/a|b<script>alert(1)</script>"


def finding(
    rule: str,
    severity: str,
    line: int,
    column: int,
    message: str,
    *,
    path: str = "README.md",
    url: str | None = None,
    suggestion: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity(severity),
        path=path,
        line=line,
        column=column,
        message=message,
        url=url,
        suggestion=suggestion,
    )


LINK_FIELDS = ("url", "kind", "verdict", "status", "final_url", "detail", "places", "reason")
"""The JSON contract's fields of one link row, in their order."""
