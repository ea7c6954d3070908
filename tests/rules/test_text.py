"""text/mojibake: where the damage is, what it should read, and what is left alone."""

from __future__ import annotations

from pathlib import Path

import ftfy
import pytest

from listcheck.models import Document, Finding
from listcheck.parse import parse_document
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.rules.text import find_mojibake, mojibake

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
APPLE = "\uf8ff"  # what Mac Roman shows for byte F0, the lead byte of every emoji


def lint(text: str) -> list[Finding]:
    doc = Document(path="README.md", text=text, lines=tuple(text.split("\n")))
    return list(mojibake(doc, LintContext(Path("."))))


def test_rule_is_registered() -> None:
    assert OFFLINE_RULES["text/mojibake"] is mojibake


@pytest.mark.parametrize(
    ("line", "column", "span", "repaired", "encoding"),
    [
        pytest.param(
            f"{APPLE}üëç Contributions to this repository are welcome! ",
            1, f"{APPLE}üëç", "👍", "Mac Roman",
            id="early-list-contributing-emoji",
        ),
        pytest.param(
            "ðŸ‘\x8d Contributions to this repository are welcome!",
            1, "ðŸ‘\x8d", "👍", "Windows-1252",
            id="emoji-through-windows-1252",
        ),
        pytest.param(
            "- 【202310】Whoâ€™s Harry Potter? Approximate Unlearning in LLMs",
            14, "â€™", "’", "Windows-1252",
            id="apostrophe-windows-1252",
        ),
        pytest.param(
            "- 【202310】Who‚Äôs Harry Potter? Approximate Unlearning in LLMs",
            14, "‚Äô", "’", "Mac Roman",
            id="apostrophe-mac-roman",
        ),
        pytest.param(
            "- „Äê202503„ÄëZJUKLAB at SemEval-2025 Task 4",
            3, "„Äê202503„Äë", "【202503】", "Mac Roman",
            id="cjk-brackets-mac-roman",
        ),
        pytest.param(
            "- [ACL 2024] Machine Unlearning (Garc√≠a et al.)",
            38, "√≠", "í", "Mac Roman",
            id="accent-mac-roman",
        ),
        pytest.param(
            "Le cafÃ© de Paris",
            7, "Ã©", "é", "Windows-1252",
            id="accent-latin-1",
        ),
        pytest.param(
            "- ÃƒÂ©tÃƒÂ© 2024",
            3, "ÃƒÂ©tÃƒÂ©", "été", "mis-decoded 2 times: Windows-1252, Windows-1252",
            id="decoded-twice-one-finding-per-word",
        ),
        pytest.param(
            "“cafÃ©” is French",
            5, "Ã©", "é", "Windows-1252",
            id="correct-quote-after-damage-is-not-part-of-the-span",
        ),
        pytest.param(
            "😀 【202401】 cafÃ©",
            15, "Ã©", "é", "Windows-1252",
            id="columns-count-code-points",
        ),
        pytest.param(
            "Price: Â£5",
            8, "Â£", "£", "Windows-1252",
            id="stray-a-circumflex-keeps-the-symbol-in-the-suggestion",
        ),
    ],
)  # fmt: skip
def test_mojibake_found_and_repaired(
    line: str, column: int, span: str, repaired: str, encoding: str
) -> None:
    findings = lint(f"# Title\n\n{line}\n")
    assert len(findings) == 1
    found = findings[0]
    assert (found.line, found.column) == (3, column)
    assert line[column - 1 : column - 1 + len(span)] == span
    assert found.suggestion == repaired
    assert encoding in found.message
    assert found.rule == "text/mojibake"
    assert found.severity.value == "warning"


@pytest.mark.parametrize(
    ("line", "readings"),
    [
        pytest.param("ðŸ‘ Contributions are welcome", "👍", id="emoji-byte-8d-dropped"),
        pytest.param("ðŸ‘\ufffd Contributions are welcome", "👍", id="emoji-byte-8d-replaced"),
        pytest.param("the â€ model", "”", id="closing-quote-byte-9d-dropped"),
    ],
)
def test_a_lost_byte_is_reported_with_its_possible_readings(line: str, readings: str) -> None:
    (found,) = lint(line)
    assert found.column == 1 + line.index("ðŸ‘" if "ðŸ‘" in line else "â€")
    assert found.suggestion is None  # more than one byte fits: no automatic fix
    assert readings in found.message
    assert "👠" not in found.message  # ftfy's guess: the space was a no-break space


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("- 【202310】Who’s Harry Potter? Approximate Unlearning", id="curly-quote"),
        pytest.param("- Machine Unlearning Doesn’t Do What You Think", id="apostrophe"),
        pytest.param("- 【ICLR 2024】 SalUn 【202305】", id="cjk-brackets"),
        pytest.param("👍 Contributions to this repository are welcome!", id="emoji"),
        pytest.param("“naïve” — «école» – Ångström, Wałęsa, Dvořák", id="accents-and-quotes"),
        pytest.param("café” and café’s and é—dash", id="accent-then-punctuation"),
        pytest.param("SÃO PAULO, IRMÃ, MAÇÃ", id="portuguese-capitals"),
        pytest.param("error ≈ 2√π ± 0.1 µs", id="maths"),
        pytest.param("Ω≈ç√∫˜µ≤≥÷åß∂ƒ©˙∆˚¬…æœ∑´®†¥¨ˆøπ“‘¡™£¢∞§¶•ªº–≠¸˛Ç◊ı˜Â¯˘¿", id="option-keys"),
        pytest.param("大语言模型的机器遗忘 — 综述【2024】", id="chinese"),
        pytest.param("Машинное разучивание больших языковых моделей", id="russian"),
    ],
)
def test_correct_text_is_not_flagged(line: str) -> None:
    assert find_mojibake(line) == []


def test_ftfy_leaves_the_mac_roman_emoji_alone() -> None:
    # Why rules/text.py decodes Mac Roman itself; if ftfy learns this, reconsider.
    assert ftfy.fix_encoding(f"{APPLE}üëç Contributions") == f"{APPLE}üëç Contributions"


@pytest.mark.parametrize(
    ("markdown", "lines"),
    [
        pytest.param("```\ncafÃ©\n```\ncafÃ©\n", [4], id="backticks"),
        pytest.param("~~~text\ncafÃ©\n~~~\ncafÃ©\n", [4], id="tildes"),
        pytest.param("````\n```\ncafÃ©\n````\ncafÃ©\n", [5], id="longer-fence-outlives-shorter"),
        pytest.param("- item\n  ```\n  cafÃ©\n  ```\ncafÃ©\n", [5], id="fence-in-list-item"),
        pytest.param("```cafÃ©``` inline\ncafÃ©\n", [1, 2], id="inline-code-is-not-a-fence"),
        pytest.param("cafÃ©\n```\ncafÃ©\n", [1], id="unclosed-fence-runs-to-the-end"),
    ],
)
def test_fenced_code_is_skipped(markdown: str, lines: list[int]) -> None:
    assert [f.line for f in lint(markdown)] == lines


def test_parsed_document_lines_are_used() -> None:
    doc = parse_document("## Contributing:\r\nðŸ‘\x8d Contributions\r\n", "README.md")
    findings = list(mojibake(doc, LintContext(Path("."))))
    assert [(f.line, f.column, f.suggestion) for f in findings] == [(2, 1, "👍")]


def test_ten_thousand_lines_in_well_under_100_ms() -> None:
    # About 10 ms on an idle machine; the bound is loose for shared CI runners and
    # still catches a return to scanning every line with the precise patterns (130 ms).
    sample = [
        "- 【202503】Deep Contrastive Unlearning for Language Models "
        "([PDF](https://arxiv.org/abs/2503.14900))",
        "- 【202310】Who’s Harry Potter? Approximate Unlearning in LLMs "
        "([PDF](https://arxiv.org/abs/2310.02238))",
        "- [ICLR 2024] SalUn: Empowering Machine Unlearning via Gradient-based Weight "
        "Saliency ([PDF](https://arxiv.org/abs/2310.12508), [code](https://github.com/x/y))",
        "- **TOFU** [arxiv 2401.06121] TOFU: A Task of Fictitious Unlearning for LLMs",
        "- Größe und Ähnlichkeit: naïve “café” élève — Dvořák, Wałęsa, Ångström",
        "- 【202503】大语言模型的机器遗忘：综述与展望 👍",
        "",
    ]
    lines = [sample[i % len(sample)] for i in range(10_000)]
    lines[5_000] = "ðŸ‘\x8d Contributions"
    text = "\n".join(lines)
    findings = lint(text)
    assert [f.line for f in findings] == [5_001]


# -- the real lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("awesome-genai-unlearning-early.md", [(117, 1, "👍")]),
        ("awesome-genai-unlearning.md", []),
    ],
)
def test_real_lists(name: str, expected: list[tuple[int, int, str]]) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    doc = parse_document(path.read_text(encoding="utf-8"), name)
    findings = list(mojibake(doc, LintContext(path.parent)))
    assert [(f.line, f.column, f.suggestion) for f in findings] == expected
