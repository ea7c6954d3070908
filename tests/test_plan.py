"""The plan checks each thing once and maps every place back to its check."""

from __future__ import annotations

import pytest

from listcheck.config import Config
from listcheck.models import Verdict
from listcheck.parse import parse_document
from listcheck.plan import LinkRef, plan_checks

LIST = """# L
## Papers
- 【202401】A ([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/Org/Repo))
- 【202401】A again ([PDF](https://arxiv.org/pdf/2401.00001v2.pdf))
- B ([code](https://github.com/org/repo/tree/main/src), [data](https://huggingface.co/datasets/o/d))
- C ([site](https://example.org/c), [mail](mailto:a@example.org), [x](#papers), [y](./a.md))
- **D** [arxiv 2310.12773] D title ([code](https://example.org/d))
- E ([bad](https://arxiv.org/abs/2413.00001), [skip](https://skip.example.org/x))
- F ([site again](https://example.org/c))
"""


def _plan(config: Config | None = None):  # type: ignore[no-untyped-def]
    doc = parse_document(LIST, "README.md")
    return doc, plan_checks([doc], config or Config())


def test_each_thing_is_checked_once() -> None:
    _, plan = _plan()
    assert sorted(plan.of("arxiv")) == ["arxiv:2310.12773", "arxiv:2401.00001"]
    assert sorted(plan.of("github")) == ["github:org/repo", "github:org/repo/tree/main/src"]
    assert sorted(plan.of("huggingface")) == ["hf:datasets/o/d"]
    assert sorted(plan.of("web")) == [
        "web:https://example.org/c",
        "web:https://example.org/d",
        "web:https://skip.example.org/x",
    ]


def test_every_place_maps_back() -> None:
    doc, plan = _plan()
    arxiv_places = plan.places["arxiv:2401.00001"]
    assert [doc.links[ref.link].url for ref in arxiv_places] == [
        "https://arxiv.org/abs/2401.00001",
        "https://arxiv.org/pdf/2401.00001v2.pdf",
    ]
    assert len(plan.places["web:https://example.org/c"]) == 2
    for key, refs in plan.places.items():
        assert all(plan.key_of[ref] == key for ref in refs)


def test_arxiv_links_need_no_page_request() -> None:
    _, plan = _plan()
    assert not any("arxiv.org" in key for key in plan.of("web"))


def test_local_verdicts() -> None:
    doc, plan = _plan(Config(exclude=("skip\\.example\\.org",)))
    local = {doc.links[ref.link].url: v for ref, v in plan.local.items()}
    assert local["mailto:a@example.org"].verdict is Verdict.SKIPPED
    assert local["https://skip.example.org/x"].detail == "excluded by configuration"
    assert local["https://arxiv.org/abs/2413.00001"].verdict is Verdict.BROKEN
    assert "web:https://skip.example.org/x" not in plan.of("web")
    assert LinkRef(0, next(i for i, link in enumerate(doc.links) if link.url == "#papers")) not in (
        plan.key_of
    )


def test_arxiv_ids_named_only_in_tags_are_checked() -> None:
    doc, plan = _plan()
    entry = next(i for i, e in enumerate(doc.entries) if e.name == "D")
    assert plan.entry_keys[(0, entry)] == ["arxiv:2310.12773"]


@pytest.mark.parametrize(
    ("select", "ignore", "asked"),
    [
        ((), (), {"arxiv", "github", "huggingface", "web"}),
        ((), ("arxiv", "github", "link"), {"huggingface"}),
        ((), ("arxiv",), {"github", "huggingface", "web"}),
        (("github/archived",), (), {"github"}),
        (("arxiv/title-typo",), (), {"arxiv"}),
        (("link/transient",), (), set()),
        (("link/moved",), (), {"huggingface", "web"}),
        (("link",), ("link/moved",), {"web"}),
    ],
)
def test_a_service_no_selected_rule_needs_is_not_asked(
    select: tuple[str, ...], ignore: tuple[str, ...], asked: set[str]
) -> None:
    """``--ignore arxiv`` must not spend an arXiv call: its links are skipped, saying why."""
    config = Config().with_cli(select=list(select) or None, ignore=list(ignore), fail_on=None)
    doc, plan = _plan(config)
    planned = {
        name
        for name, targets in (
            ("arxiv", plan.of("arxiv")),
            ("github", plan.of("github")),
            ("huggingface", plan.of("huggingface")),
            ("web", plan.of("web")),
        )
        if targets
    }
    assert planned == asked
    skipped = [
        doc.links[ref.link].url
        for ref, local in plan.local.items()
        if local.detail == "no selected rule needs it checked"
    ]
    if "arxiv" not in asked:
        assert "https://arxiv.org/abs/2401.00001" in skipped
    if "web" not in asked:
        assert "https://example.org/c" in skipped
