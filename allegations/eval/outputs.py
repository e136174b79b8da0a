"""What `allegations eval` prints and writes for one or several prediction files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from allegations.eval.harness import GoldSet, PredictionRun, evaluate_run, load_gold_set
from allegations.eval.html import write_html
from allegations.eval.match import STRICT
from allegations.eval.render import print_leaderboard, print_report, write_json, write_leaderboard_json


def run_evaluations(
    predictions: Sequence[Path], gold_dir: Path, corpus_dir: Path
) -> tuple[GoldSet, list[PredictionRun]]:
    """Load corpus and gold once, then score each predictions file against them."""
    gold_set = load_gold_set(gold_dir, corpus_dir)
    return gold_set, [evaluate_run(path, gold_set) for path in predictions]


def html_paths(html: Path, runs: Sequence[PredictionRun]) -> list[Path]:
    """One page for one run; for several, `<stem>-<predictions stem>.html` beside `html`."""
    if len(runs) == 1:
        return [html]
    return [html.with_name(f"{html.stem}-{run.path.stem}{html.suffix or '.html'}") for run in runs]


def report_runs(
    gold_set: GoldSet,
    runs: Sequence[PredictionRun],
    *,
    html: Path | None = None,
    json: Path | None = None,
    console: Console | None = None,
    matching: str = STRICT,
) -> list[Path]:
    """Print each report (and a leaderboard with deltas for several runs); write the JSON and HTML asked for.

    `matching` picks the figures the terminal and the leaderboard compare on; the files always hold both.
    """
    console = console or Console()
    for run in runs:
        print_report(run.report, console, matching)
    if len(runs) > 1:
        print_leaderboard([run.report for run in runs], console, matching)
    written: list[Path] = []
    if json is not None:
        if len(runs) == 1:
            write_json(runs[0].report, json)
        else:
            write_leaderboard_json([run.report for run in runs], json, matching)
        written.append(json)
    if html is not None:
        for run, path in zip(runs, html_paths(html, runs), strict=True):
            write_html(run.report, gold_set.gold, run.predicted, gold_set.articles, path)
            written.append(path)
    for path in written:
        console.print(f"wrote {path}", highlight=False)
    return written
