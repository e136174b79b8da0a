"""Adapters for benchmark functions whose results come in another shape than `{"figures": ..., "info": ...}`."""

from __future__ import annotations

from typing import Any


def run_eval(*, quick: bool = False, repeat: int = 5) -> dict[str, Any]:
    """`bench.bench_eval.run` (10,000 pairs; 500 when quick), its median, min and max kept as it measured them."""
    from bench import bench_eval

    pairs = 500 if quick else 10_000
    result = bench_eval.run(pairs, repeat)
    if "figures" in result:
        return result
    info = {k: v for k, v in result.items() if k not in ("median_s", "min_s", "max_s", "cpu_median_s")}
    figures = {
        f"score {pairs:,} pairs": {
            "unit": "s",
            "median": result["median_s"],
            "min": result["min_s"],
            "max": result["max_s"],
            "note": f"median of {result.get('repeats', repeat)} runs as bench_eval measured them",
        },
    }
    if "cpu_median_s" in result:
        figures[f"score {pairs:,} pairs, CPU"] = {
            "unit": "s",
            "median": result["cpu_median_s"],
            "min": None,
            "max": None,
            "note": "process CPU time, median only",
        }
    return {"figures": figures, "info": info}
