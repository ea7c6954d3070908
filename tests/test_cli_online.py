"""The command line online, end to end: configuration and environment point listcheck at
the fake internet, exactly as a user points it at a mirror or GitHub Enterprise."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import FakeInternet, World

LIST = """# Awesome
## Papers
- 【202401】Sparse Attention for Long Documents ([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/org/fine))
- 【202401】A Paper That Is Not There ([PDF](https://arxiv.org/abs/2401.99999), [code](https://github.com/org/gone))
"""


@pytest.fixture
def setup(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    fake_world.github.add_repo("org/fine")
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n', encoding="utf-8"
    )
    (tmp_path / "README.md").write_text(LIST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_online_json_run(
    setup: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await asyncio.to_thread(
        main, ["--format", "json", "--cache", str(setup / "cache.sqlite3")]
    )
    out, err = capsys.readouterr()
    assert code == 1
    report = json.loads(out)
    assert report["stats"]["offline"] is False
    rules = sorted((f["rule"], f["line"]) for f in report["findings"])
    assert rules == [("arxiv/not-found", 4), ("github/not-found", 4)]
    assert sum(report["stats"]["requests"].values()) == len(fake_server.log.entries)
    assert err == ""


async def test_no_cache_and_offline_send_nothing_when_told(
    setup: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await asyncio.to_thread(main, ["--offline", "--format", "json"])
    assert code == 0
    assert fake_server.log.entries == []
    code = await asyncio.to_thread(main, ["--format", "json", "--no-cache"])
    assert code == 1
    assert not (setup / "cache.sqlite3").exists()
    capsys.readouterr()


async def test_selecting_only_offline_rules_needs_no_network(
    setup: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await asyncio.to_thread(main, ["--format", "json", "--select", "arxiv/tag-month"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["stats"]["offline"] is True
    assert fake_server.log.entries == []


async def test_ignored_rules_spend_no_request(
    setup: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> None:
    """The arXiv and GitHub rules ignored: their APIs are not asked, quota stays unspent."""
    code = await asyncio.to_thread(
        main, ["--format", "json", "--no-cache", "--ignore", "arxiv,github,link"]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert fake_server.log.entries == []
    verdicts = {link["url"]: link["verdict"] for link in json.loads(out)["links"]}
    assert verdicts["https://arxiv.org/abs/2401.99999"] == "skipped"


async def _run_with_github_api_from_config(
    setup: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> str:
    """One run whose listcheck.toml (which a pull request can edit) names the GitHub API;
    returns what it wrote on standard error."""
    (setup / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n'
        f'[github]\napi_url = "{fake_server.github_api_url}"\n',
        encoding="utf-8",
    )
    await asyncio.to_thread(main, ["--format", "json", "--no-cache"])
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("environment_api", "named_in_note"),
    [
        pytest.param(None, "https://api.github.com", id="public-api-token"),
        pytest.param("http://127.0.0.1:9/api/v3", "http://127.0.0.1:9", id="enterprise-token"),
    ],
)
async def test_token_never_goes_to_an_api_address_from_a_config_file(
    setup: Path,
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environment_api: str | None,
    named_in_note: str,
) -> None:
    """A pull request can change listcheck.toml: an API address from it gets no token,
    whether the token is for the public API or for the enterprise API GITHUB_API_URL
    names (the local fake stands in for the configured address; port 9 is never asked)."""
    if environment_api is None:
        monkeypatch.delenv("GITHUB_API_URL")
    else:
        monkeypatch.setenv("GITHUB_API_URL", environment_api)
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret")
    fake_world.github.tokens["ghs_secret"] = 5000
    err = await _run_with_github_api_from_config(setup, fake_server, capsys)
    assert fake_server.log.of("github")
    assert fake_server.log.with_authorization() == []
    assert named_in_note in err
    assert "no token is sent to it" in err


async def test_token_goes_to_the_api_the_environment_names(
    setup: Path,
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_enterprise")
    fake_world.github.tokens["ghs_enterprise"] = 5000
    await asyncio.to_thread(main, ["--format", "json", "--no-cache"])
    _, err = capsys.readouterr()
    sent = fake_server.log.with_authorization()
    assert sent
    assert {entry.service for entry in sent} == {"github"}
    assert "no token" not in err


@pytest.mark.parametrize(
    ("hf_endpoint", "from_config", "token_sent"),
    [
        pytest.param("fake", False, True, id="the-environment's-endpoint-gets-it"),
        pytest.param(None, True, False, id="no-environment:-a-config-named-endpoint-does-not"),
        pytest.param("elsewhere", True, False, id="a-mirror-set:-a-config-named-one-does-not"),
    ],
)
async def test_a_hub_token_goes_only_to_the_endpoint_it_was_given_for(
    setup: Path,
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    hf_endpoint: str | None,
    from_config: bool,
    token_sent: bool,
) -> None:
    """HF_TOKEN follows HF_ENDPOINT (else the Hub itself), as GITHUB_TOKEN follows
    GITHUB_API_URL; the fake Hub stands in for whichever endpoint is asked."""
    fake_world.hf.add_model("org/model")
    (setup / "README.md").write_text(
        "# L\n## Models\n- Model ([weights](https://huggingface.co/org/model))\n",
        encoding="utf-8",
    )
    endpoints = {"fake": fake_server.hf_endpoint, "elsewhere": "http://127.0.0.1:9"}
    if hf_endpoint is None:
        monkeypatch.delenv("HF_ENDPOINT")
    else:
        monkeypatch.setenv("HF_ENDPOINT", endpoints[hf_endpoint])
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    config = f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n'
    if from_config:
        config += f'[huggingface]\nendpoint = "{fake_server.hf_endpoint}"\n'
    (setup / "listcheck.toml").write_text(config, encoding="utf-8")
    await asyncio.to_thread(main, ["--format", "json", "--no-cache"])
    _, err = capsys.readouterr()
    asked = fake_server.log.of("huggingface")
    assert asked
    assert [entry.token for entry in asked] == ["hf_secret" if token_sent else None] * len(asked)
    assert ("no token is sent to it" in err) is not token_sent


async def test_a_cached_answer_is_not_served_for_another_api_endpoint(
    setup: Path,
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One cache, the same repository paths on two GitHub APIs and two Hub endpoints (an
    enterprise API, a mirror): where the first answers "exists", the second answers
    "gone", and the second run must ask it, with no ETag learnt from the first."""
    fake_world.hf.add_model("org/model")
    (setup / "README.md").write_text(
        LIST + "## Models\n- Model ([weights](https://huggingface.co/org/model))\n",
        encoding="utf-8",
    )
    cache = ["--format", "json", "--cache", str(setup / "cache.sqlite3")]

    def findings() -> set[tuple[str, int]]:
        report = json.loads(capsys.readouterr().out)
        return {(finding["rule"], finding["line"]) for finding in report["findings"]}

    await asyncio.to_thread(main, cache)
    first = findings()
    assert ("github/not-found", 3) not in first
    assert not any(rule.startswith("hf/") for rule, _ in first)
    asked_first = [(entry.service, entry.path) for entry in fake_server.log.of("github")]
    async with FakeInternet(World()) as other:  # the same paths, none of them there
        monkeypatch.setenv("GITHUB_API_URL", other.github_api_url)
        monkeypatch.setenv("HF_ENDPOINT", other.hf_endpoint)
        await asyncio.to_thread(main, cache)
        second = findings()
        assert {("github/not-found", 3), ("hf/not-found", 6)} <= second
        paths = {entry.path for entry in other.log.of("github")}
        assert {path for _, path in asked_first} <= paths
        assert other.log.of("huggingface")
        assert all("If-None-Match" not in entry.headers for entry in other.log)
    # Back on the first endpoints: their own answers still serve, nothing is asked.
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    fake_server.log.clear()
    await asyncio.to_thread(main, cache)
    assert findings() == first
    assert fake_server.log.of("github") == []
    assert fake_server.log.of("huggingface") == []


@pytest.mark.parametrize(
    ("variable", "config"),
    [
        ("GITHUB_API_URL", ""),
        ("HF_ENDPOINT", ""),
        (None, '[github]\napi_url = "https://ghe.example:99999/api/v3"\n'),
        (None, '[huggingface]\nendpoint = "https://hub\u202e.example"\n'),
    ],
)
async def test_an_unusable_api_address_is_one_line_and_exit_2(
    setup: Path,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str | None,
    config: str,
) -> None:
    """Addresses Python's URL splitter takes but the HTTP client refuses (a port past
    65535, a bidi override in the host) end the run before any request, in one line."""
    if variable is not None:
        monkeypatch.setenv(variable, "https://ghe.example:99999/api/v3")
    (setup / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n{config}', encoding="utf-8"
    )
    code = await asyncio.to_thread(main, ["--no-cache"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "must be an http(s) URL" in err
    assert fake_server.log.entries == []


async def test_ctrl_c_ends_cleanly_with_130(
    setup: Path, fake_world: World, fake_server: FakeInternet
) -> None:
    """Interrupted mid-check (a host that takes 30 s): one line, exit 130, no traceback."""
    import signal
    import subprocess
    import sys

    fake_world.web.slow("https://slow.example.org/paper", 30)
    (setup / "README.md").write_text(
        f"# L\n- [slow]({fake_server.web_url('https://slow.example.org/paper')})\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "listcheck", "--no-cache", "README.md"],
        cwd=setup,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    for _ in range(200):  # until the request reaches the slow host
        if fake_world.web.in_flight:
            break
        await asyncio.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = await asyncio.to_thread(process.communicate, timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in err
    assert err.decode().strip().splitlines()[-1] == "listcheck: interrupted"
