"""A list folder whose ``listcheck.toml`` points arXiv at the fake, and papers in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import FakeInternet, World

REPO = "https://github.com/acme/fastforget"


@pytest.fixture
def papers(fake_world: World) -> World:
    """The papers the tests add: one naming its code in the comments, one in the
    abstract, one naming none, one withdrawn."""
    arxiv = fake_world.arxiv
    arxiv.add(
        "2505.01234",
        "Forgetting Without Retraining: Fast Unlearning for Language Models",
        comment=f"ICLR 2026. Code at {REPO}.",
        summary="We study unlearning in language models.",
    )
    arxiv.add(
        "2402.04321",
        "MemErase: Erasing Memorised Data",
        summary="An eraser. Our code is at https://github.com/acme/memerase.git and more.",
        journal_ref="Findings of ACL 2024",
    )
    arxiv.add("2311.00777", "Another Look at Unlearning Benchmarks")
    arxiv.add("2403.05555", "A Withdrawn Study", withdrawn=True)
    fake_world.github.add_repo("acme/fastforget")
    fake_world.github.add_repo("acme/memerase")
    return fake_world


@pytest.fixture
def folder(
    papers: World, fake_server: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (tmp_path / "listcheck.toml").write_text(
        f'[arxiv]\napi_url = "{fake_server.arxiv_api_url}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path
