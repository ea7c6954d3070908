from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from listcheck.checkers.base import Reason
from listcheck.models import (
    EntrySummary,
    Finding,
    LinkKind,
    LinkResult,
    Place,
    Report,
    Severity,
    Stats,
    Verdict,
)
from listcheck.reporters.json import JsonReporter, dumps
from tests.reporters.builders import LINK_FIELDS

_PLACE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path", "line", "column"],
    "properties": {
        "path": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
    },
}
_NULLABLE_STRING = {"type": ["string", "null"]}
CONTRACT: dict[str, Any] = {
    "$comment": "The --format json contract of ../shared/DESIGN.md, as a schema.",
    "type": "object",
    "required": ["version", "files", "entries", "links", "findings", "stats"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string"},
        "files": {"type": "array", "items": {"type": "string"}},
        "entries": {"type": "array", "items": {"type": "object"}},
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": list(LINK_FIELDS),
                "properties": {
                    "url": {"type": "string"},
                    "kind": {"type": "string"},
                    "verdict": {"enum": ["ok", "moved", "broken", "transient", "skipped"]},
                    "status": {"type": ["integer", "null"]},
                    "final_url": _NULLABLE_STRING,
                    "detail": {"type": "string"},
                    "reason": {"enum": [*(reason.value for reason in Reason), None]},
                    "places": {"type": "array", "items": _PLACE},
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "rule",
                    "severity",
                    "path",
                    "line",
                    "column",
                    "message",
                    "url",
                    "suggestion",
                ],
                "properties": {
                    "rule": {"type": "string", "pattern": "^[a-z]+/[a-z-]+$"},
                    "severity": {"enum": ["error", "warning", "notice"]},
                    "path": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "message": {"type": "string"},
                    "url": _NULLABLE_STRING,
                    "suggestion": _NULLABLE_STRING,
                },
            },
        },
        "stats": {
            "type": "object",
            "required": ["wall_time_s", "requests", "findings"],
            "properties": {
                "wall_time_s": {"type": ["number", "null"]},
                "requests": {"type": "object", "additionalProperties": {"type": "integer"}},
                "findings": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        },
    },
}

ARXIV = "https://arxiv.org/abs/2404.01234"
REPO = "https://github.com/old-org/unlearn"


def full_report(**stats: Any) -> Report:
    """A report as an online run of a real list produces it."""
    return Report(
        version="0.1.0",
        files=("README.md",),
        entries=(
            EntrySummary(
                path="README.md",
                line=42,
                column=1,
                section=("Papers", "LLM Unlearning"),
                title="Who's Harry Potter? Approximate Unlearning in LLMs",
                tags=("【202406】",),
                urls=(ARXIV, REPO),
            ),
        ),
        links=(
            LinkResult(
                url=ARXIV,
                kind=LinkKind.ARXIV,
                verdict=Verdict.OK,
                places=(Place(path="README.md", line=42, column=70),),
            ),
            LinkResult(
                url=REPO,
                kind=LinkKind.GITHUB,
                verdict=Verdict.MOVED,
                status=301,
                final_url="https://github.com/new-org/unlearn",
                detail="repository renamed",
                places=(
                    Place(path="README.md", line=42, column=110),
                    Place(path="README.md", line=88, column=9),
                ),
            ),
        ),
        findings=(
            Finding(
                rule="arxiv/tag-month",
                severity=Severity.WARNING,
                path="README.md",
                line=42,
                column=3,
                message="date tag 【202406】 differs from the month of arXiv 2404.01234 (2024-04)",
                url=ARXIV,
                suggestion="【202404】",
            ),
            Finding(
                rule="github/renamed",
                severity=Severity.WARNING,
                path="README.md",
                line=42,
                column=110,
                message="repository moved to new-org/unlearn",
                url=REPO,
                suggestion="https://github.com/new-org/unlearn",
            ),
        ),
        stats=Stats.model_validate(
            {
                "files": 1,
                "entries": 1,
                "links": 3,
                "unique_urls": 2,
                "findings": {"warning": 2},
                "verdicts": {"ok": 1, "moved": 1},
                "wall_time_s": 3.5,
                "requests": {"export.arxiv.org": 1, "api.github.com": 1},
                "offline": False,
                **stats,
            }
        ),
    )


def test_output_is_exactly_the_contract() -> None:
    data = json.loads(JsonReporter().render(full_report()))
    jsonschema.validate(data, CONTRACT)
    assert list(data) == ["version", "files", "entries", "links", "findings", "stats"]
    assert list(data["findings"][0]) == [
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "message",
        "url",
        "suggestion",
    ]
    assert list(data["links"][0]) == list(LINK_FIELDS)


def test_values_as_the_contract_spells_them() -> None:
    data = json.loads(dumps(full_report()))
    ok, moved = data["links"]
    assert (ok["verdict"], ok["kind"], ok["status"], ok["final_url"]) == ("ok", "arxiv", None, None)
    assert (moved["verdict"], moved["status"]) == ("moved", 301)
    assert moved["places"] == [
        {"path": "README.md", "line": 42, "column": 110},
        {"path": "README.md", "line": 88, "column": 9},
    ]
    first = data["findings"][0]
    assert (first["severity"], first["line"], first["column"]) == ("warning", 42, 3)
    assert first["suggestion"] == "【202404】"
    assert data["entries"][0]["section"] == ["Papers", "LLM Unlearning"]


def test_round_trips_to_the_same_report() -> None:
    rep = full_report()
    assert Report.model_validate_json(dumps(rep)) == rep


def test_free_form_maps_are_sorted_and_output_is_byte_stable() -> None:
    a = full_report(requests={"export.arxiv.org": 1, "api.github.com": 4, "huggingface.co": 2})
    b = full_report(requests={"huggingface.co": 2, "api.github.com": 4, "export.arxiv.org": 1})
    assert dumps(a) == dumps(b)
    stats = json.loads(dumps(a))["stats"]
    assert list(stats["requests"]) == ["api.github.com", "export.arxiv.org", "huggingface.co"]
    assert list(stats)[:3] == ["files", "entries", "links"]


def test_pure_ascii_json_with_a_final_newline() -> None:
    out = dumps(full_report())
    assert out.isascii()
    assert out.endswith("}\n")
    assert "\\u3010202406\\u3011" in out
    assert json.loads(out)["findings"][0]["message"].startswith("date tag 【202406】")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_numbers_become_null(value: float) -> None:
    out = dumps(full_report(wall_time_s=value))
    assert json.loads(out)["stats"]["wall_time_s"] is None
    jsonschema.validate(json.loads(out), CONTRACT)


def test_empty_offline_report() -> None:
    rep = Report(
        version="0.1.0", files=("README.md",), entries=(), links=(), findings=(), stats=Stats()
    )
    data = json.loads(dumps(rep))
    jsonschema.validate(data, CONTRACT)
    assert (data["links"], data["findings"], data["stats"]["offline"]) == ([], [], True)


def test_rows_written_a_batch_at_a_time_make_the_one_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rep = full_report()
    whole = json.dumps(
        json.loads(dumps(rep)), ensure_ascii=True, allow_nan=False, separators=(",", ":")
    )
    monkeypatch.setattr("listcheck.reporters.json._BATCH", 1)
    assert len(rep.links) > 1
    assert dumps(rep) == whole + "\n"
    assert JsonReporter().render(rep) == whole + "\n"
    empty = rep.model_copy(update={"entries": (), "links": (), "findings": ()})
    assert '"entries":[],"links":[],"findings":[]' in dumps(empty)
