"""Building and writing the dataset folder for 10,000 synthetic extractions (`python -m bench.bench_publish`).

Each repeat is one `build_dataset_folder` call: read and validate the predictions JSONL against the articles,
build the three configs with explicit Features, write the parquet files and the card, swap the folder into place.
Inputs are made beforehand and are not timed. Peak memory is the process's resident high-water mark; the Python
heap peak of one extra, untimed build is measured with tracemalloc (Arrow's buffers are outside it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from allegations.core.corpus import articles_by_id
from allegations.core.records import load_predictions
from allegations.eval import evaluate
from allegations.publish.config import load_dataset_config
from allegations.publish.dataset import build_dataset_folder
from allegations.schemas import Article, ArticleExtraction

ROOT = Path(__file__).resolve().parent.parent
DATASET_YAML = ROOT / "datasets" / "bes_huawei" / "dataset.yaml"
GOLD_SHARE = 10  # one article in ten also has a gold record, as a hand-labeled subset would
_FIRMS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Soylent"]


def _article(index: int, rng: random.Random) -> tuple[Article, dict[str, Any]]:
    """A synthetic article and a grounded extraction of it (no corpus text)."""
    plaintiff, defendant = rng.sample(_FIRMS, 2)
    plaintiff, defendant = f"{plaintiff} Corp. {index}", f"{defendant} Inc. {index}"
    amount = rng.randint(1, 900)
    year = rng.randint(2005, 2024)
    text = (
        f"{plaintiff} sued {defendant} in a federal court on Monday. {plaintiff} says {defendant} copied its "
        f"designs and never paid the ${amount} million owed under a {year} supply deal. "
        f"The complaint also says {defendant} pressured its engineers to hand over source code. "
        f"{plaintiff} asks for twice its losses and an injunction. {defendant} did not comment."
    )
    evidence = lambda quote: [{"quote": quote, "start": text.index(quote), "end": text.index(quote) + len(quote)}]  # noqa: E731
    article_id = f"syn_{index:06d}"
    record = {
        "article_id": article_id,
        "parties": [
            {"name": plaintiff, "kind": "company", "role": "plaintiff", "evidence": evidence(f"{plaintiff} sued")},
            {"name": defendant, "kind": "company", "role": "defendant", "evidence": evidence(f"sued {defendant}")},
        ],
        "allegations": [
            {
                "claimant": plaintiff,
                "accused": defendant,
                "category": category,
                "summary": summary,
                "evidence": evidence(quote),
            }
            for category, summary, quote in [
                ("trade_secret_misappropriation", "The defendant copied designs.", f"{defendant} copied its designs"),
                ("non_payment", "The defendant did not pay.", "never paid"),
                ("coercion", "The defendant pressured engineers.", "pressured its engineers"),
            ]
        ],
        "contract_terms": [
            {
                "parties": [plaintiff, defendant],
                "kind": "payment",
                "summary": "Money owed under a supply deal.",
                "amount": {"value": str(amount * 1_000_000), "currency": "USD"},
                "date": str(year),
                "evidence": evidence(f"${amount} million owed under a {year} supply deal"),
            }
        ],
        "relief_sought": [
            {
                "requested_by": plaintiff,
                "against": defendant,
                "kind": "punitive_or_exemplary_damages",
                "summary": "Twice its losses.",
                "multiplier": "2",
                "evidence": evidence("twice its losses"),
            },
            {
                "requested_by": plaintiff,
                "against": defendant,
                "kind": "injunction",
                "summary": "An injunction.",
                "evidence": evidence("an injunction"),
            },
        ],
        "provenance": {
            "extractor": "allegations-extract 0.1.0",
            "model": "synthetic",
            "backend": "embedded",
            "mode": "tools",
            "prompt_hash": "a" * 64,
            "schema_hash": "b" * 64,
            "prompt_tokens": rng.randint(500, 2000),
            "completion_tokens": rng.randint(100, 600),
            "latency_s": round(rng.uniform(0.5, 9.0), 3),
            "retries": rng.randint(0, 2),
        },
    }
    return Article(id=article_id, title=f"{plaintiff} sues {defendant}", text=text), record


def make_inputs(count: int, folder: Path, seed: int = 0) -> tuple[list[Article], dict[str, ArticleExtraction]]:
    """Write predictions.jsonl and eval.json for `count` synthetic articles; return the articles and gold."""
    rng = random.Random(seed)
    pairs = [_article(i, rng) for i in range(count)]
    articles = [a for a, _ in pairs]
    predictions = folder / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for _, r in pairs), encoding="utf-8")
    loaded = load_predictions(predictions, articles_by_id(articles))
    loaded.raise_for_problems()
    gold = {}
    for article_id, extraction in list(loaded.extractions.items())[::GOLD_SHARE]:
        gold[article_id] = extraction.model_copy(update={"provenance": None})
    # A real eval report of these predictions, as `allegations build` writes it.
    report = evaluate(gold, loaded.extractions, articles_by_id(articles)).scores()
    report = report.model_copy(update={"predictions_sha256": hashlib.sha256(predictions.read_bytes()).hexdigest()})
    (folder / "eval.json").write_text(report.model_dump_json(), encoding="utf-8")
    return articles, gold


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(*, quick: bool = False, repeat: int = 5, count: int | None = None) -> dict[str, Any]:
    """Time `repeat` builds of the dataset folder for `count` synthetic extractions (10,000; 500 when quick)."""
    count = count or (500 if quick else 10_000)
    config = load_dataset_config(DATASET_YAML)
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        articles, gold = make_inputs(count, folder)
        setup_s = time.perf_counter() - started
        rss_before = _rss_mb()

        def build(out: str) -> Path:
            return build_dataset_folder(
                articles,
                gold,
                folder / "predictions.jsonl",
                folder / "eval.json",
                folder / out,
                config=config,
                built_on="2025-01-31",
            )

        seconds = []
        for i in range(repeat):
            started = time.perf_counter()
            out = build(f"dataset-{i}")
            seconds.append(time.perf_counter() - started)
        sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()}
        identical = all(
            (folder / f"dataset-{i}" / name).read_bytes() == (out / name).read_bytes()
            for i in range(repeat)
            for name in sizes
        )
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        build("dataset-traced")
        heap_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {
        "figures": {
            f"build of {count:,} extractions": {"unit": "s", "samples": seconds},
            "build per extraction": {"unit": "ms", "samples": [s / count * 1000 for s in seconds]},
        },
        "info": {
            "extractions": count,
            "gold_records": len(gold),
            "setup_s": round(setup_s, 3),
            "rss_before_first_build_mb": round(rss_before, 1),
            "peak_rss_mb": round(peak_rss, 1),
            "python_heap_peak_of_one_build_mb": round(heap_peak, 1),
            "bytes_written": sizes,
            "builds_byte_identical": identical,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic extractions (default 10,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed builds (default 5)")
    args = parser.parse_args()
    result = run(repeat=args.repeat, count=args.count)
    info = result["info"]
    for name, fig in result["figures"].items():
        samples = fig["samples"]
        print(
            f"{name}: median {statistics.median(samples):.3f} {fig['unit']} "
            f"(min {min(samples):.3f}, max {max(samples):.3f}, {len(samples)} runs)"
        )
    print(
        f"peak RSS {info['peak_rss_mb']:.0f} MB ({info['rss_before_first_build_mb']:.0f} MB before the first build); "
        f"Python heap peak of one build {info['python_heap_peak_of_one_build_mb']:.0f} MB"
    )
    print(f"files: {info['bytes_written']}; builds byte-identical: {info['builds_byte_identical']}")
    print(f"inputs: {info['extractions']:,} extractions, {info['gold_records']:,} gold; setup {info['setup_s']} s")


if __name__ == "__main__":
    main()
