"""The ``listcheck nightly render|issue`` commands (also ``python -m listcheck.nightly``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError
from yarl import URL

from listcheck import safe_write
from listcheck.cli import UsageParser, funnel, say
from listcheck.errors import ConfigError, ExitCode, InputError
from listcheck.models import Report, Severity, Verdict
from listcheck.nightly.body import RunContext
from listcheck.nightly.issues import REPO_PATTERN, GitHubIssues
from listcheck.nightly.model import PROG
from listcheck.nightly.track import DEFAULT_LABEL, DEFAULT_TITLE, Outcome, TrackOptions, track
from listcheck.reporters.common import SUMMARY_LIMIT, cut_to_fit


def load_report(path: Path) -> Report:
    """The JSON report (README: JSON output) as a :class:`Report`; one line if it is not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such report (run listcheck --format json first)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the report: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not a JSON report: {exc}") from None
    stats = data.get("stats") if isinstance(data, dict) else None
    if isinstance(stats, dict) and stats.get("wall_time_s") is None:
        stats["wall_time_s"] = 0.0  # the JSON reporter writes null for a non-finite time
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{path}: not a listcheck JSON report: {where}: {first['msg']}") from None


def read_markdown(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such Markdown report") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the Markdown report: {exc}") from None


def with_history(
    report: Report, cache_path: Path, stderr: TextIO, environ: Mapping[str, str] | None = None
) -> Report:
    """The report with each failing link's streak, read from the run's result cache (the
    JSON contract has no room for it). A missing or damaged cache only loses the dates.
    The API addresses come from the environment and the list's configuration, as in the
    run that filled the cache, so an enterprise API's answers are found."""
    from listcheck.cache import ResultCache
    from listcheck.checkers.registry import api_scopes
    from listcheck.config import load_config
    from listcheck.models import LinkHistory
    from listcheck.plan import check_key

    def warn(line: str) -> None:
        say(stderr, f"warning: {line}", PROG)

    if not cache_path.is_file():
        warn(f"{cache_path}: no result cache; the report shows no dates")
        return report
    history: list[LinkHistory] = []
    scopes = api_scopes(load_config(None, Path.cwd()), environ or {})
    with ResultCache(cache_path, on_problem=warn, scopes=scopes) as cache:
        for link in report.links:
            if link.verdict not in (Verdict.BROKEN, Verdict.TRANSIENT):
                continue
            key = check_key(link.url)
            streak = None if key is None else cache.history(key)
            if streak is not None and streak.consecutive_failures:
                history.append(
                    LinkHistory(
                        url=link.url,
                        consecutive_failures=streak.consecutive_failures,
                        first_failed_at=streak.first_failed_at,
                    )
                )
    return report.model_copy(update={"history": tuple(history)})


def render_markdown(report: Report) -> str:
    """The project's ``markdown`` format of ``report``, as ``--format markdown`` writes it
    (with "broken since" when :func:`with_history` added the cache's streaks)."""
    from listcheck.reporters import get_reporter

    text = get_reporter("markdown").render(report)
    return text if text.endswith("\n") else text + "\n"


def append_summary(path: Path, markdown: str, limit: int = SUMMARY_LIMIT) -> None:
    """Adds ``markdown`` to the job summary so that the step's whole summary stays within
    GitHub's limit (UTF-8 bytes; what earlier commands of the step wrote counts too): cut
    at a line boundary, with a note. If not even the note fits, nothing is added: a
    summary over the limit is refused whole."""
    note = "*(cut to fit a job summary; the whole report is in the run's artifacts)*\n"
    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    except OSError as exc:
        raise InputError(f"{path}: cannot read the job summary: {exc.strerror}") from None
    text = cut_to_fit(markdown, limit - used, note, utf8=True)
    if text is None:
        return
    _written(path, "the job summary", lambda: safe_write.append_text(path, text))


def _written(path: Path, what: str, write: Callable[[], None]) -> None:
    """Runs one safe write; a refused target or a failing disk is one line naming both."""
    try:
        write()
    except safe_write.RefusedTarget as exc:
        raise InputError(f"{path}: {what} {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write {what}: {exc.strerror}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog=PROG,
        description="Nightly listcheck: render the report, keep one tracking issue.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=UsageParser)
    render = commands.add_parser("render", help="JSON report -> Markdown (no network)")
    render.add_argument("--report", type=Path, required=True, help="listcheck --format json output")
    render.add_argument("--output", type=Path, required=True, help="Markdown file to write")
    render.add_argument(
        "--summary",
        action="store_true",
        help="also append it to $GITHUB_STEP_SUMMARY (cut to 1 MiB)",
    )
    render.add_argument(
        "--cache",
        type=Path,
        help="the run's result cache: shows since when each failing link has failed",
    )
    issue = commands.add_parser("issue", help="create, update, reopen or close the tracking issue")
    issue.add_argument("--report", type=Path, required=True, help="listcheck --format json output")
    issue.add_argument("--markdown", type=Path, help="Markdown report folded into the issue")
    issue.add_argument("--label", default=DEFAULT_LABEL, help=f"default: {DEFAULT_LABEL}")
    issue.add_argument("--title", default=DEFAULT_TITLE, help="title of a new tracking issue")
    issue.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.ERROR.value,
        help="lowest severity that counts as a problem (default: error)",
    )
    issue.add_argument("--repo", help="owner/name (default: $GITHUB_REPOSITORY)")
    issue.add_argument("--api-url", help="default: $GITHUB_API_URL, else https://api.github.com")
    return parser


def _issue_settings(args: argparse.Namespace, environ: Mapping[str, str]) -> tuple[str, str, str]:
    repository = args.repo or environ.get("GITHUB_REPOSITORY") or ""
    if not REPO_PATTERN.match(repository):
        raise ConfigError("set GITHUB_REPOSITORY (or --repo) to owner/name")
    token = environ.get("GITHUB_TOKEN") or ""
    if not token.strip():
        raise ConfigError("set GITHUB_TOKEN to a token that may write issues")
    if not args.label.strip() or "," in args.label or len(args.label) > 50:
        raise ConfigError(
            f"--label: {args.label!r} is not a usable label (1-50 characters, no comma)"
        )
    api_url = args.api_url or environ.get("GITHUB_API_URL") or "https://api.github.com"
    base = URL(api_url)
    if base.scheme not in ("http", "https") or not base.host:
        raise ConfigError(f"not an http(s) API address: {api_url!r}")
    return repository, token.strip(), api_url


def run(
    argv: Sequence[str] | None,
    environ: Mapping[str, str],
    stdout: TextIO,
    stderr: TextIO,
    now: float | None = None,
) -> int:
    """One command; raises :class:`ListcheckError` for anything that ends it early."""
    args = build_parser().parse_args(argv)
    report = load_report(args.report)
    if args.command == "render":
        if args.cache is not None:
            report = with_history(report, args.cache, stderr, environ)
        markdown = render_markdown(report)
        output = args.output
        _written(output, "the report", lambda: safe_write.write_text(output, markdown))
        summary = environ.get("GITHUB_STEP_SUMMARY")
        if args.summary and summary:
            append_summary(Path(summary), markdown)
        elif args.summary:
            say(stderr, "note: GITHUB_STEP_SUMMARY is not set; no job summary", PROG)
        return ExitCode.CLEAN
    markdown_text = read_markdown(args.markdown)
    repository, token, api_url = _issue_settings(args, environ)
    context = RunContext.from_environ({**environ, "GITHUB_REPOSITORY": repository})
    options = TrackOptions(
        label=args.label, title=args.title, fail_on=Severity(args.fail_on), context=context
    )

    async def night() -> Outcome:
        async with GitHubIssues(api_url, repository, token) as api:
            return await track(api, report, markdown_text, options, now or time.time())

    outcome = asyncio.run(night())
    for note in outcome.notes:
        say(stderr, f"warning: {note}", PROG)
    stdout.write(f"{outcome.describe()}\n")
    return ExitCode.CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes as the CLI's (0 done, 2 usage or input, 3 a bug) and 4 when the issues
    API refused or failed; through the CLI's own error funnel."""
    stdout, stderr = sys.stdout, sys.stderr
    return funnel(PROG, lambda: run(argv, os.environ, stdout, stderr), stdout, stderr)
