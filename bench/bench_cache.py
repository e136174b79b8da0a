"""A finished run replayed from its response cache: every call a hit, no server, predictions rewritten.

The five corpus articles replay the cache the embedded benchmark left behind (a real run of the real model);
the 1,000 synthetic articles replay a cache filled beforehand from the fake server. The replay points at a port
nothing listens on, so a single cache miss would fail the run instead of quietly calling a model.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from allegations.core.corpus import load_corpus
from allegations.core.errors import AllegationsError
from allegations.core.paths import DEFAULT_CORPUS
from allegations.schemas import Article
from bench.bench_extract import CORPUS_CACHE
from bench.fake_openai import fake_openai_server
from bench.figures import figure
from bench.pipeline import (
    UNREACHABLE_URL,
    embedded_equivalent_settings,
    fake_server_settings,
    require,
    timed_extract,
    write_fake_answers,
)
from bench.runner import ROOT
from bench.synthetic import synthetic_articles

TARGET_CORPUS_S = 1.0
TARGET_SYNTHETIC_S = 5.0
CPU_NOTE = "process CPU time: what the wall time would be on an idle core"


def _replays(
    articles: list[Article], folder: Path, settings: Any, cache: Path, repeat: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `repeat` replays, each checked to have answered every call from the cache."""
    wall, cpu = [], []
    for _ in range(repeat):
        run_ = timed_extract(articles, folder, settings, cache)
        s = run_.summary
        require(s.calls > 0 and s.from_cache == s.calls, "the replay missed the cache", summary=s.describe())
        wall.append(run_.seconds)
        cpu.append(run_.cpu_seconds)
    return wall, cpu


def run(*, quick: bool = False, repeat: int = 5) -> dict[str, Any]:
    """Replay the corpus cache (when the embedded benchmark left one) and a filled synthetic cache."""
    count = 20 if quick else 1000
    figures: dict[str, Any] = {}
    info: dict[str, Any] = {"synthetic_articles": count}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        folder = Path(tmp)
        if CORPUS_CACHE.is_file():
            cache = folder / "corpus.sqlite"
            shutil.copyfile(CORPUS_CACHE, cache)  # replays never write, but keep the original untouched anyway
            articles = load_corpus(ROOT / DEFAULT_CORPUS)
            try:
                wall, cpu = _replays(articles, folder, embedded_equivalent_settings(UNREACHABLE_URL), cache, repeat)
            except AllegationsError as exc:  # a miss reached for the (unreachable) server
                note = f"not measured: the cache missed ({exc}); re-run the extract_embedded bench first"
                figures["replay of the 5 corpus articles"] = figure([], "s", target=("<", TARGET_CORPUS_S), note=note)
            else:
                figures["replay of the 5 corpus articles"] = figure(wall, "s", target=("<", TARGET_CORPUS_S))
                figures["replay of the 5 corpus articles, CPU"] = figure(cpu, "s", note=CPU_NOTE)
        else:
            info["corpus_replay"] = f"skipped: no {CORPUS_CACHE.relative_to(ROOT)}; run the extract_embedded bench"
        articles = synthetic_articles(count)
        cache = folder / "synthetic.sqlite"
        with fake_openai_server(delay_s=0.0, answers_path=write_fake_answers(folder)) as base_url:
            fill = timed_extract(articles, folder, fake_server_settings(base_url), cache, concurrency=8)
        require(fill.summary.succeeded == count, "filling the synthetic cache failed", summary=fill.summary.describe())
        info["fill_s"] = fill.seconds
        wall, cpu = _replays(articles, folder, fake_server_settings(UNREACHABLE_URL), cache, repeat)
        figures[f"replay of {count:,} synthetic articles"] = figure(wall, "s", target=("<", TARGET_SYNTHETIC_S))
        figures[f"replay of {count:,} synthetic articles, CPU"] = figure(cpu, "s", note=CPU_NOTE)
    return {"figures": figures, "info": info}
