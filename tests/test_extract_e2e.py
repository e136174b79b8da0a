"""Level 3: the real embedded llama.cpp server on one short invented article, then a replay from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import extract.run
from allegations.records import load_predictions
from extract.run import extract_corpus
from extract.settings import BackendSettings
from schemas import Article

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

    assert summary.articles == 1 and summary.from_cache == 0 and summary.calls >= 1
    assert summary.prompt_tokens > 0 and summary.completion_tokens > 0
    loaded = load_predictions(out, {SHORT_ARTICLE.id: SHORT_ARTICLE})
    assert loaded.problems == []  # every kept record is grounded in the article and links to a party
    line = loaded.extractions.get(SHORT_ARTICLE.id) or loaded.failures[SHORT_ARTICLE.id]
    assert line.provenance is not None
    assert (line.provenance.backend, line.provenance.mode) == ("embedded", "tools")
    assert line.provenance.model == settings.model and line.provenance.prompt_tokens == summary.prompt_tokens
    first = out.read_bytes()

    def no_server(**_: object) -> None:
        raise AssertionError("a replay must not start the server")

    monkeypatch.setattr(extract.run, "embedded_server", no_server)
    out.unlink()
    replay = extract_corpus([SHORT_ARTICLE], out, settings=settings, cache_path=cache, progress=False)
    assert out.read_bytes() == first
    assert replay.from_cache == replay.calls == summary.calls
