from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from listcheck.config import (
    Config,
    closest_rule,
    is_known_selector,
    load_config,
    selector_matches,
)
from listcheck.errors import ConfigError, ExitCode
from listcheck.models import Finding, Severity


def put(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def finding(rule: str, severity: Severity = Severity.WARNING, line: int = 7) -> Finding:
    return Finding(rule=rule, severity=severity, path="README.md", line=line, column=3, message="m")


# --- where settings come from -----------------------------------------------------------


def test_defaults_when_nothing_is_there(tmp_path: Path) -> None:
    config = load_config(None, tmp_path)
    assert config == Config()
    assert config.source is None
    assert config.select is None
    assert config.fail_severity is Severity.ERROR
    assert config.max_file_size == 16 * 1024 * 1024
    assert config.arxiv.api_url == "https://export.arxiv.org/api/query"
    assert config.arxiv.min_interval == 3.0
    assert config.arxiv.batch_size == 100
    assert (config.http.timeout, config.http.max_redirects) == (10.0, 10)
    assert (config.http.per_host, config.http.total) == (4, 32)


@pytest.mark.parametrize(
    ("files", "winner"),
    [
        pytest.param(
            {"listcheck.toml": 'ignore = ["link"]', ".listcheck.toml": 'ignore = ["text"]'},
            "listcheck.toml",
            id="listcheck.toml-before-dotfile",
        ),
        pytest.param(
            {
                ".listcheck.toml": 'ignore = ["text"]',
                "pyproject.toml": '[tool.listcheck]\nignore = ["entry"]',
            },
            ".listcheck.toml",
            id="dotfile-before-pyproject",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "x"\n\n[tool.listcheck]\nignore = ["entry"]'},
            "pyproject.toml",
            id="pyproject-tool-table",
        ),
    ],
)
def test_discovery_order(tmp_path: Path, files: dict[str, str], winner: str) -> None:
    for name, text in files.items():
        put(tmp_path, name, text)
    config = load_config(None, tmp_path)
    assert config.source == tmp_path / winner
    expected = {"listcheck.toml": ("link",), ".listcheck.toml": ("text",)}.get(winner, ("entry",))
    assert config.ignore == expected


def test_pyproject_without_table_means_defaults(tmp_path: Path) -> None:
    put(tmp_path, "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    config = load_config(None, tmp_path)
    assert config == Config()
    assert config.source is None


def test_explicit_file_wins_over_discovery(tmp_path: Path) -> None:
    put(tmp_path, "listcheck.toml", 'fail_on = "notice"')
    ci = put(tmp_path, "ci.toml", 'fail_on = "warning"')
    config = load_config(ci, tmp_path)
    assert config.fail_severity is Severity.WARNING
    assert config.source == ci


def test_explicit_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r": is a directory, not a TOML file$"):
        load_config(tmp_path, tmp_path)


def test_explicit_pyproject_uses_its_tool_table(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    path = put(sub, "pyproject.toml", "[tool.listcheck.arxiv]\nmin_interval = 5\n")
    assert load_config(path, tmp_path).arxiv.min_interval == 5.0


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "pyproject.toml",
            "[tool.black]\n",
            "{path}: has no [tool.listcheck] table",
            id="explicit-pyproject-without-table",
        ),
        pytest.param(
            "pyproject.toml",
            '[tool]\nlistcheck = "strict"\n',
            "{path}: tool.listcheck: must be a table",
            id="tool-listcheck-not-a-table",
        ),
        pytest.param(None, "", "{path}: no such file", id="explicit-missing"),
    ],
)
def test_explicit_file_problems(tmp_path: Path, name: str | None, text: str, message: str) -> None:
    path = put(tmp_path, name, text) if name else tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path, tmp_path)
    assert str(caught.value) == message.format(path=path)
    assert caught.value.exit_code == ExitCode.USAGE


# --- one line per problem -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            'selct = ["arxiv"]',
            "listcheck.toml: selct: unknown key (did you mean 'select'?)",
            id="misspelt-key",
        ),
        pytest.param(
            "[http]\ntimout = 3",
            "listcheck.toml: http.timout: unknown key (did you mean 'timeout'?)",
            id="misspelt-key-in-subtable",
        ),
        pytest.param(
            "[http]\nretries = 3",
            "listcheck.toml: http.retries: unknown key "
            "(known keys: timeout, max_redirects, per_host, total, stop_host_after)",
            id="unknown-key-lists-the-known-ones",
        ),
        pytest.param(
            '[tool.listcheck]\nselect = ["arxiv"]',
            "listcheck.toml: tool: unknown key; in this file the settings stand at the top, "
            "without [tool.listcheck]",
            id="pyproject-layout-in-listcheck-toml",
        ),
        pytest.param(
            'select = ["arxiv/tag-mnth"]',
            "listcheck.toml: select[0]: unknown rule 'arxiv/tag-mnth' "
            "(did you mean 'arxiv/tag-month'?)",
            id="unknown-rule-in-select",
        ),
        pytest.param(
            'ignore = ["link/empty", "github/renammed"]',
            "listcheck.toml: ignore[1]: unknown rule 'github/renammed' "
            "(did you mean 'github/renamed'?)",
            id="unknown-rule-in-ignore",
        ),
        pytest.param(
            '[severity]\n"anchors/not-found" = "off"',
            'listcheck.toml: severity."anchors/not-found": unknown rule '
            "'anchors/not-found' (did you mean 'anchor/not-found'?)",
            id="unknown-rule-as-severity-key",
        ),
        pytest.param(
            'ignore = ["arxiv/title"]',
            "listcheck.toml: ignore[0]: unknown rule 'arxiv/title' "
            "(did you mean 'arxiv/title-typo'?)",
            id="partial-id-is-not-a-prefix",
        ),
        pytest.param(
            'severity = { "arxiv/url-form" = "fatal" }',
            "listcheck.toml: severity.\"arxiv/url-form\": must be 'error', 'warning', "
            "'notice' or 'off', got \"fatal\"",
            id="bad-level",
        ),
        pytest.param(
            'fail_on = "off"',
            "listcheck.toml: fail_on: must be 'error', 'warning' or 'notice', got \"off\"",
            id="fail-on-off",
        ),
        pytest.param(
            'select = "arxiv"',
            'listcheck.toml: select: must be an array, got "arxiv"',
            id="string-for-array",
        ),
        pytest.param(
            'max_file_size = "32MB"',
            'listcheck.toml: max_file_size: must be an integer, got "32MB"',
            id="size-as-string",
        ),
        pytest.param(
            "max_file_size = true",
            "listcheck.toml: max_file_size: must be an integer, got true",
            id="bool-is-not-a-size",
        ),
        pytest.param(
            "max_file_size = 0",
            "listcheck.toml: max_file_size: must be greater than 0, got 0",
            id="zero-size",
        ),
        pytest.param(
            'exclude = ["^https://example\\\\.org/", "(unclosed"]',
            "listcheck.toml: exclude[1]: '(unclosed' is not a valid RE2 regular expression: "
            "missing ): (unclosed",
            id="bad-regex",
        ),
        pytest.param(
            'exclude = ["^(?!https://)"]',
            "listcheck.toml: exclude[0]: '^(?!https://)' is not a valid RE2 regular expression: "
            "invalid perl operator: (?! (RE2 syntax: no backreferences or lookaround)",
            id="lookahead",
        ),
        pytest.param(
            'exclude = ["(a)\\\\1"]',
            "listcheck.toml: exclude[0]: '(a)\\\\1' is not a valid RE2 regular expression: "
            "invalid escape sequence: \\1 (RE2 syntax: no backreferences or lookaround)",
            id="backreference",
        ),
        pytest.param(
            "[arxiv]\nmin_interval = 1",
            "listcheck.toml: arxiv.min_interval: must be at least 3.0 seconds, got 1.0 "
            "(arXiv allows one API call every 3 seconds; the interval can be raised, "
            "not lowered)",
            id="arxiv-interval-lowered",
        ),
        pytest.param(
            "[arxiv]\nmin_interval = 2.999",
            "listcheck.toml: arxiv.min_interval: must be at least 3.0 seconds, got 2.999 "
            "(arXiv allows one API call every 3 seconds; the interval can be raised, "
            "not lowered)",
            id="arxiv-interval-just-below",
        ),
        pytest.param(
            "[arxiv]\nmin_interval = nan",
            "listcheck.toml: arxiv.min_interval: must be a finite number, got nan",
            id="arxiv-interval-nan",
        ),
        pytest.param(
            "[arxiv]\nbatch_size = 200",
            "listcheck.toml: arxiv.batch_size: must be less than or equal to 100, got 200",
            id="arxiv-batch-over-api-limit",
        ),
        pytest.param(
            '[arxiv]\napi_url = "export.arxiv.org/api/query"',
            "listcheck.toml: arxiv.api_url: must be an http(s) URL, "
            'got "export.arxiv.org/api/query"',
            id="api-url-without-scheme",
        ),
        pytest.param(
            '[github]\napi_url = "https://ghe.example:99999/api/v3"',
            "listcheck.toml: github.api_url: must be an http(s) URL, "
            'got "https://ghe.example:99999/api/v3"',
            id="api-url-port-out-of-range",
        ),
        pytest.param(
            '[huggingface]\nendpoint = "https://hub\u202e.example"',
            "listcheck.toml: huggingface.endpoint: must be an http(s) URL, "
            'got "https://hub\\u202e.example"',
            id="endpoint-with-a-bidi-override",
        ),
        pytest.param(
            '[github]\napi_url = "https://ghe example/api/v3"',
            "listcheck.toml: github.api_url: must be an http(s) URL, "
            'got "https://ghe example/api/v3"',
            id="api-url-with-a-space",
        ),
        pytest.param(
            'fail_on = "error\u202e"',
            "listcheck.toml: fail_on: must be 'error', 'warning' or 'notice', got \"error\\u202e\"",
            id="a-bidi-override-is-shown-escaped",
        ),
        pytest.param(
            "[http]\nper_host = 8\ntotal = 4",
            "listcheck.toml: http: per_host (8) cannot be larger than total (4)",
            id="per-host-over-total",
        ),
        pytest.param(
            "[http]\ntimeout = 0",
            "listcheck.toml: http.timeout: must be greater than 0, got 0",
            id="zero-timeout",
        ),
        pytest.param(
            "arxiv = 3",
            "listcheck.toml: arxiv: must be a table, got 3",
            id="scalar-for-table",
        ),
        pytest.param(
            'selct = []\nfail_on = "never"\nmax_file_size = -1',
            "listcheck.toml: fail_on: must be 'error', 'warning' or 'notice', got \"never\" "
            "(and 2 more problems)",
            id="several-problems-one-line",
        ),
    ],
)
def test_each_problem_is_one_line_naming_file_key_and_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    put(tmp_path, "listcheck.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(None, tmp_path)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_pyproject_problems_name_the_full_key(tmp_path: Path) -> None:
    put(tmp_path, "pyproject.toml", '[tool.listcheck]\nignore = ["mojibake"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(None, tmp_path)
    assert str(caught.value) == (
        "pyproject.toml: tool.listcheck.ignore[0]: unknown rule 'mojibake' "
        "(did you mean 'text/mojibake'?)"
    )


@pytest.mark.parametrize(
    ("text", "prefix", "detail"),
    [
        pytest.param(
            'select = ["arxiv"\nignore = []\n',
            "listcheck.toml:2:1: invalid TOML: ",
            "Unclosed array",
            id="unclosed-array",
        ),
        pytest.param(
            'fail_on = "error"\n\nfail_on = "warning"\n',
            "listcheck.toml:3:20: invalid TOML: ",
            "Cannot overwrite a value",
            id="duplicate-key",
        ),
        pytest.param(
            "[http\ntimeout = 5\n",
            "listcheck.toml:1:6: invalid TOML: ",
            "Expected ']'",
            id="unclosed-table-header",
        ),
    ],
)
def test_toml_syntax_errors_carry_their_line(
    tmp_path: Path, text: str, prefix: str, detail: str
) -> None:
    put(tmp_path, "listcheck.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(None, tmp_path)
    message = str(caught.value)
    assert message.startswith(prefix)
    assert detail in message
    assert "(at line" not in message


def test_broken_pyproject_is_an_error_even_without_our_table(tmp_path: Path) -> None:
    put(tmp_path, "pyproject.toml", "[project\n")
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:1:9: invalid TOML: "):
        load_config(None, tmp_path)


def test_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "listcheck.toml").write_bytes(b'# r\xe9glages\nfail_on = "error"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(None, tmp_path)
    assert str(caught.value) == (
        "listcheck.toml: is not UTF-8 (byte 0xE9 at offset 3); TOML files must be UTF-8"
    )


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


# --- selectors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "known"),
    [
        ("arxiv", True),
        ("arxiv/", True),
        ("arxiv/tag-month", True),
        ("ARXIV", False),
        ("arxiv/tag", False),
        ("/", False),
        ("", False),
        ("arxiv//", False),
    ],
)
def test_known_selectors(selector: str, known: bool) -> None:
    assert is_known_selector(selector) is known


@pytest.mark.parametrize(
    ("selector", "rule", "matches"),
    [
        ("arxiv", "arxiv/tag-month", True),
        ("arxiv/", "arxiv/tag-month", True),
        ("arxiv/tag-month", "arxiv/tag-month", True),
        ("arx", "arxiv/tag-month", False),
        ("arxiv/tag", "arxiv/tag-month", False),
        ("link", "linkedin/x", False),
    ],
)
def test_selector_matches(selector: str, rule: str, matches: bool) -> None:
    assert selector_matches(selector, rule) is matches


def test_closest_rule_always_names_something() -> None:
    assert closest_rule("hf/notfound") == "hf/not-found"
    assert is_known_selector(closest_rule("zzzz"))


HOSTILE_ADDRESSES = [
    "https://ghe.example:99999/api/v3",
    "https://ghe.example:-1/",
    "https://ghe.example:x/",
    "http://[::1/",
    "http://[::1]:8080/api",
    "https://hub\u202e.example",
    "https://bücher.example/api",
    "https://xn--bcher-kva.example/api",
    "https://ghe\x00.example/",
    "https://ghe\texample/",
    "https://user:pw@ghe.example/api/v3",
    "https://ghe.example/api/v3?x=1#y",
    "http:///api",
    "https://ghe.example/\u202e",
]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_an_address_accepted_is_one_the_client_can_use(address: str) -> None:
    """What the file may name, the client takes: no address fails later in the run."""
    from yarl import URL

    try:
        config = Config.model_validate({"github": {"api_url": address}})
    except ValidationError:
        return
    url = URL(config.github.api_base({}))
    assert url.scheme in {"http", "https"}
    assert url.host


@pytest.mark.parametrize(
    ("variable", "table"), [("GITHUB_API_URL", "github"), ("HF_ENDPOINT", "huggingface")]
)
def test_an_unusable_address_in_the_environment_is_one_line(variable: str, table: str) -> None:
    config = Config()
    with pytest.raises(ConfigError) as caught:
        getattr(config, table).api_base({variable: "https://ghe.example:99999"})
    assert (
        str(caught.value) == f'{variable}: must be an http(s) URL, got "https://ghe.example:99999"'
    )
    assert getattr(config, table).api_base({variable: "https://ghe.example/api/v3/"}) == (
        "https://ghe.example/api/v3"
    )
