"""``--fix`` through the CLI: safe fixes written atomically, or previewed as a diff."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import FakeInternet, World

LIST = (
    "# L\r\n## Papers\r\n"
    "- 【201904】Sparse Transformers ([PDF](http://arxiv.org/abs/1904.10509))\r\n"
    "- 【202009】Performers ([PDF](https://www.arxiv.org/pdf/2009.14794v2.pdf))\r\n"
    "- 【202006】Linformer ([PDF]())\r\n"
)


@pytest.fixture
def crlf_list(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_bytes(LIST.encode("utf-8"))
    return path


def test_fix_writes_only_the_spans_and_a_rerun_finds_none_of_them(
    crlf_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--offline", "--fix", "--format", "json", str(crlf_list)]) == 1
    out, err = capsys.readouterr()
    assert "fixed 2 findings" in err
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["link/empty"]
    fixed = crlf_list.read_bytes().decode("utf-8")
    assert fixed == LIST.replace(
        "http://arxiv.org/abs/1904.10509", "https://arxiv.org/abs/1904.10509"
    ).replace("https://www.arxiv.org/pdf/2009.14794v2.pdf", "https://arxiv.org/pdf/2009.14794v2")
    assert fixed.count("\r\n") == LIST.count("\r\n")
    main(["--offline", "--format", "json", str(crlf_list)])
    again = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in again] == ["link/empty"]


@pytest.mark.parametrize("order", ["flag-last", "path-last"])
def test_fix_diff_previews_without_writing(
    crlf_list: Path, capsys: pytest.CaptureFixture[str], order: str
) -> None:
    before = crlf_list.read_bytes()
    argv = (
        ["--offline", "--fix", str(crlf_list), "--diff"]
        if order == "flag-last"
        else ["--offline", "--fix", "--diff", str(crlf_list)]
    )
    assert main(argv) == 1
    out, _ = capsys.readouterr()
    assert "-- 【201904】Sparse Transformers ([PDF](http://arxiv.org/abs/1904.10509))" in out
    assert "+- 【201904】Sparse Transformers ([PDF](https://arxiv.org/abs/1904.10509))" in out
    assert crlf_list.read_bytes() == before


@pytest.mark.parametrize(
    ("fmt", "note"),
    [
        ([], ""),
        (
            ["--format", "json"],
            "listcheck: note: --format json does not apply to a --fix --diff preview, "
            "which is always a unified diff\n",
        ),
    ],
    ids=["no-format", "json"],
)
def test_fix_diff_goes_to_output_and_says_when_format_does_not_apply(
    crlf_list: Path, capsys: pytest.CaptureFixture[str], fmt: list[str], note: str
) -> None:
    before = crlf_list.read_bytes()
    patch = crlf_list.parent / "fixes.diff"
    assert main(["--offline", "--fix", "--diff", *fmt, "-o", str(patch), str(crlf_list)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", note)
    diff = patch.read_text(encoding="utf-8")
    assert diff.startswith("--- ")
    assert "+- 【201904】Sparse Transformers ([PDF](https://arxiv.org/abs/1904.10509))" in diff
    assert crlf_list.read_bytes() == before
    assert sorted(p.name for p in crlf_list.parent.iterdir()) == ["README.md", "fixes.diff"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_fix_on_a_symlinked_list_is_refused_before_the_run(
    crlf_list: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = crlf_list.parent / "docs.md"
    link.symlink_to(crlf_list)
    assert main(["--offline", "--fix", str(link)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"listcheck: error: {link}: is a symbolic link (to {crlf_list.resolve()}); "
        "--fix never writes through one, run it on that file\n"
    )
    assert crlf_list.read_bytes() == LIST.encode("utf-8")
    assert link.is_symlink()
    # A preview writes nothing, so it may read through the link.
    assert main(["--offline", "--fix", "--diff", str(link)]) == 1
    assert "+- 【201904】" in capsys.readouterr().out


def test_fix_titles_needs_fix(crlf_list: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--offline", "--fix-titles", str(crlf_list)]) == 2
    assert "--fix-titles works with --fix" in capsys.readouterr().err


async def test_fix_renamed_repository_and_title_online(
    fake_world: World,
    fake_server: FakeInternet,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    fake_world.github.add_repo("org/old")
    fake_world.github.rename("org/old", "org/new")
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (tmp_path / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n', encoding="utf-8"
    )
    path = tmp_path / "README.md"
    path.write_text(
        "# L\n## Papers\n- 【202401】Sparse Atention for Long Documents "
        "([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/org/old))\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    argv = ["--fix", "--fix-titles", "--no-cache", "--format", "json", "README.md"]
    assert await asyncio.to_thread(main, argv) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert path.read_text(encoding="utf-8") == (
        "# L\n## Papers\n- 【202401】Sparse Attention for Long Documents "
        "([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/org/new))\n"
    )
