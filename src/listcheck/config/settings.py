"""What each setting may say, its default, and what it means for a run.

A maintainer's configuration is checked as strictly as their list: a misspelt key or
rule id is an error that names the key and the closest correct spelling, because a
setting that silently does nothing is worse than none. Every problem ends the run
through one :class:`~listcheck.errors.ConfigError` line. One frozen :class:`Config`
per run answers the questions the rest of listcheck asks of it: is this rule on, at
what severity, does this URL stay offline, do these findings fail the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from listcheck.config.messages import problem
from listcheck.config.selectors import selector_matches, specificity
from listcheck.config.values import (
    FailOn,
    HttpUrl,
    Level,
    RuleSelector,
    Seconds,
    UrlPattern,
    api_base,
)
from listcheck.errors import ConfigError
from listcheck.models import Finding, Severity

if TYPE_CHECKING:
    from listcheck.patterns import UserPattern

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


def _check_arxiv_interval(value: float) -> float:
    if value < ARXIV_MIN_INTERVAL:
        raise PydanticCustomError(
            "arxiv_interval",
            f"must be at least {ARXIV_MIN_INTERVAL} seconds, got {value} (arXiv allows one "
            "API call every 3 seconds; the interval can be raised, not lowered)",
        )
    return value


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
        return api_base(self.api_url, environ, "GITHUB_API_URL", GITHUB_API_URL)


class HuggingfaceConfig(_Table):
    endpoint: HttpUrl | None = None
    """None: ``$HF_ENDPOINT`` (the variable the Hugging Face tools honour, e.g. for a
    mirror), else huggingface.co."""

    def api_base(self, environ: Mapping[str, str]) -> str:
        return api_base(self.endpoint, environ, "HF_ENDPOINT", HUGGINGFACE_ENDPOINT)


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

    @classmethod
    def from_file(cls, data: Any, source: Path) -> Config:
        """Settings validated from the table read from ``source``, which they remember;
        a :class:`~pydantic.ValidationError` for the loader to word."""
        config = cls.model_validate(data)
        config._source = source
        return config

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
            if selector_matches(selector, rule_id) and specificity(selector) > decided_by:
                decided_by, enabled = specificity(selector), True
        for selector in self.ignore:
            if selector_matches(selector, rule_id) and specificity(selector) >= decided_by:
                decided_by, enabled = specificity(selector), False
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
            raise ConfigError(f"{option}: {problem(error, Config)}") from None
        merged._source = self._source
        return merged

    def _level(self, rule_id: str) -> Level | None:
        matching = [s for s in self.severity if selector_matches(s, rule_id)]
        if not matching:
            return None
        return self.severity[max(matching, key=specificity)]


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
