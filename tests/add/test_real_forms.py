"""``listcheck add`` on entries of the shapes real lists have: authors on a continuation
line, authors and venue after the title, a venue between pipes, a date line. The
fixtures are written in those lists' forms (the lists themselves are read in place by
the last tests); every part of the new entry comes from arXiv or the command line."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import World
from tests.real_lists import REAL

ATFORTES = """# Awesome Reasoning
## Survey
### 2025

1. **[Chains of Thought in Practice: A Review.](https://arxiv.org/abs/2503.11111)** \
[[code](https://github.com/o/chains)]

    *Ann Lee, Bo Chen, Cy Diaz.* Preprint'25

1. **[Reasoning Benchmarks Revisited.](https://arxiv.org/abs/2502.22222)**

    *Dee Evans, Fay Gold.* ACL'25

## Technique
### 2025

1. **[Planning Tokens for Reasoning.](https://arxiv.org/abs/2501.33333)**

    *Gus Hall, Ida Jones.* Preprint'25

### Multimodal

### 2025

1. **[Seeing and Reasoning.](https://arxiv.org/abs/2501.44444)**

    *Kim Lo, Max Ng.* Preprint'25
"""

NERF = """# Awesome Fields
## Papers
- [Alpha Fields: Fast Radiance](https://arxiv.org/abs/2101.00001), Smith et al., CVPR 2021 \
| [github](https://github.com/o/alpha) | [bibtex](./citations/alpha.txt)
- [Beta Fields for Scenes](https://arxiv.org/abs/2102.00002), Jones and Brown, Arxiv 2021 \
| [bibtex](./citations/beta.txt)
- [Gamma Rendering](https://gamma.github.io/), Green et al., ICCV 2021 \
| [github](https://github.com/o/gamma) | [bibtex](./citations/gamma.txt) <!---Green21iccv-->
"""

HOYA = """# Object Detection
## 2017
- **[DSSX]** DSSX: Deconvolutional Single Shot eXample | **[arXiv' 17]** \
|[`[pdf]`](https://arxiv.org/pdf/1701.00001.pdf) [`[official code - caffe]`](https://github.com/o/dssx)
- Improving Detection with Bayesian Steps | **[CVPR' 17]** |[`[pdf]`](https://arxiv.org/pdf/1702.00002.pdf)
- **[RONX]** RONX: Reverse Objectness Network | **[CVPR' 17]** \
|[`[pdf]`](https://arxiv.org/pdf/1703.00003.pdf) [`[official code - caffe]`](https://github.com/o/ronx)
"""

DIFFUSION = """# Diffusion
## Survey

**A Survey of Forgetting** \\
*Ann Lee, Bo Chen and Cy Diaz* \\
arXiv 2023. [[Paper](https://arxiv.org/abs/2310.10001)] \\
16 Oct 2023

**Unlearning at Scale** \\
*Dee Evans* \\
arXiv 2023. [[Paper](https://arxiv.org/abs/2309.10002)] [[Github](https://github.com/o/scale)] \\
2 Sep 2023

**Erasure Benchmarks** \\
*Fay Gold, Gus Hall* \\
arXiv 2023. [[Paper](https://arxiv.org/abs/2308.10003)] \\
9 Aug 2023
"""

VENUES_ONLY = """# Fields
## Papers
- [Alpha Fields](https://arxiv.org/abs/2101.00001), Smith et al., CVPR 2021
- [Beta Fields](https://arxiv.org/abs/2102.00002), Jones et al., ICCV 2021
"""

DESCRIBED = """# Unlearning
## Papers
- [Alpha Forgetting](https://arxiv.org/abs/2101.00001): A method that forgets quickly and well.
- [Beta Erasure](https://arxiv.org/abs/2102.00002): A benchmark for measuring what was forgotten.
"""


@pytest.fixture
def more_papers(papers: World) -> World:
    papers.arxiv.add(
        "2504.04321",
        "Grace Notes: Three Authors Agree",
        authors=["Ada Lovelace", "Alan Turing", "Grace Hopper"],
        comment="Accepted at ICML 2025. Code: https://github.com/acme/grace",
    )
    papers.github.add_repo("acme/grace")
    return papers


def run(*argv: str) -> int:
    return main(["add", *argv])


async def added(
    folder: Path, capsys: pytest.CaptureFixture[str], before: str, *argv: str
) -> tuple[str, str]:
    readme = folder / "README.md"
    readme.write_text(before, encoding="utf-8")
    code = await asyncio.to_thread(run, *argv)
    _, err = capsys.readouterr()
    assert code == 0, err
    return readme.read_text(encoding="utf-8"), err


def published(world: World, arxiv_id: str) -> str:
    day = world.arxiv.papers[arxiv_id].published
    return f"{day.day} {day:%b} {day.year}"


async def findings_on(lines: range, capsys: pytest.CaptureFixture[str]) -> list[str]:
    await asyncio.to_thread(main, ["README.md", "--format", "json", "--offline"])
    report = json.loads(capsys.readouterr().out)
    return [f["rule"] for f in report["findings"] if f["line"] in lines]


async def test_atfortes_authors_on_a_continuation_line_and_a_preprint_marker(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = await added(folder, capsys, ATFORTES, "2311.00777", "--section", "Survey > 2025")
    entry = (
        "\n1. **[Another Look at Unlearning Benchmarks.](https://arxiv.org/abs/2311.00777)**\n"
        "\n    *Ada Lovelace, Alan Turing.* Preprint'23\n"
    )
    anchor = "    *Dee Evans, Fay Gold.* ACL'25\n"
    assert after == ATFORTES.replace(anchor, anchor + entry)
    assert "at line 13" in err
    assert await findings_on(range(13, 16), capsys) == []


async def test_atfortes_a_venue_named_in_the_comments_takes_the_section_s_form(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, _ = await added(folder, capsys, ATFORTES, "2505.01234", "--section", "Survey > 2025")
    assert (
        "1. **[Forgetting Without Retraining: Fast Unlearning for Language Models.]"
        "(https://arxiv.org/abs/2505.01234)** [[code](https://github.com/acme/fastforget)]\n"
        "\n    *Ada Lovelace, Alan Turing.* ICLR'26\n" in after
    )


async def test_awesome_nerf_surnames_et_al_venue_and_code_after_the_venue(
    folder: Path, capsys: pytest.CaptureFixture[str], more_papers: World
) -> None:
    after, _ = await added(folder, capsys, NERF, "2504.04321", "--section", "Papers")
    assert after == NERF + (
        "- [Grace Notes: Three Authors Agree](https://arxiv.org/abs/2504.04321),"
        " Lovelace et al., ICML 2025 | [github](https://github.com/acme/grace)\n"
    )
    after, _ = await added(folder, capsys, NERF, "2311.00777", "--section", "Papers")
    assert after == NERF + (
        "- [Another Look at Unlearning Benchmarks](https://arxiv.org/abs/2311.00777),"
        " Lovelace and Turing, Arxiv 2023\n"
    )
    assert await findings_on(range(6, 7), capsys) == []


async def test_hoya012_name_venue_between_pipes_and_a_code_label_arxiv_cannot_fill(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = await added(folder, capsys, HOYA, "2402.04321", "--section", "2017")
    assert after == HOYA + (
        "- **[MemErase]** MemErase: Erasing Memorised Data | **[ACL' 24]** "
        "|[`[pdf]`](https://arxiv.org/pdf/2402.04321.pdf)\n"
    )
    assert "without its code link https://github.com/acme/memerase" in err
    assert "e.g. '[official code - caffe]'" in err
    after, _ = await added(folder, capsys, HOYA, "2311.00777", "--section", "2017")
    assert after == HOYA + (
        "- Another Look at Unlearning Benchmarks | **[arXiv' 23]** "
        "|[`[pdf]`](https://arxiv.org/pdf/2311.00777.pdf)\n"
    )
    assert await findings_on(range(6, 7), capsys) == []


async def test_diffusion_date_line_from_the_first_version(
    folder: Path, capsys: pytest.CaptureFixture[str], papers: World
) -> None:
    after, err = await added(folder, capsys, DIFFUSION, "2311.00777", "--section", "Survey")
    entry = (
        "**Another Look at Unlearning Benchmarks** \\\n"
        "*Ada Lovelace, Alan Turing* \\\n"
        "arXiv 2023. [[Paper](https://arxiv.org/abs/2311.00777)] \\\n"
        f"{published(papers, '2311.00777')}\n\n"
    )
    assert after == DIFFUSION.replace(
        "**A Survey of Forgetting**", entry + "**A Survey of Forgetting**"
    )
    assert "newest first" in err


@pytest.mark.parametrize(
    ("before", "said"),
    [
        (
            VENUES_ONLY,
            "cannot add arXiv 2311.00777 to section 'Papers': its entries carry a venue (the"
            " section writes 'ICCV 2021'; arXiv names none for 2311.00777 and the list keeps"
            " no one preprint marker): give it with --venue; nothing was written",
        ),
        (
            DESCRIBED,
            "cannot add arXiv 2311.00777 to section 'Papers': its entries carry a description"
            " (the section writes one, e.g. 'A benchmark for measuring what was fo...'):"
            " give it with --description; nothing was written",
        ),
    ],
    ids=["venue", "description"],
)
async def test_a_part_arxiv_cannot_fill_is_refused_in_one_line(
    before: str, said: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(before, encoding="utf-8")
    code = await asyncio.to_thread(run, "2311.00777", "--section", "Papers")
    _, err = capsys.readouterr()
    assert code == 2
    assert err == f"listcheck: error: {said}\n"
    assert readme.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("before", "option", "line"),
    [
        (VENUES_ONLY, ["--venue", "NeurIPS 2024"], "Lovelace et al., NeurIPS 2024"),
        (
            VENUES_ONLY,
            ["--venue", "Nature Machine Intelligence"],
            "Lovelace et al., Nature Machine Intelligence",
        ),
        (HOYA, ["--venue", "ECCV 2024"], "| **[ECCV' 24]** |"),
        (
            DESCRIBED,
            ["--description", "Checks what unlearning leaves behind."],
            "(https://arxiv.org/abs/2311.00777): Checks what unlearning leaves behind.\n",
        ),
    ],
    ids=["venue-in-form", "venue-verbatim", "venue-year-form", "description"],
)
async def test_the_maintainer_supplies_what_arxiv_cannot(
    before: str, option: list[str], line: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    section = "2017" if before is HOYA else "Papers"
    after, _ = await added(folder, capsys, before, "2311.00777", "--section", section, *option)
    assert line in after
    assert after.count("\n") == before.count("\n") + 1


async def test_options_for_one_paper_refuse_several(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "README.md").write_text(VENUES_ONLY, encoding="utf-8")
    code = await asyncio.to_thread(
        run, "2311.00777", "2402.04321", "--section", "Papers", "--venue", "ICML 2025"
    )
    assert code == 2
    assert "add papers one at a time" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("section", "said"),
    [
        (
            "2025",
            "several sections are named '2025' in README.md: 'Awesome Reasoning > Survey > 2025'"
            " (line 3), 'Awesome Reasoning > Technique > 2025' (line 14), 'Awesome Reasoning >"
            " Technique > 2025' (line 22); give --section a longer path or the heading's line"
            " number",
        ),
        (
            "Technique > 2025",
            "several sections are named 'Technique > 2025' in README.md: 'Awesome Reasoning >"
            " Technique > 2025' (line 14), 'Awesome Reasoning > Technique > 2025' (line 22);"
            " give --section a longer path or the heading's line number",
        ),
    ],
)
async def test_an_ambiguous_section_lists_the_candidates_with_their_lines(
    section: str, said: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "README.md").write_text(ATFORTES, encoding="utf-8")
    code = await asyncio.to_thread(run, "2311.00777", "--section", section)
    assert code == 2
    assert capsys.readouterr().err == f"listcheck: error: {said}\n"


@pytest.mark.parametrize(("section", "line"), [("22", 28), ("line 14", 20), ("Survey > 2025", 13)])
async def test_a_section_by_path_or_heading_line(
    section: str, line: int, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after, err = await added(folder, capsys, ATFORTES, "2311.00777", "--section", section)
    assert after.splitlines()[line - 1].startswith("1. **[Another Look at Unlearning")
    assert f"at line {line}" in err


REAL_CASES = [
    (
        "atfortes__Awesome-LLM-Reasoning.md",
        "Survey > 2024",
        [
            "1. **[Another Look at Unlearning Benchmarks.](https://arxiv.org/abs/2311.00777)**",
            "",
            "    *Ada Lovelace, Alan Turing.* Preprint'23",
        ],
    ),
    (
        "awesome-NeRF__awesome-NeRF.md",
        "Generalization",
        [
            "- [Another Look at Unlearning Benchmarks](https://arxiv.org/abs/2311.00777),"
            " Lovelace and Turing, Arxiv 2023"
        ],
    ),
    (
        "hoya012__deep_learning_object_detection.md",
        "2019",
        [
            "- Another Look at Unlearning Benchmarks | **[arXiv' 23]** "
            "|[`[pdf]`](https://arxiv.org/pdf/2311.00777.pdf)"
        ],
    ),
]


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent")
@pytest.mark.parametrize(("name", "section", "block"), REAL_CASES, ids=[c[0] for c in REAL_CASES])
async def test_real_lists_get_an_entry_like_their_own(
    name: str, section: str, block: list[str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    shutil.copyfile(REAL / name, readme)
    before = readme.read_text(encoding="utf-8").splitlines()
    code = await asyncio.to_thread(run, "2311.00777", "--section", section)
    _, err = capsys.readouterr()
    assert code == 0, err
    line = int(err.split(" at line ")[1].split()[0])
    after = readme.read_text(encoding="utf-8").splitlines()
    assert [s.rstrip() for s in after[line - 1 : line - 1 + len(block)]] == block
    grew = len(after) - len(before)
    assert grew in (len(block), len(block) + 1)  # and the blank line its neighbours have
    assert await findings_on(range(line, line + len(block)), capsys) == []
