"""The one writer: unique temporary files, never through a symlink, nothing left behind
when a run is stopped mid-write (checked with real processes killed at that moment)."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from listcheck import safe_write
from listcheck.safe_write import RefusedTarget, append_text, refusal, write_bytes

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and signals")

LIST = b"# L\n\n## Papers\n\n- Sparse ([PDF](http://arxiv.org/abs/1904.10509))\n"
FIXED = LIST.replace(b"http://", b"https://")


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(safe_write.TEMP_SUFFIX))


def _symlink(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.md"
    victim.write_bytes(b"keep me\n")
    link = tmp_path / "target"
    link.symlink_to(victim)
    return link


def _dangling(tmp_path: Path) -> Path:
    link = tmp_path / "target"
    link.symlink_to(tmp_path / "would-be-created")
    return link


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "target"
    os.mkfifo(path)
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "target"
    path.mkdir()
    return path


def _socket(tmp_path: Path) -> Path:
    path = tmp_path / "target"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


UNSAFE = [
    pytest.param(_symlink, "is a symbolic link; listcheck never writes through one", id="symlink"),
    pytest.param(
        _dangling, "is a symbolic link; listcheck never writes through one", id="dangling"
    ),
    pytest.param(_fifo, "is a named pipe (FIFO), not a regular file", id="fifo"),
    pytest.param(_directory, "is a directory, not a regular file", id="directory"),
    pytest.param(_socket, "is a socket, not a regular file", id="socket"),
]


@POSIX
@pytest.mark.parametrize(("make", "reason"), UNSAFE)
@pytest.mark.parametrize("write", [write_bytes, append_text], ids=["replace", "append"])
def test_unsafe_targets_are_refused_and_left_as_they_were(
    tmp_path: Path, make: Callable[[Path], Path], reason: str, write: Callable[[Path, str], None]
) -> None:
    target = make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    assert refusal(target) == reason
    with pytest.raises(RefusedTarget) as raised:
        write(target, "new text\n")
    assert str(raised.value) == reason
    assert sorted(os.listdir(tmp_path)) == before
    victim = tmp_path / "victim.md"
    if victim.exists():
        assert victim.read_bytes() == b"keep me\n"


def test_a_symlink_swapped_in_before_the_rename_is_replaced_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.md"
    victim.write_bytes(b"keep me\n")
    target = tmp_path / "report.txt"
    real_replace = os.replace

    def swap_then_replace(src: str, dst: Path) -> None:
        dst.unlink(missing_ok=True)
        dst.symlink_to(victim)  # after the check, before the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", swap_then_replace)
    write_bytes(target, b"report\n")
    assert victim.read_bytes() == b"keep me\n"
    assert not target.is_symlink()
    assert target.read_bytes() == b"report\n"
    assert _temps(tmp_path) == []


@POSIX
@pytest.mark.parametrize(
    ("existing", "umask", "expected"),
    [(0o600, 0o022, 0o600), (0o755, 0o077, 0o755), (None, 0o022, 0o644), (None, 0o027, 0o640)],
)
def test_mode_is_kept_or_what_a_plain_open_gives(
    tmp_path: Path, existing: int | None, umask: int, expected: int
) -> None:
    target = tmp_path / "out.txt"
    if existing is not None:
        target.write_bytes(b"old\n")
        target.chmod(existing)
    old = os.umask(umask)
    try:
        write_bytes(target, b"new\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == expected
    assert target.read_bytes() == b"new\n"
    assert _temps(tmp_path) == []


def test_concurrent_writers_never_share_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each writer holds its temporary file until all have created theirs: with a fixed
    temporary name they would write into one file; here each rename lands whole."""
    target = tmp_path / "report.txt"
    writers = 4
    all_created = threading.Barrier(writers, timeout=20)
    seen: list[list[str]] = []
    real_fsync = os.fsync

    def fsync_then_wait(fd: int) -> None:
        real_fsync(fd)
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the temporary file, not the folder
            all_created.wait()
            seen.append(_temps(tmp_path))

    monkeypatch.setattr(os, "fsync", fsync_then_wait)
    payloads = [bytes([65 + n]) * (10_000 + n) for n in range(writers)]
    threads = [threading.Thread(target=write_bytes, args=(target, p)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(seen) == writers
    assert len(seen[0]) == writers  # four temporary files at once, none shared
    assert target.read_bytes() in payloads
    assert _temps(tmp_path) == []


def test_append_adds_to_a_regular_file_and_creates_a_missing_one(tmp_path: Path) -> None:
    existing = tmp_path / "summary.md"
    existing.write_text("earlier\n")
    append_text(existing, "later\n")
    assert existing.read_text() == "earlier\nlater\n"
    fresh = tmp_path / "outputs"
    append_text(fresh, "errors=1\n")
    assert fresh.read_text() == "errors=1\n"


# --- a real run, stopped while its temporary file exists -----------------------------


def _run_paused(tmp_path: Path, argv: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, safe_write.PAUSE_ENV: "60"}
    return subprocess.Popen(
        [sys.executable, "-m", "listcheck", "--offline", *argv],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_temp(folder: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not _temps(folder):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            raise AssertionError(f"no temporary file appeared: {out!r} {err!r}")
        time.sleep(0.02)


STOPS = [
    pytest.param(signal.SIGTERM, 143, "listcheck: stopped by SIGTERM\n", id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, "listcheck: interrupted\n", id="SIGINT"),
    pytest.param(getattr(signal, "SIGHUP", 1), 129, "listcheck: stopped by SIGHUP\n", id="SIGHUP"),
]


@POSIX
@pytest.mark.parametrize(("signum", "code", "line"), STOPS)
@pytest.mark.parametrize("what", ["fix", "output"])
def test_a_run_stopped_mid_write_leaves_no_temp_file_and_the_old_file(
    tmp_path: Path, signum: int, code: int, line: str, what: str
) -> None:
    listed = tmp_path / "README.md"
    listed.write_bytes(LIST)
    report = tmp_path / "report.json"
    report.write_bytes(b"the previous report\n")
    if what == "fix":
        argv = ["--fix", "README.md"]
    else:
        argv = ["--format", "json", "--output", "report.json", "README.md"]
    process = _run_paused(tmp_path, argv)
    _wait_for_temp(tmp_path, process)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err.decode() == line
    assert _temps(tmp_path) == []
    assert listed.read_bytes() == LIST
    assert report.read_bytes() == b"the previous report\n"


@POSIX
@pytest.mark.parametrize("what", ["fix", "output"])
def test_the_same_run_left_alone_writes_its_file(tmp_path: Path, what: str) -> None:
    """The control for the test above: with the pause cut short the write completes."""
    listed = tmp_path / "README.md"
    listed.write_bytes(LIST)
    argv = ["--fix", "README.md"] if what == "fix" else ["--output", "report.txt", "README.md"]
    process = subprocess.run(
        [sys.executable, "-m", "listcheck", "--offline", *argv],
        cwd=tmp_path,
        env={**os.environ, safe_write.PAUSE_ENV: "0.01"},
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    assert _temps(tmp_path) == []
    if what == "fix":
        assert listed.read_bytes() == FIXED
    else:
        assert b"arxiv/url-form" in (tmp_path / "report.txt").read_bytes()
