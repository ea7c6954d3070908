"""One night: find the one tracking issue, then create, update, reopen or close it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from listcheck.models import Report, Severity
from listcheck.nightly.body import (
    RunContext,
    compose_body,
    compose_clean_comment,
    compose_new_comment,
)
from listcheck.nightly.issues import GitHubIssues
from listcheck.nightly.model import NightlyError, failing_problems, unconfirmed_links
from listcheck.nightly.state import Status, TrackingState
from listcheck.nightly.trend import tonight

DEFAULT_LABEL: Final = "listcheck-nightly"


DEFAULT_TITLE: Final = "listcheck nightly: problems in the list"


class Action(StrEnum):
    CREATED = "created"
    REOPENED = "reopened"
    UPDATED = "updated"
    CLOSED = "closed"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Outcome:
    action: Action
    number: int | None = None
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.number is None:
            return "the list is clean and no tracking issue is open: nothing to do"
        return f"tracking issue #{self.number} {self.action.value}"


@dataclass(frozen=True)
class TrackOptions:
    label: str = DEFAULT_LABEL
    title: str = DEFAULT_TITLE
    fail_on: Severity = Severity.ERROR
    context: RunContext = field(default_factory=RunContext)


async def track(
    api: GitHubIssues,
    report: Report,
    markdown: str | None,
    options: TrackOptions,
    now: float,
) -> Outcome:
    """Brings the tracking issue in line with tonight's report; see the module docstring."""
    failing = failing_problems(report, options.fail_on)
    unconfirmed = unconfirmed_links(report, failing)
    open_issues = await api.tracking_issues(options.label, "open")
    notes: list[str] = []
    current = open_issues[0] if open_issues else None
    others = [issue.number for issue in open_issues[1:]]
    run_url = options.context.run_url
    counts = tonight(report, now)

    if not failing:
        if current is None:
            return Outcome(Action.NOTHING)
        if others:
            notes.append(f"closed {len(open_issues)} open tracking issues, not one")
        kept = TrackingState.decode(current.body).nights
        body = compose_body(
            failing=(),
            unconfirmed=unconfirmed,
            state=TrackingState(status=Status.CLEAN, nights=kept).with_night(counts),
            markdown=markdown,
            now=now,
            context=options.context,
        )
        for issue in open_issues:  # all is well: no tracking issue stays open
            await api.comment(issue.number, compose_clean_comment(run_url))
            await api.update(issue.number, body=body, state="closed", state_reason="completed")
        return Outcome(Action.CLOSED, current.number, tuple(notes))

    if others:
        notes.append(
            f"several open tracking issues: kept #{open_issues[0].number}, "
            f"close {', '.join(f'#{n}' for n in others)} by hand"
        )
    action = Action.UPDATED
    if current is None:
        closed = await api.tracking_issues(options.label, "closed")
        reopen = next(
            (i for i in closed if TrackingState.decode(i.body).status is Status.CLEAN), None
        )
        if reopen is not None:
            current, action = reopen, Action.REOPENED
    previous = TrackingState.decode(current.body) if current is not None else TrackingState()
    if previous.status is Status.CLEAN:  # a reopened issue starts its clocks again,
        previous = TrackingState(nights=previous.nights)  # its trend goes on
    state = previous.advance([*failing, *unconfirmed], now).with_night(counts)
    body = compose_body(
        failing=failing,
        unconfirmed=unconfirmed,
        state=state,
        markdown=markdown,
        now=now,
        context=options.context,
        others=others,
    )

    if current is None:
        return await _create(api, options, body, notes)
    if action is Action.REOPENED:
        await api.update(current.number, body=body, state="open")
        await api.comment(current.number, compose_new_comment(failing, run_url))
        return Outcome(action, current.number, tuple(notes))
    await api.update(current.number, body=body)
    new = [p for p in failing if p.key not in previous.since]
    if new:
        await api.comment(current.number, compose_new_comment(new, run_url))
    return Outcome(action, current.number, tuple(notes))


async def _create(api: GitHubIssues, options: TrackOptions, body: str, notes: list[str]) -> Outcome:
    """A new tracking issue, created at most once: a POST whose answer was lost may still
    have created it, so the open issues are listed again before anything is said."""
    await api.ensure_label(options.label)
    try:
        issue = await api.create(options.title, body, options.label)
    except NightlyError:
        appeared = await api.tracking_issues(options.label, "open")
        if not appeared:
            raise
        notes.append(f"the answer to creating #{appeared[0].number} was lost; it exists")
        return Outcome(Action.CREATED, appeared[0].number, tuple(notes))
    if options.label not in issue.labels:
        await api.add_labels(issue.number, [options.label])
    return Outcome(Action.CREATED, issue.number, tuple(notes))
