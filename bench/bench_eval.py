"""Benchmark: score 10,000 synthetic gold/predicted article pairs; print the median time and the peak memory.

Run: `.venv/bin/python bench/bench_eval.py [--pairs N] [--repeats K]`. The articles are invented from templates
(no corpus text); predictions are the gold with records dropped, invented, mislabelled and renamed.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import tracemalloc
from typing import Any

from allegations.eval import evaluate
from allegations.schemas import Article, ArticleExtraction, validate_extraction

FIRMS = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Litware", "Proseware", "Wingtip", "Fourth Coffee"]
SUFFIXES = ["Inc.", "Ltd.", "Corp.", "GmbH", "LLC", "Co., Ltd."]
CATEGORIES = ["trade_secret_misappropriation", "breach_of_contract", "non_payment", "coercion", "misrepresentation"]
TERM_KINDS = ["value_or_price", "payment", "scope_or_deliverables", "exclusivity", "termination"]
RELIEF_KINDS = ["compensatory_damages", "injunction", "fees_and_costs", "declaratory", "unjust_enrichment"]
CLAIMS = [
    "{a} says {b} copied its {thing} after a pilot project",
    "{a} claims {b} refused to pay for the {thing}",
    "{a} alleges {b} pressured its engineers to alter the {thing}",
    "{a} says {b} misled it about the {thing}",
]
THINGS = ["routing software", "billing platform", "sensor design", "supply chain plan", "mapping data", "chip layout"]


def _article(rng: random.Random, index: int) -> tuple[Article, dict[str, Any]]:
    """An invented article and its gold, with every quote taken from the article's own text."""
    names = rng.sample(FIRMS, 3)
    full = [f"{name} {rng.choice(SUFFIXES)}" for name in names]
    sentences = [f"{full[0]} has sued {full[1]} in a district court, and {full[2]} is named as a witness."]
    allegations = []
    for i in range(rng.randint(2, 4)):
        claim = rng.choice(CLAIMS).format(a=names[0], b=names[1], thing=rng.choice(THINGS)) + f" (count {i + 1})"
        sentences.append(claim + ".")
        category = rng.choice(CATEGORIES)
        allegations.append(_record(names[0], names[1], category, claim, "claimant", "accused", "category"))
    terms = []
    for i in range(rng.randint(1, 3)):
        amount = rng.randint(1, 900) * 1000
        sentence = f"The agreement number {i + 1} between them was worth ${amount:,} in {2010 + i}"
        sentences.append(sentence + ".")
        terms.append(
            {
                "parties": [names[0], names[1]],
                "kind": rng.choice(TERM_KINDS),
                "summary": f"An agreement worth {amount} dollars.",
                "amount": {"value": str(amount), "currency": "USD"},
                "date": str(2010 + i),
                "evidence": [{"quote": sentence}],
            }
        )
    relief = []
    for i in range(rng.randint(1, 3)):
        kind = rng.choice(RELIEF_KINDS)
        sentence = f"{names[0]} asks for {kind.replace('_', ' ')} under claim {i + 1}"
        sentences.append(sentence + ".")
        relief.append(_record(names[0], names[1], kind, sentence, "requested_by", "against", "kind"))
    text = " ".join(sentences)
    parties = [
        {
            "name": full[i],
            "aliases": [names[i]],
            "kind": "company",
            "role": ["plaintiff", "defendant", "other"][i],
            "evidence": [{"quote": full[i]}],
        }
        for i in range(3)
    ]
    article_id = f"synthetic_{index:06d}"
    gold = {
        "article_id": article_id,
        "parties": parties,
        "allegations": allegations,
        "contract_terms": terms,
        "relief_sought": relief,
    }
    return Article(id=article_id, title=f"{names[0]} sues {names[1]}", text=text), gold


def _record(claimant: str, accused: str, kind: str, sentence: str, who: str, whom: str, label: str) -> dict[str, Any]:
    return {who: claimant, whom: accused, label: kind, "summary": sentence + ".", "evidence": [{"quote": sentence}]}


def _predict(rng: random.Random, gold: dict[str, Any], text: str) -> dict[str, Any]:
    """The gold, perturbed the way extractors err: dropped, invented, mislabelled, renamed, reworded."""
    predicted = {key: (list(value) if isinstance(value, list) else value) for key, value in gold.items()}
    for record_type in ("allegations", "contract_terms", "relief_sought"):
        records = [dict(r) for r in predicted[record_type] if rng.random() > 0.1]
        for record in records:
            if rng.random() < 0.15:
                label = "category" if record_type == "allegations" else "kind"
                record[label] = "other"
            if rng.random() < 0.3:
                record["summary"] = " ".join(reversed(record["summary"].split()))
        if rng.random() < 0.2:
            records.append(dict(records[0] if records else predicted[record_type][0], summary="Invented claim."))
            records[-1]["evidence"] = [{"quote": text[:20]}]
        predicted[record_type] = records
    parties = [dict(p) for p in predicted["parties"]]
    parties[0]["name"] = parties[0]["name"].upper().replace(".", "")  # another spelling of the same company
    parties[0]["evidence"] = gold["parties"][0]["evidence"]
    predicted["parties"] = parties
    return predicted


def make_pairs(pairs: int, seed: int = 0) -> tuple[dict[str, Any], dict[str, Any], dict[str, Article]]:
    """`pairs` invented articles with validated gold and predicted extractions."""
    rng = random.Random(seed)
    gold: dict[str, ArticleExtraction] = {}
    predicted: dict[str, ArticleExtraction] = {}
    articles: dict[str, Article] = {}
    for index in range(pairs):
        article, gold_raw = _article(rng, index)
        articles[article.id] = article
        gold[article.id] = validate_extraction(gold_raw, article)
        predicted_raw = _predict(rng, gold_raw, article.text)
        predicted_raw["parties"][0]["aliases"] = gold_raw["parties"][0]["aliases"]
        predicted[article.id] = validate_extraction(predicted_raw, article)
    return gold, predicted, articles


def _score(gold: dict[str, Any], predicted: dict[str, Any], articles: dict[str, Article]) -> dict[str, Any]:
    return evaluate(gold, predicted, articles).to_dict()


def run(pairs: int = 10_000, repeats: int = 5, seed: int = 0) -> dict[str, Any]:
    """Time `evaluate(...).to_dict()` over `pairs` article pairs `repeats` times; measure peak memory once."""
    gold, predicted, articles = make_pairs(pairs, seed)
    records = sum(len(getattr(x, t)) for x in (*gold.values(), *predicted.values()) for t in _TYPES)
    times, cpu_times = [], []
    report: dict[str, Any] = {}
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        report = _score(gold, predicted, articles)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    tracemalloc.start()
    _score(gold, predicted, articles)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "benchmark": "eval",
        "pairs": pairs,
        "records": records,
        "repeats": repeats,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "cpu_median_s": statistics.median(cpu_times),
        "peak_traced_mib": peak / 2**20,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "micro_f1": report["overall"]["micro"]["f1"],
    }


_TYPES = ("parties", "allegations", "contract_terms", "relief_sought")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    result = run(args.pairs, args.repeats)
    print(
        f"eval: {result['pairs']} article pairs ({result['records']} records) scored in "
        f"median {result['median_s']:.2f} s (min {result['min_s']:.2f}, max {result['max_s']:.2f}, "
        f"{result['repeats']} runs; CPU median {result['cpu_median_s']:.2f} s); "
        f"peak traced memory {result['peak_traced_mib']:.0f} MiB during one run, "
        f"process max RSS {result['max_rss_mib']:.0f} MiB; micro F1 {result['micro_f1']:.3f}"
    )


if __name__ == "__main__":
    main()
