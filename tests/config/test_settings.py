from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.config import Config, load_config
from listcheck.errors import ConfigError
from listcheck.models import Finding, Severity
from tests.config.files import put


def finding(rule: str, severity: Severity = Severity.WARNING, line: int = 7) -> Finding:
    return Finding(rule=rule, severity=severity, path="README.md", line=line, column=3, message="m")


# --- what the settings mean ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "severity", "rule", "enabled"),
    [
        pytest.param(None, (), {}, "arxiv/tag-month", True, id="default-all-on"),
        pytest.param(None, ("arxiv",), {}, "arxiv/tag-month", False, id="ignore-category"),
        pytest.param(None, ("arxiv/",), {}, "arxiv/url-form", False, id="category-with-slash"),
        pytest.param(None, ("arxiv",), {}, "link/empty", True, id="other-category-untouched"),
        pytest.param(("link",), (), {}, "arxiv/tag-month", False, id="select-excludes-rest"),
        pytest.param(("link",), (), {}, "link/moved", True, id="select-category"),
        pytest.param(
            ("arxiv/tag-month",),
            ("arxiv",),
            {},
            "arxiv/tag-month",
            True,
            id="specific-select-beats-category-ignore",
        ),
        pytest.param(
            ("arxiv/tag-month",),
            ("arxiv",),
            {},
            "arxiv/url-form",
            False,
            id="category-ignore-still-covers-siblings",
        ),
        pytest.param(
            ("arxiv",),
            ("arxiv/url-form",),
            {},
            "arxiv/url-form",
            False,
            id="specific-ignore-beats-category-select",
        ),
        pytest.param(("arxiv",), ("arxiv",), {}, "arxiv/tag-month", False, id="ignore-wins-a-tie"),
        pytest.param(None, (), {"github": "off"}, "github/archived", False, id="severity-off"),
        pytest.param(
            None,
            (),
            {"github": "off", "github/not-found": "error"},
            "github/not-found",
            True,
            id="specific-severity-re-enables",
        ),
        pytest.param(
            None,
            ("arxiv",),
            {},
            "arxiv/some-future-rule",
            False,
            id="category-covers-uncatalogued-rule",
        ),
        pytest.param((), (), {}, "link/empty", False, id="empty-select-runs-nothing"),
    ],
)
def test_is_enabled(
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...],
    severity: dict[str, str],
    rule: str,
    enabled: bool,
) -> None:
    config = Config.model_validate({"select": select, "ignore": ignore, "severity": severity})
    assert config.is_enabled(rule) is enabled


def test_regrade_drops_off_rules_regrades_the_rest_and_keeps_positions() -> None:
    config = Config.model_validate(
        {
            "ignore": ["text"],
            "severity": {"arxiv": "error", "arxiv/url-form": "off", "entry/duplicate": "notice"},
        }
    )
    findings = [
        finding("arxiv/tag-month", Severity.WARNING, line=3),
        finding("arxiv/url-form", Severity.NOTICE, line=4),
        finding("text/mojibake", Severity.WARNING, line=5),
        finding("entry/duplicate", Severity.WARNING, line=6),
        finding("link/empty", Severity.ERROR, line=8),
    ]
    out = config.regrade(findings)
    assert [(f.rule, f.severity, f.line, f.column) for f in out] == [
        ("arxiv/tag-month", Severity.ERROR, 3, 3),
        ("entry/duplicate", Severity.NOTICE, 6, 3),
        ("link/empty", Severity.ERROR, 8, 3),
    ]
    assert out[-1] is findings[-1]


@pytest.mark.parametrize(
    ("fail_on", "severities", "fails"),
    [
        pytest.param(
            "error", [Severity.WARNING, Severity.NOTICE], False, id="default-warnings-pass"
        ),
        pytest.param("error", [Severity.NOTICE, Severity.ERROR], True, id="default-error-fails"),
        pytest.param("warning", [Severity.WARNING], True, id="strict-warning-fails"),
        pytest.param("warning", [Severity.NOTICE], False, id="strict-notice-passes"),
        pytest.param("notice", [Severity.NOTICE], True, id="strictest"),
        pytest.param("notice", [], False, id="nothing-found"),
    ],
)
def test_fails(fail_on: str, severities: list[Severity], fails: bool) -> None:
    config = Config.model_validate({"fail_on": fail_on})
    assert config.fails(finding("link/empty", s) for s in severities) is fails


@pytest.mark.parametrize(
    ("url", "excluded"),
    [
        ("https://www.linkedin.com/in/someone", True),
        ("http://localhost:8080/demo", True),
        ("https://arxiv.org/abs/2503.12345", False),
        ("https://github.com/linkedin/repo", False),
    ],
)
def test_exclude_patterns_search_the_url(url: str, excluded: bool) -> None:
    config = Config.model_validate(
        {"exclude": [r"^https?://(www\.)?linkedin\.com/", r"^https?://localhost\b"]}
    )
    assert config.is_excluded(url) is excluded


def test_arxiv_interval_can_be_raised(tmp_path: Path) -> None:
    put(tmp_path, "listcheck.toml", "[arxiv]\nmin_interval = 10\nbatch_size = 50\n")
    config = load_config(None, tmp_path)
    assert (config.arxiv.min_interval, config.arxiv.batch_size) == (10.0, 50)


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        (None, {}, "https://api.github.com"),
        (
            None,
            {"GITHUB_API_URL": "https://ghe.example.com/api/v3"},
            "https://ghe.example.com/api/v3",
        ),
        ("http://127.0.0.1:8000/", {"GITHUB_API_URL": "https://x"}, "http://127.0.0.1:8000"),
    ],
)
def test_github_api_base(configured: str | None, environ: dict[str, str], expected: str) -> None:
    config = Config.model_validate({"github": {"api_url": configured}})
    assert config.github.api_base(environ) == expected


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        (None, {}, "https://huggingface.co"),
        (None, {"HF_ENDPOINT": "https://hf-mirror.com"}, "https://hf-mirror.com"),
        ("https://hf.internal/", {"HF_ENDPOINT": "https://hf-mirror.com"}, "https://hf.internal"),
    ],
)
def test_huggingface_api_base(
    configured: str | None, environ: dict[str, str], expected: str
) -> None:
    config = Config.model_validate({"huggingface": {"endpoint": configured}})
    assert config.huggingface.api_base(environ) == expected


# --- the command line on top --------------------------------------------------------------


def test_cli_select_replaces_and_ignore_adds(tmp_path: Path) -> None:
    put(
        tmp_path,
        "listcheck.toml",
        'select = ["link"]\nignore = ["link/moved"]\nfail_on = "warning"',
    )
    base = load_config(None, tmp_path)
    merged = base.with_cli(select=["arxiv, link"], ignore=["arxiv/url-form"])
    assert merged.select == ("arxiv", "link")
    assert merged.ignore == ("link/moved", "arxiv/url-form")
    assert merged.fail_severity is Severity.WARNING
    assert merged.source == base.source == tmp_path / "listcheck.toml"
    assert merged.is_enabled("arxiv/tag-month")
    assert not merged.is_enabled("arxiv/url-form")
    assert base.select == ("link",)


def test_cli_without_options_changes_nothing() -> None:
    config = Config.model_validate({"ignore": ["text"]})
    assert config.with_cli() == config


def test_cli_fail_on() -> None:
    assert Config().with_cli(fail_on="notice").fail_severity is Severity.NOTICE


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"select": ["arxiv,linkz"]},
            "--select: unknown rule 'linkz' (did you mean 'link'?)",
        ),
        (
            {"ignore": ["anchor/shaddowed"]},
            "--ignore: unknown rule 'anchor/shaddowed' (did you mean 'anchor/shadowed'?)",
        ),
        (
            {"fail_on": "critical"},
            "--fail-on: must be 'error', 'warning' or 'notice', got \"critical\"",
        ),
    ],
)
def test_cli_errors_name_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config().with_cli(**options)  # type: ignore[arg-type]
    assert str(caught.value) == message
