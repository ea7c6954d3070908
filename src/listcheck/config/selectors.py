"""Rule selectors: how ``select``, ``ignore``, ``severity`` and inline suppressions name
rules. Apart from the settings because inline suppressions read the same names with no
settings involved, and both must agree on what a name covers.

A selector is a rule id (``arxiv/tag-month``) or a category (``arxiv`` or ``arxiv/``).
When several selectors name a rule, the most specific decides (an id beats a category, a
category beats "every rule"); between equally specific ``select`` and ``ignore``,
``ignore`` wins. So ``ignore = ["arxiv"]`` with ``select = ["arxiv/tag-month"]`` keeps
exactly that one arXiv rule.
"""

from __future__ import annotations

from listcheck.rules.base import CATALOGUE


def rule_categories() -> frozenset[str]:
    """The part before the slash of every catalogued rule id (``arxiv``, ``link`` ...)."""
    return frozenset(rule_id.partition("/")[0] for rule_id in CATALOGUE)


def is_known_selector(selector: str) -> bool:
    """True for a catalogued rule id or a category, with or without a trailing slash."""
    return selector in CATALOGUE or selector.removesuffix("/") in rule_categories()


def selector_matches(selector: str, rule_id: str) -> bool:
    """Whether ``selector`` names ``rule_id``; also for rule ids not (yet) catalogued, so
    ``arxiv`` covers a future ``arxiv/...`` rule."""
    if selector == rule_id:
        return True
    category = selector.removesuffix("/")
    return "/" not in category and rule_id.startswith(f"{category}/")


def closest_rule(selector: str) -> str:
    """The known rule id or category most like ``selector``, for "did you mean" hints."""
    candidates = sorted(CATALOGUE) + sorted(rule_categories())
    import difflib

    return difflib.get_close_matches(selector, candidates, n=1, cutoff=0.0)[0]


def unknown_rule_message(selector: str) -> str:
    return f"unknown rule {selector!r} (did you mean {closest_rule(selector)!r}?)"


def specificity(selector: str) -> int:
    """2 for a rule id, 1 for a category: the more specific selector decides."""
    return 2 if "/" in selector.removesuffix("/") else 1
