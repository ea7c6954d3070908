"""listcheck's settings: where they are found, what they may say, and what they mean.

A package because those are separate jobs: :mod:`.selectors` (how a setting names
rules), :mod:`.values` (the kinds of value a setting holds), :mod:`.settings` (the
tables, their defaults and what they mean for a run), :mod:`.load` (finding and reading
the file) and :mod:`.messages` (one TOML-worded line per problem). The names below are
what the rest of listcheck asks for, so they are importable from here.
"""

from __future__ import annotations

from listcheck.config.load import load_config
from listcheck.config.settings import (
    ARXIV_API_URL,
    ARXIV_MAX_BATCH,
    ARXIV_MAX_TITLE_SEARCHES,
    ARXIV_MIN_INTERVAL,
    GITHUB_API_URL,
    HUGGINGFACE_ENDPOINT,
    ArxivConfig,
    Config,
    GithubConfig,
    HttpConfig,
    HuggingfaceConfig,
)

__all__ = [
    "ARXIV_API_URL",
    "ARXIV_MAX_BATCH",
    "ARXIV_MAX_TITLE_SEARCHES",
    "ARXIV_MIN_INTERVAL",
    "GITHUB_API_URL",
    "HUGGINGFACE_ENDPOINT",
    "ArxivConfig",
    "Config",
    "GithubConfig",
    "HttpConfig",
    "HuggingfaceConfig",
    "load_config",
]
