"""Prompt tokens the embedded server really evaluates per article: article-last prompts against article-first ones.

Each layout runs the same corpus articles through its own fresh embedded server (started from the same command
line as `allegations extract`, under `bench.counting_server`), with a fresh response cache. Article-last is the
message order the passes used before: instructions and example first, so every pass re-reads the whole article.
The two runs' records are compared article by article.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from allegations.core.corpus import load_corpus
from allegations.core.paths import DEFAULT_CORPUS
from allegations.extract import passes, prompts
from allegations.extract.models import resolve
from allegations.extract.server import free_port, server_command, stop_process, wait_until_ready
from allegations.extract.settings import BackendSettings
from bench.counting_server import prompt_tokens_evaluated
from bench.figures import figure
from bench.pipeline import embedded_equivalent_settings, require, timed_extract
from bench.runner import ROOT, write_partial

# The article-first run's response cache, left for a build that should give the same predictions.
ARTICLE_FIRST_CACHE = ROOT / "build" / "bench" / "prompt-cache-article-first.sqlite"
TARGET_REDUCTION = 0.30  # at least 30% fewer prompt tokens evaluated per article


def article_last_messages(record_type: str, article_text: str, party_names: list[str]) -> list[dict[str, str]]:
    """The message order before prompt-cache reuse: system rules, the worked example, then the article."""

    def user_message(text: str, names: list[str]) -> str:
        parts = [prompts.INSTRUCTIONS[record_type]]
        if record_type != "parties":
            parts.append("Parties: " + "; ".join(names) + ".")
        parts.append(f"{prompts.ARTICLE_OPEN}\n{text}\n{prompts.ARTICLE_CLOSE}")
        return "\n".join(parts)

    example = json.dumps(prompts.EXAMPLE_ANSWERS[record_type], ensure_ascii=False)
    return [
        {"role": "system", "content": prompts.COMMON},
        {"role": "user", "content": user_message(prompts.EXAMPLE_ARTICLE, prompts.EXAMPLE_PARTY_NAMES)},
        {"role": "assistant", "content": example},
        {"role": "user", "content": user_message(article_text, party_names)},
    ]


LAYOUTS = {"article-last": article_last_messages, "article-first": prompts.build_messages}


@contextlib.contextmanager
def counting_server(settings: BackendSettings, log: Path) -> Iterator[str]:
    """The embedded server's command line, run under the counting wrapper; yields its base URL."""
    assert settings.gguf is not None and settings.n_ctx and settings.n_threads and settings.n_batch
    port = free_port()
    command = server_command(
        settings.gguf,
        port,
        model=settings.model,
        n_ctx=settings.n_ctx,
        seed=settings.seed,
        threads=settings.n_threads,
        batch=settings.n_batch,
    )
    command[1:3] = ["-m", "bench.counting_server"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_ready(url, process, log, 120.0)
        yield url
    finally:
        stop_process(process)


def records_of(predictions: Path) -> dict[str, Any]:
    """Each article's records (or failure), without provenance: what must not change between layouts."""
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {line["article_id"]: {k: v for k, v in line.items() if k != "provenance"} for line in lines}


def run_layout(name: str, articles: list[Any], folder: Path) -> dict[str, Any]:
    """One layout over the articles, one at a time, with its own server and cache."""
    settings = resolve(BackendSettings())
    log = folder / f"server-{name}.log"
    rows = []
    with counting_server(settings, log) as url, mock.patch.object(passes, "build_messages", LAYOUTS[name]):
        run_settings = embedded_equivalent_settings(url)
        for article in articles:
            before = len(prompt_tokens_evaluated(log))
            out = folder / name
            out.mkdir(exist_ok=True)
            run = timed_extract([article], out, run_settings, folder / f"cache-{name}.sqlite")
            require(run.summary.from_cache == 0, "the run answered from a cache")
            evaluated = prompt_tokens_evaluated(log)[before:]
            rows.append(
                {
                    "article_id": article.id,
                    "seconds": run.seconds,
                    "requests": len(evaluated),
                    "prompt_tokens_sent": run.summary.prompt_tokens,
                    "prompt_tokens_evaluated": sum(evaluated),
                    "records": records_of(out / "predictions.jsonl")[article.id],
                }
            )
    return {"layout": name, "rows": rows}


def run(*, quick: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Both layouts over the corpus (one article when quick, or BENCH_PROMPT_ARTICLES of them)."""
    count = 1 if quick else int(os.environ.get("BENCH_PROMPT_ARTICLES", "0")) or None
    articles = load_corpus(ROOT / DEFAULT_CORPUS)[:count]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-prompt-") as tmp:
        for name in LAYOUTS:
            results[name] = run_layout(name, articles, Path(tmp))
            if name == "article-first" and not quick:
                ARTICLE_FIRST_CACHE.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(tmp) / f"cache-{name}.sqlite", ARTICLE_FIRST_CACHE)
            write_partial(summarise(results))
    return summarise(results)


def summarise(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per-article figures for each layout finished so far, and the reduction once both are."""
    figures: dict[str, Any] = {}
    for name, result in results.items():
        rows = result["rows"]
        figures[f"{name}: prompt tokens evaluated/article"] = figure(
            [r["prompt_tokens_evaluated"] for r in rows], "tok", note="tokens the server decoded, cache hits excluded"
        )
        figures[f"{name}: prompt tokens sent/article"] = figure([r["prompt_tokens_sent"] for r in rows], "tok")
        figures[f"{name}: seconds/article"] = figure([r["seconds"] for r in rows], "s")
    info: dict[str, Any] = {name: result["rows"] for name, result in results.items()}
    if len(results) == len(LAYOUTS):
        before, after = (results[name]["rows"] for name in LAYOUTS)
        pairs = list(zip(before, after, strict=True))
        require([r["article_id"] for r in before] == [r["article_id"] for r in after], "the layouts saw other articles")
        figures["evaluated prompt tokens saved"] = figure(
            [
                1 - a["prompt_tokens_evaluated"] / b["prompt_tokens_evaluated"]
                for b, a in zip(before, after, strict=True)
            ],
            "",
            target=(">=", TARGET_REDUCTION),
            note="per article: 1 - article-first / article-last",
        )
        same = [b["article_id"] for b, a in pairs if b["records"] == a["records"]]
        info["identical_articles"] = same
        figures["articles with identical records"] = figure([len(same)], "", note=f"of {len(before)}")
    return {"figures": figures, "info": info}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, default=str))
