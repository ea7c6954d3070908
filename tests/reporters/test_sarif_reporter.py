from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from listcheck.models import Finding, Report, Severity, Stats
from listcheck.reporters import REPORTERS, get_reporter
from listcheck.reporters.sarif import (
    FINGERPRINT_KEY,
    MAX_RESULTS,
    SarifReporter,
    artifact_uri,
    fingerprints,
    sarif_log,
)
from listcheck.rules.base import CATALOGUE
from tests.reporters.builders import EVIL_URL, finding

SCHEMA_PATH = Path(__file__).parent.parent / "fixtures" / "sarif-2.1.0.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATORS = [jsonschema.Draft7Validator, jsonschema.Draft4Validator]


def report(*findings: Finding, version: str = "0.1.0") -> Report:
    return Report(
        version=version,
        files=("README.md", "docs/a,b:c.md"),
        entries=(),
        links=(),
        findings=findings,
        stats=Stats(),
    )


FULL = report(
    finding("link/broken", "error", 12, 5, "HTTP 404 Not Found", url=EVIL_URL),
    finding(
        "arxiv/title-mismatch",
        "error",
        20,
        3,
        "listed title 'Foo\n::warning::pwned' is not 100% arXiv 2404.01234",
        path="docs/a,b:c.md",
        suggestion="Real: Title, v2",
    ),
    finding("entry/duplicate", "warning", 44, 1, "same paper as line 12 (2404.01234)"),
    finding(
        "arxiv/url-form",
        "notice",
        50,
        9,
        "legacy arXiv URL form",
        url="http://arxiv.org/abs/2404.01234",
        suggestion="https://arxiv.org/abs/2404.01234",
    ),
    finding("future/rule", "warning", 60, 2, "a rule this catalogue does not know"),
)
EMPTY = report()


def render(rep: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SarifReporter().render(rep))
    return data


def test_the_fixture_is_the_official_schema() -> None:
    assert SCHEMA["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    official = Path(__file__).parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if official.exists():  # ../shared is there in development, not necessarily elsewhere
        assert SCHEMA_PATH.read_bytes() == official.read_bytes()


@pytest.mark.parametrize("validator", VALIDATORS, ids=["draft7", "draft4"])
@pytest.mark.parametrize("rep", [EMPTY, FULL], ids=["empty", "full"])
def test_valid_against_the_official_schema(validator: Any, rep: Report) -> None:
    validator.check_schema(SCHEMA)
    errors = sorted(validator(SCHEMA).iter_errors(render(rep)), key=str)
    assert errors == []


def test_the_schema_check_would_catch_a_broken_log() -> None:
    data = render(FULL)
    data["runs"][0]["results"][0]["level"] = "notice"  # not a SARIF level
    assert not jsonschema.Draft7Validator(SCHEMA).is_valid(data)


def test_registered_as_sarif() -> None:
    assert REPORTERS["sarif"] is SarifReporter
    assert isinstance(get_reporter("sarif"), SarifReporter)


GOLDEN_RESULT = {
    "ruleId": "arxiv/title-mismatch",
    "ruleIndex": list(CATALOGUE).index("arxiv/title-mismatch"),
    "level": "error",
    "message": {
        "text": "listed title 'Foo\n::warning::pwned' is not 100% arXiv 2404.01234\n"
        "fix: Real: Title, v2"
    },
    "locations": [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "docs/a%2Cb%3Ac.md", "uriBaseId": "SRCROOT"},
                "region": {"startLine": 20, "startColumn": 3},
            }
        }
    ],
    "partialFingerprints": {FINGERPRINT_KEY: fingerprints(FULL.findings, FULL.files)[1]},
    "properties": {"suggestion": "Real: Title, v2"},
}


def test_result_golden() -> None:
    results = render(FULL)["runs"][0]["results"]
    assert results[1] == GOLDEN_RESULT


def test_run_golden_without_rules_and_results() -> None:
    data = render(FULL)
    run = data["runs"][0]
    driver = run["tool"]["driver"]
    assert data["$schema"].endswith("/sarif-schema-2.1.0.json")
    assert data["version"] == "2.1.0"
    assert {key: value for key, value in driver.items() if key != "rules"} == {
        "name": "listcheck",
        "version": "0.1.0",
        "semanticVersion": "0.1.0",
        "informationUri": "https://github.com/listcheck/listcheck",
    }
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"
    assert list(run["originalUriBaseIds"]) == ["SRCROOT"]
    assert "properties" not in run


def test_output_is_ascii_json_with_a_final_newline() -> None:
    out = SarifReporter().render(FULL)
    assert out.isascii()
    assert out.endswith("}\n")
    assert json.loads(out)["runs"][0]["results"][0]["properties"]["url"] == EVIL_URL


def test_every_catalogue_rule_is_described_then_unknown_ones() -> None:
    rules = render(FULL)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*CATALOGUE, "future/rule"]
    broken = rules[list(CATALOGUE).index("link/broken")]
    assert broken == {
        "id": "link/broken",
        "shortDescription": {"text": CATALOGUE["link/broken"].summary},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["link"]},
    }
    assert rules[-1]["shortDescription"] == {"text": "future/rule"}
    assert rules[-1]["defaultConfiguration"] == {"level": "warning"}
    assert render(EMPTY)["runs"][0]["tool"]["driver"]["rules"][-1]["id"] == list(CATALOGUE)[-1]


@pytest.mark.parametrize("rule", list(CATALOGUE))
def test_default_levels_follow_the_catalogue(rule: str) -> None:
    rules = render(EMPTY)["runs"][0]["tool"]["driver"]["rules"]
    level = rules[list(CATALOGUE).index(rule)]["defaultConfiguration"]["level"]
    expected = {"error": "error", "warning": "warning", "notice": "note"}
    assert level == expected[CATALOGUE[rule].severity.value]


def test_rule_index_points_at_the_rule_of_each_result() -> None:
    run = render(FULL)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


@pytest.mark.parametrize(
    ("severity", "level"), [("error", "error"), ("warning", "warning"), ("notice", "note")]
)
def test_levels_are_the_findings_severity(severity: str, level: str) -> None:
    # A re-graded finding keeps the rule's default but carries its own level.
    rep = report(finding("link/broken", severity, 1, 1, "x"))
    assert render(rep)["runs"][0]["results"][0]["level"] == level


def test_results_most_important_first() -> None:
    results = render(FULL)["runs"][0]["results"]
    assert [(r["level"], r["ruleId"]) for r in results] == [
        ("error", "link/broken"),
        ("error", "arxiv/title-mismatch"),
        ("warning", "entry/duplicate"),
        ("warning", "future/rule"),
        ("note", "arxiv/url-form"),
    ]


# --- fingerprints -----------------------------------------------------------------------


def shifted(rep: Report, by: int) -> Report:
    """The same findings after ``by`` lines were inserted at the top of every file, with
    the line numbers quoted in messages moved too, plus an unrelated new finding."""
    moved = [
        f.model_copy(
            update={
                "line": f.line + by,
                "message": f.message.replace("line 12", f"line {12 + by}"),
            }
        )
        for f in rep.findings
    ]
    extra = finding("entry/no-link", "warning", 2, 1, "a new entry without a link")
    return report(extra, *reversed(moved))


def prints_by_place(rep: Report, by: int = 0) -> dict[tuple[str, int], str]:
    run = render(rep)["runs"][0]
    out = {}
    for result in run["results"]:
        where = result["locations"][0]["physicalLocation"]
        place = (where["artifactLocation"]["uri"], where["region"]["startLine"] - by)
        out[place] = result["partialFingerprints"][FINGERPRINT_KEY]
    return out


TWICE = report(
    finding("link/broken", "error", 12, 5, "HTTP 404", url=EVIL_URL),
    finding("link/broken", "error", 30, 5, "HTTP 404", url=EVIL_URL),
    finding("entry/duplicate", "warning", 44, 1, "same paper as line 12 (2404.01234)"),
    finding("entry/no-link", "warning", 50, 1, "entry 'A' has no link"),
)


@pytest.mark.parametrize("rep", [FULL, TWICE], ids=["full", "repeated-url"])
@pytest.mark.parametrize("by", [1, 7, 250])
def test_fingerprints_survive_unrelated_lines_moving(rep: Report, by: int) -> None:
    before = prints_by_place(rep)
    after = prints_by_place(shifted(rep, by), by)
    assert {place: after[place] for place in before} == before
    assert len(set(after.values())) == len(after)  # the new finding has its own


def test_fingerprints_are_stable_across_runs_and_versions() -> None:
    assert fingerprints(FULL.findings, FULL.files) == fingerprints(
        report(*FULL.findings, version="9.9.9").findings, FULL.files
    )
    first = render(FULL)["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT_KEY]
    assert len(first) == 64
    assert int(first, 16) >= 0


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({"line": 99, "column": 1}, True),
        ({"message": "HTTP 410 Gone"}, True),  # same URL, same rule: the same alert
        ({"severity": Severity.WARNING}, True),
        ({"url": "https://evil.example/other"}, False),
        ({"rule": "link/transient"}, False),
        ({"path": "docs/a,b:c.md"}, False),
    ],
)
def test_what_a_fingerprint_depends_on(change: dict[str, Any], same: bool) -> None:
    base = finding("link/broken", "error", 12, 5, "HTTP 404", url=EVIL_URL)
    one = fingerprints([base], ["README.md"])
    other = fingerprints([base.model_copy(update=change)], ["README.md"])
    assert (one == other) is same


def test_identical_findings_get_distinct_fingerprints() -> None:
    prints = fingerprints(TWICE.findings, TWICE.files)
    assert len(set(prints)) == len(prints)


# --- the results cap --------------------------------------------------------------------


def test_capped_at_the_limit_keeping_the_most_important() -> None:
    notes = [finding("arxiv/url-form", "notice", n, 1, "n") for n in range(1, 6)]
    errors = [finding("link/broken", "error", 100 + n, 1, "e", url=f"u{n}") for n in range(3)]
    rep = report(*notes, *errors)
    data = sarif_log(rep, max_results=4)
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    run = data["runs"][0]
    assert [
        (r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    ] == [
        ("error", 100),
        ("error", 101),
        ("error", 102),
        ("note", 1),
    ]
    assert run["properties"] == {"resultsOmitted": 4, "resultsLimit": 4}
    assert run["invocations"][0]["toolExecutionNotifications"] == [
        {
            "level": "warning",
            "message": {
                "text": "4 of 8 results left out: GitHub code scanning accepts at most 4 per "
                "run; errors, then warnings, then notes were kept."
            },
        }
    ]
    # The kept results have the fingerprints they would have without the cap.
    full = {r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif_log(rep)["runs"][0]["results"]}
    assert {r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]} <= full


def test_the_default_cap_is_githubs_25000() -> None:
    assert MAX_RESULTS == 25_000
    items = [finding("arxiv/url-form", "notice", n, 1, "n") for n in range(1, MAX_RESULTS + 2)]
    items.append(finding("link/broken", "error", MAX_RESULTS + 5, 1, "e"))
    run = sarif_log(report(*items))["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert run["results"][0]["level"] == "error"
    assert run["properties"]["resultsOmitted"] == 2


def test_no_note_below_the_cap() -> None:
    run = sarif_log(FULL, max_results=len(FULL.findings))["runs"][0]
    assert "properties" not in run
    assert "toolExecutionNotifications" not in run["invocations"][0]


# --- locations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "uri", "base"),
    [
        ("README.md", "README.md", "SRCROOT"),
        ("./docs/list.md", "docs/list.md", "SRCROOT"),
        ("docs\\list.md", "docs/list.md", "SRCROOT"),
        ("my list (2024).md", "my%20list%20%282024%29.md", "SRCROOT"),
        ("a:b.md", "a%3Ab.md", "SRCROOT"),  # not a URI scheme
        ("doc#1?.md", "doc%231%3F.md", "SRCROOT"),
        ("../other/README.md", "../other/README.md", "SRCROOT"),
        ("/home/me/list.md", "file:///home/me/list.md", None),
        ("C:\\lists\\README.md", "file:///C:/lists/README.md", None),
        ("论文.md", "%E8%AE%BA%E6%96%87.md", "SRCROOT"),
    ],
)
def test_artifact_uris(path: str, uri: str, base: str | None) -> None:
    assert artifact_uri(path) == (uri, base)
    location = render(report(finding("link/empty", "error", 1, 1, "x", path=path)))["runs"][0][
        "results"
    ][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == ({"uri": uri, "uriBaseId": base} if base else {"uri": uri})
