"""Level 3: the real embedded llama.cpp server on one short invented article, then a replay from the cache."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

import allegations.extract.server
from allegations.core.records import load_predictions
from allegations.extract.run import extract_corpus
from allegations.extract.server import free_port
from allegations.extract.settings import BackendSettings
from allegations.schemas import Article

pytestmark = pytest.mark.e2e

SHORT_ARTICLE = Article(
    id="e2e_short",
    title="Maker sues distributor",
    text=(
        "Granite Peak Tools sued Lowell Supply Co. in a Texas court on Monday. "
        "Granite Peak says Lowell Supply never paid for 5,000 drills delivered in 2022. "
        "Granite Peak asks for $400,000 in damages."
    ),
)


def test_the_embedded_model_extracts_one_article_and_a_replay_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "predictions.jsonl", tmp_path / "cache.sqlite"
    settings = BackendSettings.from_env({})
    summary = extract_corpus([SHORT_ARTICLE], out, settings=settings, cache_path=cache, progress=False)

    loaded = load_predictions(out, {SHORT_ARTICLE.id: SHORT_ARTICLE})
    assert summary.failed == 0 and loaded.failures == {}, loaded.failures  # a failure record is not a pass
    assert summary.articles == summary.succeeded == 1 and summary.from_cache == 0 and summary.calls >= 1
    assert summary.cost.prompt_tokens > 0 and summary.cost.completion_tokens > 0
    assert loaded.problems == []  # every kept record is grounded in the article and links to a party
    line = loaded.extractions[SHORT_ARTICLE.id]
    assert line.parties, "the model found no party in an article that names two"
    assert line.provenance is not None
    assert (line.provenance.backend, line.provenance.mode) == ("embedded", "tools")
    assert line.provenance.model == settings.model and line.provenance.prompt_tokens == summary.cost.prompt_tokens
    first = out.read_bytes()

    def no_server(*_: object) -> None:
        raise AssertionError("a replay must not start the server")

    monkeypatch.setattr(allegations.extract.server.EmbeddedServer, "start", no_server)
    out.unlink()
    replay = extract_corpus([SHORT_ARTICLE], out, settings=settings, cache_path=cache, progress=False)
    assert out.read_bytes() == first
    assert replay.from_cache == replay.calls == summary.calls


def test_serve_answers_on_loopback_and_ctrl_c_stops_the_server() -> None:
    port = free_port()
    command = [sys.executable, "-c", "from allegations.cli import main; main()", "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()  # printed once the server answers
        assert first.startswith(f"serving smollm2-135m-instruct at http://127.0.0.1:{port}/v1"), first
        models = httpx2.get(f"http://127.0.0.1:{port}/v1/models", timeout=10).json()
        assert [m["id"] for m in models["data"]] == ["smollm2-135m-instruct"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"http://127.0.0.1:{port}/v1/models", timeout=2)
