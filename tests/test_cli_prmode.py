"""PR mode through the CLI on a real git repository: findings only on the lines the
change touched (plus what it broke elsewhere), and no request for unchanged links."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import FakeInternet, World

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE = """# Awesome
## Contents
- [Papers](#papers)
## Papers
- 【202401】Sparse Attention for Long Documents ([PDF](https://arxiv.org/abs/2401.00001))
- 【202406】An Old Entry With a Wrong Tag ([PDF](https://arxiv.org/abs/2404.00002))
- An old entry with an empty link ([PDF]())
"""

HEAD = """# Awesome
## Contents
- [Papers](#papers)
## Research Papers
- 【202401】Sparse Attention for Long Documents ([PDF](https://arxiv.org/abs/2401.00001))
- 【202406】An Old Entry With a Wrong Tag ([PDF](https://arxiv.org/abs/2404.00002))
- An old entry with an empty link ([PDF]())
- 【202405】A New Entry With a Wrong Tag ([PDF](https://arxiv.org/abs/2403.00003))
- 【202401】A New Paper That Does Not Exist ([PDF](https://arxiv.org/abs/2401.99999), [code](https://github.com/org/new))
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", "README.md")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "pr")
    (tmp_path / "README.md").write_text(HEAD, encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "add two papers, rename a heading")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def findings(capsys: pytest.CaptureFixture[str]) -> set[tuple[str, int]]:
    out, _ = capsys.readouterr()
    return {(f["rule"], f["line"]) for f in json.loads(out)["findings"]}


def test_offline_pr_mode_reports_changed_lines_and_what_the_change_broke(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--offline", "--format", "json", "--diff", "main"]) == 1
    assert findings(capsys) == {
        ("anchor/not-found", 3),  # unchanged line, broken by the renamed heading
        ("arxiv/tag-month", 8),  # the new entry
    }
    main(["--offline", "--format", "json"])
    everything = findings(capsys)
    assert ("arxiv/tag-month", 6) in everything
    assert ("link/empty", 7) in everything


def test_bad_ref_is_one_line_and_exit_two(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--offline", "--diff", "origin/nope"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("listcheck: error:")
    assert err.count("\n") == 1
    assert "origin/nope" in err


def test_diff_without_base_outside_actions_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--offline", "--diff"]) == 2
    assert "--diff needs a base ref" in capsys.readouterr().err


async def test_online_pr_mode_asks_only_for_changed_links(
    repo: Path,
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    fake_world.arxiv.add("2403.00003", "A New Entry With a Wrong Tag")
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    config = repo / "listcheck.toml"
    config.write_text(f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n', encoding="utf-8")
    argv = ["--format", "json", "--no-cache", "--diff", "main", "README.md"]
    assert await asyncio.to_thread(main, argv) == 1
    assert findings(capsys) == {
        ("anchor/not-found", 3),
        ("arxiv/tag-month", 8),
        ("arxiv/not-found", 9),
        ("github/not-found", 9),
    }
    asked = {q for r in fake_server.log.of("arxiv") for q in r.query.get("id_list", "").split(",")}
    assert asked == {"2403.00003", "2401.99999"}
