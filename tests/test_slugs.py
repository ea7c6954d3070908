"""GitHub heading anchors: the table holds headings as they appear in real lists and the
anchor github.com gives each; a wrong slug means a false anchor/not-found."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listcheck.slugs import SlugAssigner, assign_slugs, base_slugs, github_slug

HEADINGS = [
    # punctuation is dropped, spaces become hyphens
    ("Datasets, Benchmarks:", "datasets-benchmarks"),
    ("Bias/Unfairness Alleviation", "biasunfairness-alleviation"),
    ("Large Language Models (LLMs):", "large-language-models-llms"),
    ("Awesome-GenAI-Unlearning", "awesome-genai-unlearning"),
    ("Table of Contents", "table-of-contents"),
    ("Text-to-Image (T2I) Models", "text-to-image-t2i-models"),
    ("LLM-as-a-Judge", "llm-as-a-judge"),
    ("Step 1: Install", "step-1-install"),
    ("100% Coverage!", "100-coverage"),
    ("Q&A", "qa"),
    ("C++", "c"),
    ("C# and .NET", "c-and-net"),
    ("v1.0.2 Release", "v102-release"),
    ("torch.nn Modules", "torchnn-modules"),  # rendered text of `torch.nn` Modules
    ("exchange.bind_headers(exchange, routing [, cb])", "exchangebind_headersexchange-routing--cb"),
    # apostrophes, straight and curly
    ("What's New?", "whats-new"),
    ("What’s New", "whats-new"),
    ("ICLR'24 Papers", "iclr24-papers"),
    # underscores are connector punctuation and stay
    ("snake_case_name", "snake_case_name"),
    ("__init__ hooks", "__init__-hooks"),
    # spaces: never collapsed, and kept at the ends of the rendered text (the parser
    # trims only the Markdown source; github-slugger's fixtures, generated from
    # github.com, render "# a&#x20;" as "a-" and "# &#x20;a&#x20;" as "-a-")
    ("a ", "a-"),
    (" a ", "-a-"),
    ("Awesome-X ", "awesome-x-"),  # "# Awesome-X [![Awesome](badge.svg)](url)"
    ("\tTabbed\t", "tabbed"),  # a tab is not a space: dropped like punctuation
    ("a  b", "a--b"),
    ("Pre-training / Fine-tuning", "pre-training--fine-tuning"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("2023 — 2024", "2023--2024"),
    ("en–dash", "endash"),
    # emoji and other symbols vanish, their spaces stay
    ("🔥 News", "-news"),
    ("📖 Papers 📖", "-papers-"),
    ("I ♥ unicode", "i--unicode"),
    ("Emoji 👩‍💻 ZWJ", "emoji--zwj"),
    # U+FE0F (variation selector) is a mark and stays; real TOCs link "#️-installation"
    ("⚙️ Installation", "\ufe0f-installation"),
    ("Price in € and $", "price-in--and-"),
    (":smile: - a gemoji", "smile---a-gemoji"),
    # letters of every script are kept and lowercased
    ("中文资源", "中文资源"),
    ("大语言模型 (LLM) 综述", "大语言模型-llm-综述"),
    ("日本語のリスト", "日本語のリスト"),
    ("한국어 논문", "한국어-논문"),
    ("Привет мир", "привет-мир"),
    ("Café & Crème Brûlée", "café--crème-brûlée"),
    ("ÅÉÎ Ünïcödé", "åéî-ünïcödé"),
    ("ΛΌΓΟΣ", "λόγος"),
    ("İstanbul", "i̇stanbul"),
    ("ＡＢＣ Fullwidth", "ａｂｃ-fullwidth"),
    # numbers: decimal and letter numbers stay, other numbers go
    ("x² + y² = z²", "x--y--z"),
    ("½ Baked", "-baked"),
    ("Chapter Ⅱ", "chapter-ⅱ"),
    ("Ⓐ Circled", "ⓐ-circled"),
    # non-ASCII spaces are dropped rather than hyphenated
    ("a\u00a0b", "ab"),
    ("a\u3000b", "ab"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "anchor"), HEADINGS)
def test_github_slug(text: str, anchor: str) -> None:
    assert github_slug(text) == anchor


def test_batch_matches_single() -> None:
    texts = [text for text, _ in HEADINGS]
    assert base_slugs(texts) == [anchor for _, anchor in HEADINGS]


def test_batch_handles_text_with_newline() -> None:
    # A setext heading's text may hold a soft break; it must not split the batch.
    assert base_slugs(["Two\nlines", "Next"]) == ["twolines", "next"]


@pytest.mark.parametrize(
    ("texts", "anchors"),
    [
        (["Foo", "Foo", "Foo"], ["foo", "foo-1", "foo-2"]),
        # an explicit "Foo-1" after two "Foo": GitHub skips the taken anchor
        (["Foo", "Foo", "Foo-1"], ["foo", "foo-1", "foo-1-1"]),
        (["Foo-1", "Foo", "Foo"], ["foo-1", "foo", "foo-2"]),
        (
            ["echo", "echo", "echo 1", "echo-1", "echo"],
            ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"],
        ),
        # the real case: punctuation makes two different texts one anchor
        (
            ["Generative Image Models", "Generative Image Models:"],
            ["generative-image-models", "generative-image-models-1"],
        ),
        (
            ["Safety Alignment", "LLMs", "Safety Alignment:"],
            ["safety-alignment", "llms", "safety-alignment-1"],
        ),
        (["🎉", "🚀"], ["", "-1"]),
        ([], []),
    ],
)
def test_assign_slugs_numbers_repeats(texts: list[str], anchors: list[str]) -> None:
    assert assign_slugs(texts) == anchors
    assigner = SlugAssigner()
    assert [assigner.add(text) for text in texts] == anchors
    assert all(anchor in assigner for anchor in anchors)


_KEPT = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"}


@given(st.lists(st.text(max_size=20), max_size=30))
def test_assigned_slugs_are_unique_and_clean(texts: list[str]) -> None:
    slugs = assign_slugs(texts)
    assert len(set(slugs)) == len(slugs)
    assert base_slugs(texts) == [github_slug(text) for text in texts]
    for char in github_slug("".join(texts)):
        assert char == "-" or unicodedata.category(char) in _KEPT or _letter_like(char)


def _letter_like(char: str) -> bool:
    """Circled and squared Latin letters: symbols that Unicode calls alphabetic."""
    return 0x24B6 <= ord(char) <= 0x24E9 or 0x1F130 <= ord(char) <= 0x1F189


def test_ten_thousand_headings() -> None:
    """Speed is measured in benchmarks/, not here; this is the large-input behaviour."""
    texts = [f"Section {n} (LLMs): Foo/Bar" for n in range(10_000)] + ["🔥 Hot"] * 20
    slugs = assign_slugs(texts)
    assert slugs[0] == "section-0-llms-foobar"
    assert slugs[-1] == "-hot-19"
    assert len(set(slugs)) == len(slugs)
