"""``entry/suggest-link`` end to end on the fake arXiv: which link-less entries get a
link, that near misses get none, the run's cap, the cache, and ``--fix`` writing the
link in the section's own style (bullets, a table, linked titles) so that the next run
finds nothing more to say about the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.fix.apply import apply_edits
from listcheck.fix.plan import plan_fixes
from listcheck.models import Finding, Report
from listcheck.parse import parse_document
from tests.fakes import FakeInternet, World
from tests.online_run import run_online

ENTRY_RULES = ("entry/suggest-link", "entry/no-link")


async def no_sleep(seconds: float) -> None:
    return None


async def check(
    server: FakeInternet,
    path: Path,
    cache: Path,
    rules: dict[str, list[str]] | None = None,
    **arxiv: object,
) -> Report:
    """One online run against the fake; ``rules`` selects or ignores rules, ``arxiv``
    adds ``[arxiv]`` settings."""
    extra: dict[str, object] = dict(rules or {})
    if arxiv:
        extra["arxiv"] = {"api_url": server.arxiv_api_url, **arxiv}
    return await run_online(
        server,
        path,
        cache,
        interval=0.0,
        timeout=5.0,
        sleep=no_sleep,
        settings_extra=extra or None,
    )


def of(report: Report, *rules: str) -> list[tuple[str, int, str | None]]:
    return sorted((f.rule, f.line, f.suggestion) for f in report.findings if f.rule in rules)


def fixed_text(path: Path, findings: tuple[Finding, ...]) -> str:
    text = path.read_text(encoding="utf-8")
    doc = parse_document(text, findings[0].path if findings else str(path))
    plan = plan_fixes(doc, findings)
    assert not plan.skipped, plan.skipped
    return apply_edits(text, plan.edits)


BULLETS = """# Awesome Unlearning
## Generative Image Models
- [202410] Meta-Unlearning on Diffusion Models ([PDF](https://arxiv.org/pdf/2410.12777), [code](https://github.com/sail-sg/Meta-Unlearning))
- [202409] Enhancing User-Centric Privacy Protection ([PDF](https://arxiv.org/pdf/2409.03326))
- [202407] Unlearning Concepts from Text-to-Video Diffusion Models ([PDF](https://arxiv.org/pdf/2407.14209))
- [202401] Sparse Attention for Long Documents ([PDF](https://arxiv.org/pdf/2401.00001))
- [202401] Dense Retrieval at Scale ([PDF](https://arxiv.org/pdf/2401.00002))
- [202303] Erasing Concepts from Diffusion Models
- [202401] Generative Adversarial Networks Unlearning
- [202402] Receler: Reliable Concept Erasing of Text-to-Image Diffusion Models
- [202403] Selective Amnesia for Deep Generative Models
- [202405] Two Papers Under One Title
- **Tool:** Not A Paper At All ([code](https://github.com/org/tool))
"""


def world_of_papers(world: World) -> None:
    world.arxiv.add("2410.12777", "Meta-Unlearning on Diffusion Models")
    world.arxiv.add("2409.03326", "Enhancing User-Centric Privacy Protection")
    world.arxiv.add("2407.14209", "Unlearning Concepts from Text-to-Video Diffusion Models")
    # found: the same title
    world.arxiv.add("2303.07345", "Erasing Concepts from Diffusion Models")
    # decoys: a longer title holding the listed one, and one word off
    world.arxiv.add("2309.00001", "Generative Adversarial Networks Unlearning for Images")
    world.arxiv.add(
        "2312.00002", "Receler: Reliable Concept Erasing of Text-to-Image Diffusion Model"
    )
    world.arxiv.add("2310.00003", "Selective Amnesia for Deep Generative Models Revisited")
    # two papers with the same title
    world.arxiv.add("2405.00004", "Two Papers Under One Title")
    world.arxiv.add("2405.00005", "Two Papers Under One Title")
    world.github.add_repo("sail-sg/Meta-Unlearning")
    world.github.add_repo("org/tool")
    world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    world.arxiv.add("2401.00002", "Dense Retrieval at Scale")
    world.arxiv.add("2401.00003", "Mixture of Experts Explained")
    for repo in ("org/a", "org/b"):
        world.github.add_repo(repo)


async def test_only_the_same_title_is_suggested_and_near_misses_are_not(
    fake_world: World, fake_env: FakeInternet, tmp_path: Path
) -> None:
    world_of_papers(fake_world)
    path = tmp_path / "README.md"
    path.write_text(BULLETS, encoding="utf-8")
    report = await check(fake_env, path, tmp_path / "cache.sqlite3")
    assert of(report, "entry/suggest-link") == [
        ("entry/suggest-link", 8, "https://arxiv.org/abs/2303.07345")
    ]
    # every link-less paper entry was looked for, in one search, and nothing else
    assert len(fake_world.arxiv.searches) == 1
    asked = fake_world.arxiv.searches[0]
    assert asked.count('ti:"') == 5
    assert "not a paper at all" not in asked
    assert not [f for f in report.findings if f.rule == "check/skipped"]


async def test_entries_with_links_are_never_looked_for(
    fake_world: World, fake_env: FakeInternet, tmp_path: Path
) -> None:
    world_of_papers(fake_world)
    linked = "\n".join(line for line in BULLETS.splitlines() if "](" in line or line[:1] == "#")
    path = tmp_path / "README.md"
    path.write_text(linked + "\n", encoding="utf-8")
    report = await check(fake_env, path, tmp_path / "cache.sqlite3")
    assert of(report, *ENTRY_RULES) == []
    assert fake_world.arxiv.searches == []


async def test_the_cap_is_said_once_and_the_cache_answers_the_next_run(
    fake_world: World, fake_env: FakeInternet, tmp_path: Path
) -> None:
    world_of_papers(fake_world)
    path = tmp_path / "README.md"
    path.write_text(BULLETS, encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    capped = await check(fake_env, path, cache, max_title_searches=0)
    assert fake_world.arxiv.searches == []
    skipped = [f for f in capped.findings if f.rule == "check/skipped"]
    assert len(skipped) == 1
    assert skipped[0].message.startswith("5 link-less entries not looked for on arXiv")
    assert not [f for f in capped.findings if f.rule in ("link/broken", "arxiv/not-found")]

    first = await check(fake_env, path, cache)
    assert len(fake_world.arxiv.searches) == 1
    before = len(fake_env.log.of("arxiv"))
    second = await check(fake_env, path, cache)
    assert len(fake_env.log.of("arxiv")) == before  # no request: the cache answered
    assert of(second, "entry/suggest-link") == of(first, "entry/suggest-link") != []


# ------------------------------------------------------------------------------ --fix

TABLE = "\n".join(
    [
        "# Papers of the Week",
        "## Top ML Papers of the Week (June 23 - June 29)",
        "| **Paper**  | **Links** |",
        "| ------------- | ------------- |",
        "| 1) **Sparse Attention for Long Documents** - a summary. |"
        " [Paper](https://arxiv.org/abs/2401.00001), [Code](https://github.com/org/a) |",
        "| 2) **Dense Retrieval at Scale** - another summary. |"
        " [Paper](https://arxiv.org/abs/2401.00002) |",
        "| 3) **Erasing Concepts from Diffusion Models** - no link yet. | |",
        "| 4) **Mixture of Experts Explained** - a third one. |"
        " [Paper](https://arxiv.org/abs/2401.00003) |",
        "",
    ]
)

LINKED_TITLES = """# Awesome Reasoning
## Survey
1. **[Sparse Attention for Long Documents.](https://arxiv.org/abs/2401.00001)** [[code](https://github.com/org/a)]
2. **[Dense Retrieval at Scale.](https://arxiv.org/abs/2401.00002)**
3. **Erasing Concepts from Diffusion Models.**
4. **[Mixture of Experts Explained.](https://arxiv.org/abs/2401.00003)**
5. **Erasing Concepts from Diffusion Models Again**
"""

PDF_BULLETS = "\n".join(
    [
        "# Object Detection",
        "## 2020",
        "- **[A]** Sparse Attention for Long Documents\t\t| **[ECCV' 20]** |"
        "[`[pdf]`](https://arxiv.org/pdf/2401.00001.pdf)",
        "- Dense Retrieval at Scale\t\t| **[ECCV' 20]** |"
        "[`[pdf]`](https://arxiv.org/pdf/2401.00002.pdf)",
        "- **[EC]** Erasing Concepts from Diffusion Models\t\t| **[ECCV' 20]** ",
        "- Mixture of Experts Explained\t\t| **[ECCV' 20]** |"
        "[`[pdf]`](https://arxiv.org/pdf/2401.00003.pdf)",
        "",
    ]
)

MULTILINE = """# Diffusion
## Survey
- **Sparse Attention for Long Documents** \\
  *A. Author* \\
  arXiv 2024. [[Paper](https://arxiv.org/abs/2401.00001)] \\
  1 Jan 2024
- **Dense Retrieval at Scale** \\
  *B. Author* \\
  arXiv 2024. [[Paper](https://arxiv.org/abs/2401.00002)] \\
  2 Jan 2024
- **Erasing Concepts from Diffusion Models** \\
  *C. Author* \\
  arXiv 2023. \\
  13 Mar 2023
"""

NO_STYLE = """# Unlearning
## Generative Image Models
- Sparse Attention for Long Documents ([code](https://github.com/org/a))
- Dense Retrieval at Scale ([code](https://github.com/org/b))
- Erasing Concepts from Diffusion Models
"""


@pytest.mark.parametrize(
    ("text", "line", "written"),
    [
        pytest.param(
            BULLETS,
            "- [202303] Erasing Concepts from Diffusion Models",
            "- [202303] Erasing Concepts from Diffusion Models"
            " ([PDF](https://arxiv.org/pdf/2303.07345))",
            id="bullets",
        ),
        pytest.param(
            TABLE,
            "| 3) **Erasing Concepts from Diffusion Models** - no link yet. | |",
            "| 3) **Erasing Concepts from Diffusion Models** - no link yet."
            " | [Paper](https://arxiv.org/abs/2303.07345) |",
            id="table",
        ),
        pytest.param(
            LINKED_TITLES,
            "3. **Erasing Concepts from Diffusion Models.**",
            "3. **[Erasing Concepts from Diffusion Models.](https://arxiv.org/abs/2303.07345)**",
            id="linked-title",
        ),
        pytest.param(
            PDF_BULLETS,
            "- **[EC]** Erasing Concepts from Diffusion Models\t\t| **[ECCV' 20]** ",
            "- **[EC]** Erasing Concepts from Diffusion Models\t\t| **[ECCV' 20]**"
            " |[`[pdf]`](https://arxiv.org/pdf/2303.07345.pdf) ",
            id="pdf-labels",
        ),
        pytest.param(
            MULTILINE,
            "  arXiv 2023. \\",
            "  arXiv 2023. [[Paper](https://arxiv.org/abs/2303.07345)] \\",
            id="multi-line",
        ),
        pytest.param(
            NO_STYLE,
            "- Erasing Concepts from Diffusion Models",
            "- Erasing Concepts from Diffusion Models [[arXiv](https://arxiv.org/abs/2303.07345)]",
            id="no-style-learnt",
        ),
    ],
)
async def test_fix_writes_the_link_in_the_sections_style_and_the_entry_is_settled(
    fake_world: World,
    fake_env: FakeInternet,
    tmp_path: Path,
    text: str,
    line: str,
    written: str,
) -> None:
    world_of_papers(fake_world)
    path = tmp_path / "README.md"
    path.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    before = await check(fake_env, path, cache)
    suggested = [f for f in before.findings if f.rule == "entry/suggest-link"]
    assert [f.suggestion for f in suggested] == ["https://arxiv.org/abs/2303.07345"]
    after = fixed_text(path, before.findings)
    assert line in text.splitlines()
    assert written in after.splitlines()
    # only that line changed
    changed = [a for a, b in zip(after.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [written]
    path.write_text(after, encoding="utf-8")
    again = await check(fake_env, path, cache)
    entry_line = suggested[0].line
    assert [f for f in of(again, *ENTRY_RULES) if f[1] == entry_line] == []
    assert not [f for f in again.findings if f.rule.startswith(("link/", "arxiv/"))]


async def test_fix_settles_the_no_link_finding_too_and_refuses_a_full_cell(
    fake_world: World, fake_env: FakeInternet, tmp_path: Path
) -> None:
    world_of_papers(fake_world)
    path = tmp_path / "README.md"
    path.write_text(TABLE, encoding="utf-8")
    report = await check(fake_env, path, tmp_path / "cache.sqlite3")
    doc = parse_document(TABLE, report.findings[0].path)
    plan = plan_fixes(doc, report.findings)
    assert sorted(f.rule for f in plan.fixed) == ["entry/no-link", "entry/suggest-link"]

    crowded = TABLE.replace("no link yet. | |", "no link yet. | see the blog |")
    doc = parse_document(crowded, report.findings[0].path)
    suggestion = next(f for f in report.findings if f.rule == "entry/suggest-link")
    plan = plan_fixes(doc, [suggestion])
    assert plan.edits == ()
    assert [s.reason for s in plan.skipped] == ["the row's link cell already holds text"]


@pytest.mark.parametrize(
    ("rules", "searches", "found"),
    [
        # Ignored: no title is looked for.
        ({"ignore": ["entry/suggest-link"]}, 0, []),
        # Selected alone: titles are looked for and no link is asked about.
        ({"select": ["entry/suggest-link"]}, 1, ["entry/suggest-link"]),
    ],
)
async def test_the_rule_asks_arxiv_titles_exactly_when_selected(
    fake_world: World,
    fake_env: FakeInternet,
    tmp_path: Path,
    rules: dict[str, list[str]],
    searches: int,
    found: list[str],
) -> None:
    world_of_papers(fake_world)
    path = tmp_path / "README.md"
    path.write_text(BULLETS, encoding="utf-8")
    report = await check(fake_env, path, tmp_path / "cache.sqlite3", rules)
    assert len(fake_world.arxiv.searches) == searches
    asked = [r.query.get("search_query") is not None for r in fake_env.log.entries]
    assert sum(asked) == searches
    assert sorted({f.rule for f in report.findings} & {"entry/suggest-link"}) == found
    if "select" in rules:  # nothing else is asked, nothing else is reported
        assert all(asked)
        assert [f.rule for f in report.findings] == found
