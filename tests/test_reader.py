from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from listcheck import reader
from listcheck.errors import ExitCode, InputError
from listcheck.reader import decode_list, read_list

MIB = 1 << 20
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def write(tmp_path: Path, data: bytes, name: str = "README.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", "", id="empty-file"),
        pytest.param(
            b"\xef\xbb\xbf# Awesome\n- [PDF](https://arxiv.org/abs/2503.12345)\n",
            "# Awesome\n- [PDF](https://arxiv.org/abs/2503.12345)\n",
            id="utf8-bom-stripped",
        ),
        pytest.param(b"\xef\xbb\xbf", "", id="bom-only"),
        pytest.param(
            b"# A\r\n\r\n- \xe3\x80\x90202406\xe3\x80\x91 Paper\r\n",
            "# A\r\n\r\n- 【202406】 Paper\r\n",
            id="crlf-kept-as-written",
        ),
        pytest.param(b"a\rb\n", "a\rb\n", id="lone-cr-kept"),
        pytest.param(b"no final newline", "no final newline", id="no-final-newline"),
    ],
)
def test_reads_text_exactly_as_written(tmp_path: Path, data: bytes, expected: str) -> None:
    assert read_list(write(tmp_path, data), 16 * MIB) == expected


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is a binary file, not Markdown text (NUL byte at offset 8, line 3, column 1)",
            id="png-renamed-to-md",
        ),
        pytest.param(
            b"# Papers\n- Caf\xe9 unlearning\n",
            "byte 0xE9, which is not valid UTF-8 (offset 14, line 2, column 6)",
            id="latin1",
        ),
        pytest.param(
            "# Papers\n\n- 【202406】 ".encode() + b"Machine \x93Unlearning\x94\n",
            "byte 0x93, which is not valid UTF-8 (offset 33, line 3, column 20)",
            id="cp1252-quotes-after-multibyte-chars",
        ),
        pytest.param(
            b"\xef\xbb\xbf\xff",
            "byte 0xFF, which is not valid UTF-8 (offset 3, line 1, column 1)",
            id="offset-counts-bom-column-does-not",
        ),
        pytest.param(
            b"a\r\nb\r\n\xc0\xaf",
            "byte 0xC0, which is not valid UTF-8 (offset 6, line 3, column 1)",
            id="crlf-is-one-line-ending",
        ),
        pytest.param(
            b"a\rb\xff",
            "byte 0xFF, which is not valid UTF-8 (offset 3, line 2, column 2)",
            id="lone-cr-ends-a-line",
        ),
        pytest.param(
            b"title \xe2\x80",
            "an incomplete UTF-8 sequence at the end of the file (offset 6, line 1, column 7)",
            id="truncated-at-end",
        ),
        pytest.param(
            "# Awesome\n".encode("utf-16"),
            "is encoded as UTF-16 (byte-order mark FF FE); save it as UTF-8",
            id="utf16-from-windows-editor",
        ),
        pytest.param(
            "# Awesome\n".encode("utf-32"),
            "is encoded as UTF-32 (byte-order mark FF FE 00 00); save it as UTF-8",
            id="utf32",
        ),
    ],
)
def test_refuses_what_is_not_utf8_text(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        read_list(path, 16 * MIB)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message
    assert "\n" not in message
    assert caught.value.exit_code == ExitCode.USAGE


def test_undecodable_message_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"save the file as UTF-8$"):
        read_list(write(tmp_path, b"\xe9"), 100)


def test_decode_list_names_the_source_it_is_given() -> None:
    with pytest.raises(InputError, match=r"^<stdin>: is a binary file"):
        decode_list(b"a\x00", "<stdin>")
    assert decode_list("\ufeff【202503】".encode(), "<stdin>") == "【202503】"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "READNE.md"
    with pytest.raises(InputError, match=r"READNE\.md: no such file$"):
        read_list(path, MIB)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r": is a directory, not a Markdown file$") as caught:
        read_list(tmp_path, MIB)
    assert str(tmp_path) in str(caught.value)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"# list\n")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the OS answer as it would a user

        def denied(*_: object) -> int:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError, match=r"README\.md: permission denied$"):
        read_list(path, MIB)


@pytest.mark.parametrize(
    ("size", "limit", "ok"),
    [
        pytest.param(100, 100, True, id="exactly-at-limit"),
        pytest.param(101, 100, False, id="one-byte-over"),
        pytest.param(0, 0, True, id="empty-with-zero-limit"),
    ],
)
def test_size_limit_boundary(tmp_path: Path, size: int, limit: int, ok: bool) -> None:
    path = write(tmp_path, b"a" * size)
    if ok:
        assert read_list(path, limit) == "a" * size
    else:
        with pytest.raises(InputError, match=r"is 101 bytes, larger than the max_file_size"):
            read_list(path, limit)


def test_large_file_is_refused_by_size_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * MIB)  # sparse: costs no disk

    def must_not_read(*_: object) -> bytes:
        raise AssertionError("the file was read although its size is known to be too large")

    monkeypatch.setattr(reader, "_read_at_most", must_not_read)
    with pytest.raises(InputError) as caught:
        read_list(path, 16 * MIB)
    assert str(caught.value) == (
        f"{path}: is 52,428,800 bytes (50.0 MiB), larger than the max_file_size limit of "
        "16,777,216 bytes (16.0 MiB); raise max_file_size in listcheck.toml "
        "(or [tool.listcheck] in pyproject.toml) if this really is the list"
    )


def _fifo(tmp_path: Path, _: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "fifo.md"
    os.mkfifo(path)  # no writer ever comes: a blocking open would wait forever
    return path


def _socket(tmp_path: Path, _: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "s.md"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays; opening it fails with ENXIO
    return path


def _fifo_swapped_in_after_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A regular file when looked at, a FIFO by the time it is opened: only the check
    on the opened descriptor can catch it."""
    path = tmp_path / "swapped.md"
    path.write_text("- [a](https://example.org)\n")
    real_open = os.open

    def swapping_open(name: object, flags: int, *args: int) -> int:
        if name == path:
            path.unlink()
            os.mkfifo(path)
        return real_open(name, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", swapping_open)
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes and /dev/zero")
@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(_fifo, "a named pipe (FIFO)", id="fifo-without-writer"),
        pytest.param(lambda *_: Path("/dev/zero"), "a character device", id="dev-zero"),
        pytest.param(lambda *_: Path("/dev/null"), "a character device", id="dev-null"),
        pytest.param(_socket, "a socket", id="unix-socket"),
        pytest.param(lambda p, _: p, "a directory", id="directory"),
        pytest.param(_fifo_swapped_in_after_the_check, "a named pipe (FIFO)", id="swapped"),
    ],
)
def test_only_regular_files_are_read_and_nothing_hangs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path, pytest.MonkeyPatch], Path],
    what: str,
) -> None:
    path = make(tmp_path, monkeypatch)

    async def bounded() -> str:
        # A thread, so a read that blocks would only fail the timeout, not hang the suite.
        return await asyncio.wait_for(asyncio.to_thread(read_list, path, MIB), timeout=20)

    with pytest.raises(InputError) as caught:
        asyncio.run(bounded())
    assert str(caught.value) == f"{path}: is {what}, not a Markdown file"


def test_never_writes_to_the_file(tmp_path: Path) -> None:
    data = "\ufeff# A\r\n- [PDF](https://arxiv.org/abs/2503.12345)\r\n".encode()
    path = write(tmp_path, data)
    path.chmod(0o444)
    before = path.stat()
    read_list(path, MIB)
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    "name", ["awesome-genai-unlearning.md", "awesome-genai-unlearning-early.md"]
)
def test_real_lists_read_unchanged(name: str) -> None:
    path = CORPUS / name
    text = read_list(path, 16 * MIB)
    assert text == path.read_bytes().decode("utf-8-sig")
    assert "](https://" in text


def test_directory_refused_as_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def access_denied(*_: object) -> int:  # what Windows answers when opening a folder
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(os, "open", access_denied)
    with pytest.raises(InputError, match=r": is a directory, not a Markdown file$"):
        read_list(tmp_path, MIB)
