"""The response cache: keyed by everything that decides an answer; WAL; only completed calls are stored."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from llm_fakes import PARTIES, FakeBackend, QueuedCompletions, article, mock_settings

from allegations.extract.cache import ResponseCache, cache_key
from allegations.extract.chunking import Chunk
from allegations.extract.errors import ExtractError
from allegations.extract.passes import PassFailed, run_pass
from allegations.extract.responses import VALIDATOR_RULES_VERSION

ROOT = Path(__file__).resolve().parent.parent
RULES_LINE = f"VALIDATOR_RULES_VERSION = {VALIDATOR_RULES_VERSION}"

BASE = {
    "model": "m",
    "mode": "tools",
    "messages": [{"role": "user", "content": "hi"}],
    "schema": {},
    "decoding": {},
    "rules_version": 1,
    "weights": "a" * 64,
}


@pytest.mark.parametrize(
    "change",
    [
        {"model": "other"},
        {"mode": "json"},
        {"messages": [{"role": "user", "content": "hi!"}]},
        {"schema": {"type": "object"}},
        {"decoding": {"temperature": 0.5}},
        {"rules_version": 2},
        {"weights": "b" * 64},
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
        assert again.items == first.items and again.cost == first.cost

        class Failing(QueuedCompletions):
            def create_with_completion(self, **kwargs):  # type: ignore[override]
                raise PassFailed("boom")

        before = len(cache)
        with pytest.raises(PassFailed):
            run_pass(FakeBackend(Failing({}), settings), settings, cache, "allegations", chunk, ["Harbor Mills Ltd."])
        assert len(cache) == before


def test_other_weights_under_the_same_model_name_miss_the_cache(tmp_path: Path) -> None:
    settings = mock_settings().model_copy(update={"model_sha256": "a" * 64})
    requantized = settings.model_copy(update={"model_sha256": "b" * 64})
    text = article().text
    chunk = Chunk(0, len(text), text)
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        fake = QueuedCompletions({"Parties": [PARTIES, PARTIES]})
        run_pass(FakeBackend(fake, settings), settings, cache, "parties", chunk, [])
        other = run_pass(FakeBackend(fake, requantized), requantized, cache, "parties", chunk, [])
        assert not other.from_cache and len(fake.calls) == 2


PROBE = """
import sys
from pathlib import Path

import allegations
from llm_fakes import PARTIES, FakeBackend, QueuedCompletions, article, mock_settings

from allegations.extract.cache import ResponseCache
from allegations.extract.chunking import Chunk
from allegations.extract.passes import run_pass

assert allegations.__file__.startswith(sys.argv[2]), allegations.__file__
settings, text = mock_settings(), article().text
with ResponseCache(Path(sys.argv[1])) as cache:
    outcome = run_pass(
        FakeBackend(QueuedCompletions({"Parties": [PARTIES]}), settings), settings, cache, "parties",
        Chunk(0, len(text), text), [],
    )
print("cached" if outcome.from_cache else "asked")
"""


def _pass_in_copy(tmp_path: Path, name: str, cache: Path, edit: Callable[[str], str]) -> str:
    """Run one pass in a subprocess against a copy of the package whose responses.py went through `edit`."""
    root = tmp_path / name
    shutil.copytree(ROOT / "allegations", root / "allegations", ignore=shutil.ignore_patterns("__pycache__"))
    source = root / "allegations" / "extract" / "responses.py"
    source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    # The copy comes first, so its `allegations` shadows the project's; the project root still provides `bench`.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(ROOT / "tests"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(cache), str(root)], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_comment_edit_keeps_the_cache_and_a_rules_version_change_does_not(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    bumped = f"VALIDATOR_RULES_VERSION = {VALIDATOR_RULES_VERSION + 1}"
    assert _pass_in_copy(tmp_path, "first", cache, lambda s: s) == "asked"
    assert _pass_in_copy(tmp_path, "comment", cache, lambda s: s + "\n# A comment changes no rule.\n") == "cached"
    assert RULES_LINE in (ROOT / "allegations" / "extract" / "responses.py").read_text(encoding="utf-8")
    assert _pass_in_copy(tmp_path, "rules", cache, lambda s: s.replace(RULES_LINE, bumped)) == "asked"
