"""The one findings funnel: suppress -> regrade -> escalate -> sort, and the policy that
flaky links become errors only after failing night after night."""

from __future__ import annotations

import pytest

from listcheck.config import Config
from listcheck.findings import escalate_persistent, settle
from listcheck.models import Finding, LinkHistory, Severity
from listcheck.parse import parse_document

TRANSIENT = Finding(
    rule="link/transient",
    severity=Severity.WARNING,
    path="README.md",
    line=3,
    column=5,
    message="could not be confirmed this run: timeout",
    url="https://flaky.example.org/x",
)


@pytest.mark.parametrize(
    ("runs", "limit", "expected"),
    [
        (1, 3, Severity.WARNING),
        (2, 3, Severity.WARNING),
        (3, 3, Severity.ERROR),
        (9, 3, Severity.ERROR),
        (9, 0, Severity.WARNING),
        (1, 1, Severity.ERROR),
    ],
)
def test_transient_escalates_after_consecutive_failures(
    runs: int, limit: int, expected: Severity
) -> None:
    history = {
        TRANSIENT.url or "": LinkHistory(
            url=TRANSIENT.url or "", consecutive_failures=runs, first_failed_at=1_763_856_000.0
        )
    }
    (result,) = escalate_persistent([TRANSIENT], history, Config(transient_error_after=limit))
    assert result.severity is expected
    if expected is Severity.ERROR:
        assert f"failing {runs} runs in a row since 2025-11-23" in result.message


def test_runs_on_one_afternoon_are_one_night() -> None:
    started = 1_763_856_000.0
    history = {
        TRANSIENT.url or "": LinkHistory(
            url=TRANSIENT.url or "", consecutive_failures=5, first_failed_at=started
        )
    }
    (same_day,) = escalate_persistent([TRANSIENT], history, Config(), now=started + 3 * 3600)
    (three_nights,) = escalate_persistent([TRANSIENT], history, Config(), now=started + 2 * 86400)
    assert same_day.severity is Severity.WARNING
    assert three_nights.severity is Severity.ERROR


def test_other_rules_and_unknown_urls_are_left_alone() -> None:
    broken = TRANSIENT.model_copy(update={"rule": "link/broken", "severity": Severity.ERROR})
    history = {TRANSIENT.url or "": LinkHistory(url=TRANSIENT.url or "", consecutive_failures=5)}
    assert escalate_persistent([broken], history, Config()) == [broken]
    assert escalate_persistent([TRANSIENT], {}, Config()) == [TRANSIENT]


LIST = """# L
- [a](https://flaky.example.org/x)
<!-- listcheck-disable-next-line link/transient -- the host is known to be slow -->
- [b](https://slow.example.org/y)
"""


def _found(line: int, url: str, rule: str = "link/transient") -> Finding:
    return TRANSIENT.model_copy(update={"line": line, "column": 3, "url": url, "rule": rule})


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ({}, [("link/transient", 2, Severity.ERROR)]),
        ({"link/transient": "notice"}, [("link/transient", 2, Severity.ERROR)]),
        ({"link/transient": "off"}, []),
    ],
)
def test_settle_suppresses_then_regrades_then_escalates_then_sorts(
    severity: dict[str, str], expected: list[tuple[str, int, Severity]]
) -> None:
    """The suppressed link stays out whatever its history; a re-graded one still becomes
    an error once it fails night after night (the nights outweigh the grade); a rule
    turned off never reaches escalation."""
    doc = parse_document(LIST, "README.md")
    found = [
        _found(4, "https://slow.example.org/y"),
        _found(2, "https://flaky.example.org/x"),
        _found(2, "https://flaky.example.org/x", rule="link/moved"),
    ]
    history = {
        url: LinkHistory(url=url, consecutive_failures=5, first_failed_at=86400.0)
        for url in ("https://flaky.example.org/x", "https://slow.example.org/y")
    }
    config = Config.model_validate({"severity": severity})
    settled = settle(doc, found, config, history, now=10 * 86400)
    transient = [(f.rule, f.line, f.severity) for f in settled if f.rule == "link/transient"]
    assert transient == expected
    assert [f.line for f in settled] == sorted(f.line for f in settled)
