"""Run-level policy: flaky links become errors only after failing night after night."""

from __future__ import annotations

import pytest

from listcheck.config import Config
from listcheck.models import Finding, LinkHistory, Severity
from listcheck.run import escalate_persistent

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
