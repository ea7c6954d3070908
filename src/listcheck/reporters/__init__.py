"""Output formats by ``--format`` name.

Adding a format is one new module with a :class:`Reporter` subclass and one line in
:data:`REPORTERS`. The names are the registry's keys rather than an enum, so that line
stays the only place a format is listed; the CLI offers ``sorted(REPORTERS)``.

The registry names each format's module instead of importing it: a run imports only the
reporter it writes with, so ``--format json`` never loads ``rich``, and the CLI lists the
choices (``--help``, ``--version``) without loading any format or the models.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from listcheck.errors import ConfigError

if TYPE_CHECKING:
    from listcheck.reporters.base import Reporter, ReporterOptions
    from listcheck.reporters.json import JsonReporter
    from listcheck.reporters.text import TextReporter

ReporterFactory = type["Reporter"]


class _LazyRegistry(Mapping[str, ReporterFactory]):
    """Format name -> reporter class, importing a format's module on first lookup."""

    def __init__(self, locations: Mapping[str, tuple[str, str]]) -> None:
        self._locations = dict(locations)

    def __getitem__(self, name: str) -> ReporterFactory:
        module, attribute = self._locations[name]
        factory: ReporterFactory = getattr(import_module(module), attribute)
        return factory

    def __iter__(self) -> Iterator[str]:
        return iter(self._locations)

    def __len__(self) -> int:
        return len(self._locations)


REPORTERS: Mapping[str, ReporterFactory] = _LazyRegistry(
    {
        "text": ("listcheck.reporters.text", "TextReporter"),
        "json": ("listcheck.reporters.json", "JsonReporter"),
        "github": ("listcheck.reporters.github", "GithubReporter"),
        "sarif": ("listcheck.reporters.sarif", "SarifReporter"),
        "markdown": ("listcheck.reporters.markdown", "MarkdownReporter"),
    }
)

_EXPORTS = {"TextReporter": "text", "JsonReporter": "json"}


def default_format(environ: Mapping[str, str]) -> str:
    """The format when ``--format`` is not given: annotations and a job summary inside
    GitHub Actions, the text report everywhere else."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def get_reporter(name: str, options: ReporterOptions | None = None) -> Reporter:
    """The reporter for ``--format name``, set up from the command line's ``options``;
    an unknown name is a usage error."""
    try:
        factory = REPORTERS[name]
    except KeyError:
        choices = ", ".join(sorted(REPORTERS))
        raise ConfigError(f"--format: unknown format {name!r} (choose from {choices})") from None
    from listcheck.reporters.base import ReporterOptions

    return factory.configured(options or ReporterOptions())


def __getattr__(name: str) -> Any:
    """``from listcheck.reporters import TextReporter`` keeps working, imported on use."""
    if name in _EXPORTS:
        return REPORTERS[_EXPORTS[name]]
    if name == "Reporter":
        return import_module("listcheck.reporters.base").Reporter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "REPORTERS",
    "JsonReporter",
    "Reporter",
    "TextReporter",
    "default_format",
    "get_reporter",
]
