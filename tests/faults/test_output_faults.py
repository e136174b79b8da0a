"""Output that cannot be written: a clear error naming the path, the previous file intact, no temp file left."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allegations.core.errors import OutputError
from allegations.core.files import write_atomic

from .conftest import ROOT, fill_disk, leftover_temp_files

PREVIOUS = '{"article_id": "a1", "parties": []}\n'


def test_disk_full_for_real_keeps_the_previous_output(tiny_disk: Path) -> None:
    out = tiny_disk / "predictions.jsonl"
    write_atomic(out, PREVIOUS)
    fill_disk(tiny_disk, keep_free=0)
    with pytest.raises(OutputError) as err:
        write_atomic(out, "x" * 200_000)
    assert str(err.value).startswith(f"{out}: cannot write: No space left on device")
    assert "the previous file is unchanged" in str(err.value)
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert [p.name for p in tiny_disk.iterdir()] == sorted(["ballast", "predictions.jsonl"])


def test_a_read_only_filesystem_is_reported_even_to_root(tiny_disk: Path) -> None:
    out = tiny_disk / "card.md"
    write_atomic(out, "old card\n")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(OutputError, match="Read-only file system"):
        write_atomic(out, "new card\n")
    assert out.read_text(encoding="utf-8") == "old card\n"


def test_disk_full_at_fsync_keeps_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "predictions.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(out, "new content\n")
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert leftover_temp_files(tmp_path) == []


def test_a_parent_that_is_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("I am a file", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        write_atomic(blocker / "predictions.jsonl", PREVIOUS)
    assert str(err.value).startswith(
        f"{blocker / 'predictions.jsonl'}: cannot write: {blocker} is a file, not a folder"
    )
    assert "check that the folder exists, is writable" in str(err.value)
    assert blocker.read_text(encoding="utf-8") == "I am a file"


def test_an_output_path_that_is_a_folder_leaves_the_folder_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "predictions.jsonl"
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="Is a directory"):
        write_atomic(target, PREVIOUS)
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert leftover_temp_files(tmp_path) == []


def test_sigkill_during_a_write_never_leaves_half_a_file(tmp_path: Path) -> None:
    out = tmp_path / "dataset.json"
    out.write_text(PREVIOUS, encoding="utf-8")
    size = 400_000_000
    writer = (
        "import sys; from pathlib import Path; from allegations.core.files import write_atomic\n"
        f"payload = b'y' * {size}; write_atomic(Path(sys.argv[1]), payload)"
    )
    proc = subprocess.Popen([sys.executable, "-c", writer, str(out)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 0 for p in leftover_temp_files(tmp_path)):
        assert proc.poll() is None and time.monotonic() < deadline, "the write finished before it could be killed"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert out.read_text(encoding="utf-8") == PREVIOUS
    # SIGKILL cannot be cleaned up after: a hidden temp file may remain beside the intact output.
    assert all(p.name.startswith(".dataset.json.") for p in leftover_temp_files(tmp_path))
