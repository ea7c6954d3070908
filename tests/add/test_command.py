"""``listcheck add`` end to end against the fake arXiv: a before and an after for every
form of entry the parser knows, each written exactly as the section's own entries."""

from __future__ import annotations

import asyncio
import codecs
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from listcheck.cli import main
from tests.fakes import FakeInternet, Forced, World


@dataclass(frozen=True)
class Case:
    before: str
    paper: str
    section: str
    added: str
    """The new entry's line(s)."""
    after_line: int
    """The line it ends up on."""


MONTH_FULLWIDTH = """# Unlearning
## Papers
- 【202503】Deep Contrastive Unlearning ([PDF](https://arxiv.org/abs/2503.14900))
- 【202502】LUME: LLM Unlearning with Multitask Evaluations \
([PDF](https://arxiv.org/abs/2502.15097), [code](https://github.com/a/lume))
- 【202401】TOFU: A Task of Fictitious Unlearning ([PDF](https://arxiv.org/abs/2401.06121))
"""

MONTH_ASCII_PDF = """# Unlearning
## Papers
- [202301] Alpha Paper ([PDF](https://arxiv.org/pdf/2301.00001))
- [202306] Beta Paper ([PDF](https://arxiv.org/pdf/2306.00002))
- [202312] Gamma Paper ([PDF](https://arxiv.org/pdf/2312.00003))
"""

ARXIV_TAG = """# Unlearning
## Benchmarks
- **TOFU** [arxiv 2401.06121] TOFU: A Task of Fictitious Unlearning for LLMs \
([code](https://locuslab.github.io/tofu/))
- **WMDP** [arxiv 2403.03218] The WMDP Benchmark: Measuring and Reducing Malicious Use \
With Unlearning ([code](https://www.wmdp.ai/))

## Contributing
Pull requests welcome.
"""

VENUE_TAG = """# Unlearning
## Methods
- [ICLR 2024] SalUn: Weight Saliency for Unlearning ([PDF](https://arxiv.org/abs/2310.12508), [code](https://github.com/o/salun))
- [ICCV 2023] Ablating Concepts in Diffusion Models ([PDF](https://arxiv.org/abs/2303.13516), [code](https://github.com/o/abl))
- [NeurIPS 2022] Editing Models with Task Arithmetic ([PDF](https://arxiv.org/abs/2212.04089), [code](https://github.com/o/tv))
"""

NO_TAG_ALPHABETICAL = """# Unlearning
## Surveys
- A Survey of Forgetting ([PDF](https://arxiv.org/abs/2302.00001))
- Bounded Unlearning ([PDF](https://arxiv.org/abs/2209.00002))
- Certified Removal ([PDF](https://arxiv.org/abs/2310.00003))
- Deletion in Practice ([PDF](https://arxiv.org/abs/2101.00004))
- Erasure at Scale ([PDF](https://arxiv.org/abs/2405.00005))
"""

NO_ORDER = """# Unlearning
## Misc
- **[Zeta Work](https://arxiv.org/abs/2302.00001)** [[code](https://github.com/o/zeta)]
- **[Beta Work](https://arxiv.org/abs/2209.00002)**
- **[Kappa Work](https://arxiv.org/abs/2310.00003)**
- **[Alpha Work](https://arxiv.org/abs/2101.00004)**

## Other
- **[Omega Work](https://arxiv.org/abs/2405.00005)**
"""

TABLE = """# Unlearning
## Papers
| Title | Paper | Code | Venue |
|---|---|---|---|
| Alpha Method | [arXiv](https://arxiv.org/abs/2401.00011) | \
[code](https://github.com/o/alpha) | ICLR 2024 |
| Beta Method | [arXiv](https://arxiv.org/abs/2312.00012) | \
[code](https://github.com/o/beta) | CVPR 2024 |
| Gamma Method | [arXiv](https://arxiv.org/abs/2311.00013) | \
[code](https://github.com/o/gamma) | NeurIPS 2023 |
"""

HTML_LIST = """# Unlearning
## Papers
<ul>
<li><a href="https://arxiv.org/abs/2401.00011">Alpha Method</a></li>
<li><a href="https://arxiv.org/abs/2312.00012">Beta Method</a></li>
</ul>
"""

NUMBERED = """# Unlearning
## Papers
1. 【202503】Deep Contrastive Unlearning ([PDF](https://arxiv.org/abs/2503.14900))
2. 【202502】LUME: LLM Unlearning with Multitask Evaluations ([PDF](https://arxiv.org/abs/2502.15097))
3. 【202401】TOFU: A Task of Fictitious Unlearning ([PDF](https://arxiv.org/abs/2401.06121))
"""


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Numbered in sequence: the new entry takes its place's number, the rest move up.
        (NUMBERED, ["1. ", "2. ", "3. ", "4. "]),
        # Numbered "1." throughout (Markdown counts): the new entry is "1." too.
        (NUMBERED.replace("2. ", "1. ").replace("3. ", "1. "), ["1. "] * 4),
    ],
)
async def test_a_numbered_section_stays_numbered_its_own_way(
    before: str, after: list[str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(before, encoding="utf-8")
    code = await asyncio.to_thread(run, "2402.04321", "--section", "Papers")
    _, err = capsys.readouterr()
    assert code == 0, err
    lines = lines_of(readme.read_text(encoding="utf-8"))[2:]
    assert [line[:3] for line in lines] == after
    assert "MemErase" in lines[2]  # between 202502 and 202401
    assert [line[3:] for line in lines[:2] + lines[3:]] == [
        line[3:] for line in lines_of(before)[2:]
    ]


CASES = {
    "month-tag-fullwidth-newest-first": Case(
        MONTH_FULLWIDTH,
        "2402.04321",
        "Papers",
        "- 【202402】MemErase: Erasing Memorised Data ([PDF](https://arxiv.org/abs/2402.04321),"
        " [code](https://github.com/acme/memerase))",
        5,
    ),
    "month-tag-ascii-pdf-oldest-first": Case(
        MONTH_ASCII_PDF,
        "https://arxiv.org/pdf/2311.00777v1",
        "papers",
        "- [202311] Another Look at Unlearning Benchmarks ([PDF](https://arxiv.org/pdf/2311.00777))",
        5,
    ),
    "arxiv-tag-with-name": Case(
        ARXIV_TAG,
        "arXiv:2402.04321",
        "Benchmarks",
        "- **MemErase** [arxiv 2402.04321] MemErase: Erasing Memorised Data"
        " ([code](https://github.com/acme/memerase))",
        5,
    ),
    "venue-tag": Case(
        VENUE_TAG,
        "2505.01234",
        "Methods",
        "- [ICLR 2026] Forgetting Without Retraining: Fast Unlearning for Language Models"
        " ([PDF](https://arxiv.org/abs/2505.01234), [code](https://github.com/acme/fastforget))",
        3,
    ),
    "no-tag-alphabetical": Case(
        NO_TAG_ALPHABETICAL,
        "2311.00777",
        "Surveys",
        "- Another Look at Unlearning Benchmarks ([PDF](https://arxiv.org/abs/2311.00777))",
        4,
    ),
    "linked-title-no-order": Case(
        NO_ORDER,
        "2505.01234",
        "Misc",
        "- **[Forgetting Without Retraining: Fast Unlearning for Language Models]"
        "(https://arxiv.org/abs/2505.01234)** [[code](https://github.com/acme/fastforget)]",
        7,
    ),
    "table-row": Case(
        TABLE,
        "2402.04321",
        "Papers",
        "| MemErase: Erasing Memorised Data | [arXiv](https://arxiv.org/abs/2402.04321) |"
        " [code](https://github.com/acme/memerase) | ACL 2024  |",
        5,
    ),
    "html-list": Case(
        HTML_LIST,
        "2311.00777",
        "Papers",
        '<li><a href="https://arxiv.org/abs/2311.00777">Another Look at Unlearning Benchmarks</a>'
        "</li>",
        6,
    ),
}


def run(*argv: str) -> int:
    return main(["add", *argv])


def lines_of(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_before_and_after(
    case: Case, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(case.before, encoding="utf-8")
    code = await asyncio.to_thread(run, case.paper, "--section", case.section)
    _, err = capsys.readouterr()
    assert code == 0, err
    after = lines_of(readme.read_text(encoding="utf-8"))
    expected = lines_of(case.before)
    expected.insert(case.after_line - 1, case.added)
    assert after == expected
    assert f"at line {case.after_line}" in err


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_round_trip_has_no_finding_on_the_new_entry(
    case: Case, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(case.before, encoding="utf-8")
    assert await asyncio.to_thread(run, case.paper, "--section", case.section) == 0
    capsys.readouterr()
    for offline in (["--offline"], ["--no-cache"]):
        await asyncio.to_thread(main, ["README.md", "--format", "json", *offline])
        report = json.loads(capsys.readouterr().out)
        on_new = [f for f in report["findings"] if f["line"] == case.after_line]
        assert on_new == [], offline


async def test_dry_run_prints_the_diff_and_writes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(MONTH_FULLWIDTH, encoding="utf-8")
    code = await asyncio.to_thread(run, "2402.04321", "--section", "Papers", "--dry-run")
    out, _ = capsys.readouterr()
    assert code == 0
    assert readme.read_text(encoding="utf-8") == MONTH_FULLWIDTH
    assert out.startswith("--- README.md\n+++ README.md\n@@ ")
    assert "\n+- 【202402】MemErase: Erasing Memorised Data (" in out


@pytest.mark.parametrize(
    ("paper", "line"),
    [("2503.14900", 3), ("https://arxiv.org/pdf/2401.06121v2.pdf", 5)],
    ids=["same-id", "other-url-form"],
)
async def test_a_paper_already_in_the_section_is_refused(
    paper: str, line: int, folder: Path, fake_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_world.arxiv.add("2503.14900", "Deep Contrastive Unlearning")
    fake_world.arxiv.add("2401.06121", "TOFU: A Task of Fictitious Unlearning")
    readme = folder / "README.md"
    readme.write_text(MONTH_FULLWIDTH, encoding="utf-8")
    code = await asyncio.to_thread(run, paper, "--section", "Papers")
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert f"already in section 'Papers' at README.md:{line}" in err
    assert readme.read_text(encoding="utf-8") == MONTH_FULLWIDTH


async def test_a_tag_id_counts_as_the_paper(
    folder: Path, fake_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_world.arxiv.add("2403.03218", "The WMDP Benchmark")
    (folder / "README.md").write_text(ARXIV_TAG, encoding="utf-8")
    code = await asyncio.to_thread(run, "2403.03218", "--section", "Benchmarks")
    assert code == 2
    assert "at README.md:4" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("paper", "said"),
    [
        ("2403.05555", "arXiv 2403.05555 was withdrawn (This paper has been withdrawn"),
        ("2409.99999", "arXiv 2409.99999: arXiv has no paper 2409.99999; nothing was written"),
        ("not-an-id", "'not-an-id' is not an arXiv id or arXiv URL"),
    ],
    ids=["withdrawn", "unknown", "malformed"],
)
async def test_withdrawn_unknown_or_malformed_ids_are_refused(
    paper: str, said: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(MONTH_FULLWIDTH, encoding="utf-8")
    code = await asyncio.to_thread(run, "2402.04321", paper, "--section", "Papers")
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert said in err
    assert readme.read_text(encoding="utf-8") == MONTH_FULLWIDTH


async def test_an_api_in_trouble_writes_nothing(
    folder: Path, fake_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_world.arxiv.force(Forced.reply(200, "<html>down for maintenance</html>"))
    readme = folder / "README.md"
    readme.write_text(MONTH_FULLWIDTH, encoding="utf-8")
    code = await asyncio.to_thread(run, "2402.04321", "--section", "Papers")
    _, err = capsys.readouterr()
    assert code == 5
    assert err.count("\n") == 1
    assert "arXiv 2402.04321: arXiv API answered HTTP 200 without a feed" in err
    assert readme.read_text(encoding="utf-8") == MONTH_FULLWIDTH


async def test_several_papers_in_one_call_keep_bom_and_crlf(
    folder: Path, fake_server: FakeInternet, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_bytes(codecs.BOM_UTF8 + MONTH_FULLWIDTH.replace("\n", "\r\n").encode())
    code = await asyncio.to_thread(run, "2402.04321", "2505.01234", "--section", "Papers")
    capsys.readouterr()
    assert code == 0
    data = readme.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    text = data[3:].decode()
    assert text.count("\r\n") == text.count("\n") == 7
    assert [line[:12] for line in text.splitlines()[2:]] == [
        "- 【202505】Fo",
        "- 【202503】De",
        "- 【202502】LU",
        "- 【202402】Me",
        "- 【202401】TO",
    ]
    assert len(fake_server.log.of("arxiv")) == 1


async def test_without_section_off_a_terminal_the_closest_is_named(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = folder / "README.md"
    readme.write_text(NO_ORDER.replace("## Other", "## Erasing Data"), encoding="utf-8")
    code = await asyncio.to_thread(run, "2402.04321")
    _, err = capsys.readouterr()
    assert code == 2
    assert err == (
        "listcheck: error: --section is needed when not at a terminal; the closest section"
        " to arXiv 2402.04321 is 'Erasing Data' (its name shares 'data', 'erasing')\n"
    )


async def test_a_list_file_named_add_is_still_checked(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "add").write_text(MONTH_FULLWIDTH, encoding="utf-8")
    code = await asyncio.to_thread(main, ["./add", "--offline", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["files"] == ["add"]
