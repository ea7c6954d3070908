"""The nightly run's memory: one GitHub issue that says what is broken in the list, and since when.

A scheduled check that only fails a workflow run is noise: the red cross goes to whoever
last edited the workflow, says nothing about what rotted, and is gone the next night.
Maintainers read issues, so the nightly workflow keeps exactly **one** tracking issue:

* found by a fixed label (``listcheck-nightly``) *and* a marker comment in its body
  (``<!-- listcheck:nightly -->``), so an issue someone else labelled is never taken over;
* created when the list has problems and none is open; a tracking issue that listcheck
  itself closed earlier is reopened instead, so the history stays in one thread;
* updated in place every night (body edits notify nobody, so a comment is added only
  when new problems appear);
* closed with a comment when the report has no finding at or above ``--fail-on``;
* never duplicated: when several are open (a race, a hand-made copy), the oldest is
  updated and the others are named, never joined by another.

"Since when" survives without the result cache (which GitHub evicts after a week
unused): the issue body carries its own state, a hidden comment mapping each problem to
the night it was first seen. The JSON report (the README's contract) says what is
wrong now; the state says for how long. The state also keeps the broken, moved and
transient link counts of the last 30 nights, which the body draws as a Mermaid chart
(:mod:`listcheck.nightly.trend`).

HTTP goes through the project's :class:`~listcheck.net.engine.Engine` rather than
``urllib``: it binds the token to the API origin on every redirect hop (urllib forwards
``Authorization`` to wherever a redirect points), bounds every read and every wait, and
retries 429/5xx honouring ``Retry-After``. Creating an issue or a comment is *not*
idempotent, so those go through a second engine that never retries: a POST whose answer
was lost may have worked, and is checked by listing again rather than sent twice.

Two commands, one per workflow job, so only the job that talks to the issues API needs
``issues: write``::

    listcheck nightly render --report report.json --output report.md --summary
    listcheck nightly issue --report report.json --markdown report.md

``render`` turns the JSON report into Markdown with the project's ``markdown`` reporter
(no second network run: a second run would count every failing link's streak twice).
"""

from listcheck.nightly.body import (
    ISSUE_BODY_LIMIT,
    MARKER,
    RunContext,
    compose_body,
    compose_clean_comment,
    compose_new_comment,
    inert,
)
from listcheck.nightly.cli import (
    append_summary,
    build_parser,
    load_report,
    main,
    read_markdown,
    render_markdown,
    run,
    with_history,
)
from listcheck.nightly.issues import GitHubIssues, Issue
from listcheck.nightly.model import (
    NightlyError,
    Problem,
    failing_problems,
    problem_key,
    unconfirmed_links,
)
from listcheck.nightly.state import Status, TrackingState
from listcheck.nightly.track import (
    DEFAULT_LABEL,
    DEFAULT_TITLE,
    Action,
    Outcome,
    TrackOptions,
    track,
)

__all__ = [
    "DEFAULT_LABEL",
    "DEFAULT_TITLE",
    "ISSUE_BODY_LIMIT",
    "MARKER",
    "Action",
    "GitHubIssues",
    "Issue",
    "NightlyError",
    "Outcome",
    "Problem",
    "RunContext",
    "Status",
    "TrackOptions",
    "TrackingState",
    "append_summary",
    "build_parser",
    "compose_body",
    "compose_clean_comment",
    "compose_new_comment",
    "failing_problems",
    "inert",
    "load_report",
    "main",
    "problem_key",
    "read_markdown",
    "render_markdown",
    "run",
    "track",
    "unconfirmed_links",
    "with_history",
]
