"""Interrupted extraction runs, through the real console command against a loopback OpenAI-compatible server.

SIGKILL half way, SIGINT, the server going away, two runs sharing one cache: finished work is kept, nothing is
extracted twice, and the output is never half written.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("allegations.extract.run", reason="the extract stage is not on this branch yet")

from .conftest import (
    CANARY_API_KEY,
    ROOT,
    article_in,
    cli_command,
    completion,
    copy_seed_corpus,
    grounded_answer,
    lawsuit_article,
    make_corpus,
    pass_of,
    read_jsonl_lines,
    scripted_model,
    subprocess_env,
    without_timings,
)

ARTICLES = {f"a{i}": lawsuit_article(i) for i in range(6)}
HANG_S = 6
PASSES = ["parties", "allegations", "contract_terms", "relief_sought"]


def _extract_argv(corpus: Path, out: Path, cache: Path, base_url: str, *extra: str) -> list[str]:
    return [
        *cli_command(),
        "extract",
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--base-url",
        base_url,
        "--model",
        "fake-model",
        "--api-key",
        CANARY_API_KEY,
        *extra,
    ]


def _start(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv, cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(condition, timeout: float = 60, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended early ({proc.returncode}): {proc.communicate()[1]}")
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _keys(requests) -> list[tuple[str, str]]:
    by_text = {text: article_id for article_id, text in ARTICLES.items()}
    return [(by_text[article_in(r)], pass_of(r)) for r in requests]


def test_sigkill_half_way_then_rerun_keeps_finished_work_and_matches_an_uninterrupted_run(
    tmp_path: Path, fake_openai
) -> None:
    corpus = make_corpus(tmp_path / "corpus", ARTICLES)
    out, cache = tmp_path / "predictions.jsonl", tmp_path / "cache.sqlite"
    out.write_text("previous run\n", encoding="utf-8")
    server = fake_openai(_delayed(scripted_model(), 0.15))

    first = _start(_extract_argv(corpus, out, cache, server.base_url))
    _wait_for(lambda: len(server.completions()) >= 10, proc=first)  # two and a half articles in
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed_at = _keys(server.completions())
    answered_before_kill = set(killed_at[:-1])  # the last request was still in flight
    assert out.read_text(encoding="utf-8") == "previous run\n", "the killed run touched the previous output"

    server.requests.clear()
    server.responder = scripted_model()  # answers at full speed from here on
    second = _run(_extract_argv(corpus, out, cache, server.base_url))
    assert second.returncode == 0, second.stderr
    redone = _keys(server.completions())
    assert not answered_before_kill & set(redone), f"extracted twice: {sorted(answered_before_kill & set(redone))}"
    assert len(redone) == len(ARTICLES) * len(PASSES) - len(answered_before_kill)

    fresh_out = tmp_path / "uninterrupted.jsonl"
    fresh = _run(_extract_argv(corpus, fresh_out, tmp_path / "fresh.sqlite", server.base_url))
    assert fresh.returncode == 0, fresh.stderr
    assert without_timings(read_jsonl_lines(out)) == without_timings(read_jsonl_lines(fresh_out))


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120)


def _delayed(responder, seconds: float):
    def respond(request):
        reply = responder(request)
        reply.delay_s = max(reply.delay_s, seconds)
        return reply

    return respond


def _interrupt_after(tmp_path: Path, fake_openai, calls: int, hang_s: float, sig: int = signal.SIGINT):
    """Start a run whose third call takes `hang_s`, send `sig` (Ctrl-C) once `calls` calls were made."""
    corpus = make_corpus(tmp_path / "corpus", ARTICLES)
    out, cache = tmp_path / "predictions.jsonl", tmp_path / "cache.sqlite"

    def slow_third(request, article, record_type, attempt):
        if article == ARTICLES["a0"] and record_type == "contract_terms":
            reply = completion(request, grounded_answer(record_type, article))
            reply.delay_s = hang_s
            return reply
        return None

    server = fake_openai(scripted_model(slow_third))
    run = _start(_extract_argv(corpus, out, cache, server.base_url))
    _wait_for(lambda: len(server.completions()) >= calls, proc=run)
    time.sleep(0.2)
    sent = time.monotonic()
    run.send_signal(sig)
    try:
        stdout, stderr = run.communicate(timeout=hang_s + 30)
    except subprocess.TimeoutExpired:
        run.kill()
        raise AssertionError("Ctrl-C did not stop the run") from None
    return run.returncode, stdout, stderr, time.monotonic() - sent, out, cache


@pytest.mark.parametrize(("sig", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_sigint_or_sigterm_keeps_finished_calls_writes_nothing_and_says_how_to_resume(
    tmp_path: Path, fake_openai, sig: int, exit_code: int
) -> None:
    code, stdout, stderr, _, out, cache = _interrupt_after(tmp_path, fake_openai, calls=3, hang_s=1, sig=sig)
    assert code == exit_code, (stdout, stderr)
    assert not out.exists(), "a half run must not write predictions"
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] >= 2, "the finished calls were not kept"
    assert "Traceback" not in stderr, stderr
    last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    assert "interrupted" in last.lower() and ("run again" in last or "resume" in last), stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_sigint_or_sigterm_does_not_wait_for_a_hanging_call(tmp_path: Path, fake_openai, sig: int) -> None:
    code, stdout, stderr, seconds, _, _ = _interrupt_after(tmp_path, fake_openai, calls=3, hang_s=15, sig=sig)
    assert code not in (0, None)
    assert seconds < 8, f"{sig.name} took {seconds:.1f} s: it waited for the call in flight"


@pytest.mark.parametrize(("sig", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_sigint_or_sigterm_during_build_stops_at_once_and_says_how_to_resume(
    tmp_path: Path, fake_openai, sig: int, exit_code: int
) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    calls = {"n": 0}

    def second_call_hangs(request):
        calls["n"] += 1
        reply = completion(request, {"items": []})
        reply.delay_s = 30 if calls["n"] == 2 else 0
        return reply

    server = fake_openai(second_call_hangs)
    argv = [*cli_command(), "build", "--corpus", str(corpus), "--build-dir", str(tmp_path / "build")]
    run = _start([*argv, "--base-url", server.base_url, "--model", "fake-model", "--api-key", CANARY_API_KEY])
    _wait_for(lambda: len(server.completions()) >= 2, proc=run)
    time.sleep(0.2)
    sent = time.monotonic()
    run.send_signal(sig)
    try:
        _, stderr = run.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        run.kill()
        raise AssertionError("Ctrl-C did not stop the build within 15 s") from None
    assert time.monotonic() - sent < 10
    assert run.returncode == exit_code and "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == (
        f"error: interrupted; the build in {tmp_path / 'build'} did not finish, finished calls are kept in "
        f"{tmp_path / 'build' / 'cache.sqlite'}: run the same command again to resume"
    )
