"""What arXiv's answers say about entries: titles of a list that names papers its own
way are summed up in one notice, a long prefix is a notice, and each title is judged
once unless its paper's earlier versions had to be fetched."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from listcheck.checkers.arxiv import entries
from listcheck.models import Report, Severity
from listcheck.titles import compare
from listcheck.titles.editorial import EDITORIAL_MIN_MISMATCHES, EDITORIAL_MIN_SHARE
from tests.fakes import FakeInternet, World
from tests.online_run import run_online

# --- titles: a list that names papers its own way ------------------------------------

FIXTURE = Path(__file__).parents[1] / "fixtures" / "titles_corpus.json"
HEADLINES = [
    case
    for case in json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    if case["how"] == "editorial headline"
]
"""dair-ai/ML-Papers-of-the-Week's own headlines, each with its paper's real title."""

INTERVAL = 0.05


async def _run(world: World, server: FakeInternet, folder: Path, sections: str) -> Report:
    path = folder / "README.md"
    path.write_text("# Papers of the week\n" + sections, encoding="utf-8")
    return await run_online(
        server, path, folder / "cache.sqlite3", interval=INTERVAL, timeout=5.0, sleep=_no_wait
    )


async def _no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


def _section(name: str, rows: list[tuple[str, str]]) -> str:
    """A section of list entries ``- Title ([Paper](https://arxiv.org/abs/ID))``."""
    items = "".join(
        f"- {title} ([Paper](https://arxiv.org/abs/{arxiv_id}))\n" for title, arxiv_id in rows
    )
    return f"\n## {name}\n\n{items}"


def _declare(world: World, papers: dict[str, str]) -> None:
    for arxiv_id, title in papers.items():
        world.arxiv.add(arxiv_id, title)


def _by_rule(report: Report) -> Counter[str]:
    return Counter(f.rule for f in report.findings if f.rule.startswith("arxiv/title"))


def _faithful(count: int) -> list[tuple[str, str]]:
    """Titles a list copied from arXiv (fake papers, each under its own title)."""
    return [
        (f"Sparse Attention Study Number {n} for Long Documents", f"2401.{n:05d}")
        for n in range(1, count + 1)
    ]


async def test_editorial_list_gets_one_notice_instead_of_an_error_per_headline(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """dair-ai's headlines, as the list writes them ("Sketching as a Visual Chain of
    Thought", "Buffer of Thoughts", "MEM1"-style names), against their real titles: the
    7 that name a different paper by the judge's reading become one notice; the list's
    typos stay warnings."""
    assert len(HEADLINES) >= 50
    _declare(fake_world, {case["arxiv_id"]: case["arxiv_title"] for case in HEADLINES})
    rows = [(case["listed"], case["arxiv_id"]) for case in HEADLINES]
    report = await _run(fake_world, fake_server, tmp_path, _section("Top ML Papers", rows))
    expected = Counter(case["expected"] for case in HEADLINES)
    assert expected["mismatch"] >= EDITORIAL_MIN_MISMATCHES
    counts = _by_rule(report)
    assert counts == Counter({"arxiv/title-editorial": 1, "arxiv/title-typo": expected["typo"]})
    notice = next(f for f in report.findings if f.rule == "arxiv/title-editorial")
    assert notice.severity is Severity.NOTICE
    compared = len(HEADLINES) - expected["too-short"]
    assert notice.message.startswith(f"{expected['mismatch']} of {compared} titles")
    assert "this list" in notice.message
    first = next(case for case in HEADLINES if case["expected"] == "mismatch")
    lines = report_lines(tmp_path / "README.md")
    assert first["listed"] in lines[notice.line - 1]


def report_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


async def test_a_faithful_list_keeps_its_mismatch_errors(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """Six wrong ids among 200 titles copied from arXiv (3 %, under the 5 % share): six
    errors, each on its line, and no notice."""
    rows = _faithful(200)
    _declare(fake_world, {arxiv_id: title for title, arxiv_id in rows})
    wrong = range(10, 70, 10)
    for n in wrong:
        rows[n] = (f"Unrelated Work on Graph Topic {n}", rows[n][1])
    assert len(wrong) >= EDITORIAL_MIN_MISMATCHES
    assert len(wrong) < EDITORIAL_MIN_SHARE * len(rows)
    report = await _run(fake_world, fake_server, tmp_path, _section("Papers", rows))
    assert _by_rule(report) == Counter({"arxiv/title-mismatch": len(wrong)})
    errors = [f for f in report.findings if f.rule == "arxiv/title-mismatch"]
    assert {f.severity for f in errors} == {Severity.ERROR}
    lines = report_lines(tmp_path / "README.md")
    assert sorted(lines[f.line - 1].split(" (")[0] for f in errors) == sorted(
        f"- Unrelated Work on Graph Topic {n}" for n in wrong
    )


async def test_one_section_of_own_names_is_summed_up_alone(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """A faithful section of 150 papers and a section of the list's own headlines: the
    list as a whole stays under 5 % mismatches, the headline section does not; its
    notice names the section, and a wrong id in the faithful section stays an error."""
    faithful = _faithful(150)
    _declare(fake_world, {arxiv_id: title for title, arxiv_id in faithful})
    faithful[0] = ("A Title Pasted Under the Wrong Identifier", faithful[0][1])
    own = [case for case in HEADLINES if case["expected"] in ("mismatch", "part", "same")][:20]
    _declare(fake_world, {case["arxiv_id"]: case["arxiv_title"] for case in own})
    mismatches = sum(case["expected"] == "mismatch" for case in own)
    assert mismatches >= EDITORIAL_MIN_MISMATCHES
    assert mismatches + 1 < EDITORIAL_MIN_SHARE * (len(faithful) + len(own))
    text = _section("Surveys", faithful) + _section(
        "Week 1", [(case["listed"], case["arxiv_id"]) for case in own]
    )
    report = await _run(fake_world, fake_server, tmp_path, text)
    assert _by_rule(report) == Counter({"arxiv/title-mismatch": 1, "arxiv/title-editorial": 1})
    notice = next(f for f in report.findings if f.rule == "arxiv/title-editorial")
    assert notice.message.startswith(
        f'{mismatches} of {len(own)} titles compared with arXiv in section "Week 1"'
    )
    error = next(f for f in report.findings if f.rule == "arxiv/title-mismatch")
    assert "A Title Pasted Under the Wrong Identifier" in error.message


async def test_a_long_prefix_is_a_notice_online(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """The issue's case end to end: the list gives arXiv's first ten words."""
    full = (
        "Tokens for Learning, Tokens for Unlearning: Mitigating Membership Inference "
        "Attacks in Large Language Models via Dual-Purpose Training"
    )
    fake_world.arxiv.wrap_titles = True
    _declare(fake_world, {"2502.19726": full})
    listed = "Tokens for Learning, Tokens for Unlearning: Mitigating Membership Inference Attacks"
    report = await _run(
        fake_world, fake_server, tmp_path, _section("Papers", [(listed, "2502.19726")])
    )
    (found,) = [f for f in report.findings if f.rule.startswith("arxiv/title")]
    assert (found.rule, found.severity, found.suggestion) == (
        "arxiv/title-outdated",
        Severity.NOTICE,
        full,
    )
    assert "first 10 of the 18 words" in found.message


async def test_a_title_is_judged_once_unless_earlier_versions_were_fetched(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three titles: arXiv's own, a typo, and the paper's v1 title (it was retitled in
    v2). The first round settles the first; the other two need the earlier versions
    and are judged again with them: five judgements, not six."""
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents at Scale")
    fake_world.arxiv.add("2401.00002", "Dense Retrieval with Hard Negative Mining")
    fake_world.arxiv.add(
        "2401.00003",
        versions=["Learning to Rank Papers with Graphs", "GraphRank: Ranking Papers with Graphs"],
    )
    calls: list[str] = []
    judge_entry_titles = compare.judge_entry_titles

    def counted(listed: str, *args: Any) -> Any:
        calls.append(listed)
        return judge_entry_titles(listed, *args)

    monkeypatch.setattr(entries, "judge_entry_titles", counted)
    rows = [
        ("Sparse Attention for Long Documents at Scale", "2401.00001"),
        ("Dense Retreival with Hard Negative Mining", "2401.00002"),
        ("Learning to Rank Papers with Graphs", "2401.00003"),
    ]
    report = await _run(fake_world, fake_server, tmp_path, _section("Papers", rows))
    assert sorted((f.rule, f.line) for f in report.findings) == [
        ("arxiv/title-outdated", 7),
        ("arxiv/title-typo", 6),
    ]
    assert Counter(calls) == Counter({rows[0][0]: 1, rows[1][0]: 2, rows[2][0]: 2})
