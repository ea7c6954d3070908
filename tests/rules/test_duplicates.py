"""entry/duplicate on small lists written like the real ones."""

from __future__ import annotations

import pytest
from tests.rules.runs import RuleRun

from listcheck.rules.base import OFFLINE_RULES
from listcheck.rules.duplicates import duplicate

_RULE = RuleRun(duplicate)
run = _RULE.run
corpus_findings = _RULE.corpus_findings


def test_rule_is_registered() -> None:
    assert OFFLINE_RULES["entry/duplicate"] is duplicate


# -- entry/duplicate -----------------------------------------------------------------------


def two_entries(first: str, second: str, *, between: str = "") -> str:
    return (
        "## LLMs\n"
        f"- 【202402】EFUF: Efficient Fine-grained Unlearning ({first})\n"
        "- 【202401】Another Paper ([PDF](https://arxiv.org/abs/2401.15241))\n"
        f"{between}"
        f"- 【202402】EFUF: Efficient Fine-grained Unlearning ({second})\n"
    )


ARXIV = "arXiv 2402.09801"
DOI = "DOI 10.1145/3571730"


@pytest.mark.parametrize(
    ("first", "second", "label"),
    [
        ("https://arxiv.org/abs/2402.09801", "https://arxiv.org/pdf/2402.09801", ARXIV),
        ("https://arxiv.org/pdf/2402.09801", "https://arxiv.org/pdf/2402.09801.pdf", ARXIV),
        ("https://arxiv.org/abs/2402.09801v1", "https://arxiv.org/pdf/2402.09801v3.pdf", ARXIV),
        ("https://www.arxiv.org/abs/2402.09801", "http://arxiv.org/abs/2402.09801", ARXIV),
        (
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            "https://arxiv.org/abs/2311.15766",
            "arXiv 2311.15766",
        ),
        (
            "https://github.com/HITsz-TMG/Ext-Sub",
            "https://github.com/hitsz-tmg/Ext-Sub/",
            "GitHub hitsz-tmg/Ext-Sub",
        ),
        (
            "https://github.com/guangyaodou/SSU/tree/main",
            "https://github.com/guangyaodou/SSU",
            "GitHub guangyaodou/SSU",
        ),
        (
            "https://aclanthology.org/2023.findings-acl.375.pdf",
            "https://aclanthology.org/2023.findings-acl.375/",
            "ACL Anthology 2023.findings-acl.375",
        ),
        (
            "https://aclweb.org/anthology/P19-1001.pdf",
            "https://www.aclweb.org/anthology/P19-1001/",
            "ACL Anthology P19-1001",
        ),
        ("http://www.wmdp.ai/", "https://wmdp.ai", "https://wmdp.ai"),
        # arXiv ids on hosts the classifier does not know, and arXiv's own DOI
        ("https://browse.arxiv.org/pdf/2402.09801v2", "https://arxiv.org/abs/2402.09801", ARXIV),
        ("https://huggingface.co/papers/2402.09801", "https://arxiv.org/abs/2402.09801", ARXIV),
        ("https://www.alphaxiv.org/abs/2402.09801", "https://arxiv.org/abs/2402.09801", ARXIV),
        ("https://doi.org/10.48550/arXiv.2402.09801", "https://arxiv.org/abs/2402.09801", ARXIV),
        # one DOI in each of the forms lists write it in
        ("https://doi.org/10.1145/3571730", "http://dx.doi.org/10.1145/3571730", DOI),
        ("doi:10.1145/3571730", "https://doi.org/10.1145/3571730", DOI),
        ("https://dl.acm.org/doi/10.1145/3571730", "https://doi.org/10.1145/3571730", DOI),
        ("https://dl.acm.org/doi/pdf/10.1145/3571730", "https://doi.org/10.1145/3571730", DOI),
        (
            "https://openreview.net/forum?id=Hk4_qw5xe",
            "https://openreview.net/pdf?id=Hk4_qw5xe",
            "OpenReview Hk4_qw5xe",
        ),
    ],
)
def test_same_paper_twice_in_a_section(first: str, second: str, label: str) -> None:
    findings = run(two_entries(f"[PDF]({first})", f"[PDF]({second})"))
    assert len(findings) == 1
    assert (findings[0].line, findings[0].column) == (4, 3)
    assert findings[0].message == f"same paper as line 2 ({label})"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801)",
            "[PDF](https://arxiv.org/abs/2402.09802)",
            id="different-arxiv-ids",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2310.12508), [code](https://github.com/OPTML-Group/X)",
            "[PDF](https://arxiv.org/abs/2410.07163), [code](https://github.com/OPTML-Group/X)",
            id="two-arxiv-papers-sharing-a-repository",
        ),
        pytest.param(
            "[code](https://github.com/google-research/google-research/tree/master/a)",
            "[code](https://github.com/google-research/google-research/tree/master/b)",
            id="different-folders-of-a-monorepo",
        ),
        pytest.param(
            "[PDF](https://openreview.net/pdf?id=abc)",
            "[PDF](https://openreview.net/pdf?id=xyz)",
            id="query-names-the-paper",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801) ![](https://img.shields.io/badge/ICLR-2024-blue)",
            "[PDF](https://arxiv.org/abs/2402.09802) ![](https://img.shields.io/badge/ICLR-2024-blue)",
            id="shared-badge",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801) [top](#llms)",
            "[PDF](https://arxiv.org/abs/2402.09802) [top](#llms)",
            id="shared-back-link",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801) [back](./#llms)",
            "[PDF](https://arxiv.org/abs/2402.09802) [back](./#llms)",
            id="shared-relative-back-link",
        ),
        pytest.param(
            "[Paper](https://doi.org/10.1145/3571730)",
            "[Paper](https://doi.org/10.1145/3571731)",
            id="different-dois",
        ),
        pytest.param(
            "[Paper](https://openreview.net/forum?id=abc), [Tweet](https://x.com/a/status/1)",
            "[Paper](https://openreview.net/forum?id=xyz), [Tweet](https://x.com/a/status/1)",
            id="shared-tweet",
        ),
        pytest.param(
            "[video](https://www.youtube.com/watch?v=LCTYRqW-ne8)",
            "[video](https://www.youtube.com/watch?v=LCTYRqW-ne8)",
            id="shared-talk-is-not-the-paper",
        ),
    ],
)
def test_different_papers_are_not_duplicates(first: str, second: str) -> None:
    assert run(two_entries(first, second)) == []


def test_same_paper_in_different_sections_is_normal() -> None:
    markdown = two_entries(
        "[PDF](https://arxiv.org/abs/2402.09801)",
        "[PDF](https://arxiv.org/abs/2402.09801)",
        between="\n## LMMs\n",
    )
    assert run(markdown) == []


def test_a_third_copy_points_at_the_first() -> None:
    markdown = (
        two_entries(
            "[PDF](https://arxiv.org/abs/2402.09801)",
            "[PDF](https://arxiv.org/pdf/2402.09801.pdf)",
        )
        + "- 【202402】EFUF ([PDF](https://arxiv.org/abs/2402.09801v2))\n"
    )
    findings = run(markdown)
    assert [(f.line, f.message) for f in findings] == [
        (4, "same paper as line 2 (arXiv 2402.09801)"),
        (5, "same paper as line 2 (arXiv 2402.09801)"),
    ]


def test_dataset_entries_are_identified_by_their_arxiv_tag() -> None:
    markdown = (
        "#### LLMs\n"
        "- **TOFU** [arxiv 2401.06121] TOFU ([code](https://locuslab.github.io/tofu/))\n"
        "- **WMDP** [arxiv 2403.03218] WMDP ([code](https://www.wmdp.ai/))\n"
        "- **TOFU** [arxiv 2401.06121] TOFU ([code](https://locuslab.github.io/tofu))\n"
    )
    findings = run(markdown)
    assert [(f.line, f.message) for f in findings] == [
        (4, "same paper as line 2 (arXiv 2401.06121)")
    ]


# Pairs of entries quoted from the real lists (the file and line in each id). Each pair
# sits under one heading here; the expected line is the later entry's (line 3).
SAME_PAPER = [
    pytest.param(
        "- Multi-adversarial Faster-RCNN for Unrestricted Object Detection | **[ICCV' 19]** "
        "|[`[pdf]`](https://arxiv.org/pdf/1907.10343v1.pdf)",
        "- Multi-Adversarial Faster-RCNN for Unrestricted Object Detection\t| **[ICCV' 19]** "
        "|[`[pdf]`](https://arxiv.org/pdf/1907.10343.pdf)",
        "arXiv 1907.10343",
        id="hoya012-352-392-pdf-with-and-without-version",
    ),
    pytest.param(
        "- [Neural Scene Flow Fields for Space-Time View Synthesis of Dynamic Scenes]"
        "(http://www.cs.cornell.edu/~zl548/NSFF/), Li et al., CVPR 2021 | "
        "[github](https://github.com/zhengqili/Neural-Scene-Flow-Fields) | "
        "[bibtex](./NeRF-and-Beyond.bib#L119-L125)",
        "- [Neural Scene Flow Fields for Space-Time View Synthesis of Dynamic Scenes]"
        "(http://www.cs.cornell.edu/~zl548/NSFF/), Li et al., CVPR 2021 | "
        "[github](https://github.com/zhengqili/Neural-Scene-Flow-Fields) | "
        "[bibtex](./NeRF-and-Beyond.bib#L119-L125)",
        "http://www.cs.cornell.edu/~zl548/NSFF/",
        id="nerf-90-105-project-page-without-paper-link",
    ),
    pytest.param(
        "- [IBRNet: Learning Multi-View Image-Based Rendering]"
        "(https://ibrnet.github.io/static/paper.pdf), Wang et al., CVPR 2021 | "
        "[github](https://github.com/googleinterns/IBRNet) | [bibtex](./citations/ibr.txt)",
        "- [IBRNet: Learning Multi-View Image-Based Rendering]"
        "(https://ibrnet.github.io/static/paper.pdf), Wang et al., CVPR 2021 | "
        "[github](https://github.com/googleinterns/IBRNet) | [bibtex](./citations/ibr.txt)",
        "https://ibrnet.github.io/static/paper.pdf",
        id="nerf-89-126-paper-pdf-on-a-project-site",
    ),
    pytest.param(
        # diff-usion 2795 and 2801 are paragraph entries; the same lines as list items
        "- **Personalize Segment Anything Model with One Shot** arXiv 2023. "
        "[[Paper](https://arxiv.org/abs/2305.03048)] "
        "[[Github](https://github.com/ZrrSkywalker/Personalize-SAM)]",
        "- **Personalize Segment Anything Model with One Shot** arXiv 2023. "
        "[[Paper](https://arxiv.org/abs/2305.03048)] "
        "[[Github](https://github.com/ZrrSkywalker/Personalize-SAM)]",
        "arXiv 2305.03048",
        id="diffusion-2795-2801",
    ),
    pytest.param(
        "- **Emergent Correspondence from Image Diffusion** arXiv 2023. "
        "[[Paper](https://arxiv.org/abs/2306.03881)]",
        "- **Emergent Correspondence from Image Diffusion** arXiv 2023. "
        "[[Paper](https://arxiv.org/abs/2306.03881)] "
        "[[Project](https://diffusionfeatures.github.io/)]",
        "arXiv 2306.03881",
        id="diffusion-11702-11731-second-copy-gained-a-project-link",
    ),
]


@pytest.mark.parametrize(("first", "second", "label"), SAME_PAPER)
def test_real_repeats_are_reported_on_the_later_line(first: str, second: str, label: str) -> None:
    findings = run(f"## Papers\n{first}\n{second}\n")
    assert [(f.line, f.message) for f in findings] == [(3, f"same paper as line 2 ({label})")]


NOT_SAME_PAPER = [
    pytest.param(
        "- [Top ML Papers of the Week (June 23 - June 29)]"
        "(./#top-ml-papers-of-the-week-june-23---june-29---2025)",
        "- [Top ML Papers of the Week (June 16 - June 22)]"
        "(./#top-ml-papers-of-the-week-june-16---june-22---2025)",
        id="dair-ai-14-15-weeks-of-the-contents",
    ),
    pytest.param(
        "- [2014](https://github.com/hoya012/deep_learning_object_detection/blob/master/README.md#2014)",
        "- [2015](https://github.com/hoya012/deep_learning_object_detection/blob/master/README.md#2015)",
        id="hoya012-33-34-headings-of-a-readme",
    ),
    pytest.param(
        "- [NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis]"
        "(https://www.matthewtancik.com/nerf), Mildenhall et al., ECCV 2020 | "
        "[github](https://github.com/bmild/nerf)  | [bibtex](./NeRF-and-Beyond.bib#L168-L173)",
        "- [Neural Sparse Voxel Fields](https://lingjie0206.github.io/papers/NSVF/), Liu et al., "
        "NeurIPS 2020 | [github](https://github.com/facebookresearch/NSVF) | "
        "[bibtex](./NeRF-and-Beyond.bib#L135-L141)",
        id="nerf-24-31-line-ranges-of-one-bibtex-file",
    ),
    pytest.param(
        "- [SurfelNeRF: Neural Surfel Radiance Fields for Online Photorealistic Reconstruction "
        "of Indoor Scenes](https://arxiv.org/abs/2304.08971), Gao et al., CVPR 2023 | "
        "[bibtex](./citations/SurfelNeRF.txt)",
        "- [NeO 360: Neural Fields for Sparse View Synthesis of Outdoor Scenes]"
        "(https://arxiv.org/abs/2308.12967), Irshad et al., ICCV 2023 | "
        "[github](https://github.com/zubair-irshad/NeO-360) | [bibtex](./citations/SurfelNeRF.txt)",
        id="nerf-143-144-one-citation-file-pasted-twice",
    ),
    pytest.param(
        "- [GNeRF: GAN-based Neural Radiance Field without Posed Camera]"
        "(https://chenhsuanlin.bitbucket.io/gnerf/), Meng et al., Arxiv 2021 | "
        "[bibtex](https://github.com/yenchenlin/awesome-NeRF/blob/main/citations/gnerf.txt)",
        "- [BARF: Bundle-Adjusting Neural Radiance Fields]"
        "(https://chenhsuanlin.bitbucket.io/bundle-adjusting-NeRF/), Lin et al., ICCV 2021 | "
        "[bibtex](https://github.com/yenchenlin/awesome-NeRF/blob/main/citations/gnerf.txt)",
        id="nerf-160-161-bibtex-label-on-a-repository-file",
    ),
    pytest.param(
        "- [NeRF-PyTorch-Lighting](https://github.com/kwea123/nerf_pl), "
        "[@kwea123](https://github.com/kwea123), 2020",
        "- [NeRF-W](https://github.com/kwea123/nerf_pl/tree/nerfw), "
        "[@kwea123](https://github.com/kwea123), 2021",
        id="nerf-297-298-a-branch-and-one-author-profile",
    ),
    pytest.param(
        "- **DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models** "
        "NeurIPS 2022 (Oral). [[Paper](https://arxiv.org/abs/2211.01095)] "
        "[[Github](https://github.com/LuChengTHU/dpm-solver)]",
        "- **DPM-Solver: A Fast ODE Solver for Diffusion Probabilistic Model Sampling in Around "
        "10 Steps** NeurrIPS 2022. [[Paper](https://arxiv.org/abs/2206.00927)] "
        "[[Github](https://github.com/LuChengTHU/dpm-solver)]",
        id="diffusion-1637-1871-two-papers-one-repository",
    ),
    pytest.param(
        "- **Text-Guided Synthesis of Artistic Images with Retrieval-Augmented Diffusion Models** "
        "[[Github](https://github.com/CompVis/latent-diffusion)]",
        "- **High-Resolution Image Synthesis with Latent Diffusion Models** "
        "[[Github](https://github.com/CompVis/latent-diffusion)]",
        id="diffusion-9242-9301-one-repository-and-no-paper-link",
    ),
    pytest.param(
        "- [(Hello-SimpleAI/HC3)|24K|EN|MT|MIX](https://huggingface.co/datasets/Hello-SimpleAI/HC3)"
        " paper: [How Close is ChatGPT to Human Experts? Comparison Corpus, Evaluation, and "
        "Detection](https://arxiv.org/abs/2301.07597)",
        "- [(Hello-SimpleAI/HC3-Chinese)|13K|CN|MT|MIX]"
        "(https://huggingface.co/datasets/Hello-SimpleAI/HC3-Chinese)"
        " paper: [How Close is ChatGPT to Human Experts? Comparison Corpus, Evaluation, and "
        "Detection](https://arxiv.org/abs/2301.07597)",
        id="yaodongC-140-147-two-datasets-of-one-paper",
    ),
]


@pytest.mark.parametrize(("first", "second"), NOT_SAME_PAPER)
def test_real_pairs_that_are_two_things(first: str, second: str) -> None:
    assert run(f"## Papers\n{first}\n{second}\n") == []


WRONG_LINK = [
    pytest.param(
        "| Paper  | Links |\n"
        "| ------------- | ------------- |\n"
        "| 8) **Scaling LLM Test-Time Compute Optimally** - investigates the scaling behaviors "
        "of inference-time computation in LLMs. | [Paper](https://arxiv.org/abs/2408.05109),  "
        "[Tweet](https://x.com/sea_snell/status/1821263798772363598)  |\n"
        "| 10) **Survey of NL2QL** - a comprehensive overview of NL2SQL techniques powered by "
        "LLMs. | [Paper](https://arxiv.org/abs/2408.05109), "
        "[Tweet](https://x.com/_reachsumit/status/1822835969743347815) |\n",
        (4, 5),
        "arXiv 2408.05109",
        id="dair-ai-802-804-the-earlier-row-has-the-wrong-id",
    ),
    pytest.param(
        "- **RainDiffusion:When Unsupervised Learning Meets Diffusion Models for Real-world "
        "Image Deraining** arXiv 2023. [[Paper](https://arxiv.org/abs/2301.09430)]\n"
        "- **Dif-Fusion: Towards High Color Fidelity in Infrared and Visible Image Fusion with "
        "Diffusion Models** arXiv 2023. [[Paper](https://arxiv.org/abs/2301.09430)]\n",
        (2, 3),
        "arXiv 2301.09430",
        id="diffusion-4223-4228-the-later-entry-has-the-wrong-id",
    ),
]


@pytest.mark.parametrize(("markdown", "lines", "label"), WRONG_LINK)
def test_two_titles_behind_one_arxiv_id_are_told_on_both_lines(
    markdown: str, lines: tuple[int, int], label: str
) -> None:
    earlier, later = lines
    findings = run(f"## Papers\n{markdown}")
    assert sorted(f.line for f in findings) == [earlier, later]
    by_line = {f.line: f.message for f in findings}
    for here, other in ((earlier, later), (later, earlier)):
        assert by_line[here].startswith(f"line {other} (")
        assert by_line[here].endswith(
            f"also links {label}, under a different title: one of the two links is wrong"
        )


def test_a_repeat_in_the_table_of_contents_is_left_alone() -> None:
    # yaodongC lists GPT-4-LLM under two numbered groups of its contents, on purpose.
    markdown = (
        "# Table of Contents\n"
        "   - [(Instruction-Tuning-with-GPT-4/GPT-4-LLM)|52K|EN|CN|MT|SI]"
        "(https://github.com/Instruction-Tuning-with-GPT-4/GPT-4-LLM)\n"
        "   - [(Instruction-Tuning-with-GPT-4/GPT-4-LLM)|52K|EN|MT|MIX]"
        "(https://github.com/Instruction-Tuning-with-GPT-4/GPT-4-LLM)\n"
    )
    assert run(markdown) == []
    assert len(run(markdown.replace("Table of Contents", "Datasets"))) == 1


# -- the real lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["awesome-genai-unlearning.md", "awesome-genai-unlearning-early.md"]
)
def test_clean_in_the_real_lists(name: str) -> None:
    # The mature list repeats dozens of papers (2310.10683 five times), always in
    # different sections.
    assert corpus_findings(name) == []


# Every repeat of one arXiv id under one heading (or <summary> group) of the six real
# lists, found by reading each list with a regex for arXiv links per group and then
# opening each pair: (later line, earlier line) of the links, both judged by hand.
# dair-ai 802/804: "Scaling LLM Test-Time Compute Optimally" carries the NL2SQL survey's
# id (its own is 2408.03314): the earlier row is the slip. diff-usion 4223/4228: the
# Dif-Fusion entry repeats RainDiffusion's id and authors: the later one is. The other
# pairs are one paper pasted twice. diff-usion writes paragraph entries (the finding
# stands on the entry's bold title line, two lines above its arXiv link).
REAL_REPEATS = {
    "dair-ai__ML-Papers-of-the-Week.md": [(804, 802)],
    "hoya012__deep_learning_object_detection.md": [(392, 352)],
    "diff-usion__Awesome-Diffusion-Models.md": [
        (2801, 2795),
        (4228, 4223),
        (6298, 6288),
        (8735, 8719),
        (11594, 11574),
        (11708, 11691),
        (11731, 11702),
    ],
}
_ENTRY_SPAN = 3
"""An entry's line is its first one; its arXiv link is at most this many lines below."""


@pytest.mark.parametrize(
    ("name", "expected", "allowed"),
    [
        pytest.param(
            "real/dair-ai__ML-Papers-of-the-Week.md",
            [802, 804],
            set(),
            id="dair-ai-128-contents-weeks-gone-one-wrong-id-told-twice",
        ),
        pytest.param(
            "real/hoya012__deep_learning_object_detection.md",
            [392],
            set(),
            id="hoya012-contents-gone-one-paper-twice-in-2019",
        ),
        pytest.param(
            "real/awesome-NeRF__awesome-NeRF.md",
            [],
            # NSFF, IBRNet and BundleSDF are each listed under two <details> groups of
            # "Papers": the reader sees two groups, and so does the parser.
            set(),
            id="nerf-no-bibtex-ranges-shared-profiles-or-details-groups",
        ),
        pytest.param(
            "real/diff-usion__Awesome-Diffusion-Models.md",
            [2799, 4221, 4226, 6296, 8733, 11592, 11706, 11729],
            set(),
            id="diff-usion-six-papers-twice-and-one-wrong-id-told-twice",
        ),
        pytest.param(
            "real/yaodongC__awesome-instruction-dataset.md",
            [],
            set(),
            id="yaodongC-contents-and-detail-links",
        ),
        pytest.param("real/atfortes__Awesome-LLM-Reasoning.md", [], set(), id="atfortes"),
    ],
)
def test_duplicates_on_the_real_lists(name: str, expected: list[int], allowed: set[int]) -> None:
    lines = [line for line, _ in corpus_findings(name)]
    assert sorted(set(lines) - allowed) == expected
    assert len(lines) == len(set(lines))


def test_the_wrong_arxiv_id_on_dair_ai_is_told_on_both_rows() -> None:
    found = dict(corpus_findings("real/dair-ai__ML-Papers-of-the-Week.md"))
    assert found[802].startswith("line 804 (")
    assert found[804].startswith("line 802 (")
    assert all("also links arXiv 2408.05109, under a different title" in m for m in found.values())


@pytest.mark.parametrize("name", sorted(REAL_REPEATS))
def test_every_real_finding_is_a_repeat_found_by_hand(name: str) -> None:
    repeats = REAL_REPEATS[name]
    near = {line - offset for pair in repeats for line in pair for offset in range(_ENTRY_SPAN + 1)}
    found = corpus_findings(f"real/{name}")
    assert {line for line, _ in found} <= near
