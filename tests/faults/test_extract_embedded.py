"""The real embedded llama.cpp server under faults: Ctrl-C, SIGTERM and SIGKILL never leave it running, and its
death mid-run costs one article, not the run.

Each test starts the console command with no base URL, so it launches the embedded server; most stop as soon as a
call is in flight, so they do not wait for the model to finish an article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("allegations.extract.run", reason="the extract stage is not on this branch yet")

from .conftest import ROOT, cli_command, lawsuit_article, make_corpus, read_jsonl_lines, subprocess_env

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


def _start_embedded_run(
    tmp_path: Path, articles: dict[str, str] | None = None, *extra: str
) -> tuple[subprocess.Popen[str], int, Path]:
    """Start an embedded run and wait until its server answers and the first call is in flight."""
    articles = articles or {f"a{i}": lawsuit_article(i) for i in range(3)}
    corpus = make_corpus(tmp_path / "corpus", articles)
    cache = tmp_path / "cache.sqlite"
    out = tmp_path / "p.jsonl"
    run = subprocess.Popen(
        [*cli_command(), "extract", "--strategy", "llm", "--corpus", str(corpus), "--out", str(out), "--cache", str(cache), *extra],
        cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    return run, _next_server(run), cache


def _next_server(run: subprocess.Popen[str], not_this: int | None = None) -> int:
    """The pid of the run's (next) llama.cpp server, once it listens and a call has had time to start."""
    deadline = time.monotonic() + 120
    server = None
    while server is None or not _listening(server):
        assert run.poll() is None, f"the run ended before its server was up: {run.communicate()[1]}"
        assert time.monotonic() < deadline, "the embedded server did not come up within 120 s"
        found = _llama_server(run.pid)
        server = found if found != not_this else None
        time.sleep(0.1)
    time.sleep(1.5)  # the first completion request is now being generated
    return server


def _gone_within(pid: int, seconds: float) -> bool:
    """Wait up to `seconds` for `pid` to end; SIGKILL it (so no test leaks it) and return False if it did not."""
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
        return False
    return True


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
@pytest.mark.parametrize(("sig", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_sigint_or_sigterm_stops_the_embedded_server_and_says_how_to_resume(
    tmp_path: Path, sig: int, exit_code: int
) -> None:
    run, server, _ = _start_embedded_run(tmp_path)
    run.send_signal(sig)
    try:
        _, stderr = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        os.kill(server, signal.SIGKILL)
        raise AssertionError(f"{sig.name} did not end the run within 60 s") from None
    assert _gone_within(server, 15), "the embedded llama.cpp server outlived the interrupted run"
    assert run.returncode == exit_code, stderr
    assert "Traceback" not in stderr, stderr
    assert "run again" in stderr or "resume" in stderr, f"no word on how to resume: {stderr!r}"
    assert not (tmp_path / "p.jsonl").exists()


@pytest.mark.timeout(300)
def test_sigkill_of_extract_takes_its_server_along(tmp_path: Path) -> None:
    run, server, _ = _start_embedded_run(tmp_path)
    run.kill()
    run.communicate(timeout=30)
    assert _gone_within(server, 5), "the embedded llama.cpp server outlived the killed run"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_serve_never_leaves_its_server_behind(sig: int) -> None:
    serve = subprocess.Popen(
        [*cli_command(), "serve"], cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert serve.stdout is not None
        assert serve.stdout.readline().startswith("serving "), serve.stderr
        server = _llama_server(serve.pid)
        assert server is not None and _listening(server)
        serve.send_signal(sig)
        serve.wait(timeout=30)
        assert _gone_within(server, 5), f"the embedded llama.cpp server outlived `allegations serve` after {sig.name}"
        if sig == signal.SIGTERM:
            assert serve.returncode == 0 and serve.stdout.read().strip() == "stopped"
    finally:
        serve.kill()
        serve.communicate()


def _kill_servers_then_finish(tmp_path: Path, deaths: int) -> tuple[subprocess.Popen[str], str, dict[str, dict]]:
    """Kill the run's server `deaths` times, each time once its replacement is busy; let the run finish.

    The articles in flight are long enough to be still running when their server is killed; the last one is a short
    line, asked once (no re-asks), so that finishing the run costs little.
    """
    articles = {f"a{i}": lawsuit_article(i) for i in range(deaths)} | {f"a{deaths}": "no one was sued today."}
    run, server, _ = _start_embedded_run(tmp_path, articles, "--max-retries", "0")
    for death in range(deaths):
        if death:
            server = _next_server(run, not_this=server)
        os.kill(server, signal.SIGKILL)
    try:
        _, stderr = run.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        run.kill()
        raise AssertionError("the run hung after its server died") from None
    assert "Traceback" not in stderr, stderr
    lines = {line["article_id"]: line for line in read_jsonl_lines(tmp_path / "p.jsonl")}
    return run, stderr, lines


@pytest.mark.timeout(900)
@pytest.mark.parametrize("deaths", [1, 2])
def test_a_dying_embedded_server_costs_one_article_and_the_run_goes_on(tmp_path: Path, deaths: int) -> None:
    run, stderr, lines = _kill_servers_then_finish(tmp_path, deaths)
    assert run.returncode == 3, stderr  # some failed
    died = {k: v["error"] for k, v in lines.items() if "server died" in v.get("error", "")}
    assert len(died) == deaths and len(lines) == deaths + 1, lines
    for error in died.values():
        assert error.startswith("the embedded llama.cpp server died (exit code -9): "), error
        assert Path(error.rsplit("(log: ", 1)[1].rstrip(")")).is_file(), f"the log named is gone: {error}"
    assert stderr.count("restarting it") == deaths, stderr
    assert f"of {deaths + 1} articles failed" in stderr.strip().splitlines()[-1], stderr
