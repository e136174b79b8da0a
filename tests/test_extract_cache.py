"""The response cache: keyed by everything that decides an answer; WAL; only completed calls are stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from llm_fakes import PARTIES, FakeBackend, QueuedCompletions, article, mock_settings

from allegations.extract.cache import ResponseCache, cache_key
from allegations.extract.chunking import Chunk
from allegations.extract.errors import ExtractError
from allegations.extract.passes import PassFailed, run_pass

BASE = {"model": "m", "mode": "tools", "messages": [{"role": "user", "content": "hi"}], "schema": {}, "decoding": {}}


@pytest.mark.parametrize(
    "change",
    [
        {"model": "other"},
        {"mode": "json"},
        {"messages": [{"role": "user", "content": "hi!"}]},
        {"schema": {"type": "object"}},
        {"decoding": {"temperature": 0.5}},
    ],
)
def test_the_key_changes_with_each_input(change: dict) -> None:
    assert cache_key(**BASE) != cache_key(**{**BASE, **change})
    assert cache_key(**BASE) == cache_key(**dict(BASE))


def test_values_survive_reopening_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.sqlite"
    with ResponseCache(path) as cache:
        assert cache.get("k") is None
        cache.put("k", {"items": [1, "é"]})
    with ResponseCache(path) as cache:
        assert cache.get("k") == {"items": [1, "é"]} and len(cache) == 1
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unusable_cache_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExtractError, match="cannot open the response cache"):
        ResponseCache(blocker / "cache.sqlite")


def test_a_hit_skips_the_model_and_a_failed_call_is_not_stored(tmp_path: Path) -> None:
    settings = mock_settings()
    text = article().text
    chunk = Chunk(0, len(text), text)
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        fake = QueuedCompletions({"Parties": [PARTIES]})
        first = run_pass(FakeBackend(fake, settings), settings, cache, "parties", chunk, [])
        again = run_pass(FakeBackend(fake, settings), settings, cache, "parties", chunk, [])
        assert len(fake.calls) == 1 and not first.from_cache and again.from_cache
        assert again.items == first.items and again.latency_s == first.latency_s

        class Failing(QueuedCompletions):
            def create_with_completion(self, **kwargs):  # type: ignore[override]
                raise PassFailed("boom")

        before = len(cache)
        with pytest.raises(PassFailed):
            run_pass(FakeBackend(Failing({}), settings), settings, cache, "allegations", chunk, ["Harbor Mills Ltd."])
        assert len(cache) == before
