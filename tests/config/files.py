"""Writes the small TOML files the config tests read; shared by the loading, message and
settings tests."""

from __future__ import annotations

from pathlib import Path


def put(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
