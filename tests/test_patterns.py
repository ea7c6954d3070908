"""Patterns from config files: RE2 semantics, refusals that say why, and no pattern that
can hang a run (the catastrophic cases that stall Python's ``re`` for minutes)."""

from __future__ import annotations

import threading

import pytest

from listcheck.config import Config
from listcheck.patterns import MAX_PATTERN_LENGTH, PatternError, compile_pattern

CATASTROPHIC = [
    (r"^http://x/(a+)+$", "http://x/" + "a" * 32 + "!"),
    (r"^(\w+\s?)*$", "https " * 20 + "!"),
    (r"(x+x+)+y", "https://x/" + "x" * 30),
    (r"^(a|aa)+$", "a" * 40 + "b"),
]


@pytest.mark.parametrize(("pattern", "url"), CATASTROPHIC)
def test_no_pattern_backtracks(pattern: str, url: str) -> None:
    """Each case runs minutes to hours under ``re``; under RE2 it ends at once. The
    search runs in a daemon thread, so a regression fails the test instead of hanging it."""
    config = Config.model_validate({"exclude": [pattern]})
    answers: list[bool] = []
    worker = threading.Thread(target=lambda: answers.append(config.is_excluded(url)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert answers == [False]


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"^https://example\.org/", "https://example.org/x", True),
        (r"^https://example\.org/", "http://example.org/x", False),
        (r"linkedin\.com", "https://www.linkedin.com/in/x", True),  # anywhere, like re.search
        (r"(?i)LINKEDIN", "https://linkedin.com", True),
        (r"\bdoi\.org/10\.\d{4,}", "https://doi.org/10.1145/1", True),
        (r"^https?://[^/]*\.invalid(/|$)", "http://x.invalid/", True),
        (r"[\p{Han}]", "https://example.org/论文", True),
        (r"/x\?y$", "https://example.org/x\udcffy", True),  # a lone surrogate: no error
    ],
)
def test_python_syntax_that_re2_shares(pattern: str, text: str, found: bool) -> None:
    assert compile_pattern(pattern).search(text) is found


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=a)b", "invalid perl operator: (?= (RE2 syntax: no backreferences or lookaround)"),
        ("(?<!a)b", "invalid perl operator: (?<! (RE2 syntax: no backreferences or lookaround)"),
        (r"(a)\1", r"invalid escape sequence: \1 (RE2 syntax: no backreferences or lookaround)"),
        ("[z-a]", "invalid character class range: z-a"),
        ("x" * (MAX_PATTERN_LENGTH + 1), f"longer than {MAX_PATTERN_LENGTH} characters"),
        # RE2 quotes the pattern: what it quotes is escaped as Python's repr would
        ("(a\nb", "missing ): (a\\nb"),
        ("[\u202e\x07", "missing ]: [\\u202e\\x07"),
    ],
)
def test_refusals_say_why_in_one_line(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert str(caught.value) == reason


def test_a_pattern_too_big_to_compile_is_refused() -> None:
    """A short pattern can still ask for a huge program; RE2's memory cap refuses it."""
    with pytest.raises(PatternError):
        compile_pattern("((((a{100}){100}){100}){100})")


def test_re2_is_loaded_only_for_patterns() -> None:
    import subprocess
    import sys

    code = "import sys; from listcheck.config import Config; Config(); print('re2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
