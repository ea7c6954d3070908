"""What a run loads: an offline run never imports the network stack, the checkers or the
cache, and ``--format json`` not even the terminal library.

Each case runs in a fresh interpreter (``sys.modules`` of the test process holds all
of the suite's imports) and inspects ``sys.modules`` once the run is over. These tests
say *what* is imported, never how long anything takes (that is
``benchmarks/bench_offline.py``'s business).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "awesome-example.md"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

NETWORK_STACK = ("aiohttp", "arxiv", "requests", "yarl", "multidict", "asyncio", "ssl")
ONLINE_ONLY = (
    "listcheck.checkers",
    "listcheck.net",
    "listcheck.cache",
    "listcheck.online",
    "listcheck.plan",
    "listcheck.judge",
    "listcheck.progress",
    "listcheck.fix",
    "listcheck.prmode",
    "jsonschema",
    "rich.progress",
)

RUN_CLI = """
import contextlib, io, json, sys
from listcheck.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(script: str, *argv: str) -> tuple[int, set[str]]:
    """Runs ``script`` in a new interpreter; its last stdout line is JSON with the exit
    code (if any) and the names in ``sys.modules`` at its end."""
    result = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answer = json.loads(result.stdout.splitlines()[-1])
    return int(answer.get("code", 0)), set(answer["modules"])


def under(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    """The modules that are one of ``packages`` or inside one of them."""
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


@pytest.mark.parametrize(
    ("fmt", "also_absent"),
    [
        ("text", ()),
        ("json", ("rich",)),
        ("sarif", ()),
        ("github", ()),
    ],
)
def test_offline_run_loads_no_network_code(fmt: str, also_absent: tuple[str, ...]) -> None:
    code, modules = loaded_by(RUN_CLI, "--offline", "--format", fmt, str(EXAMPLE))
    assert code == 1  # the example list has findings: the run really went to the end
    assert "listcheck.rules.anchors" in modules  # ... through the offline rules
    assert f"listcheck.reporters.{fmt}" in modules
    assert under(modules, NETWORK_STACK + ONLINE_ONLY + also_absent) == set()


def test_offline_run_loads_only_its_reporter() -> None:
    _, modules = loaded_by(RUN_CLI, "--offline", "--format", "json", str(EXAMPLE))
    reporters = under(modules, ("listcheck.reporters",))
    assert reporters == {
        "listcheck.reporters",
        "listcheck.reporters.base",
        "listcheck.reporters.json",
    }


@pytest.mark.parametrize(
    "name",
    [
        "awesome-genai-unlearning.md",  # 335 lines: "- 【202306】Paper Title ([PDF](...))"
        "real/diff-usion__Awesome-Diffusion-Models.md",  # 15,700 lines, 2,900 arXiv links
    ],
)
def test_offline_run_of_a_real_list_loads_no_network_code(name: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    code, modules = loaded_by(RUN_CLI, "--offline", "--format", "json", str(path))
    assert code in (0, 1)
    assert "listcheck.rules.arxiv" in modules
    assert under(modules, NETWORK_STACK + ONLINE_ONLY + ("rich",)) == set()


def test_an_online_run_does_load_the_checkers(tmp_path: Path) -> None:
    """The control: the same probe sees the network stack when a run goes online (a list
    without remote links, so nothing is asked of any host)."""
    path = tmp_path / "README.md"
    path.write_text("# List\n\n## Papers\n\n- A paper without a link\n", encoding="utf-8")
    code, modules = loaded_by(RUN_CLI, "--no-cache", "--format", "json", str(path))
    assert code == 0
    assert {"aiohttp", "listcheck.online", "listcheck.checkers.arxiv"} <= modules


def test_listing_the_formats_imports_none_of_them() -> None:
    script = (
        "import json, sys\n"
        "from listcheck.reporters import REPORTERS\n"
        "names = sorted(REPORTERS)\n"
        "print(json.dumps({'modules': sorted(sys.modules) + ['names:' + ','.join(names)]}))\n"
    )
    _, modules = loaded_by(script)
    assert "names:github,json,markdown,sarif,text" in modules
    assert under(modules, ("listcheck.reporters",)) == {"listcheck.reporters"}
    assert under(modules, ("rich", "pydantic", "listcheck.models")) == set()


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_pipeline(flag: str) -> None:
    script = (
        "import json, sys\n"
        "from listcheck.cli import main\n"
        "try:\n"
        "    main([sys.argv[1]])\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
    )
    code, modules = loaded_by(script, flag)
    assert code == 0
    assert "argparse" in modules
    assert under(modules, ("pydantic", "mistune", "rich", "listcheck.run")) == set()


def test_light_net_modules_do_not_load_aiohttp() -> None:
    script = (
        "import json, sys\n"
        "from listcheck.net.urls import host_key\n"
        "from listcheck.net.retry import parse_retry_after\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    _, modules = loaded_by(script)
    assert "listcheck.net.urls" in modules
    assert under(modules, ("aiohttp", "listcheck.net.engine", "listcheck.net.errors")) == set()


def test_names_of_the_net_package_still_resolve() -> None:
    import listcheck.net as net
    from listcheck.net.engine import Engine
    from listcheck.net.errors import FetchError
    from listcheck.net.urls import host_key

    assert net.Engine is Engine
    assert net.FetchError is FetchError
    assert net.host_key is host_key
    resolved = {name: getattr(net, name) for name in net.__all__}  # each one imports
    assert 429 in resolved["RETRY_STATUSES"]
    assert "listcheck/" in resolved["USER_AGENT"]
    with pytest.raises(AttributeError, match="no attribute 'Engin'"):
        _ = net.Engin


def test_reporter_names_still_resolve() -> None:
    import listcheck.reporters as reporters
    from listcheck.reporters.json import JsonReporter
    from listcheck.reporters.text import TextReporter

    assert reporters.TextReporter is TextReporter
    assert reporters.JsonReporter is JsonReporter
    assert reporters.REPORTERS["text"] is TextReporter
    assert len(reporters.REPORTERS) == 5
    with pytest.raises(AttributeError):
        _ = reporters.GithubReporter
