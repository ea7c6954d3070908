"""entry/misplaced on small lists written like the real ones, and on the corpus lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.real_lists import REAL

from listcheck.models import Finding
from listcheck.parse import parse_document
from listcheck.rules.base import CATALOGUE, OFFLINE_RULES, LintContext
from listcheck.rules.misplaced import entry_misplaced

CORPUS = REAL.parent
CTX = LintContext(Path("."))

PAPERS = """\
# Awesome Unlearning

## Large Language Models
- 【202406】Machine Unlearning of Large Language Models ([PDF](https://arxiv.org/abs/2406.00001))
- 【202405】Unlearning Harmful Knowledge in Language Models ([PDF](https://arxiv.org/abs/2405.00001))
- 【202404】Language Model Forgetting Benchmarks ([PDF](https://arxiv.org/abs/2404.00001))

## Diffusion Models
- 【202406】Erasing Concepts from Diffusion Models ([PDF](https://arxiv.org/abs/2406.00002))
- 【202405】Concept Ablation in Text-to-Image Diffusion ([PDF](https://arxiv.org/abs/2405.00002))

"""
STRAY = (
    "- 【202407】Forgetting Private Data in Large Language Models "
    "([PDF](https://arxiv.org/abs/2407.00001))\n"
)
STRAY_IMAGE = (
    "- 【202407】Safe Diffusion Models without Concepts ([PDF](https://arxiv.org/abs/2407.00002))\n"
)


def run(markdown: str) -> list[Finding]:
    return list(entry_misplaced(parse_document(markdown, "README.md"), CTX))


def test_the_rule_is_registered_as_a_warning() -> None:
    assert OFFLINE_RULES["entry/misplaced"] is entry_misplaced
    assert CATALOGUE["entry/misplaced"].severity.value == "warning"


@pytest.mark.parametrize(
    "heading",
    [
        "## Contributing",
        "## How to Contribute",
        "## License",
        "## Acknowledgements",
        "## Contact & Feedback",
        "## ⭐ Star History",
        "## Related Awesome Lists",
    ],
)
def test_a_paper_under_a_heading_not_for_papers_is_found_with_its_best_section(
    heading: str,
) -> None:
    [found] = run(PAPERS + heading + "\n\nSome words about it.\n\n" + STRAY)
    title = heading.lstrip("# ")
    assert found.line == 16
    assert found.message == (
        f'paper "Forgetting Private Data in Large Language Models" is under "{title}", '
        'which is not a section of papers; it fits best under "Large Language Models" (line 3)'
    )
    assert found.suggestion == 'move it under "Large Language Models" (line 3)'


@pytest.mark.parametrize("title", ["# Awesome Test List", "# Awesome Lists"])
def test_the_lists_own_title_is_not_a_list_of_lists(title: str) -> None:
    assert run(PAPERS.replace("# Awesome Unlearning", title)) == []


def test_the_best_section_follows_the_words_of_the_title() -> None:
    [found] = run(PAPERS + "## Contributing\n\n" + STRAY_IMAGE)
    assert found.suggestion == 'move it under "Diffusion Models" (line 8)'


def test_a_section_nested_in_one_not_for_papers_is_not_for_papers_either() -> None:
    found = run(PAPERS + "## Contributing\n\n<details><summary>Guide</summary>\n\n" + STRAY)
    assert [f.line for f in found] == [16]


BIBTEX = """\
## Citation

```bibtex
@article{us2024survey,
  title={A Survey of Machine Unlearning},
  journal={arXiv preprint arXiv:2401.00009},
}
```

"""


def test_a_stray_paper_after_the_lists_own_bibtex_is_found() -> None:
    [found] = run(PAPERS + BIBTEX + STRAY)
    assert found.line == 21
    assert '"Citation"' in found.message


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param(
            BIBTEX + "- Our survey ([PDF](https://arxiv.org/abs/2401.00009))\n", id="bibtex-id"
        ),
        pytest.param(
            BIBTEX + "- A Survey of Machine Unlearning ([PDF](https://example.org/survey.pdf))\n",
            id="bibtex-title",
        ),
        pytest.param(
            "## Citation\n\n- [A Survey of Machine Unlearning](https://arxiv.org/abs/2401.00009)\n",
            id="citation-without-bibtex",
        ),
        pytest.param(
            "## Contributing\n\nAdd your paper in this format, for example:\n\n" + STRAY,
            id="example-in-a-guide",
        ),
        pytest.param(
            "## Related Awesome Lists\n\n- [Awesome LLM](https://github.com/org/awesome-llm)\n"
            "- [Awesome Diffusion](https://github.com/org/awesome-diffusion)\n",
            id="related-lists",
        ),
        pytest.param("## Surveys\n\n" + STRAY, id="surveys-section"),
        pytest.param(
            "## Other Awesome Lists\n\n### Papers\n\n" + STRAY + STRAY, id="papers-inside"
        ),
        pytest.param("## News\n\n- [2024-07] Our paper is out! " + STRAY[2:], id="news"),
        pytest.param("## License that Allows Commercial Use\n\n" + STRAY, id="license-as-a-topic"),
        pytest.param(
            "## Contributing\n\n| Paper | Link |\n|---|---|\n"
            "| Not the list's shape | [PDF](https://arxiv.org/abs/2407.00003) |\n",
            id="another-shape",
        ),
    ],
)
def test_what_a_maintainer_put_there_on_purpose_is_left_alone(markdown: str) -> None:
    assert run(PAPERS + markdown) == []


def test_without_a_heading_word_overlap_there_is_no_suggestion() -> None:
    odd = "- 【202407】Quantum Chromodynamics Lattices ([PDF](https://arxiv.org/abs/2407.00004))\n"
    [found] = run(PAPERS + "## License\n\n" + odd)
    assert found.suggestion is None
    assert found.message.endswith("which is not a section of papers")


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*__*.md")))
def test_nothing_on_the_real_lists(name: str) -> None:
    # Their sections not for papers: atfortes "Contributing" (steps), "Other Awesome
    # Lists" (repositories) and its table of contents; awesome-NeRF "License";
    # hoya012 "Contact & Feedback" (mail and issues); yaodongC's table of contents;
    # yaodongC's "License that Allows Commercial Use" is a topic, not the list's licence.
    path = REAL / name
    assert run(path.read_text(encoding="utf-8")) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    "name", ["awesome-genai-unlearning.md", "awesome-genai-unlearning-early.md"]
)
def test_nothing_on_the_corpus_lists_until_a_paper_is_appended(name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert run(text) == []
    [found] = run(text + STRAY)  # appended under the closing "Contributing:" heading
    assert '"Contributing:"' in found.message
    if name == "awesome-genai-unlearning.md":  # the early draft lists no LLM papers yet
        assert found.suggestion == 'move it under "Large Language Models (LLMs):" (line 116)'
