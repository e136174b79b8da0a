"""Reports for people and machines: the terminal table, the Markdown summary, the JSON file and the leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table

from allegations.core.files import write_json as write_json_atomic
from allegations.eval.diagnostics import NONE
from allegations.eval.floors import FLOORS, MOST_FREQUENT_LABEL, RANDOM_LABEL
from allegations.eval.match import LENIENT, STRICT
from allegations.schemas import RECORD_TYPES
from allegations.schemas.report import CountedRates, Intervals, MatchingScores, Rates, ScoreReport

UNDEFINED = "n/a"


class Scored(Protocol):
    """What rendering reads: an evaluation's typed report (`eval.report.Scored` is one)."""

    def scores(self) -> ScoreReport: ...


def fmt(value: float | None) -> str:
    """A figure to three decimals; `n/a` where it is undefined."""
    return UNDEFINED if value is None else f"{value:.3f}"


def fmt_interval(interval: tuple[float, float] | None) -> str:
    return UNDEFINED if interval is None else f"{interval[0]:.2f}–{interval[1]:.2f}"


def fmt_delta(value: float | None, baseline: float | None) -> str:
    return UNDEFINED if value is None or baseline is None else f"{value - baseline:+.3f}"


MATCHING_NOTE = {
    STRICT: "Strict matching (the headline): a record counts only with its key fields exactly right and, for "
    "allegations, contract terms and relief, its evidence overlapping the gold's. Lenient F1 pairs records by "
    "weighted similarity: a diagnostic that forgives wrong labels.",
    LENIENT: "Lenient matching (a diagnostic): records pair by weighted field similarity, so a wrong category or kind "
    "can still count. The headline is strict matching (Strict F1).",
}


FLOOR_NOTE = (
    "Floors: what a trivial extractor scores with one record per gold-evidence sentence and a uniformly random "
    "label, or the gold's most frequent label, under the same matching."
)


CONFUSION_NOTE = (
    "Per-label confusion over the lenient pairs (a wrong label still pairs, so it shows where the label went): rows "
    "are gold labels, numbered columns the predicted labels in the same order, none an unpaired record."
)


def section(report: Scored, matching: str = STRICT) -> ScoreReport | MatchingScores:
    """The figures of one matching: the report's top level for strict, its `lenient` part for lenient."""
    scores = report.scores()
    return scores if matching == STRICT else scores.lenient


def summary_rows(report: Scored, matching: str = STRICT) -> list[list[str]]:
    """One row per record type, then micro and macro over everything; the other matching's F1 beside."""
    shown, other = section(report, matching), section(report, LENIENT if matching == STRICT else STRICT)
    rows = []
    for record_type in RECORD_TYPES:
        t = shown.by_type[record_type]
        floors = [fmt(shown.floors[f].by_type[record_type].f1) for f in FLOORS if f in shown.floors]
        rows.append(_row(record_type, t, t.ci95, other.by_type[record_type].f1) + floors)
    micro = shown.overall.micro
    floors = [fmt(shown.floors[f].overall.f1) for f in FLOORS if f in shown.floors]
    rows.append(_row("micro", micro, micro.ci95, other.overall.micro.f1) + floors)
    macro = shown.overall.macro
    no_floors = ["" for f in FLOORS if f in shown.floors]
    rows.append([f"macro ({macro.articles})", "", "", "", *_rates(macro), "", fmt(other.overall.macro.f1), *no_floors])
    return rows


def _rates(figures: Rates) -> list[str]:
    return [fmt(figures.precision), fmt(figures.recall), fmt(figures.f1)]


def _row(name: str, figures: CountedRates, ci95: Intervals, other_f1: float | None) -> list[str]:
    counts = [str(figures.gold), str(figures.predicted), str(figures.matched)]
    return [name, *counts, *_rates(figures), fmt_interval(ci95.f1), fmt(other_f1)]


FLOOR_COLUMNS = {RANDOM_LABEL: "Floor F1, random label", MOST_FREQUENT_LABEL: "Floor F1, most frequent label"}


def header(report: Scored, matching: str = STRICT) -> list[str]:
    """Column names of the summary table: the other matching's F1, then the chance floors under this one."""
    other = "Lenient F1" if matching == STRICT else "Strict F1"
    floors = [FLOOR_COLUMNS[f] for f in FLOORS if f in section(report, matching).floors]
    return ["Record type", "Gold", "Predicted", "Matched", "Precision", "Recall", "F1", "F1 95% CI", other, *floors]


def summary_line(report: Scored) -> str:
    """Omissions, hallucinations, grounding and coverage in one line."""
    scores = report.scores()
    quotes, excluded = scores.quotes, scores.excluded
    return (
        f"{scores.articles_scored} articles scored · {scores.omissions} omissions (strict) · "
        f"{scores.hallucinations} hallucinations (strict) · grounding rate {fmt(scores.grounding_rate)} "
        f"({quotes.grounded} of {quotes.predicted} predicted quotes) · "
        f"{len(scores.failures)} failed · {excluded.gold_without_prediction.count} gold without prediction · "
        f"{excluded.predicted_without_gold.count} predicted without gold (not scored)"
    )


def evidence_line(report: Scored) -> str:
    """Character precision and recall of predicted quotes against the gold's, on each matching's pairs."""
    parts = []
    for matching in (STRICT, LENIENT):
        figures = section(report, matching).evidence
        parts.append(f"{matching} pairs precision {fmt(figures.precision)}, recall {fmt(figures.recall)}")
    return "Evidence quality, in characters of the quotes: " + "; ".join(parts)


def confusion_tables(report: Scored) -> list[tuple[str, list[str], list[list[str]]]]:
    """Per enum field: a title, the header and the rows of its confusion table (labels numbered to stay compact).

    Rows are gold labels, numbered columns the predicted ones in the same order; the last column is recall, the
    last row precision.
    """
    tables = []
    for record_type, fields in report.scores().confusion.items():
        for name, figures in fields.items():
            labels, matrix, per_label = figures.labels, figures.matrix, figures.per_label
            if len(labels) == 1:
                continue  # nothing on either side
            numbers = [str(i + 1) if label != NONE else NONE for i, label in enumerate(labels)]
            head = ["gold ↓ predicted →", *numbers, "recall"]
            rows = []
            for label, number, cells in zip(labels, numbers, matrix, strict=True):
                recall = fmt(per_label[label].recall) if label != NONE else ""
                title = label if label == NONE else f"{number} {label}"
                rows.append([title, *(str(c) for c in cells), recall])
            precision = [fmt(per_label[label].precision) if label != NONE else "" for label in labels]
            rows.append(["precision", *precision, ""])
            tables.append((f"{record_type}.{name}", head, rows))
    return tables


def render_markdown(report: Scored) -> str:
    """The summary table (strict, with lenient F1 beside) and notes as Markdown, for a dataset card."""
    scores = report.scores()
    columns = header(report)
    lines = [MATCHING_NOTE[STRICT], ""]
    lines += ["| " + " | ".join(columns) + " |", "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(report)]
    lines += ["", FLOOR_NOTE, "", evidence_line(report) + ".", "", CONFUSION_NOTE]
    for title, head, rows in confusion_tables(report):
        lines += ["", f"**{title}**", "", "| " + " | ".join(head) + " |"]
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", summary_line(report) + ".", ""]
    lines += [f"- {note}" for note in scores.notes]
    if scores.predictions_sha256:
        lines.append(f"- predictions sha256 `{scores.predictions_sha256}`, gold sha256 `{scores.gold_sha256}`.")
    return "\n".join(lines) + "\n"


def print_report(report: Scored, console: Console | None = None, matching: str = STRICT) -> None:
    """A compact table on the terminal: the chosen matching's figures, the other's F1 beside."""
    console = console or Console()
    title = report.scores().predictions or "predictions"
    table = Table(title=f"{title} against gold, {matching} matching", title_justify="left")
    for i, name in enumerate(["type", "gold", "pred", "matched", "P", "R", "F1", "F1 95% CI"]):
        table.add_column(name, justify="left" if i == 0 else "right")
    rows = summary_rows(report, matching)
    for row in rows:
        table.add_row(*row[:8])
    console.print(table)
    beside = Table(title=f"F1 beside: the other matching and the chance floors ({matching})", title_justify="left")
    floors = ["random floor" if f == RANDOM_LABEL else "frequent floor" for f in FLOORS if f in section(report).floors]
    for i, name in enumerate(["type", "F1", "lenient F1" if matching == STRICT else "strict F1", *floors]):
        beside.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        beside.add_row(row[0], row[6], *row[8:])
    console.print(beside)
    console.print(MATCHING_NOTE[matching], highlight=False)
    console.print(FLOOR_NOTE, highlight=False)
    console.print(evidence_line(report), highlight=False)
    console.print(summary_line(report), highlight=False)
    for article_id, error in report.scores().failures.items():
        console.print(f"failed: {article_id}: {error}", highlight=False)


def leaderboard(reports: Sequence[Scored], matching: str = STRICT) -> list[dict[str, Any]]:
    """One entry per run with micro P/R/F1, F1 per record type and the F1 deltas against the first run."""
    base = section(reports[0], matching) if reports else None
    board = []
    for report in reports:
        data = section(report, matching)
        micro = data.overall.micro
        entry: dict[str, Any] = {
            "predictions": report.scores().predictions,
            "predictions_sha256": report.scores().predictions_sha256,
            "matching": matching,
            "precision": micro.precision,
            "recall": micro.recall,
            "f1": micro.f1,
            "f1_by_type": {t: data.by_type[t].f1 for t in RECORD_TYPES},
            "grounding_rate": report.scores().grounding_rate,
        }
        assert base is not None
        entry["delta_f1"] = _delta(micro.f1, base.overall.micro.f1)
        entry["delta_f1_by_type"] = {t: _delta(data.by_type[t].f1, base.by_type[t].f1) for t in RECORD_TYPES}
        board.append(entry)
    return board


def _delta(value: float | None, baseline: float | None) -> float | None:
    return None if value is None or baseline is None else value - baseline


def print_leaderboard(reports: Sequence[Scored], console: Console | None = None, matching: str = STRICT) -> None:
    """Runs side by side, one column each, every figure followed by its delta against the first run."""
    console = console or Console()
    board = leaderboard(reports, matching)
    table = Table(title=f"leaderboard, {matching} matching (Δ against the first run)", title_justify="left")
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


def write_json(report: Scored, path: Path) -> None:
    """The full report as JSON, written atomically."""
    write_json_atomic(Path(path), report.scores().model_dump(mode="json"))


def write_leaderboard_json(reports: Sequence[Scored], path: Path, matching: str = STRICT) -> None:
    """Several runs: the leaderboard (on `matching`) and every full report, written atomically."""
    board = leaderboard(reports, matching)
    write_json_atomic(
        Path(path), {"leaderboard": board, "reports": [r.scores().model_dump(mode="json") for r in reports]}
    )
