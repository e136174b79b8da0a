"""A self-contained HTML page: every article with gold and predicted evidence highlighted, and per-record diffs.

No external assets and no script: styles are inline in the page, so it opens offline and from any file system.
Gold evidence is underlined, predicted evidence shaded; green is matched, orange a missed gold record, red a
hallucinated prediction.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegations.core.files import write_atomic
from allegations.eval.compare import FIELD_WEIGHTS, evidence_spans
from allegations.eval.match import STRICT, Matching
from allegations.eval.render import (
    CONFUSION_NOTE,
    FLOOR_NOTE,
    MATCHING_NOTE,
    confusion_tables,
    evidence_line,
    fmt,
    header,
    summary_line,
    summary_rows,
)
from allegations.eval.report import EvalReport
from allegations.eval.results import ArticleResult
from allegations.schemas import RECORD_TYPES, Article, ArticleExtraction

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1b1b1b; background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 0 0 6px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; }
th { background: #f3f3f3; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; font-size: 12px; } .legend span { margin-right: 14px; }
section.article { border: 1px solid #bbb; border-radius: 6px; padding: 12px 16px; margin: 18px 0; }
.text { white-space: pre-wrap; background: #fafafa; padding: 10px; border-radius: 4px; line-height: 1.9; }
mark { background: none; color: inherit; padding: 1px 0; }
mark.p-matched { background: #a5d6a7; } mark.p-hallucinated { background: #ef9a9a; }
mark.g-matched { border-bottom: 3px solid #1b5e20; } mark.g-missed { border-bottom: 3px solid #e65100; }
table.records td { vertical-align: top; font-size: 12px; max-width: 340px; }
tr.matched td.status { border-left: 6px solid #2e7d32; } tr.missed td.status { border-left: 6px solid #e65100; }
tr.hallucinated td.status { border-left: 6px solid #c62828; }
tr.missed td { background: #fff3e0; } tr.hallucinated td { background: #ffebee; }
td.ok { background: #f1f8f1; } td.diff { background: #ffcdd2; } del { color: #8a1c1c; } ins { color: #1b5e20; }
td.part { background: #fff8e1; } .status-failed, .status-missing { color: #c62828; font-weight: 600; }
"""

STATUS_LABEL = {"matched": "matched", "missed": "missed", "hallucinated": "hallucinated"}


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    css: str
    label: str


def write_html(
    report: EvalReport,
    gold: Mapping[str, ArticleExtraction],
    predicted: Mapping[str, ArticleExtraction],
    articles: Mapping[str, Article],
    path: Path,
) -> None:
    """Write the report page atomically."""
    write_atomic(Path(path), render_html(report, gold, predicted, articles))


def render_html(
    report: EvalReport,
    gold: Mapping[str, ArticleExtraction],
    predicted: Mapping[str, ArticleExtraction],
    articles: Mapping[str, Article],
) -> str:
    """The report page as one HTML string."""
    title = f"Evaluation of {report.predictions_name or 'predictions'}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        _meta(report),
        _summary_table(report),
        f"<p>{_e(summary_line(report))}</p>",
        f"<p>{_e(evidence_line(report))}.</p>",
        _confusion(report),
        _legend(),
        _toc(report),
    ]
    for result in report.articles:
        empty = ArticleExtraction(article_id=result.article_id)
        parts.append(
            _article_section(
                result,
                gold[result.article_id],
                predicted.get(result.article_id, empty),
                articles[result.article_id],
            )
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _meta(report: EvalReport) -> str:
    scores = report.scores()
    rows = [
        f"predictions sha256 {scores.predictions_sha256 or 'n/a (in memory)'}",
        f"gold sha256 {scores.gold_sha256}",
    ]
    notes = "".join(f"<li>{_e(n)}</li>" for n in scores.notes)
    return f'<p class="meta">{"<br>".join(_e(r) for r in rows)}</p><ul class="meta">{notes}</ul>'


def _summary_table(report: EvalReport) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header(report))
    body = "".join(
        "<tr>" + "".join(f"<td{'' if i == 0 else ' class=num'}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in summary_rows(report)
    )
    notes = f"<p>{_e(MATCHING_NOTE[STRICT])}</p><p>{_e(FLOOR_NOTE)}</p>"
    return f"{notes}<table><tr>{head}</tr>{body}</table>"


def _confusion(report: EvalReport) -> str:
    parts = [f"<details><summary>Per-label confusion</summary><p>{_e(CONFUSION_NOTE)}</p>"]
    for title, head, rows in confusion_tables(report):
        cells = "".join(f"<th>{_e(h)}</th>" for h in head)
        body = "".join(
            "<tr>" + "".join(f"<td{'' if i == 0 else ' class=num'}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>"
            for row in rows
        )
        parts.append(f"<h3>{_e(title)}</h3><table><tr>{cells}</tr>{body}</table>")
    return "".join(parts) + "</details>"


def _legend() -> str:
    return (
        '<p class="legend">'
        '<span><mark class="g-matched">gold, matched</mark></span>'
        '<span><mark class="g-missed">gold, missed</mark></span>'
        '<span><mark class="p-matched">predicted, matched</mark></span>'
        '<span><mark class="p-hallucinated">predicted, hallucinated</mark></span></p>'
    )


def _toc(report: EvalReport) -> str:
    items = "".join(
        f'<li><a href="#article-{_e(a.article_id)}">{_e(a.article_id)}</a> · F1 {fmt(a.counts().rates()["f1"])}'
        f"{'' if a.status == 'scored' else f' · {a.status}'}</li>"
        for a in report.articles
    )
    return f"<ol>{items}</ol>"


def _article_section(
    result: ArticleResult, gold: ArticleExtraction, predicted: ArticleExtraction, article: Article
) -> str:
    rates = result.counts().rates()
    status = "" if result.status == "scored" else f' · <span class="status-{result.status}">{result.status}</span>'
    error = f"<p class=status-failed>{_e(result.error)}</p>" if result.error else ""
    marks = _marks(result.matchings[STRICT], gold, predicted, article)
    records = "".join(
        _records_block(record_type, result.matchings[STRICT][record_type], gold, predicted)
        for record_type in RECORD_TYPES
    )
    return (
        f'<section class="article" id="article-{_e(article.id)}">'
        f"<h2>{_e(article.title)}</h2>"
        f'<p class="meta">{_e(article.id)} · precision {fmt(rates["precision"])} · recall {fmt(rates["recall"])} · '
        f"F1 {fmt(rates['f1'])} · {result.omissions()} omitted · {result.hallucinations()} hallucinated{status}</p>"
        f"{error}<div class=text>{_highlight(article.text, marks)}</div>{records}</section>"
    )


def _marks(
    matchings: Mapping[str, Matching], gold: ArticleExtraction, predicted: ArticleExtraction, article: Article
) -> list[_Mark]:
    marks: list[_Mark] = []
    for record_type, m in matchings.items():
        gold_status = {p.gold: "matched" for p in m.pairs} | {i: "missed" for i in m.omitted}
        predicted_status = {p.predicted: "matched" for p in m.pairs} | {j: "hallucinated" for j in m.hallucinated}
        for side, records, statuses in (
            ("g", getattr(gold, record_type), gold_status),
            ("p", getattr(predicted, record_type), predicted_status),
        ):
            who = "gold" if side == "g" else "predicted"
            for i, record in enumerate(records):
                status = statuses[i]
                label = f"{who} {record_type}[{i}] {status}"
                for start, end in evidence_spans(record.evidence, article.text):
                    marks.append(_Mark(start, end, f"{side}-{status}", label))
    return marks


def _highlight(text: str, marks: Sequence[_Mark]) -> str:
    """The text with every span wrapped in a mark carrying the classes of all the marks that cover it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= start and end <= m.end]
        chunk = _e(text[start:end])
        if not covering:
            out.append(chunk)
            continue
        css = " ".join(sorted({m.css for m in covering}))
        label = "; ".join(sorted({m.label for m in covering}))
        out.append(f'<mark class="{css}" title="{_e(label)}">{chunk}</mark>')
    return "".join(out)


def _records_block(record_type: str, m: Matching, gold: ArticleExtraction, predicted: ArticleExtraction) -> str:
    """One table per record type: a row per matched pair, missed gold record and hallucinated prediction."""
    if not m.gold_count and not m.predicted_count:
        return ""
    gold_records = getattr(gold, record_type)
    predicted_records = getattr(predicted, record_type)
    names = list(FIELD_WEIGHTS[record_type])
    rows = []
    for pair in m.pairs:
        g, p = gold_records[pair.gold], predicted_records[pair.predicted]
        cells = [_diff_cell(_show(g, n), _show(p, n), pair.fields[n]) for n in names]
        rows.append(_record_row("matched", f"#{pair.gold} ↔ #{pair.predicted}", f"{pair.similarity:.2f}", cells))
    for i in m.omitted:
        cells = [f"<td>{_e(_show(gold_records[i], n))}</td>" for n in names]
        rows.append(_record_row("missed", f"#{i} ↔ –", "", cells))
    for j in m.hallucinated:
        cells = [f"<td>{_e(_show(predicted_records[j], n))}</td>" for n in names]
        rows.append(_record_row("hallucinated", f"– ↔ #{j}", "", cells))
    head = "".join(f"<th>{_e(n)}</th>" for n in ["", "gold ↔ predicted", "similarity", *names])
    return (
        f"<h3>{_e(record_type)}: {len(m.pairs)} matched, {len(m.omitted)} missed, "
        f"{len(m.hallucinated)} hallucinated</h3><table class=records><tr>{head}</tr>{''.join(rows)}</table>"
    )


def _record_row(status: str, which: str, similarity: str, cells: list[str]) -> str:
    return (
        f'<tr class="{status}"><td class="status">{STATUS_LABEL[status]}</td><td>{_e(which)}</td>'
        f'<td class="num">{_e(similarity)}</td>{"".join(cells)}</tr>'
    )


def _diff_cell(gold: str, predicted: str, score: float) -> str:
    """A matched pair's field: the value when they agree, else gold struck through and the prediction, scored."""
    css = "ok" if score >= 0.999 else "diff" if score <= 0.001 else "part"
    if gold == predicted:
        return f'<td class="{css}">{_e(gold)}</td>'
    return f'<td class="{css}"><del>{_e(gold)}</del> → <ins>{_e(predicted)}</ins> <small>{score:.2f}</small></td>'


def _show(record: Any, name: str) -> str:
    if record is None:
        return ""
    if name == "name":
        return " / ".join([record.name, *record.aliases])
    value = getattr(record, name)
    if value is None:
        return "—"
    if name == "evidence":
        return " … ".join(f"“{_clip(e.quote)}”" for e in value)
    if name == "parties":
        return ", ".join(value)
    if name == "amount":
        return f"{value.value} {value.currency}"
    return str(value)


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
