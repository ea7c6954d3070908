"""``listcheck [PATH ...]``: the thin shell around :mod:`listcheck.run`.

Two channels: the report goes to stdout (or ``--output``), notes and errors to stderr,
so ``--format json`` stdout is always pure JSON. Exit codes are stable: 0 clean, 1
findings at or above ``--fail-on``, 2 usage/config/input error, 3 a bug, 4 the GitHub
Issues API failed (``listcheck nightly issue``), 130 Ctrl-C, 128 + N another stopping
signal N (SIGTERM, SIGHUP) that arrived while a file was being written. A closed output
pipe changes none of them.

``listcheck nightly ...`` is the nightly workflow's command (:mod:`listcheck.nightly`),
run through the same :func:`funnel`; a list file named ``nightly`` is ``./nightly``.
``listcheck add ...`` (:mod:`listcheck.add`) likewise, with exit code 5 when the arXiv
API could not be asked; a list file named ``add`` is ``./add``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from listcheck import __version__
from listcheck.errors import ConfigError, ExitCode, InputError, ListcheckError
from listcheck.safe_write import RefusedTarget, Terminated, refusal, write_text

if TYPE_CHECKING:
    from listcheck.config import Config
    from listcheck.online import OnlineSettings

ISSUES_URL = "https://github.com/listcheck/listcheck/issues"


class UsageParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors share the funnel."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    from listcheck.reporters import REPORTERS

    parser = UsageParser(
        prog="listcheck",
        description="Check a curated paper list (an awesome list README) for broken, "
        "moved and mistaken entries.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="Markdown lists (default: README.md)"
    )
    parser.add_argument(
        "--offline", action="store_true", help="run only the rules that need no network"
    )
    parser.add_argument("--format", choices=sorted(REPORTERS), help="report format (default: text)")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file")
    parser.add_argument(
        "--config", type=Path, help="listcheck.toml, or a pyproject.toml with [tool.listcheck]"
    )
    parser.add_argument(
        "--select", action="append", metavar="RULES", help="only these rules (ids or prefixes)"
    )
    parser.add_argument(
        "--ignore", action="append", metavar="RULES", help="skip these rules (ids or prefixes)"
    )
    parser.add_argument(
        "--fail-on",
        choices=["error", "warning", "notice"],
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--max-time",
        type=float,
        metavar="SECONDS",
        help="bound on the online checks; what is left is skipped (default: 600)",
    )
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the text report",
    )
    parser.add_argument(
        "--github-token",
        metavar="TOKEN",
        help="GitHub token (default: $GITHUB_TOKEN); raises the API quota, enables GraphQL",
    )
    parser.add_argument(
        "--cache", type=Path, metavar="PATH", help="result cache file (default: user cache dir)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the result cache"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar even on a terminal"
    )
    parser.add_argument(
        "--diff",
        nargs="?",
        const="",
        metavar="BASE",
        help="PR mode: check and report only what changed since the git ref BASE "
        "(default in a GitHub pull request: its base branch)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes (renamed repositories, permanent redirects, canonical arXiv "
        "URLs) to the lists; with a bare --diff, print them as a unified diff instead",
    )
    parser.add_argument(
        "--fix-titles",
        action="store_true",
        help="with --fix, also replace misspelled titles by the arXiv title",
    )
    parser.add_argument("--version", action="version", version=f"listcheck {__version__}")
    return parser


def _run(argv: Sequence[str] | None, stdout: TextIO, stderr: TextIO) -> int:
    args = build_parser().parse_args(argv)  # light: argparse and the format names
    if args.fix_titles and not args.fix:
        raise ConfigError("--fix-titles works with --fix")
    if args.diff and Path(args.diff).is_file():
        # ``--diff README.md``: argparse took the list for the optional BASE.
        args.paths.append(Path(args.diff))
        args.diff = ""
    preview = args.fix and args.diff == ""
    with _collector_paused_while_loading():
        from listcheck.config import load_config
        from listcheck.reporters import default_format, get_reporter
        from listcheck.reporters.base import ReporterOptions
        from listcheck.run import OnlineRequest, RunRequest, run_with_documents

        options = ReporterOptions(
            color={"always": True, "never": False}.get(args.color),
            output=args.output,
            environ=os.environ,
        )
        reporter = get_reporter(args.format or default_format(os.environ), options)
    config = load_config(args.config, Path.cwd()).with_cli(
        select=args.select, ignore=args.ignore, fail_on=args.fail_on, max_time=args.max_time
    )
    online = None
    if not args.offline:
        show_progress = reporter.shows_progress and not args.no_progress and stderr.isatty()
        online = OnlineRequest(
            settings_factory=lambda: _online_settings(args, config, stderr, show_progress)
        )
    paths = tuple(args.paths) or (Path("README.md"),)
    _check_targets(args, paths, preview)
    report, documents = run_with_documents(
        RunRequest(
            paths=paths,
            config=config,
            online=online,
            diff_base=None if preview else _diff_base(args),
        )
    )
    if args.fix:
        from listcheck.fix.documents import fix_documents

        outcome = fix_documents(documents, report, titles=args.fix_titles, preview=preview)
        if preview:
            if args.format is not None:
                say(
                    stderr,
                    f"note: --format {args.format} does not apply to a --fix --diff "
                    "preview, which is always a unified diff",
                )
            if args.output is not None:
                _write_safely(args.output, outcome.diff)
            else:
                _emit(stdout, lambda stream: stream.write(outcome.diff))
            return ExitCode.FINDINGS if outcome.diff else ExitCode.CLEAN
        for line in outcome.messages:
            say(stderr, line)
        report = outcome.report
    for note in report.notes:
        say(stderr, f"note: {note}")
    if args.output is not None:
        _write_safely(args.output, reporter.render(report))
    else:
        _emit(stdout, lambda stream: reporter.write(report, stream))
    reporter.finish(report, options)
    if reporter.for_programs and stderr.isatty():
        # Someone at a terminal sees how the run went without reading the JSON; a pipe
        # or a CI log keeps standard error to notes and errors.
        from listcheck.reporters.common import summary_line

        say(stderr, summary_line(report))
    return ExitCode.FINDINGS if config.fails(report.findings) else ExitCode.CLEAN


@contextmanager
def _collector_paused_while_loading() -> Iterator[None]:
    """Loading the pipeline creates some 100,000 objects that live as long as the process
    (pydantic builds a validator for every model, mistune and the rules compile their
    patterns), and the cyclic collector would rescan them again and again as they pile
    up: about a fifth of a short offline run. So the collector waits while they load, and
    then they are frozen out of its view (later collections, the one at exit included,
    skip them). Only the first load in a process does this (tests call :func:`main`
    many times; freezing their objects again and again would keep their garbage)."""
    if "listcheck.run" in sys.modules or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _diff_base(args: argparse.Namespace) -> str | None:
    if args.diff is None:
        return None
    if args.diff:
        return str(args.diff)
    from listcheck.prmode.changes import default_base

    base = default_base(os.environ)
    if base is None:
        raise ConfigError(
            "--diff needs a base ref outside a GitHub pull request (e.g. --diff origin/main)"
        )
    return base


def _online_settings(
    args: argparse.Namespace, config: Config, stderr: TextIO, show_progress: bool
) -> OnlineSettings:
    from listcheck.cache import ResultCache
    from listcheck.checkers.github.service import SERVICE as GITHUB
    from listcheck.online import OnlineSettings, Progress

    def warn(line: str) -> None:
        say(stderr, f"warning: {line}")

    environ = os.environ
    cache = ResultCache(args.cache, enabled=not args.no_cache, on_problem=warn)
    progress: Progress = Progress()
    if show_progress:
        from listcheck.progress import TerminalProgress

        progress = TerminalProgress(stderr)
    return OnlineSettings(
        config=config,
        environ=environ,
        cache=cache,
        tokens={GITHUB.name: args.github_token or None},
        progress=progress,
    )


def _check_targets(args: argparse.Namespace, paths: Sequence[Path], preview: bool) -> None:
    """Refuses, before any work, what the run would refuse to write at its end."""
    if args.output is not None:
        if any(_same_file(args.output, path) for path in paths):
            raise ConfigError(
                f"--output {args.output} is one of the lists; listcheck never writes them"
            )
        problem = refusal(args.output)
        if problem is not None:
            raise ConfigError(f"--output {args.output}: {problem}")
    if args.fix and not preview:
        from listcheck.fix.write import symlink_refusal

        for path in paths:
            refused = symlink_refusal(path)
            if refused is not None:
                raise InputError(refused)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _write_safely(path: Path, text: str) -> None:
    try:
        write_text(path, text)
    except RefusedTarget as exc:
        raise ConfigError(f"--output {path}: {exc}") from None
    except OSError as exc:
        raise ListcheckError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def _emit(stdout: TextIO, write: Callable[[TextIO], object]) -> None:
    """Writes to standard output and flushes, so a closed pipe shows up here and not at
    interpreter exit. A reader that went away (``listcheck ... | head``) wanted no more:
    the rest goes to the null device (the recipe in Python's :mod:`signal` docs) and
    the run ends with the exit code its findings call for."""
    try:
        write(stdout)
        stdout.flush()
    except BrokenPipeError:
        _silence(stdout)


def say(stderr: TextIO, line: str, prog: str = "listcheck") -> None:
    """One ``listcheck: ...`` line on standard error; a closed stderr loses the note,
    not the run."""
    try:
        stderr.write(f"{prog}: {line}\n")
        stderr.flush()
    except BrokenPipeError:
        _silence(stderr)


def _silence(stream: TextIO) -> None:
    """Points the stream's descriptor at the null device, so what is still buffered (and
    flushed at exit) goes nowhere instead of raising again."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # a stream with no descriptor (tests capture output)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """The console entry point; every outcome is an exit code and at most one line."""
    stdout, stderr = sys.stdout, sys.stderr
    for stream in (stdout, stderr):
        # A console that cannot show 【】 or an emoji gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["nightly"]:  # a list file named so is checked as ./nightly
        from listcheck.nightly.cli import main as nightly_main

        return nightly_main(words[1:])
    if words[:1] == ["add"]:  # likewise, a list file named add is ./add
        from listcheck.add.command import run_add, terminal_ask

        ask = terminal_ask(sys.stdin, stderr)
        return funnel("listcheck", lambda: run_add(words[1:], stdout, stderr, ask), stdout, stderr)
    return funnel("listcheck", lambda: _run(words, stdout, stderr), stdout, stderr)


def funnel(prog: str, command: Callable[[], int], stdout: TextIO, stderr: TextIO) -> int:
    """Runs one command and turns every way it can end into an exit code and at most one
    ``prog: ...`` line: the one error funnel of ``listcheck`` and ``listcheck nightly``."""
    try:
        return command()
    except ListcheckError as exc:
        say(stderr, f"error: {exc}", prog)
        return exc.exit_code
    except KeyboardInterrupt:
        say(stderr, "interrupted", prog)
        return ExitCode.INTERRUPTED
    except Terminated as exc:
        say(stderr, f"stopped by {exc}", prog)
        return exc.exit_code
    except BrokenPipeError:
        # Every write to a pipe handles this itself; one that does not is a bug, but the
        # run did not finish, so its exit code cannot be 0.
        _silence(stdout)
        _silence(stderr)
        return ExitCode.UNEXPECTED
    except Exception as exc:  # the last resort of the funnel: a bug, said in one line
        if os.environ.get("LISTCHECK_DEBUG"):
            raise
        say(
            stderr,
            f"internal error: {type(exc).__name__}: {exc} "
            f"(this is a bug; set LISTCHECK_DEBUG=1 for a traceback and report it at "
            f"{ISSUES_URL})",
            prog,
        )
        return ExitCode.UNEXPECTED
