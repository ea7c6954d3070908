"""Where a run's settings come from, and reading that file.

First match wins: ``--config FILE`` (a ``listcheck.toml``, or a ``pyproject.toml`` whose
``[tool.listcheck]`` is used), then ``listcheck.toml``, then ``.listcheck.toml``, then
``[tool.listcheck]`` in ``pyproject.toml``, all in the current folder; else the
defaults. Apart from the settings because finding, reading and decoding a file (and
wording what is wrong with it, with the file's name and line) is a job of its own: the
settings themselves are also built from the command line and from tests, with no file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from listcheck.config.messages import problem, toml_key
from listcheck.config.settings import Config
from listcheck.errors import ConfigError

CONFIG_FILES: Final = ("listcheck.toml", ".listcheck.toml")
PYPROJECT: Final = "pyproject.toml"
PYPROJECT_TABLE: Final = ("tool", "listcheck")


def load_config(explicit: Path | None, cwd: Path) -> Config:
    """The settings for a run in ``cwd``: ``explicit`` (``--config``) if given, else the
    first configuration file found in ``cwd``, else the defaults."""
    if explicit is not None:
        config = _load(explicit, explicit)
        if config is None:
            raise ConfigError(f"{explicit}: has no [tool.listcheck] table")
        return config
    for name in (*CONFIG_FILES, PYPROJECT):
        path = cwd / name
        if path.is_file():
            config = _load(path, Path(name))
            if config is not None:
                return config
    return Config()


def _load(path: Path, shown: Path) -> Config | None:
    """Reads one file; None for a ``pyproject.toml`` without ``[tool.listcheck]`` (a
    project's pyproject need not configure listcheck). ``shown`` is the path as the
    user should read it in messages."""
    data = _read_toml(path, shown)
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        prefix = PYPROJECT_TABLE
        table: Any = data
        for key in PYPROJECT_TABLE:
            table = table.get(key) if isinstance(table, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{shown}: tool.listcheck: must be a table")
        data = table
    try:
        return Config.from_file(data, path)
    except ValidationError as exc:
        raise ConfigError(_describe(shown, prefix, exc)) from None


def _read_toml(path: Path, shown: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{shown}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{shown}: is not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start}); "
            "TOML files must be UTF-8"
        ) from None
    import tomllib  # only a run that has a config file reads TOML

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if where is None:
            raise ConfigError(f"{shown}: invalid TOML: {message}") from None
        line, column = where.groups()
        raise ConfigError(
            f"{shown}:{line}:{column}: invalid TOML: {message[: where.start()]}"
        ) from None


def _describe(shown: Path, prefix: tuple[str, ...], exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = tuple(part for part in first["loc"] if part != "[key]")
    key = toml_key((*prefix, *loc))
    line = (
        f"{shown}: {key}: {problem(first, Config)}" if key else f"{shown}: {problem(first, Config)}"
    )
    if not prefix and first["type"] == "extra_forbidden" and loc == ("tool",):
        line = (
            f"{shown}: tool: unknown key; in this file the settings stand at the top, "
            "without [tool.listcheck]"
        )
    if len(errors) > 1:
        more = len(errors) - 1
        line += f" (and {more} more problem{'s' if more > 1 else ''})"
    return line
