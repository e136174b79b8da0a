"""The embedded server dying mid-run, with a stand-in server process that dies on a trigger word like llama.cpp does.

A death costs the article in flight (its failure record carries the server's last log line and the log's path); the
server is restarted at most twice a run, then the articles left fail at once. Also: the response cache is closed
only once every worker has stopped.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

import allegations.extract.server
from allegations.core.corpus import load_corpus
from allegations.extract.backend import MAX_SERVER_RESTARTS
from allegations.extract.errors import BackendError
from allegations.extract.gguf_file import sha256_file
from allegations.extract.run import extract_corpus
from allegations.extract.server import find_gguf
from allegations.extract.settings import BackendSettings

from .conftest import (
    CANARY_API_KEY,
    Reply,
    completion,
    grounded_answer,
    lawsuit_article,
    make_corpus,
    read_jsonl_lines,
    run_cli,
)
from .fake_llama_server import LAST_WORDS

TRIGGER = "Zorblax"
DEATH = re.compile(r"the embedded llama\.cpp server died \(exit code 1\): " + LAST_WORDS + r" \(log: (\S+)\)$")


@pytest.fixture
def dying_server(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every embedded server start runs the stand-in instead; returns the commands started."""
    started: list[list[str]] = []
    real_command = allegations.extract.server.server_command

    def fake_command(*args: object, **kwargs: object) -> list[str]:
        command = real_command(*args, **kwargs)  # type: ignore[arg-type]
        command[2] = "faults.fake_llama_server"
        started.append(command)
        return command

    monkeypatch.setattr(allegations.extract.server, "server_command", fake_command)
    tests_dir = str(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([tests_dir, os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("FAKE_LLAMA_DIE_ON", TRIGGER)
    return started


def _extract(tmp_path: Path, articles: dict[str, str]):
    corpus = make_corpus(tmp_path / "corpus", articles)
    out = tmp_path / "predictions.jsonl"
    result = run_cli(
        "extract", "--strategy", "llm", "--corpus", corpus, "--out", out, "--cache", tmp_path / "cache.sqlite"
    )
    lines = {line["article_id"]: line for line in read_jsonl_lines(out)} if out.exists() else {}
    return result, lines


def test_a_server_death_costs_the_article_in_flight_and_the_server_is_restarted(
    tmp_path: Path, dying_server: list[list[str]]
) -> None:
    articles = {"a0": lawsuit_article(0), "a1": f"{TRIGGER} Corp sued Widget Ltd.", "a2": lawsuit_article(2)}
    result, lines = _extract(tmp_path, articles)
    assert result.exit_code == 3, result.output
    assert "error: 1 of 3 articles failed" in result.stderr
    assert "Traceback" not in result.output
    death = DEATH.match(lines["a1"]["error"])
    assert death, lines["a1"]
    assert LAST_WORDS in Path(death.group(1)).read_text(), "the log named in the failure record lost the reason"
    assert "error" not in lines["a0"] and "error" not in lines["a2"], lines
    assert len(dying_server) == 2, "the server was not restarted exactly once"
    assert f"restarting it (1 of {MAX_SERVER_RESTARTS})" in result.stderr


def test_the_embedded_run_uses_and_records_fixed_threads_batch_seed_and_greedy_decoding(
    tmp_path: Path, dying_server: list[list[str]]
) -> None:
    result, lines = _extract(tmp_path, {"a0": lawsuit_article(0)})
    assert result.exit_code == 0, result.output
    command = " ".join(dying_server[0])
    assert "--n_threads 2 --n_threads_batch 2 --n_batch 512" in command and "--seed 0" in command, command
    provenance = lines["a0"]["provenance"]
    fixed = {"n_ctx": 8192, "threads": 2, "batch_size": 512, "seed": 0, "temperature": 0.0}
    assert {key: provenance[key] for key in fixed} == fixed
    assert provenance["model_sha256"] == sha256_file(find_gguf())  # the weights, beside the parameters


def test_after_the_restarts_are_spent_the_articles_left_fail_at_once(
    tmp_path: Path, dying_server: list[list[str]]
) -> None:
    articles = {f"a{i}": f"{TRIGGER} number {i} sued Widget Ltd." for i in range(MAX_SERVER_RESTARTS + 3)}
    result, lines = _extract(tmp_path, articles)
    assert result.exit_code == 3, result.output
    deaths = MAX_SERVER_RESTARTS + 1
    assert len(dying_server) == deaths
    for article_id in list(articles)[:deaths]:
        assert DEATH.match(lines[article_id]["error"]), lines[article_id]
    for article_id in list(articles)[deaths:]:
        assert lines[article_id]["error"] == f"not extracted: the embedded llama.cpp server died {deaths} times"
    assert f"error: {len(articles)} of {len(articles)} articles failed" in result.stderr


def test_a_run_that_stops_waits_for_its_workers_before_closing_the_cache(
    tmp_path: Path, fake_openai, capfd: pytest.CaptureFixture[str]
) -> None:
    articles = {"a0": lawsuit_article(0), "a1": lawsuit_article(1)}

    def respond(request) -> Reply:
        if articles["a0"] in request.text:
            return Reply(status=401, body={"error": {"message": "bad key"}})
        reply = completion(request, grounded_answer("parties", articles["a1"]))
        reply.delay_s = 1.5  # still in flight when a0 stops the run
        return reply

    server = fake_openai(respond)
    settings = BackendSettings(base_url=server.base_url, model="fake-model", api_key=CANARY_API_KEY)
    cache = tmp_path / "cache.sqlite"
    corpus = load_corpus(make_corpus(tmp_path / "corpus", articles))
    with pytest.raises(BackendError, match="rejected the API key"):
        extract_corpus(corpus, tmp_path / "p.jsonl", settings=settings, cache_path=cache, concurrency=2)
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 1, "a1's finished call was not kept"
    assert "damaged" not in capfd.readouterr().err


def test_a_replay_from_the_cache_starts_no_server(tmp_path: Path, dying_server: list[list[str]]) -> None:
    first, lines = _extract(tmp_path, {"a0": lawsuit_article(0)})
    assert first.exit_code == 0 and len(dying_server) == 1, first.output
    (tmp_path / "predictions.jsonl").unlink()
    replay, replayed = _extract(tmp_path, {"a0": lawsuit_article(0)})
    assert replay.exit_code == 0 and len(dying_server) == 1, "the replay started a server"
    assert replayed["a0"]["parties"] == lines["a0"]["parties"]
