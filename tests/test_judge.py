"""The judge's suggested URLs replace the repository in the path, never in the host."""

from __future__ import annotations

import pytest

from listcheck.checkers.huggingface import read_info
from listcheck.judge import _replace_in_path


@pytest.mark.parametrize(
    ("url", "old", "new", "expected"),
    [
        ("https://github.com/com/com", "com/com", "org/com", "https://github.com/org/com"),
        (
            "https://github.com/Old/Repo/tree/main/src",
            "old/repo",
            "new/repo",
            "https://github.com/new/repo/tree/main/src",
        ),
        (
            "https://huggingface.co/bert-base-uncased",
            "bert-base-uncased",
            "google-bert/bert-base-uncased",
            "https://huggingface.co/google-bert/bert-base-uncased",
        ),
        (
            "https://github.com/a/b?tab=readme#x",
            "a/b",
            "c/d",
            "https://github.com/c/d?tab=readme#x",
        ),
    ],
)
def test_replace_in_path(url: str, old: str, new: str, expected: str) -> None:
    assert _replace_in_path(url, old, new) == expected


def test_hostile_truncated_hub_answer_is_read_without_crashing() -> None:
    info = read_info(b'{"id":"\\x', truncated=True)
    assert info.repo_id is None
