"""URL classification decides which service checks a link; a wrong kind means an API is
asked about a page that is not a paper or repository, or a real one is never checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from listcheck.classify import Classified, classify_url, malformed_reason
from listcheck.classify.split import split_http_url
from listcheck.models import ArxivId, ArxivRef, GithubRef, HfRef, HfRepoId, LinkKind, RepoSlug

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _arxiv(arxiv_id: str, form: str, version: int | None = None, *, valid: bool = True) -> ArxivRef:
    return ArxivRef(id=ArxivId(arxiv_id), version=version, form=form, valid=valid)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2407.20516", _arxiv("2407.20516", "abs")),
        ("https://arxiv.org/pdf/2410.12777", _arxiv("2410.12777", "pdf")),
        ("https://arxiv.org/pdf/2404.11045.pdf", _arxiv("2404.11045", "pdf")),
        ("https://arxiv.org/pdf/2312.12736v1.pdf", _arxiv("2312.12736", "pdf", 1)),
        ("https://arxiv.org/pdf/2406.14796v1", _arxiv("2406.14796", "pdf", 1)),
        ("https://arxiv.org/pdf/2406.14796v1.PDF", _arxiv("2406.14796", "pdf", 1)),
        ("https://www.arxiv.org/abs/2502.15910", _arxiv("2502.15910", "abs")),
        ("http://arxiv.org/abs/1506.06724", _arxiv("1506.06724", "abs")),
        ("https://export.arxiv.org/abs/2401.06121", _arxiv("2401.06121", "abs")),
        ("HTTPS://ArXiv.org/abs/2401.06121/", _arxiv("2401.06121", "abs")),
        ("https://arxiv.org/abs/2401.06121?context=cs.CL", _arxiv("2401.06121", "abs")),
        ("https://arxiv.org/pdf/2401.06121v2#page=3", _arxiv("2401.06121", "pdf", 2)),
        ("https://arxiv.org/html/2401.06121v2", _arxiv("2401.06121", "html", 2)),
        ("https://arxiv.org/html/2401.06121v2/", _arxiv("2401.06121", "html", 2)),
        ("https://arxiv.org/html/2401.06121v2/x1.png", _arxiv("2401.06121", "html", 2)),
        (
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            _arxiv("2311.15766", "ftp"),
        ),
        (
            "https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf",
            _arxiv("hep-th/9901001", "ftp"),
        ),
        ("https://arxiv.org/abs/hep-th/9901001v2", _arxiv("hep-th/9901001", "abs", 2)),
        ("https://arxiv.org/abs/math.GT/0309136", _arxiv("math/0309136", "abs")),
        ("https://arxiv.org/pdf/cs/0112017.pdf", _arxiv("cs/0112017", "pdf")),
        ("http://xxx.lanl.gov/abs/hep-th/9711200", _arxiv("hep-th/9711200", "abs")),
        # arXiv's 2023 beta abstract pages, still cited by lists written then
        ("https://browse.arxiv.org/pdf/2310.00390.pdf", _arxiv("2310.00390", "pdf")),
        ("https://browse.arxiv.org/abs/2310.00390v2", _arxiv("2310.00390", "abs", 2)),
        ("https://arxiv.org/ps/2401.06121", _arxiv("2401.06121", "other")),
        ("https://arxiv.org/format/2401.06121", _arxiv("2401.06121", "other")),
        ("https://arxiv.org/src/2401.06121v1", _arxiv("2401.06121", "other", 1)),
        # paper links whose id is wrong stay arXiv links, marked invalid, id as written
        ("https://arxiv.org/abs/2401.1234567", _arxiv("2401.1234567", "abs", valid=False)),
        ("https://arxiv.org/abs/2413.00001", _arxiv("2413.00001", "abs", valid=False)),
        ("https://arxiv.org/pdf/abc", _arxiv("abc", "pdf", valid=False)),
        ("https://arxiv.org/abs/", _arxiv("", "abs", valid=False)),
        ("https://arxiv.org/abs/2401.12345v0", _arxiv("2401.12345v0", "abs", valid=False)),
        ("https://arxiv.org/abs/hep-xx/9901001", _arxiv("hep-xx/9901001", "abs", valid=False)),
    ],
)
def test_arxiv_paper_links(url: str, expected: ArxivRef) -> None:
    result = classify_url(url)
    assert result == Classified(kind=LinkKind.ARXIV, arxiv=expected)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org",
        "https://arxiv.org/",
        "https://arxiv.org/list/cs.LG/recent",
        "https://arxiv.org/a/liu_z_1",
        "https://arxiv.org/search/?query=unlearning",
        "https://info.arxiv.org/help/api/index.html",
        "https://arxiv.org/help/api",
    ],
)
def test_arxiv_pages_that_are_not_papers_are_web(url: str) -> None:
    assert classify_url(url) == Classified(kind=LinkKind.WEB)


def _gh(
    slug: str, kind: str | None = None, ref: str | None = None, path: str | None = None
) -> GithubRef:
    return GithubRef(slug=RepoSlug(slug), path_kind=kind, ref=ref, path=path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/anthropics/hh-rlhf", _gh("anthropics/hh-rlhf")),
        ("https://github.com/chrisliu298/llm-unlearn-eco/", _gh("chrisliu298/llm-unlearn-eco")),
        ("https://github.com/OPTML-Group/SOUL.git", _gh("OPTML-Group/SOUL")),
        ("http://www.github.com/IBM/larimar", _gh("IBM/larimar")),
        ("https://github.com/guangyaodou/SSU/tree/main", _gh("guangyaodou/SSU", "tree", "main")),
        (
            "https://github.com/haotian-liu/LLaVA/blob/main/docs/LLaVA_Bench.md",
            _gh("haotian-liu/LLaVA", "blob", "main", "docs/LLaVA_Bench.md"),
        ),
        ("https://github.com/o/r/issues", _gh("o/r", "issues")),
        ("https://github.com/o/r/issues/12", _gh("o/r", "issues", path="12")),
        ("https://github.com/o/r/pull/7", _gh("o/r", "pull", path="7")),
        ("https://github.com/o/r/releases", _gh("o/r", "releases")),
        ("https://github.com/o/r/releases/tag/v1.2", _gh("o/r", "releases", "v1.2")),
        ("https://github.com/o/r/wiki/Home", _gh("o/r", "wiki", path="Home")),
        ("https://github.com/o/r/commit/abc123", _gh("o/r", "commit", "abc123")),
        ("https://github.com/o/r#readme", _gh("o/r")),
        ("https://github.com/o/r?tab=readme-ov-file", _gh("o/r")),
        ("https://github.com/o_x/r.js", _gh("o_x/r.js")),
    ],
)
def test_github_repository_links(url: str, expected: GithubRef) -> None:
    assert classify_url(url) == Classified(kind=LinkKind.GITHUB, github=expected)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com", LinkKind.WEB),
        ("https://github.com/franciscoliu", LinkKind.WEB),
        ("https://github.com/orgs/OPTML-Group/repositories", LinkKind.WEB),
        ("https://github.com/topics/machine-unlearning", LinkKind.WEB),
        ("https://github.com/features/actions", LinkKind.WEB),
        ("https://github.com/sponsors/someone", LinkKind.WEB),
        ("https://github.com/settings/tokens", LinkKind.WEB),
        ("https://github.com/marketplace/actions/x", LinkKind.WEB),
        ("https://github.com/about/careers", LinkKind.WEB),
        ("https://github.com/login/oauth", LinkKind.WEB),
        ("https://github.com/o/..", LinkKind.WEB),
        ("https://gist.github.com/shagunsodhani/6ca136088f58d24f7b08056ec8b97595", LinkKind.GIST),
        ("https://locuslab.github.io/tofu/", LinkKind.GITHUB_PAGES),
        ("https://technion-cs-nlp.github.io/REVS/", LinkKind.GITHUB_PAGES),
        ("https://raw.githubusercontent.com/o/r/main/README.md", LinkKind.WEB),
        ("https://www.kaggle.com/datasets/atharvjairath/personachat", LinkKind.KAGGLE),
        ("https://kaggle.com/competitions/x", LinkKind.KAGGLE),
        ("https://doi.org/10.1145/3133956.3134012", LinkKind.DOI),
        ("http://dx.doi.org/10.1000/182", LinkKind.DOI),
        ("https://aclanthology.org/2023.findings-acl.375.pdf", LinkKind.ACL_ANTHOLOGY),
        ("https://aclanthology.org/2023.emnlp-main.265/", LinkKind.ACL_ANTHOLOGY),
        ("https://www.aclweb.org/anthology/P19-1001.pdf", LinkKind.ACL_ANTHOLOGY),
        ("https://www.aclweb.org/portal/", LinkKind.WEB),
        ("https://openreview.net/forum?id=abc", LinkKind.OPENREVIEW),
        ("https://laion.ai/blog/laion-400-open-dataset/", LinkKind.WEB),
        ("http://www.meng-jiang.com/", LinkKind.WEB),
        ("https://bücher.de/x", LinkKind.WEB),
        ("http://[::1]:8080/x", LinkKind.WEB),
        ("//example.com/x", LinkKind.WEB),
        ("https://user:pw@example.com:8443/x", LinkKind.WEB),
        ("https://example.com.", LinkKind.WEB),
    ],
)
def test_other_hosts(url: str, kind: LinkKind) -> None:
    result = classify_url(url)
    assert result.kind is kind
    assert (result.arxiv, result.github, result.hf) == (None, None, None)


@pytest.mark.parametrize(
    ("url", "repo_type", "repo_id"),
    [
        (
            "https://huggingface.co/datasets/google/civil_comments",
            "datasets",
            "google/civil_comments",
        ),
        ("https://huggingface.co/datasets/Samsung/samsum", "datasets", "Samsung/samsum"),
        (
            "https://huggingface.co/datasets/bookcorpus/bookcorpus",
            "datasets",
            "bookcorpus/bookcorpus",
        ),
        ("https://huggingface.co/datasets/squad", "datasets", "squad"),
        ("https://huggingface.co/datasets/squad/viewer", "datasets", "squad"),
        ("https://huggingface.co/datasets/a/b/tree/main/data", "datasets", "a/b"),
        ("https://huggingface.co/datasets/a/b/blob/main/x.json", "datasets", "a/b"),
        ("https://huggingface.co/spaces/org/demo", "spaces", "org/demo"),
        ("https://huggingface.co/meta-llama/Llama-2-7b-hf", "models", "meta-llama/Llama-2-7b-hf"),
        (
            "https://huggingface.co/meta-llama/Llama-2-7b-hf/tree/main",
            "models",
            "meta-llama/Llama-2-7b-hf",
        ),
        ("https://hf.co/openai/whisper-large-v3", "models", "openai/whisper-large-v3"),
        ("https://huggingface.co/bert-base-uncased", "models", "bert-base-uncased"),
        ("https://huggingface.co/gpt2", "models", "gpt2"),
        ("https://huggingface.co/t5-small/blob/main/config.json", "models", "t5-small"),
    ],
)
def test_hugging_face_repositories(url: str, repo_type: str, repo_id: str) -> None:
    hf = HfRef(repo_type=repo_type, repo_id=HfRepoId(repo_id))
    assert classify_url(url) == Classified(kind=LinkKind.HUGGINGFACE, hf=hf)


@pytest.mark.parametrize(
    "url",
    [
        "https://huggingface.co",
        "https://huggingface.co/docs/transformers/index",
        "https://huggingface.co/papers/2401.06121",
        "https://huggingface.co/blog/unlearning",
        "https://huggingface.co/models?search=unlearn",
        "https://huggingface.co/datasets",
        "https://huggingface.co/datasets?sort=trending",
        "https://huggingface.co/spaces",
        "https://huggingface.co/spaces/org",
        "https://huggingface.co/facebook",
        "https://huggingface.co/collections/x/y",
    ],
)
def test_hugging_face_pages_that_are_not_repositories_are_web(url: str) -> None:
    assert classify_url(url) == Classified(kind=LinkKind.WEB)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("#applications", LinkKind.ANCHOR),
        ("#", LinkKind.ANCHOR),
        ("./asset/genai_problem.png", LinkKind.FILE),
        ("docs/x.md", LinkKind.FILE),
        ("docs/x.md#usage", LinkKind.FILE),
        ("../y", LinkKind.FILE),
        ("/LICENSE", LinkKind.FILE),
        ("CONTRIBUTING.md", LinkKind.FILE),
        ("mailto:someone@example.com", LinkKind.MAILTO),
        ("MAILTO:someone@example.com", LinkKind.MAILTO),
        ("ftp://ftp.example.com/file", LinkKind.OTHER_SCHEME),
        ("javascript:void(0)", LinkKind.OTHER_SCHEME),
        ("data:image/png;base64,AAAA", LinkKind.OTHER_SCHEME),
        ("tel:+15555555555", LinkKind.OTHER_SCHEME),
        ("file:///etc/passwd", LinkKind.OTHER_SCHEME),
        ("", LinkKind.EMPTY),
        ("   ", LinkKind.EMPTY),
        ("\t\n", LinkKind.EMPTY),
    ],
)
def test_non_http_kinds(url: str, kind: LinkKind) -> None:
    assert classify_url(url).kind is kind
    assert malformed_reason(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://", "has no host"),
        ("https:///path", "has no host"),
        ("https://?q=1", "has no host"),
        ("http:/x.org", "no '//' after http:"),
        ("http:x.org", "no '//' after http:"),
        ("https:\\\\example.com", "no '//' after https:"),
        ("https//example.com", "missing the ':'"),
        ("http//example.com", "missing the ':'"),
        ("https;//example.com", "missing the ':'"),
        ("htps//example.com", "missing the ':'"),
        ("htp://example.com", "'htp', a misspelling"),
        ("htps://example.com", "'htps', a misspelling"),
        ("htttps://example.com", "'htttps', a misspelling"),
        ("hhttp://example.com", "'hhttp', a misspelling"),
        ("htpts://example.com", "'htpts', a misspelling"),
        ("http://exa mple.com", "a space in its host"),
        ("http://example.com :8080/", "a space in its host"),
        ("https://exa<mple.com/", "'<' in its host"),
        ("https://a..b/", "empty label"),
        ("https://.example.com/", "empty label"),
        ("http://example.com:99999/", "invalid port '99999'"),
        ("http://example.com:8o/", "invalid port '8o'"),
        ("http://example.com:80:80/", "invalid port"),
        ("www.example.com", "no http(s)://"),
        ("www.example.com/page", "no http(s)://"),
        ("github.com/anthropics/hh-rlhf", "no http(s)://"),
        ("arxiv.org/abs/2401.06121", "no http(s)://"),
        # invisible characters pasted along with the URL
        ("https://github.com/o/r\ufeff", "ends in an invisible U+FEFF (byte order mark)"),
        ("https://arxiv.org/abs/2401.06121\u200b", "ends in an invisible U+200B"),
        ("https://github.com/o\u2060/r", "holds an invisible U+2060 (word joiner)"),
        ("https://exam\u00adple.com/", "holds an invisible U+00AD (soft hyphen)"),
        ("\u200dhttps://example.com/", "holds an invisible U+200D (zero-width joiner)"),
        ("./docs/a.md\ufeff", "ends in an invisible U+FEFF"),
        # "[LLM]([https://github.com/…)": bracket or quote characters before the scheme
        ("[https://github.com/o/r", "has the stray character '[' before its http(s)://"),
        ("((https://github.com/o/r", "the stray characters '(('"),
        ('"https://example.com/"', "the stray character '\"'"),
        ("<https://example.com/>", "the stray character '<'"),
    ],
)
def test_malformed_urls_say_why(url: str, reason: str) -> None:
    assert classify_url(url) == Classified(kind=LinkKind.MALFORMED)
    found = malformed_reason(url)
    assert found is not None
    assert reason in found


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        # a zero-width non-joiner inside a Persian word is part of the word
        ("https://fa.wikipedia.org/wiki/\u06a9\u062a\u0627\u0628\u200c\u0647\u0627", LinkKind.WEB),
        ("https://example.com/[draft]/x", LinkKind.WEB),
        ("docs/[old]/notes.md", LinkKind.FILE),
        ("(draft).md", LinkKind.FILE),
    ],
)
def test_look_alikes_of_invisible_and_stray_characters_are_fine(url: str, kind: LinkKind) -> None:
    assert classify_url(url).kind is kind
    assert malformed_reason(url) is None


@pytest.mark.parametrize("scheme", ["ftp", "sftp", "ws", "wss", "hxxp", "git", "irc"])
def test_real_schemes_are_not_mistaken_for_http_typos(scheme: str) -> None:
    assert classify_url(f"{scheme}://example.com/").kind is LinkKind.OTHER_SCHEME


def test_surrounding_whitespace_is_ignored() -> None:
    assert classify_url("  https://github.com/o/r  ") == classify_url("https://github.com/o/r")


def test_split_http_url() -> None:
    parts = split_http_url("HTTP://WWW.ArXiv.org.:8080/abs/2401.06121v2?x=1#y")
    assert parts is not None
    assert parts == ("http", "www.arxiv.org", 8080, "/abs/2401.06121v2", "x=1", "y")
    assert split_http_url("ftp://example.com") is None
    assert split_http_url("http://exa mple.com") is None
    assert split_http_url("./x.md") is None


def test_repeated_urls_are_answered_from_the_cache() -> None:
    first = classify_url("https://github.com/cache/probe")
    assert classify_url("https://github.com/cache/probe") is first


def test_twenty_thousand_distinct_links() -> None:
    # A regression guard, generous for slow CI machines: the parser classifies every link
    # of a large list, so a quadratic or per-call compile slip must not pass unnoticed.
    urls = []
    for i in range(20000):
        urls.append(
            (
                f"https://arxiv.org/abs/24{i % 12 + 1:02d}.{i:05d}",
                f"https://github.com/speed{i}/repo{i}/tree/main/x",
                f"https://huggingface.co/datasets/speed{i}/set",
                f"https://example{i}.com/x?y=1",
                f"./docs/speed{i}.md",
            )[i % 5]
        )
    kinds = {classify_url(url).kind for url in urls}
    assert kinds == {
        LinkKind.ARXIV,
        LinkKind.GITHUB,
        LinkKind.HUGGINGFACE,
        LinkKind.WEB,
        LinkKind.FILE,
    }


_URL_IN_MARKDOWN = re.compile(r"\]\((\S*?)\)|\((https?://[^)\s]+)\)")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    ("name", "arxiv_links"),
    [("awesome-genai-unlearning.md", 208), ("awesome-genai-unlearning-early.md", 0)],
)
def test_corpus_links_are_all_understood(name: str, arxiv_links: int) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    urls = [a or b for a, b in _URL_IN_MARKDOWN.findall(text)]
    assert len(urls) > 50
    results = {url: classify_url(url) for url in urls}
    assert not [u for u, c in results.items() if c.kind is LinkKind.MALFORMED]
    arxiv = [results[u].arxiv for u in urls if results[u].kind is LinkKind.ARXIV]
    assert len(arxiv) == arxiv_links
    assert all(ref is not None and ref.valid for ref in arxiv)
    github = [c.github for c in results.values() if c.kind is LinkKind.GITHUB]
    assert github
    assert all(ref is not None and "/" in ref.slug for ref in github)
