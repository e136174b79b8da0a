"""The real embedded llama.cpp server under faults: Ctrl-C stops it, and its death mid-run never hangs the run.

Each test starts the console command with no base URL, so it launches the embedded server; both stop as soon as a
call is in flight, so no test waits for the model to finish an article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("allegations.extract.run", reason="the extract stage is not on this branch yet")

from .conftest import ROOT, cli_command, lawsuit_article, make_corpus, subprocess_env

pytestmark = pytest.mark.e2e


def _children(pid: int) -> list[int]:
    """Every live process whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _llama_server(pid: int) -> int | None:
    for child in _children(pid):
        try:
            if b"llama_cpp.server" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


def _start_embedded_run(tmp_path: Path) -> tuple[subprocess.Popen[str], int, Path]:
    """Start an embedded run and wait until its server answers and the first call is in flight."""
    corpus = make_corpus(tmp_path / "corpus", {f"a{i}": lawsuit_article(i) for i in range(3)})
    cache = tmp_path / "cache.sqlite"
    env = subprocess_env()
    run = subprocess.Popen(
        [*cli_command(), "extract", "--strategy", "llm", "--corpus", str(corpus), "--out", str(tmp_path / "p.jsonl"), "--cache", str(cache)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    server = None
    while server is None or not _listening(server):
        assert run.poll() is None, f"the run ended before its server was up: {run.communicate()[1]}"
        assert time.monotonic() < deadline, "the embedded server did not come up within 120 s"
        server = server or _llama_server(run.pid)
        time.sleep(0.1)
    time.sleep(1.5)  # the first completion request is now being generated
    return run, server, cache


def _listening(pid: int) -> bool:
    """True once the process holds a listening TCP socket."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        if any(row.split()[3] == "0A" and row.split()[9] in inodes for row in rows):
            return True
    return False


@pytest.mark.timeout(300)
def test_sigint_stops_the_embedded_server_and_says_how_to_resume(tmp_path: Path) -> None:
    run, server, _ = _start_embedded_run(tmp_path)
    run.send_signal(signal.SIGINT)
    try:
        _, stderr = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        os.kill(server, signal.SIGKILL)
        raise AssertionError("Ctrl-C did not end the run within 60 s") from None
    deadline = time.monotonic() + 15
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    still_running = _alive(server)
    if still_running:
        os.kill(server, signal.SIGKILL)
    assert not still_running, "the embedded llama.cpp server outlived the interrupted run"
    assert run.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert "run again" in stderr or "resume" in stderr, f"no word on how to resume: {stderr!r}"
    assert not (tmp_path / "p.jsonl").exists()


@pytest.mark.timeout(300)
def test_the_embedded_server_dying_mid_run_ends_the_run_clearly(tmp_path: Path) -> None:
    run, server, _ = _start_embedded_run(tmp_path)
    os.kill(server, signal.SIGKILL)
    try:
        _, stderr = run.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        run.kill()
        raise AssertionError("the run hung after its server died") from None
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    if run.returncode == 0:  # restarted the server and finished
        assert (tmp_path / "p.jsonl").exists()
    else:
        # Worker threads may still log a line or two after the error (instructor's own log lines).
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1 and "server" in errors[0], stderr
        assert not (tmp_path / "p.jsonl").exists(), stderr
