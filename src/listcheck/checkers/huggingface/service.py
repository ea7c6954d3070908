"""The Hugging Face Hub as a service: the model, dataset and space links it claims, how
its checker is built, and what an answer means for a link (gone, or a legacy name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from listcheck.checkers.base import Checker, CheckResult, HfTarget, Target
from listcheck.checkers.service import RunContext, Service, Unchecked, replace_in_path
from listcheck.classify import Classified
from listcheck.config import HUGGINGFACE_ENDPOINT, Config
from listcheck.models import Document, Finding, Link, LinkKind, Severity, Verdict
from listcheck.rules.base import finding


def claim(link: Link | Classified, url: str) -> Target | Unchecked | None:
    if link.kind is LinkKind.HUGGINGFACE and link.hf is not None:
        return HfTarget(repo_type=link.hf.repo_type, repo_id=link.hf.repo_id)
    return None


def api(config: Config, environ: Mapping[str, str]) -> str:
    return config.huggingface.api_base(environ)


def build_checker(run: RunContext) -> Checker[Any]:
    from listcheck.checkers.huggingface.checker import HuggingfaceChecker

    base = run.config.huggingface.api_base(run.environ)
    return HuggingfaceChecker(run.engine, base, run.tokens.get("huggingface"))


def judge_link(doc: Document, link: Link, result: CheckResult) -> tuple[Verdict, list[Finding]]:
    assert link.hf is not None
    if result.verdict is Verdict.BROKEN:
        return Verdict.BROKEN, [
            finding(doc, "hf/not-found", link.line, link.column, result.detail, url=link.url)
        ]
    record = result.hf
    if record is None or not record.legacy_name or record.repo_id == link.hf.repo_id:
        return result.verdict, []
    # A legacy name keeps working (the Hub redirects it), so the new id is only a notice.
    moved = finding(
        doc,
        "link/moved",
        link.line,
        link.column,
        f"{link.hf.repo_id} is a legacy name; the canonical id is {record.repo_id}",
        url=link.url,
        suggestion=replace_in_path(link.url, link.hf.repo_id, record.repo_id),
    )
    return result.verdict, [moved.model_copy(update={"severity": Severity.NOTICE})]


SERVICE = Service(
    name="huggingface",
    label="Hugging Face",
    rules=("hf/not-found", "link/moved"),
    claim=claim,
    checker=build_checker,
    judge_link=judge_link,
    api=api,
    api_env="HF_ENDPOINT",
    public_api=HUGGINGFACE_ENDPOINT,
    key_prefix="hf:",
    token_env="HF_TOKEN",
)
