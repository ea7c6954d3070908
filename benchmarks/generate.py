"""Generates realistic awesome lists of any size for the benchmarks (deterministic)."""

from __future__ import annotations

import random

WORDS = [
    "unlearning",
    "attention",
    "sparse",
    "efficient",
    "language",
    "models",
    "diffusion",
    "privacy",
    "safety",
    "alignment",
    "benchmark",
    "robust",
    "transformer",
    "knowledge",
    "editing",
    "retrieval",
    "multimodal",
    "evaluation",
    "adversarial",
    "memorization",
    "copyright",
    "federated",
    "continual",
    "vision",
]
VENUES = ["ICLR 2024", "NeurIPS 2023", "ACL 2024", "CVPR'24", "EMNLP 2023", "ICML 2024"]


def _title(rng: random.Random) -> str:
    head = rng.choice(WORDS).capitalize() + rng.choice(["", "Net", "Bench", "-X"])
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11)))
    return f"{head}: {words[0].upper()}{words[1:]}"


def generate_list(entries: int, seed: int = 7) -> str:
    """A list with a table of contents, sections of ~100 entries in the corpus's shapes
    (month tags, venue tags, bold names, [[PDF]] and ([PDF], [code]) forms, a few tables)."""
    rng = random.Random(seed)
    sections = max(1, entries // 100)
    lines = ["# Awesome Generated List", "", "## Table of Contents"]
    lines += [f"- [Section {i}](#section-{i})" for i in range(sections)]
    lines.append("")
    made = 0
    for section in range(sections):
        lines += [f"## Section {section}", ""]
        count = entries - made if section == sections - 1 else entries // sections
        for _ in range(count):
            year, month = rng.randint(18, 25), rng.randint(1, 12)
            arxiv_id = f"{year:02d}{month:02d}.{rng.randint(1, 19999):05d}"
            repo = f"https://github.com/org{rng.randint(1, 300)}/repo{rng.randint(1, 3000)}"
            shape = rng.random()
            if shape < 0.45:
                lines.append(
                    f"- 【20{year:02d}{month:02d}】{_title(rng)} "
                    f"([PDF](https://arxiv.org/abs/{arxiv_id}), [code]({repo}))"
                )
            elif shape < 0.7:
                lines.append(
                    f"- 【{rng.choice(VENUES)}】{_title(rng)} "
                    f"[[PDF](https://arxiv.org/pdf/{arxiv_id}.pdf)]"
                )
            elif shape < 0.9:
                lines.append(
                    f"- **{rng.choice(WORDS).upper()}** [{rng.choice(VENUES)}] {_title(rng)} "
                    f"([code]({repo}))"
                )
            else:
                lines.append(f"- {_title(rng)} ([PDF](https://arxiv.org/abs/{arxiv_id}))")
            made += 1
        lines.append("")
    return "\n".join(lines) + "\n"


def generate_fixable_list(fixes: int, seed: int = 7) -> str:
    """A list whose ``--fix --offline`` makes exactly ``fixes`` edits: every entry has one
    arXiv link in a legacy form (plain http, the www host, both) that ``arxiv/url-form``
    rewrites to the canonical URL, beside a code link that needs nothing. Ids are unique
    and dates agree with them, so no other rule speaks of the arXiv links."""
    rng = random.Random(seed)
    forms = ("http://arxiv.org/abs/", "https://www.arxiv.org/abs/", "http://www.arxiv.org/pdf/")
    lines = ["# Awesome Fixable List", ""]
    for made in range(fixes):
        if made % 100 == 0:
            lines += [f"## Section {made // 100}", ""]
        year, month = 18 + made // 120_000, 1 + made // 10_000 % 12
        arxiv_id = f"{year:02d}{month:02d}.{made % 10_000 + 1:05d}"
        repo = f"https://github.com/org{rng.randint(1, 300)}/repo{made}"
        lines.append(
            f"- 【20{year:02d}{month:02d}】{_title(rng)} "
            f"([PDF]({forms[made % len(forms)]}{arxiv_id}), [code]({repo}))"
        )
    return "\n".join(lines) + "\n"
