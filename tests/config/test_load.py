from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.config import Config, load_config
from listcheck.errors import ConfigError, ExitCode
from listcheck.models import Severity
from tests.config.files import put

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


# --- files that are not TOML ---------------------------------------------------------------


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
