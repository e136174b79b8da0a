"""The README's quality tables, generated from bench/results.json: `python -m bench.ablation_table [--write README.md]`.

Without --write the tables are printed; with it they replace what stands between the README's ablation markers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from allegations.core.files import write_atomic
from bench.runner import ROOT

RESULTS = ROOT / "bench" / "results.json"
START, END = "<!-- ablation table: start -->", "<!-- ablation table: end -->"
TYPES = ("parties", "allegations", "contract_terms", "relief_sought")
DECISIONS = ("allegations", "contract_terms", "relief_sought")
CORPORA = ("seeds", "devset")
STRATEGY_ROWS = ("rules", "hybrid", "hybrid+model", "llm")


def _ordered(table: dict[str, Any], order: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The table's entries in the given order, any others after them (results.json sorts its keys)."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(table.items(), key=lambda item: (rank.get(item[0], len(order)), item[0]))


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ablation_table(ablation: dict[str, Any]) -> list[str]:
    """Strategy x record type: F1 per type, micro precision, recall and F1, model seconds and tokens per article."""
    lines = [
        "| Corpus | Strategy | parties F1 | allegations F1 | contract_terms F1 | relief_sought F1 | micro P | micro R "
        "| micro F1 | model s/article (median) | tokens/article |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for corpus, runs in _ordered(ablation, CORPORA):
        if "skipped" in runs:
            lines.append(f"| {corpus} | skipped: {runs['skipped']} |" + " |" * 9)
            continue
        for name, row in _ordered(runs, STRATEGY_ROWS):
            if "skipped" in row:
                lines.append(f"| {corpus} | {name} | skipped: {row['skipped']} |" + " |" * 8)
                continue
            micro = row["micro"]
            cells = [_f(row[t]["f1"]) for t in TYPES]
            cells += [_f(micro["precision"]), _f(micro["recall"]), f"**{_f(micro['f1'])}**"]
            cells += [_f(row["model_seconds_per_article_median"], 1), _f(row["tokens_per_article_mean"], 0)]
            lines.append(f"| {corpus} | {name} | " + " | ".join(cells) + " |")
    return lines


def decisions_table(decisions: dict[str, Any]) -> list[str]:
    """Per corpus and record type: how often the model and the rules decide right on the rules' candidates."""
    lines = [
        "| Corpus | Record type | Candidates (real) | keep: model acc. | keep: rules acc. | label: model acc. "
        "| label: rules acc. | summary: model sim. | summary: rules sim. |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for corpus, by_type in _ordered(decisions, CORPORA):
        if "skipped" in by_type:
            lines.append(f"| {corpus} | skipped: {by_type['skipped']} |" + " |" * 7)
            continue
        for record_type in DECISIONS:
            s = by_type.get(record_type)
            if not isinstance(s, dict):
                continue
            cells = [
                f"{s['candidates']} ({s['real']})",
                _f(s["kept"]["model_accuracy"], 2),
                _f(s["kept"]["rules_accuracy"], 2),
                _f(s["label"]["model_accuracy"], 2),
                _f(s["label"]["rules_accuracy"], 2),
                _f(s["summary"]["model_mean_similarity"], 2),
                _f(s["summary"]["rules_mean_similarity"], 2),
            ]
            lines.append(f"| {corpus} | {record_type} | " + " | ".join(cells) + " |")
    return lines


def render(results: dict[str, Any]) -> str:
    """Both tables with the runs that made them, ready for the README."""
    benchmarks = results.get("benchmarks", {})
    out: list[str] = []
    ablation = benchmarks.get("ablation", {})
    if "ablation" in ablation:
        out += [
            f"Strict matching; `{ablation.get('command')}` at {ablation.get('git_commit')}, {ablation.get('started')}:",
            "",
            *ablation_table(ablation["ablation"]),
            "",
        ]
        speed = ablation.get("figures", {}).get("rules articles per second")
        if speed:
            out += [f"Rules speed: {_f(speed['median'], 1)} articles/s on one thread (target >= 100).", ""]
    decided = benchmarks.get("hybrid_decisions", {})
    if "decisions" in decided:
        out += [
            f"The embedded model's decisions on the rules' candidates; `{decided.get('command')}` at "
            f"{decided.get('git_commit')}:",
            "",
            *decisions_table(decided["decisions"]),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ablation_table", description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--write", type=Path, help="the README whose ablation section to replace")
    args = parser.parse_args(argv)
    tables = render(json.loads(args.results.read_text(encoding="utf-8")))
    if args.write is None:
        print(tables, end="")
        return 0
    text = args.write.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"error: {args.write}: no '{START}' ... '{END}' markers (add them where the tables go)", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    write_atomic(args.write, head + START + "\n" + tables + END + rest.split(END, 1)[1])
    print(f"wrote the tables into {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
