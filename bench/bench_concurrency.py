"""Throughput at concurrency 1, 4, 16 and 64 against a fake remote API that answers after a fixed delay.

The fake server runs in its own process and does no work but sleep, so what is left is our own overhead:
threads, the openai client, instructor, validation, quote alignment, the cache and the JSONL write.
Speed-ups are paired: each repeat measures every level, and divides by that repeat's own N = 1 rate.
"""

from __future__ import annotations

import math
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.fake_openai import fake_openai_server, server_stats
from bench.figures import figure
from bench.pipeline import fake_server_settings, require, timed_extract, write_fake_answers
from bench.synthetic import synthetic_articles

CALLS_PER_ARTICLE = 4  # one pass per record type; synthetic articles fit in one chunk
TARGET_EFFICIENCY = 0.8  # speed-up of at least 0.8 x N ...
TARGET_UP_TO = 16  # ... up to N = 16


def _sizes(quick: bool) -> tuple[int, int, list[int], float]:
    """(articles, articles at N = 1, levels, delay): N = 1 runs a prefix, its rate does not depend on the count."""
    if quick:
        return 12, 4, [1, 4], 0.05
    return 200, 50, [1, 4, 16, 64], 0.3


def ideal_speedup(articles: int, n: int) -> float:
    """What N workers could reach at best: articles go in waves of N, so a part-filled last wave still costs."""
    return articles / math.ceil(articles / n)


def run(*, quick: bool = False, repeat: int = 3) -> dict[str, Any]:
    """Measure articles/s at each concurrency level, `repeat` times."""
    count, serial_count, levels, delay = _sizes(quick)
    articles = synthetic_articles(count)
    rates: dict[int, list[float]] = {n: [] for n in levels}
    held: dict[int, list[int]] = {n: [] for n in levels}
    cpu_ms: dict[int, list[float]] = {n: [] for n in levels}
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as tmp:
        folder = Path(tmp)
        with fake_openai_server(delay_s=delay, answers_path=write_fake_answers(folder)) as base_url:
            settings = fake_server_settings(base_url)
            timed_extract(articles[:2], folder, settings, folder / "warmup.sqlite")  # imports, first connection
            for r in range(repeat):
                for n in levels:
                    batch = articles[:serial_count] if n == 1 else articles
                    before = server_stats(base_url, reset=True)["requests"]
                    run_ = timed_extract(batch, folder, settings, folder / f"cache-{r}-{n}.sqlite", concurrency=n)
                    stats = server_stats(base_url)
                    s = run_.summary
                    require(s.succeeded == len(batch), "some synthetic articles failed", summary=s.describe())
                    require(
                        stats["requests"] - before == s.calls == CALLS_PER_ARTICLE * len(batch),
                        "unexpected number of model calls",
                        summary=s.describe(),
                    )
                    rates[n].append(len(batch) / run_.seconds)
                    cpu_ms[n].append(run_.cpu_seconds / len(batch) * 1000)
                    held[n].append(stats["max_in_flight"])
    figures: dict[str, Any] = {}
    for n in levels:
        note = f"the first {serial_count} of the {count} articles: at N=1 the rate does not depend on the count"
        figures[f"articles/s at N={n}"] = figure(rates[n], "articles/s", note=note if n == 1 else None)
    for n in levels[1:]:
        speedups = [rates[n][i] / rates[1][i] for i in range(repeat)]
        target = (">=", TARGET_EFFICIENCY * n) if n <= TARGET_UP_TO else None
        note = f"ideal {ideal_speedup(count, n):.1f} (waves of {n} over {count} articles)"
        figures[f"speed-up at N={n}"] = figure(speedups, "x", target=target, note=note)
    for n in levels:
        figures[f"client CPU per article at N={n}"] = figure(cpu_ms[n], "ms", note="all threads of this process")
    ceiling = 1000 / statistics.median(cpu_ms[levels[-1]])
    floor = 1 / (CALLS_PER_ARTICLE * delay)
    overhead = [max(0.0, 1 / rate - 1 / floor) * 1000 / CALLS_PER_ARTICLE for rate in rates[1]]
    figures["own overhead per call at N=1"] = figure(overhead, "ms", note=f"beyond the server's {delay * 1000:.0f} ms")
    return {
        "figures": figures,
        "info": {
            "articles": count,
            "articles_at_n1": serial_count,
            "server_delay_s": delay,
            "calls_per_article": CALLS_PER_ARTICLE,
            "most_requests_held_by_the_server": {str(n): max(held[n]) for n in levels},
            "cpu_bound_ceiling_articles_per_s": ceiling,
        },
    }
