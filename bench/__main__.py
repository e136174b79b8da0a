"""`python -m bench`: run the benchmarks, print a table, write `bench/results.json` atomically."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from allegations.core.files import write_json
from bench.figures import format_number, format_target, summarise
from bench.runner import ROOT, Benchmark, run_in_subprocess

BENCHMARKS = [
    Benchmark(
        "extract_embedded",
        "bench.bench_extract:run",
        "the five corpus articles through the embedded llama.cpp server, paired with raw llama-cpp-python",
        default_repeat=1,
        timeout_s=2100.0,
        quick_timeout_s=600.0,
    ),
    Benchmark(
        "prompt_cache",
        "bench.bench_prompt_cache:run",
        "prompt tokens the embedded server evaluates per article: article-last against article-first prompts",
        default_repeat=1,
        timeout_s=3600.0,
        quick_timeout_s=900.0,
        targets={"evaluated prompt tokens saved": (">=", 0.30)},
    ),
    Benchmark(
        "extract_concurrency",
        "bench.bench_concurrency:run",
        "200 synthetic articles at concurrency 1/4/16/64 against a fake server answering after 300 ms",
        default_repeat=3,
        timeout_s=1500.0,
    ),
    Benchmark(
        "cache_replay",
        "bench.bench_cache:run",
        "a finished run replayed from its cache: the five corpus articles and 1,000 synthetic ones",
        default_repeat=5,
    ),
    Benchmark(
        "eval",
        "bench.external:run_eval",
        "10,000 synthetic gold/predicted article pairs scored",
        default_repeat=5,
        targets={"score 10,000 pairs": ("<", 10.0)},
    ),
    Benchmark(
        "publish",
        "bench.bench_publish:run",
        "the dataset folder built for 10,000 synthetic extractions",
        default_repeat=5,
        targets={"build of 10,000 extractions": ("<", 30.0)},
    ),
]
BENCHMARKS += [
    Benchmark(
        "hybrid_decisions",
        "bench.bench_decisions:run",
        "the embedded model's keep, category and summary decisions on the rules' candidates, against the gold and "
        "the rules (seeds and ../shared/devset)",
        default_repeat=1,
        timeout_s=3600.0,
        quick_timeout_s=900.0,
    ),
    Benchmark(
        "ablation",
        "bench.bench_ablation:run",
        "strategy x record type: precision, recall, F1, seconds and tokens per article (seeds and ../shared/devset)",
        default_repeat=1,
        timeout_s=5400.0,
        quick_timeout_s=900.0,
        targets={
            "rules articles per second": (">=", 100.0),
            "hybrid seconds per article, embedded (median)": ("<=", 15.0),
        },
    ),
]
BY_NAME = {b.name: b for b in BENCHMARKS}
DEFAULT_OUT = ROOT / "bench" / "results.json"


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return out.stdout.strip() + ("-dirty" if dirty else "")


def _previous(path: Path) -> dict[str, Any]:
    """The benchmarks an earlier results file holds, kept when only some benchmarks run now."""
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    benchmarks = previous.get("benchmarks") if isinstance(previous, dict) else None
    if not isinstance(benchmarks, dict):
        return {}
    made_by = {key: previous.get(key) for key in ("command", "started", "git_commit")}
    return {name: made_by | result for name, result in benchmarks.items() if isinstance(result, dict)}


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pythonpath": os.environ.get("PYTHONPATH"),  # anything imported from outside this checkout shows here
    }


def run_benchmarks(names: list[str], *, quick: bool, repeat: int | None) -> dict[str, Any]:
    """Run each named benchmark in its own process and summarise its figures."""
    results: dict[str, Any] = {}
    for name in names:
        bench = BY_NAME[name]
        if importlib.util.find_spec(bench.module) is None:
            results[name] = {"status": "missing", "reason": f"{bench.module} is not there yet", "figures": {}}
            continue
        print(f"[bench] {name}: {bench.description}", file=sys.stderr, flush=True)
        result = run_in_subprocess(bench, quick=quick, repeat=repeat or (1 if quick else bench.default_repeat))
        figures = result.get("figures", {})
        for key, (op, value) in bench.targets.items():
            if key in figures and "target" not in figures[key]:
                figures[key]["target"] = {"op": op, "value": value}
        # Quick runs use tiny sizes: targets are shown, not judged.
        result["figures"] = {key: summarise(fig, judge=not quick) for key, fig in figures.items()}
        result["description"] = bench.description
        results[name] = result
        print(f"[bench] {name}: {result['status']} in {result['wall_s']:.1f} s", file=sys.stderr, flush=True)
    return results


def render_table(results: dict[str, Any]) -> str:
    """One row per figure: median, min–max, target and whether the median meets it; then peak memory."""
    header = ("benchmark", "figure", "median", "min–max", "unit", "target", "met")
    rows: list[tuple[str, ...]] = []
    for name, result in results.items():
        if result.get("status") != "ok":
            rows.append((name, f"{result.get('status')}: {result.get('reason', '')}", "", "", "", "", ""))
            if not result.get("figures"):
                continue
        for key, fig in result["figures"].items():
            met = {True: "yes", False: "NO", None: ""}[fig.get("met")]
            spread = f"{format_number(fig['min'])}–{format_number(fig['max'])}"
            target = format_target(fig.get("target"), fig["unit"])
            rows.append((name, key, format_number(fig["median"]), spread, fig["unit"], target, met))
        memory = format_number(result.get("peak_rss_mb"))
        children = result.get("peak_children_rss_mb") or 0
        tree = format_number(result.get("peak_tree_rss_mb"))
        memory_note = f"{memory} (children {format_number(children)}, tree {tree})"
        rows.append((name, "peak resident memory", memory_note, "", "MB", "", ""))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks (all by default) and report them."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BY_NAME)}")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: checks that everything runs")
    parser.add_argument("--repeat", type=int, help="measurements per figure (default: each benchmark's own)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the results JSON")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for bench in BENCHMARKS:
            print(f"{bench.name:22} {bench.description}")
        return 0
    unknown = [n for n in args.names if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BY_NAME)}")
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    names = args.names or list(BY_NAME)
    started = dt.datetime.now(dt.UTC)
    machine = _machine()
    results = run_benchmarks(names, quick=args.quick, repeat=args.repeat)
    machine["load_average_after"] = list(os.getloadavg())
    report = {
        "command": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "git_commit": _git_commit(),
        "machine": machine,
        "benchmarks": results,
    }
    for result in results.values():  # each benchmark says which run made it, as a partial run keeps the others
        result.update(command=report["command"], started=report["started"], git_commit=report["git_commit"])
    previous = _previous(args.out) if args.names else {}
    report["benchmarks"] = previous | results
    write_json(args.out, report)
    print(render_table(results))
    print(f"\nwritten: {args.out}")
    failed = [n for n, r in results.items() if r.get("status") in ("failed", "timeout")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
