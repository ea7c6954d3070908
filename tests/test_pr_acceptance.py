"""Issue acceptance for PR annotations: a pull request adds seven entries with seven
different problems to the real corpus list; the Action's command line gives exactly one
annotation per problem, on its line, with a fix where one is known, and nothing on the
lines the pull request did not touch (the list's old debts stay out of the review)."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import FakeInternet, World

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CORPUS = Path(__file__).parent / "fixtures" / "corpus" / "awesome-genai-unlearning.md"
ANCHOR = "- 【202503】ZJUKLAB at SemEval-2025 Task 4: Unlearning via Model Merging"
ADDED = [
    "- 【202501】A Paper With a Mistyped Identifier ([PDF](https://arxiv.org/abs/2501.99999))",
    "- 【202501】Efficient Memory Editing for Large Models ([PDF](https://arxiv.org/abs/2501.00011))",
    "- 【202501】Targeted Unlearning of Harmfull Knowledge in Language Models "
    "([PDF](https://arxiv.org/abs/2501.00012))",
    "- 【202502】Forgetting by Design in Large Language Models ([PDF](https://arxiv.org/abs/2501.00013))",
    "- 【202503】Deep Contrastive Unlearning for Language Models ([PDF](https://arxiv.org/abs/2503.14900))",
    "- 【202501】Sparse Forgetting in Transformers ([PDF](https://arxiv.org/abs/2501.00014), "
    "[code](https://github.com/example-lab/deleted-repo))",
    "- 【202501】Unlearning at Scale with Sharded Models ([PDF](https://arxiv.org/abs/2501.00015), "
    "[code](https://github.com/example-lab/old-name))",
]
# (severity, rule, fix) per added line, in order
EXPECTED = [
    ("error", "arxiv/not-found", None),
    ("error", "arxiv/title-mismatch", None),
    ("warning", "arxiv/title-typo", "Targeted Unlearning of Harmful Knowledge in Language Models"),
    ("warning", "arxiv/tag-month", "【202501】"),
    ("warning", "entry/duplicate", None),
    ("error", "github/not-found", None),
    ("warning", "github/renamed", "https://github.com/example-lab/new-name"),
]
ANNOTATION = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def build_world(world: World) -> None:
    world.arxiv.add("2501.00011", "Graph Neural Networks for Protein Folding")
    world.arxiv.add("2501.00012", "Targeted Unlearning of Harmful Knowledge in Language Models")
    world.arxiv.add("2501.00013", "Forgetting by Design in Large Language Models")
    world.arxiv.add("2503.14900", "Deep Contrastive Unlearning for Language Models")
    world.arxiv.add("2501.00014", "Sparse Forgetting in Transformers")
    world.arxiv.add("2501.00015", "Unlearning at Scale with Sharded Models")
    world.github.add_repo("example-lab/old-name")
    world.github.rename("example-lab/old-name", "example-lab/new-name")


@pytest.fixture
def pr_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[int]]:
    if not CORPUS.is_file():
        pytest.skip("corpus copy missing")
    text = CORPUS.read_text(encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    git(tmp_path, "add", "README.md")
    git(tmp_path, "commit", "-q", "-m", "the list as it is")
    git(tmp_path, "checkout", "-q", "-b", "add-papers")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(ANCHOR))
    lines[at:at] = ADDED
    (tmp_path / "README.md").write_text("\n".join(lines), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "add seven papers")
    monkeypatch.chdir(tmp_path)
    return tmp_path, [at + 1 + i for i in range(len(ADDED))]


async def test_one_annotation_per_problem_on_the_added_lines(
    pr_repo: tuple[Path, list[int]],
    fake_world: World,
    fake_server: FakeInternet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, added_lines = pr_repo
    build_world(fake_world)
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    (repo / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n', encoding="utf-8"
    )
    argv = ["--format", "github", "--no-cache", "--diff", "main", "README.md"]
    assert await asyncio.to_thread(main, argv) == 1
    out = capsys.readouterr().out
    annotations = []
    for text in out.splitlines():
        match = ANNOTATION.match(text)
        if match:
            props = dict(p.split("=", 1) for p in match["props"].split(","))
            annotations.append((int(props["line"]), match[1], props["title"], match["message"]))
    annotations.sort()  # the reporter emits errors first; compare in line order
    # The seven papers went in above the section's 2025-03 ones in a newest-first
    # section: each one from 2025-01 is also out of order, a notice of its own.
    order = [line for line, _, rule, _ in annotations if rule == "entry/order"]
    assert order == [line for line in added_lines if line != added_lines[4]]
    annotations = [a for a in annotations if a[2] != "entry/order"]
    assert [line for line, *_ in annotations] == added_lines
    for (line, severity, rule, message), (want_severity, want_rule, fix) in zip(
        annotations, EXPECTED, strict=True
    ):
        assert (severity, rule) == (want_severity, want_rule), line
        if fix is not None:
            assert f"fix: {fix}" in message
    # only the seven new links (and the duplicate's id) went to the network
    asked = {q for r in fake_server.log.of("arxiv") for q in r.query.get("id_list", "").split(",")}
    assert asked <= {"2501.99999", "2501.00011", "2501.00012", "2501.00013", "2503.14900",
                     "2501.00014", "2501.00015"}  # fmt: skip
    assert len(fake_server.log.of("github")) <= 3
