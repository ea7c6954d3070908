from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.config import load_config
from listcheck.errors import ConfigError
from tests.config.files import put

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
