"""Ablation: each strategy on the seeds and on ../shared/devset, scored per record type by the strict eval.

Strategies: rules; hybrid as shipped for the embedded model (EMBEDDED_MODEL_DECIDES); hybrid with every per-candidate
decision given to the embedded model (keep, category, summary); llm. Model answers come from the shared response
cache (build/bench/decisions-cache.sqlite) when an earlier run asked them; seconds per article are then the model
time recorded in each record's provenance when first asked, never a replay's. The rules' speed is measured apart:
every article extracted in a loop on one core, articles per second.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from allegations.core.records import load_predictions
from allegations.eval.harness import GoldSet, evaluate_run, load_gold_set
from allegations.extract.settings import EMBEDDED_MODEL_DECIDES, BackendSettings
from allegations.schemas import RECORD_TYPES, ArticleExtraction, ExtractionFailure
from bench.bench_decisions import CACHE, corpora
from bench.figures import figure
from bench.pipeline import quiet_progress
from bench.runner import write_partial

# name, strategy, what the model decides (None: the shipped default)
RUNS: list[tuple[str, str, str | None]] = [
    ("rules", "rules", None),
    ("hybrid", "hybrid", None),
    ("hybrid+model", "hybrid", "kept,category,summary"),
    ("llm", "llm", None),
]
RULES_SPEED_S = 3.0  # at least this long in the articles-per-second loop
SKIP_ENV = "ALLEGATIONS_ABLATION_SKIP"  # comma-separated run names to leave out, e.g. llm on a machine too busy


def _extract(gold_set: GoldSet, folder: Path, strategy: str, decides: str | None) -> tuple[Path, float]:
    from allegations.extract.run import extract_corpus

    settings = BackendSettings.from_env({}, model_decides=decides)
    out = folder / f"{strategy}-{decides or 'default'}.jsonl"
    articles = sorted(gold_set.articles.values(), key=lambda a: a.id)
    started = time.perf_counter()
    with quiet_progress():
        extract_corpus(articles, out, settings=settings, cache_path=CACHE, progress=False, strategy=strategy)
    return out, time.perf_counter() - started


def _row(gold_set: GoldSet, out: Path, wall_s: float) -> dict[str, Any]:
    """Strict P/R/F1 per record type and micro, with model seconds and tokens per article from the provenance."""
    report = evaluate_run(out, gold_set).report.to_dict()
    row: dict[str, Any] = {}
    for record_type in [*RECORD_TYPES, "micro"]:
        scores = report["overall"]["micro"] if record_type == "micro" else report["by_type"][record_type]
        row[record_type] = {k: scores.get(k) for k in ("precision", "recall", "f1", "gold", "predicted", "matched")}
    loaded = load_predictions(out, gold_set.articles)
    lines: list[ArticleExtraction | ExtractionFailure] = [*loaded.extractions.values(), *loaded.failures.values()]
    provenance = [x.provenance for x in lines if x.provenance is not None]
    seconds = [p.latency_s for p in provenance]
    tokens = [p.prompt_tokens + p.completion_tokens for p in provenance]
    row["articles"] = len(provenance)
    row["failed"] = len(loaded.failures)
    row["model_seconds_per_article_median"] = statistics.median(seconds) if seconds else None
    row["tokens_per_article_mean"] = statistics.fmean(tokens) if tokens else None
    row["wall_s"] = round(wall_s, 3)
    row["grounding_rate"] = report.get("grounding_rate")
    row["matching"] = report.get("matching", "lenient")
    lenient = report.get("lenient", {}).get("overall", {}).get("micro", {})
    row["lenient_micro_f1"] = lenient.get("f1")
    row["model_decisions"] = sum(len(p.decisions) for p in provenance)
    return row


def rules_articles_per_second(gold_sets: list[GoldSet]) -> float:
    """Every article through the rules, over and over on this one thread, for at least RULES_SPEED_S seconds."""
    from allegations.extract.rules import extract_with_rules

    articles = [a for gold_set in gold_sets for a in gold_set.articles.values()]
    extract_with_rules(articles[0])  # loads the pipeline once, as a run does
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < RULES_SPEED_S:
        for article in articles:
            extract_with_rules(article)
        done += len(articles)
    return done / (time.perf_counter() - started)


def run(*, quick: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Every strategy on every corpus; --quick runs rules and the shipped hybrid only."""
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    table: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    gold_sets: list[GoldSet] = []
    runs = RUNS[:2] if quick else RUNS
    skipped = {name.strip() for name in os.environ.get(SKIP_ENV, "").split(",") if name.strip()}
    with tempfile.TemporaryDirectory(prefix="ablation-") as tmp:
        for corpus_name, source in corpora().items():
            if isinstance(source, str):
                table[corpus_name] = {"skipped": source}
                continue
            gold_set = load_gold_set(source[1], source[0])
            gold_sets.append(gold_set)
            table[corpus_name] = {}
            for name, strategy, decides in runs:
                if name in skipped:
                    table[corpus_name][name] = {"skipped": f"left out by {SKIP_ENV}"}
                    continue
                folder = Path(tmp) / corpus_name
                folder.mkdir(exist_ok=True)
                out, wall = _extract(gold_set, folder, strategy, decides)
                table[corpus_name][name] = _row(gold_set, out, wall)
                micro = table[corpus_name][name]["micro"]["f1"]
                figures[f"{corpus_name} {name} micro F1"] = figure([micro or 0.0], "F1")
                write_partial({"figures": figures, "ablation": table})
        speeds = [rules_articles_per_second(gold_sets) for _ in range(max(1, repeat))]
    figures["rules articles per second"] = figure(speeds, "articles/s", note="one thread, seeds and dev set")
    hybrid_seconds = [
        row["model_seconds_per_article_median"]
        for corpus in table.values()
        for name, row in corpus.items()
        if name == "hybrid+model" and row.get("model_seconds_per_article_median") is not None
    ]
    if hybrid_seconds:
        figures["hybrid seconds per article, embedded (median)"] = figure(
            hybrid_seconds, "s", note="model decides kept, category, summary; one sample per corpus"
        )
    return {
        "figures": figures,
        "ablation": table,
        "embedded_model_decides": list(EMBEDDED_MODEL_DECIDES),
        "cpus": os.cpu_count(),
    }
