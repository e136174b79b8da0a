"""What the extraction benchmarks share: settings for each backend, the fake server's answers, a timed corpus run."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegations.extract.models import resolve
from allegations.extract.run import RunSummary, extract_corpus
from allegations.extract.settings import BackendSettings
from allegations.schemas import KINDS, Article
from bench.fake_openai import MODEL_ID
from bench.synthetic import canned_pass_answers

# A port nothing listens on: a replay that misses the cache fails loudly instead of calling a model.
UNREACHABLE_URL = "http://127.0.0.1:9/v1"


def fake_server_settings(base_url: str) -> BackendSettings:
    """Settings for the fake remote server, as a user of a hosted API would have them."""
    return BackendSettings(base_url=base_url, model=MODEL_ID, api_key="bench-placeholder")


def embedded_equivalent_settings(base_url: str) -> BackendSettings:
    """Settings that call an already running embedded server exactly as an embedded run would.

    Only two behaviours hang on `settings.embedded`: constrained quotes and the chunk size. Both are pinned here
    to their embedded values, so the requests (and cache keys) are those of `allegations extract` with no base URL.
    """
    embedded = resolve(BackendSettings())  # the default model's name, sha256 and server parameters, as a real run
    return embedded.model_copy(
        update={
            "base_url": base_url,
            "constrain_quotes": embedded.quotes_constrained,
            "chunk_chars": embedded.max_chunk_chars,
        }
    )


def write_fake_answers(folder: Path) -> Path:
    """The fake server's answers file: each pass's tool name mapped to its canned arguments."""
    answers = {KINDS[kind].title: value for kind, value in canned_pass_answers().items()}
    path = folder / "fake-answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return path


@contextlib.contextmanager
def quiet_progress() -> Iterator[None]:
    """Send the per-article progress lines to /dev/null: they are still formatted, just not shown."""
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        yield


@dataclass
class TimedRun:
    """One corpus run: wall seconds, this process's CPU seconds (all threads) and the run's own summary."""

    seconds: float
    cpu_seconds: float
    summary: RunSummary

    @property
    def tokens(self) -> int:
        return self.summary.cost.prompt_tokens + self.summary.cost.completion_tokens


def timed_extract(
    articles: list[Article], folder: Path, settings: BackendSettings, cache_path: Path, concurrency: int = 1
) -> TimedRun:
    """Run `extract_corpus` once, quietly, timed from call to return (the JSONL write included).

    CPU seconds are this process's only: a server in another process (fake or embedded) is not in them.
    """
    with quiet_progress():
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = extract_corpus(
            articles,
            folder / "predictions.jsonl",
            settings=settings,
            cache_path=cache_path,
            concurrency=concurrency,
            progress=False,
        )
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return TimedRun(seconds, cpu_seconds, summary)


def require(condition: bool, message: str, **details: Any) -> None:
    """Stop a benchmark whose run did not do what it measures (a figure from a broken run is no figure)."""
    if not condition:
        raise RuntimeError(message + (f": {details}" if details else ""))
