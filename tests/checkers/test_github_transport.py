"""The ETag validator strings the GitHub transport leaves in the cache.

They are the one thing that survives between runs, so they must read back exactly
what was written, and a damaged or foreign string must cost at most one full request
per path, never an error. The checker's use of them (304 revalidation) is covered
against the fake API in test_github.py.
"""

from __future__ import annotations

import json

import pytest

from listcheck.checkers.github.transport import Validator, dump_validators, parse_validators

REPO = Validator(
    'W/"5b2d1c0e"',
    {"full_name": "octo/tool", "html_url": "https://github.com/octo/tool", "archived": False},
)
CONTENTS = Validator('"a1b2"', {})


@pytest.mark.parametrize(
    "validators",
    [
        {"/repos/octo/tool": REPO},
        {"/repos/octo/tool": REPO, "/repos/octo/tool/contents/docs?ref=main": CONTENTS},
        {"/repos/%C3%A9t%C3%A9/x/contents/caf%C3%A9.md?ref=feature%2Fx": CONTENTS},
        {},
    ],
    ids=["repository", "repository-and-path", "encoded-path", "none"],
)
def test_validators_read_back_as_written(validators: dict[str, Validator]) -> None:
    assert parse_validators(dump_validators(validators)) == validators


def test_the_string_does_not_depend_on_the_order_paths_were_answered() -> None:
    a = {"/repos/octo/tool": REPO, "/repos/octo/tool/contents/x?ref=main": CONTENTS}
    b = dict(reversed(a.items()))
    assert dump_validators(a) == dump_validators(b)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "null",
        "[1, 2]",
        '{"v": 99, "paths": {"/repos/a/b": {"etag": "x", "facts": {}}}}',
        '{"v": "1", "paths": {"/repos/a/b": {"etag": "x", "facts": {}}}}',
        '{"v": 1, "paths": []}',
        '{"v": 1}',
        '{"v": 1, "paths": {"/repos/a/b": "W/\\"x\\""}}',
        '{"v": 1, "paths": {"/repos/a/b": {"etag": 5, "facts": {}}}}',
        '{"v": 1, "paths": {"/repos/a/b": {"etag": "x", "facts": []}}}',
        '{"v": 1, "paths": {"/repos/a/b": {"etag": "x"',
        "\x00\xff{",
    ],
)
def test_an_unreadable_string_gives_no_validators(text: str) -> None:
    assert parse_validators(text) == {}


def test_a_damaged_entry_drops_only_itself() -> None:
    text = json.dumps(
        {
            "v": 1,
            "paths": {
                "/repos/octo/tool": {"etag": REPO.etag, "facts": REPO.facts},
                "/repos/octo/broken": {"etag": None, "facts": {}},
            },
        }
    )
    assert parse_validators(text) == {"/repos/octo/tool": REPO}
