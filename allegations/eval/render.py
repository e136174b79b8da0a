"""Reports for people and machines: the terminal table, the Markdown summary, the JSON file and the leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from allegations.core.files import write_json as write_json_atomic
from allegations.eval.report import EvalReport
from allegations.schemas import RECORD_TYPES

UNDEFINED = "n/a"


def fmt(value: float | None) -> str:
    """A figure to three decimals; `n/a` where it is undefined."""
    return UNDEFINED if value is None else f"{value:.3f}"


def fmt_interval(interval: list[float] | None) -> str:
    return UNDEFINED if interval is None else f"{interval[0]:.2f}–{interval[1]:.2f}"


def fmt_delta(value: float | None, baseline: float | None) -> str:
    return UNDEFINED if value is None or baseline is None else f"{value - baseline:+.3f}"


def summary_rows(report: EvalReport) -> list[list[str]]:
    """One row per record type, then micro and macro over everything."""
    data = report.to_dict()
    rows = []
    for record_type in RECORD_TYPES:
        t = data["by_type"][record_type]
        rows.append(_row(record_type, t, t["ci95"]))
    micro = data["overall"]["micro"]
    rows.append(_row("micro", micro, micro["ci95"]))
    macro = data["overall"]["macro"]
    rows.append([f"macro ({macro['articles']} art.)", "", "", "", *_rates(macro), ""])
    return rows


def _rates(figures: dict[str, Any]) -> list[str]:
    return [fmt(figures["precision"]), fmt(figures["recall"]), fmt(figures["f1"])]


def _row(name: str, figures: dict[str, Any], ci95: dict[str, Any]) -> list[str]:
    counts = [str(figures["gold"]), str(figures["predicted"]), str(figures["matched"])]
    return [name, *counts, *_rates(figures), fmt_interval(ci95["f1"])]


HEADER = ["Record type", "Gold", "Predicted", "Matched", "Precision", "Recall", "F1", "F1 95% CI"]


def summary_line(report: EvalReport) -> str:
    """Omissions, hallucinations, grounding and coverage in one line."""
    data = report.to_dict()
    quotes = data["quotes"]
    excluded = data["excluded"]
    return (
        f"{data['articles_scored']} articles scored · {data['omissions']} omissions · "
        f"{data['hallucinations']} hallucinations · grounding rate {fmt(data['grounding_rate'])} "
        f"({quotes['grounded']} of {quotes['predicted']} predicted quotes) · "
        f"{len(data['failures'])} failed · {excluded['gold_without_prediction']['count']} gold without prediction · "
        f"{excluded['predicted_without_gold']['count']} predicted without gold (not scored)"
    )


def render_markdown(report: EvalReport) -> str:
    """The summary table and notes as Markdown, for a dataset card."""
    data = report.to_dict()
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(report)]
    lines += ["", summary_line(report) + ".", ""]
    lines += [f"- {note}" for note in data["notes"]]
    if data["predictions_sha256"]:
        lines.append(f"- predictions sha256 `{data['predictions_sha256']}`, gold sha256 `{data['gold_sha256']}`.")
    return "\n".join(lines) + "\n"


def print_report(report: EvalReport, console: Console | None = None) -> None:
    """A compact table on the terminal."""
    console = console or Console()
    title = report.predictions_name or "predictions"
    table = Table(title=f"{title} against gold", title_justify="left")
    for i, name in enumerate(["type", "gold", "pred", "matched", "P", "R", "F1", "F1 95% CI"]):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in summary_rows(report):
        table.add_row(*row)
    console.print(table)
    console.print(summary_line(report), highlight=False)
    if any(a.status == "failed" for a in report.articles):
        for article in report.articles:
            if article.status == "failed":
                console.print(f"failed: {article.article_id}: {article.error}", highlight=False)


def leaderboard(reports: Sequence[EvalReport]) -> list[dict[str, Any]]:
    """One entry per run with micro P/R/F1, F1 per record type and the F1 deltas against the first run."""
    base = reports[0].to_dict() if reports else None
    board = []
    for report in reports:
        data = report.to_dict()
        micro = data["overall"]["micro"]
        entry: dict[str, Any] = {
            "predictions": data["predictions"],
            "predictions_sha256": data["predictions_sha256"],
            "precision": micro["precision"],
            "recall": micro["recall"],
            "f1": micro["f1"],
            "f1_by_type": {t: data["by_type"][t]["f1"] for t in RECORD_TYPES},
            "grounding_rate": data["grounding_rate"],
        }
        assert base is not None
        base_f1 = base["overall"]["micro"]["f1"]
        entry["delta_f1"] = None if micro["f1"] is None or base_f1 is None else micro["f1"] - base_f1
        entry["delta_f1_by_type"] = {
            t: None
            if data["by_type"][t]["f1"] is None or base["by_type"][t]["f1"] is None
            else data["by_type"][t]["f1"] - base["by_type"][t]["f1"]
            for t in RECORD_TYPES
        }
        board.append(entry)
    return board


def print_leaderboard(reports: Sequence[EvalReport], console: Console | None = None) -> None:
    """Runs side by side, one column each, every figure followed by its delta against the first run."""
    console = console or Console()
    board = leaderboard(reports)
    table = Table(title="leaderboard (Δ against the first run)", title_justify="left")
    table.add_column("figure")
    for i, entry in enumerate(board):
        table.add_column(f"{i + 1}. {Path(str(entry['predictions'])).name}", justify="right")
    base = board[0]
    figures: list[tuple[str, Any]] = [(name, lambda e, n=name: e[n]) for name in ("precision", "recall", "f1")]
    figures += [(f"F1 {t}", lambda e, t=t: e["f1_by_type"][t]) for t in RECORD_TYPES]
    figures.append(("grounding rate", lambda e: e["grounding_rate"]))
    for label, value_of in figures:
        cells = [fmt(value_of(base))]
        cells += [f"{fmt(value_of(e))} ({fmt_delta(value_of(e), value_of(base))})" for e in board[1:]]
        table.add_row(label, *cells)
    console.print(table)


def write_json(report: EvalReport, path: Path) -> None:
    """The full report as JSON, written atomically."""
    write_json_atomic(Path(path), report.to_dict())


def write_leaderboard_json(reports: Sequence[EvalReport], path: Path) -> None:
    """Several runs: the leaderboard and every full report, written atomically."""
    write_json_atomic(Path(path), {"leaderboard": leaderboard(reports), "reports": [r.to_dict() for r in reports]})
