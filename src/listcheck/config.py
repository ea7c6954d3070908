"""listcheck's settings: where they are found, what they may say, and what they mean.

A maintainer's configuration is checked as strictly as their list: a misspelt key or
rule id is an error that names the file, the key and the closest correct spelling,
because a setting that silently does nothing is worse than none. Every problem ends
the run through one :class:`~listcheck.errors.ConfigError` line.

Rule selectors (in ``select``, ``ignore``, ``severity`` and inline suppressions) are a
rule id (``arxiv/tag-month``) or a category (``arxiv`` or ``arxiv/``). When several
selectors name a rule, the most specific decides (an id beats a category, a category
beats "every rule"); between equally specific ``select`` and ``ignore``, ``ignore``
wins. So ``ignore = ["arxiv"]`` with ``select = ["arxiv/tag-month"]`` keeps exactly
that one arXiv rule.

Where settings come from, first match wins: ``--config FILE`` (a ``listcheck.toml``, or
a ``pyproject.toml`` whose ``[tool.listcheck]`` is used), then ``listcheck.toml``, then
``.listcheck.toml``, then ``[tool.listcheck]`` in ``pyproject.toml``, all in the
current folder; else the defaults.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StrictInt,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from listcheck.errors import ConfigError
from listcheck.models import Finding, Severity
from listcheck.rules.base import CATALOGUE

if TYPE_CHECKING:
    from listcheck.patterns import UserPattern

CONFIG_FILES: Final = ("listcheck.toml", ".listcheck.toml")
PYPROJECT: Final = "pyproject.toml"
PYPROJECT_TABLE: Final = ("tool", "listcheck")
DEFAULT_MAX_FILE_SIZE: Final = 16 * 1024 * 1024
DEFAULT_MAX_TIME: Final = 600.0
"""Ten minutes of online checks: a list of a few thousand links finishes well within it
(arXiv's three seconds per 100 ids set the pace), and with reading, reporting and the
cache it still fits the 15-minute job limit of the workflows we ship."""
ARXIV_API_URL: Final = "https://export.arxiv.org/api/query"
ARXIV_MIN_INTERVAL: Final = 3.0
"""arXiv's terms of use: no more than one API call every three seconds."""
ARXIV_MAX_BATCH: Final = 100
ARXIV_MAX_TITLE_SEARCHES: Final = 10
"""Title searches (``entry/suggest-link``) a run may send: each asks for up to 20 titles,
so a first run over a list with many link-less entries costs at most half a minute of
arXiv's pace, and the cache lets the next runs go on where it stopped."""
GITHUB_API_URL: Final = "https://api.github.com"
HUGGINGFACE_ENDPOINT: Final = "https://huggingface.co"


# --- rule selectors -------------------------------------------------------------------


def rule_categories() -> frozenset[str]:
    """The part before the slash of every catalogued rule id (``arxiv``, ``link`` ...)."""
    return frozenset(rule_id.partition("/")[0] for rule_id in CATALOGUE)


def is_known_selector(selector: str) -> bool:
    """True for a catalogued rule id or a category, with or without a trailing slash."""
    return selector in CATALOGUE or selector.removesuffix("/") in rule_categories()


def selector_matches(selector: str, rule_id: str) -> bool:
    """Whether ``selector`` names ``rule_id``; also for rule ids not (yet) catalogued, so
    ``arxiv`` covers a future ``arxiv/...`` rule."""
    if selector == rule_id:
        return True
    category = selector.removesuffix("/")
    return "/" not in category and rule_id.startswith(f"{category}/")


def closest_rule(selector: str) -> str:
    """The known rule id or category most like ``selector``, for "did you mean" hints."""
    candidates = sorted(CATALOGUE) + sorted(rule_categories())
    import difflib

    return difflib.get_close_matches(selector, candidates, n=1, cutoff=0.0)[0]


def unknown_rule_message(selector: str) -> str:
    return f"unknown rule {selector!r} (did you mean {closest_rule(selector)!r}?)"


def _specificity(selector: str) -> int:
    return 2 if "/" in selector.removesuffix("/") else 1


def _check_selector(selector: str) -> str:
    if not is_known_selector(selector):
        raise PydanticCustomError("unknown_rule", unknown_rule_message(selector))
    return selector


RuleSelector = Annotated[str, AfterValidator(_check_selector)]
Level = Literal["error", "warning", "notice", "off"]
FailOn = Literal["error", "warning", "notice"]
Seconds = Annotated[float, Strict(), Field(allow_inf_nan=False)]


def _is_http_url(value: str) -> bool:
    """Strict enough that the client (yarl) takes every address accepted here, so a bad
    one is this one line, not a failure later in the run: no spaces or invisible
    characters, a port that exists, a host in ASCII (an internationalised name in its
    ``xn--`` form). Stdlib only: an offline run validates the defaults too, and must not
    load the network stack for it."""
    if not value.isascii() or not value.isprintable() or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # raises for a port past 65535 or not a number
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def _check_http_url(value: str) -> str:
    if not _is_http_url(value):
        raise PydanticCustomError("http_url", f"must be an http(s) URL, got {_toml_value(value)}")
    return value


def _api_base(
    configured: str | None, environ: Mapping[str, str], variable: str, default: str
) -> str:
    """The configured address, else the environment's (checked as strictly as the
    file's, and named in the error), else the public one; without a trailing slash."""
    if configured:
        return configured.rstrip("/")
    value = environ.get(variable)
    if not value:
        return default
    if not _is_http_url(value):
        raise ConfigError(f"{variable}: must be an http(s) URL, got {_toml_value(value)}")
    return value.rstrip("/")


def _check_pattern(value: str) -> str:
    from listcheck.patterns import PatternError, compile_pattern

    try:
        compile_pattern(value)
    except PatternError as exc:
        raise PydanticCustomError(
            "regex", f"{value!r} is not a valid RE2 regular expression: {exc}"
        ) from None
    return value


def _check_arxiv_interval(value: float) -> float:
    if value < ARXIV_MIN_INTERVAL:
        raise PydanticCustomError(
            "arxiv_interval",
            f"must be at least {ARXIV_MIN_INTERVAL} seconds, got {value} (arXiv allows one "
            "API call every 3 seconds; the interval can be raised, not lowered)",
        )
    return value


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
UrlPattern = Annotated[str, AfterValidator(_check_pattern)]


# --- the settings -----------------------------------------------------------------------


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArxivConfig(_Table):
    """How the arXiv API is asked. The pace may only be slowed down: arXiv's terms allow
    one call every three seconds, and a list checker that ignores them gets a shared
    CI runner's address blocked for everyone."""

    api_url: HttpUrl = ARXIV_API_URL
    min_interval: Annotated[Seconds, AfterValidator(_check_arxiv_interval)] = ARXIV_MIN_INTERVAL
    """Seconds between two API calls; at least 3.0."""
    batch_size: Annotated[StrictInt, Field(ge=1, le=ARXIV_MAX_BATCH)] = ARXIV_MAX_BATCH
    """Ids per call; the API serves at most 100 at once."""
    max_title_searches: Annotated[StrictInt, Field(ge=0)] = ARXIV_MAX_TITLE_SEARCHES
    """Title searches a run may send for ``entry/suggest-link`` (0: none); titles past
    the cap are said once as not searched, and searched on a later run."""


class GithubConfig(_Table):
    api_url: HttpUrl | None = None
    """None: ``$GITHUB_API_URL`` (set by GitHub Actions, also on GitHub Enterprise),
    else the public API."""

    def api_base(self, environ: Mapping[str, str]) -> str:
        return _api_base(self.api_url, environ, "GITHUB_API_URL", GITHUB_API_URL)


class HuggingfaceConfig(_Table):
    endpoint: HttpUrl | None = None
    """None: ``$HF_ENDPOINT`` (the variable the Hugging Face tools honour, e.g. for a
    mirror), else huggingface.co."""

    def api_base(self, environ: Mapping[str, str]) -> str:
        return _api_base(self.endpoint, environ, "HF_ENDPOINT", HUGGINGFACE_ENDPOINT)


class HttpConfig(_Table):
    """Manners for every host without its own API. arXiv ignores ``per_host``: it is
    always asked one call at a time."""

    timeout: Annotated[Seconds, Field(gt=0, le=300)] = 10.0
    """Seconds for one request, connection to last byte read."""
    max_redirects: Annotated[StrictInt, Field(ge=0, le=30)] = 10
    per_host: Annotated[StrictInt, Field(ge=1, le=64)] = 4
    """Requests in flight to one host; small, so no host sees a crawler."""
    total: Annotated[StrictInt, Field(ge=1, le=512)] = 32
    """Requests in flight altogether."""
    stop_host_after: Annotated[StrictInt, Field(ge=0, le=100)] = 3
    """Timeouts or failed connections in a row after which a host gets no more requests
    this run (its other links are transient, said once); 0 never stops asking."""

    @model_validator(mode="after")
    def _per_host_within_total(self) -> HttpConfig:
        if self.per_host > self.total:
            raise PydanticCustomError(
                "concurrency",
                f"per_host ({self.per_host}) cannot be larger than total ({self.total})",
            )
        return self


class Config(_Table):
    """Every setting, with its default. Frozen: a run sees one configuration."""

    select: tuple[RuleSelector, ...] | None = None
    """Rules to run; None means every rule."""
    ignore: tuple[RuleSelector, ...] = ()
    severity: dict[RuleSelector, Level] = Field(default_factory=dict)
    """Re-grades a rule or a category; ``off`` disables it."""
    fail_on: FailOn = "error"
    """Findings at or above this severity make the exit code 1."""
    transient_error_after: Annotated[StrictInt, Field(ge=0)] = 3
    """A link that failed this many runs in a row (the nightly job) turns its
    ``link/transient`` warning into an error; 0 never does."""
    exclude: tuple[UrlPattern, ...] = ()
    """Regular expressions for URLs that are never checked online, searched anywhere in
    the URL; RE2 syntax (see :mod:`listcheck.patterns`), so no pattern can hang a run."""
    max_time: Annotated[Seconds, Field(gt=0, le=86_400)] = DEFAULT_MAX_TIME
    """Seconds the online checks may take altogether; what is not checked by then is
    skipped (one ``check/skipped`` notice) and the report is written as usual."""
    max_file_size: Annotated[StrictInt, Field(gt=0)] = DEFAULT_MAX_FILE_SIZE
    """Bytes; a larger list file is refused before it is read."""
    arxiv: ArxivConfig = ArxivConfig()
    github: GithubConfig = GithubConfig()
    huggingface: HuggingfaceConfig = HuggingfaceConfig()
    http: HttpConfig = HttpConfig()

    _source: Path | None = PrivateAttr(default=None)
    _exclude: tuple[UserPattern, ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any, /) -> None:
        if self.exclude:
            from listcheck.patterns import compile_pattern

            self._exclude = tuple(compile_pattern(pattern) for pattern in self.exclude)

    @property
    def source(self) -> Path | None:
        """The file these settings were read from; None for the defaults."""
        return self._source

    @property
    def fail_severity(self) -> Severity:
        return Severity(self.fail_on)

    def is_enabled(self, rule_id: str) -> bool:
        """Whether ``select``/``ignore`` (and ``severity = "off"``) leave the rule on."""
        decided_by, enabled = (0, True) if self.select is None else (-1, False)
        for selector in self.select or ():
            if selector_matches(selector, rule_id) and _specificity(selector) > decided_by:
                decided_by, enabled = _specificity(selector), True
        for selector in self.ignore:
            if selector_matches(selector, rule_id) and _specificity(selector) >= decided_by:
                decided_by, enabled = _specificity(selector), False
        return enabled and self._level(rule_id) != "off"

    def grade(self, rule_id: str, default: Severity) -> Severity | None:
        """The severity a finding of ``rule_id`` is reported with; None when it is off."""
        if not self.is_enabled(rule_id):
            return None
        level = self._level(rule_id)
        return default if level is None or level == "off" else Severity(level)

    def regrade(self, findings: Iterable[Finding]) -> list[Finding]:
        """Drops findings of disabled rules and re-grades the rest."""
        kept: list[Finding] = []
        for finding in findings:
            severity = self.grade(finding.rule, finding.severity)
            if severity is None:
                continue
            if severity is not finding.severity:
                finding = finding.model_copy(update={"severity": severity})
            kept.append(finding)
        return kept

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether these (already re-graded) findings make the run exit with 1."""
        bar = self.fail_severity.rank
        return any(finding.severity.rank >= bar for finding in findings)

    def is_excluded(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self._exclude)

    def with_cli(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        fail_on: str | None = None,
        max_time: float | None = None,
    ) -> Config:
        """These settings with command-line options on top: ``--select`` replaces the
        file's ``select``; ``--ignore`` adds to its ``ignore``. Each value may hold
        several comma-separated selectors. Errors name the option."""
        data = self.model_dump()
        if select is not None:
            data["select"] = _split(select)
        if ignore is not None:
            data["ignore"] = [*self.ignore, *_split(ignore)]
        if fail_on is not None:
            data["fail_on"] = fail_on
        if max_time is not None:
            data["max_time"] = max_time
        try:
            merged = Config.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            loc = error["loc"]
            option = f"--{str(loc[0]).replace('_', '-')}" if loc else "command line"
            raise ConfigError(f"{option}: {_problem(error, Config)}") from None
        merged._source = self._source
        return merged

    def _level(self, rule_id: str) -> Level | None:
        matching = [s for s in self.severity if selector_matches(s, rule_id)]
        if not matching:
            return None
        return self.severity[max(matching, key=_specificity)]


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# --- loading ----------------------------------------------------------------------------


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
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(shown, prefix, exc)) from None
    config._source = path
    return config


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


# --- one line per problem -----------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_TYPES: Final = {
    "tuple_type": "must be an array",
    "list_type": "must be an array",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
}


def _describe(shown: Path, prefix: tuple[str, ...], exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = tuple(part for part in first["loc"] if part != "[key]")
    key = _key((*prefix, *loc))
    line = (
        f"{shown}: {key}: {_problem(first, Config)}"
        if key
        else f"{shown}: {_problem(first, Config)}"
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


def _problem(error: Any, model: type[BaseModel]) -> str:
    kind: str = error["type"]
    if kind == "extra_forbidden":
        loc = error["loc"]
        known = _fields_at(model, loc[:-1])
        import difflib

        hint = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.7)
        known_list = ", ".join(known)
        return (
            f"unknown key (did you mean {hint[0]!r}?)"
            if hint
            else f"unknown key (known keys: {known_list})"
        )
    got = _toml_value(error.get("input"))
    if kind in _TOML_TYPES:
        return f"{_TOML_TYPES[kind]}, got {got}"
    message: str = error["msg"]
    if message.startswith("Input should be "):
        return f"must be {message.removeprefix('Input should be ')}, got {got}"
    return message


def _fields_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _key(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            out += f".{name}" if out else name
    return out


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, str):
        # Quoted as TOML would, with what would act on a terminal (bidi overrides, other
        # invisible controls) escaped too: the message echoes a file anyone can edit.
        quoted = json.dumps(value, ensure_ascii=False)
        return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in quoted)
    return str(value)
