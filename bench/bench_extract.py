"""Embedded extraction of the corpus articles against the raw llama.cpp rate for the very same requests.

For each article: the pipeline runs it through the embedded server while a loopback proxy records every request;
then llama-cpp-python, loaded in this process with the server's own model settings, answers those recorded
requests directly. Each article gives one paired ratio (pipeline seconds / raw seconds), so machine load shifts
both sides together, and a CPU-seconds ratio (server plus client against raw), which load hardly moves at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from allegations.core.corpus import load_corpus
from allegations.core.paths import DEFAULT_CORPUS
from allegations.extract.models import DEFAULT_CTX, resolve
from allegations.extract.server import embedded_server
from allegations.extract.settings import BackendSettings
from allegations.schemas import Article
from bench.figures import figure
from bench.pipeline import embedded_equivalent_settings, require, timed_extract
from bench.raw_llama import record_requests, replay, smollm2_gguf_path
from bench.runner import ROOT, descendants_cpu_seconds, write_partial

# Where the first complete round leaves its response cache, for the cache replay benchmark.
CORPUS_CACHE = ROOT / "build" / "bench" / "corpus-cache.sqlite"
TARGET_OVERHEAD = 1.10  # the pipeline within 10% of raw
HARD_LIMIT_S = 1500.0  # no new article after this, even in the first round (the runner stops the process at 2100 s)


def server_threads() -> int:
    """The thread count the embedded server uses (extract.server's default), so the raw side gets the same."""
    return max(1, min(4, os.cpu_count() or 1))


def load_raw_llama(settings: BackendSettings, threads: int) -> Any:
    """`llama_cpp.Llama` built exactly as `python -m llama_cpp.server` builds it from the same command line."""
    from llama_cpp.server.model import LlamaProxy
    from llama_cpp.server.settings import ModelSettings

    model_settings = ModelSettings(
        model=str(smollm2_gguf_path()),
        model_alias=settings.model,
        n_ctx=settings.n_ctx or DEFAULT_CTX,
        seed=settings.seed,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    return LlamaProxy.load_llama_from_model_settings(model_settings)


def paired_run(
    article: Article, server_url: str, llama: Any, folder: Path, cache: Path, *, with_raw: bool
) -> dict[str, Any]:
    """One article through the pipeline (its requests recorded on the way), then the same requests raw."""
    server_cpu = descendants_cpu_seconds(os.getpid())
    with record_requests(server_url) as (proxy_url, bodies):
        pipeline = timed_extract([article], folder, embedded_equivalent_settings(proxy_url), cache)
    server_cpu = descendants_cpu_seconds(os.getpid()) - server_cpu
    require(pipeline.summary.from_cache == 0, "the pipeline answered from a cache")
    require(len(bodies) >= pipeline.summary.calls, "requests went unrecorded")
    row: dict[str, Any] = {
        "article_id": article.id,
        "requests": len(bodies),
        "succeeded": pipeline.summary.succeeded,
        "pipeline_s": pipeline.seconds,
        "pipeline_cpu_s": server_cpu + pipeline.cpu_seconds,
        "pipeline_client_cpu_s": pipeline.cpu_seconds,
        "pipeline_tokens": pipeline.tokens,
        "pipeline_completion_tokens": pipeline.summary.cost.completion_tokens,
    }
    if with_raw:
        raw_cpu = time.process_time()
        raw = replay(llama, bodies)
        row.update(
            raw_s=raw.seconds,
            raw_cpu_s=time.process_time() - raw_cpu,
            raw_request_s=raw.per_request_s,
            raw_tokens=raw.cost.prompt_tokens + raw.cost.completion_tokens,
            raw_completion_tokens=raw.cost.completion_tokens,
        )
    return row


def _budget_s(quick: bool) -> float:
    return float(os.environ.get("BENCH_EXTRACT_BUDGET_S", 240 if quick else 900))


def run(*, quick: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Rounds over the corpus (one article when quick), each article paired with the raw rate while time allows.

    The first round always runs the pipeline over every article, so its cache is a finished run for the cache
    replay benchmark; raw replays and further rounds stop once the time budget is spent.
    """
    articles = load_corpus(ROOT / DEFAULT_CORPUS)[: 1 if quick else None]
    budget, threads = _budget_s(quick), server_threads()
    base = resolve(BackendSettings())
    rows: list[dict[str, Any]] = []
    if not quick:
        CORPUS_CACHE.unlink(missing_ok=True)  # only this run's finished cache may be replayed
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        with embedded_server(
            model=base.model, n_ctx=base.n_ctx or DEFAULT_CTX, seed=base.seed, threads=threads
        ) as server_url:
            startup_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            llama = load_raw_llama(base, threads)
            raw_load_s = time.perf_counter() - t0
            for round_ in range(repeat):
                if round_ and time.perf_counter() - started > budget:
                    break
                cache = folder / f"cache-{round_}.sqlite"
                for article in articles:
                    elapsed = time.perf_counter() - started
                    within = elapsed < budget
                    if (round_ and not within) or elapsed > HARD_LIMIT_S:
                        break
                    row = paired_run(article, server_url, llama, folder, cache, with_raw=within)
                    rows.append(row | {"round": round_})
                    info = {"startup_s": startup_s, "raw_model_load_s": raw_load_s, "budget_s": budget}
                    write_partial(summarise_runs(rows, len(articles), info))
                if round_ == 0 and not quick and len(rows) == len(articles):
                    CORPUS_CACHE.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(cache, CORPUS_CACHE)
    paired = [r for r in rows if "raw_s" in r]
    require(bool(paired), f"no raw replay fitted in the {budget:.0f} s budget")
    return summarise_runs(
        rows, len(articles), {"startup_s": startup_s, "raw_model_load_s": raw_load_s, "budget_s": budget}
    )


def summarise_runs(rows: list[dict[str, Any]], articles: int, info: dict[str, Any]) -> dict[str, Any]:
    """Figures from the article runs so far (also written after each article, in case the run is stopped)."""
    paired = [r for r in rows if "raw_s" in r]
    note = f"{len(rows)} article runs over {articles} articles; {len(paired)} paired with a raw replay"
    return {
        "figures": {
            "pipeline seconds/article": figure([r["pipeline_s"] for r in rows], "s", note=note),
            "raw seconds/article": figure(
                [r["raw_s"] for r in paired], "s", note="the same requests, llama-cpp-python called directly"
            ),
            "pipeline tokens/s": figure([r["pipeline_tokens"] / r["pipeline_s"] for r in rows], "tok/s"),
            "raw tokens/s": figure([r["raw_tokens"] / r["raw_s"] for r in paired], "tok/s"),
            "pipeline/raw time": figure(
                [r["pipeline_s"] / r["raw_s"] for r in paired], "x", target=("<=", TARGET_OVERHEAD), note="per article"
            ),
            "pipeline/raw CPU": figure(
                [r["pipeline_cpu_s"] / r["raw_cpu_s"] for r in paired],
                "x",
                note="server + client CPU seconds against raw CPU seconds: steadier than wall time on a busy machine",
            ),
            "pipeline client CPU/article": figure(
                [r["pipeline_client_cpu_s"] for r in rows], "s", note="our Python side: openai, instructor, checks"
            ),
            "embedded server start-up": figure([info["startup_s"]], "s", note="once per run; not in seconds/article"),
        },
        "info": {"articles": articles, "threads": server_threads(), **info, "runs": rows},
    }
