"""The evaluation report: per-article matchings and the figures computed from them, as a JSON-ready dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from allegations.eval.compare import FIELD_WEIGHTS, MIN_SIMILARITY
from allegations.eval.diagnostics import ENUM_FIELDS, CharCounts, Labels, confusion
from allegations.eval.floors import FLOOR_DESCRIPTIONS
from allegations.eval.match import LENIENT, STRICT, Matching
from allegations.eval.metrics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, Counts, bootstrap_ci, macro_average, prf
from allegations.schemas import RECORD_TYPES

REPORT_VERSION = 2
"""2: strict matching is the headline (`overall`, `by_type`); version 1 had only the lenient figures."""

UNDEFINED_NOTE = (
    "null means undefined, not zero: precision is undefined where nothing was predicted, recall where there is no "
    "gold; F1 = 2*matched/(predicted+gold) is 0 when gold exists and nothing was predicted."
)


@dataclass(frozen=True)
class ArticleResult:
    """How one gold article was scored: its matchings per record type and the grounding of its predicted quotes.

    `matchings` holds, per matching (strict, lenient), one Matching per record type.
    status is "scored" (a prediction was given), "failed" (the extractor reported a failure) or "missing" (no
    prediction line at all); failed and missing articles are scored as empty predictions.
    """

    article_id: str
    status: str
    matchings: dict[str, dict[str, Matching]]
    quotes: int = 0
    grounded_quotes: int = 0
    dropped: int = 0
    error: str | None = None
    evidence: dict[str, dict[str, CharCounts]] = field(default_factory=dict)
    labels: dict[str, dict[str, Labels]] = field(default_factory=dict)

    def counts(self, record_type: str | None = None, matching: str = STRICT) -> Counts:
        """Matched, predicted and gold record counts for one record type, or all types together."""
        types = RECORD_TYPES if record_type is None else (record_type,)
        total = Counts()
        for name in types:
            m = self.matchings[matching][name]
            total = total + Counts(float(len(m.pairs)), m.predicted_count, m.gold_count)
        return total

    def omissions(self, matching: str = STRICT) -> int:
        return sum(len(m.omitted) for m in self.matchings[matching].values())

    def hallucinations(self, matching: str = STRICT) -> int:
        return sum(len(m.hallucinated) for m in self.matchings[matching].values())


@dataclass(frozen=True)
class EvalReport:
    """Everything one evaluation found; `to_dict` gives the stable JSON form (see eval.metrics for definitions)."""

    articles: tuple[ArticleResult, ...]
    predicted_without_gold: tuple[str, ...] = ()
    gold_without_prediction: tuple[str, ...] = ()
    predictions_sha256: str | None = None
    gold_sha256: str | None = None
    predictions_name: str | None = None
    floors: Mapping[str, tuple[ArticleResult, ...]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def counts(self, record_type: str | None = None, matching: str = STRICT) -> Counts:
        """Micro totals over every scored article."""
        total = Counts()
        for article in self.articles:
            total = total + article.counts(record_type, matching)
        return total

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data with stable keys; undefined figures are None (null)."""
        if "dict" not in self._cache:
            self._cache["dict"] = self._build_dict()
        return self._cache["dict"]

    def to_markdown(self) -> str:
        """The summary table, ready for a dataset card."""
        from allegations.eval.render import render_markdown

        return render_markdown(self)

    def _build_dict(self) -> dict[str, Any]:
        strict = _matching_section(self.articles, STRICT, self.floors)
        quotes = sum(a.quotes for a in self.articles)
        grounded = sum(a.grounded_quotes for a in self.articles)
        return {
            "report_version": REPORT_VERSION,
            "predictions": self.predictions_name,
            "predictions_sha256": self.predictions_sha256,
            "gold_sha256": self.gold_sha256,
            "articles_scored": len(self.articles),
            "matching": STRICT,
            **strict,
            "lenient": _matching_section(self.articles, LENIENT, self.floors),
            "confusion": _confusion_section(self.articles),
            "grounding_rate": grounded / quotes if quotes else None,
            "quotes": {"predicted": quotes, "grounded": grounded},
            "dropped_ungrounded": sum(a.dropped for a in self.articles),
            "failures": {a.article_id: a.error for a in self.articles if a.status == "failed"},
            "excluded": {
                "predicted_without_gold": {
                    "count": len(self.predicted_without_gold),
                    "article_ids": list(self.predicted_without_gold),
                    "treatment": "not scored: there is no gold to compare with",
                },
                "gold_without_prediction": {
                    "count": len(self.gold_without_prediction),
                    "article_ids": list(self.gold_without_prediction),
                    "treatment": "scored as an empty prediction: every gold record counts as an omission",
                },
            },
            "per_article": {a.article_id: _article_dict(a) for a in self.articles},
            "settings": {
                "min_similarity": MIN_SIMILARITY,
                "field_weights": FIELD_WEIGHTS,
                "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED, "unit": "article"},
            },
            "notes": self._notes(),
        }

    def _notes(self) -> list[str]:
        notes = [UNDEFINED_NOTE]
        if self.predicted_without_gold:
            notes.append(f"{len(self.predicted_without_gold)} predicted article(s) have no gold and were not scored.")
        if self.gold_without_prediction:
            notes.append(
                f"{len(self.gold_without_prediction)} gold article(s) have no prediction; scored as empty predictions."
            )
        failed = sum(1 for a in self.articles if a.status == "failed")
        if failed:
            notes.append(f"{failed} article(s) failed extraction; scored as empty predictions.")
        if len(self.articles) < 30:
            notes.append(f"only {len(self.articles)} article(s): the bootstrap intervals are wide, read them first.")
        return notes


def _matching_section(
    articles: Sequence[ArticleResult], matching: str, floors: Mapping[str, Sequence[ArticleResult]]
) -> dict[str, Any]:
    """Every figure of one matching: micro and macro overall, per record type with field credit and intervals,
    and the chance floors under the same matching."""
    # One pass over the matchings: per-article counts for the bootstrap, per-type totals and field credit.
    count_array = np.zeros((len(articles), 1 + len(RECORD_TYPES), 3))
    keys = ("matched", "predicted", "gold", "omissions", "hallucinations")
    totals = {t: dict.fromkeys(keys, 0) for t in RECORD_TYPES}
    credit = {t: dict.fromkeys(FIELD_WEIGHTS[t], 0.0) for t in RECORD_TYPES}
    for row, article in enumerate(articles):
        for column, record_type in enumerate(RECORD_TYPES, start=1):
            m = article.matchings[matching][record_type]
            count_array[row, column] = (len(m.pairs), m.predicted_count, m.gold_count)
            total = totals[record_type]
            total["matched"] += len(m.pairs)
            total["predicted"] += m.predicted_count
            total["gold"] += m.gold_count
            total["omissions"] += len(m.omitted)
            total["hallucinations"] += len(m.hallucinated)
            for pair in m.pairs:
                for name, score in pair.fields.items():
                    credit[record_type][name] += score
    count_array[:, 0] = count_array[:, 1:].sum(axis=1)
    intervals = bootstrap_ci(count_array)
    by_type = {}
    for column, record_type in enumerate(RECORD_TYPES, start=1):
        t = totals[record_type]
        by_type[record_type] = {
            "gold": t["gold"],
            "predicted": t["predicted"],
            "matched": t["matched"],
            **prf(float(t["matched"]), t["predicted"], t["gold"]),
            "ci95": intervals[column],
            "omissions": t["omissions"],
            "hallucinations": t["hallucinations"],
            "fields": {
                name: {
                    **prf(score, t["predicted"], t["gold"]),
                    "matched_mean": score / t["matched"] if t["matched"] else None,
                }
                for name, score in credit[record_type].items()
            },
        }
    overall = Counts()
    for article in articles:
        overall = overall + article.counts(matching=matching)
    per_article = [article.counts(matching=matching).rates() for article in articles]
    return {
        "overall": {
            "micro": {**_counts_dict(overall), **overall.rates(), "ci95": intervals[0]},
            "macro": {**macro_average(per_article), "articles": len(articles)},
        },
        "by_type": by_type,
        "floors": {name: _floor_dict(name, results, matching) for name, results in floors.items()},
        "evidence": _evidence_dict(articles, matching),
        "omissions": sum(t["omissions"] for t in totals.values()),
        "hallucinations": sum(t["hallucinations"] for t in totals.values()),
    }


def _evidence_dict(articles: Sequence[ArticleResult], matching: str) -> dict[str, Any]:
    by_type = {t: sum((a.evidence[matching][t] for a in articles), CharCounts()) for t in RECORD_TYPES}
    overall = sum(by_type.values(), CharCounts())
    return {
        **overall.rates(),
        "characters": _chars_dict(overall),
        "by_type": {t: {**c.rates(), "characters": _chars_dict(c)} for t, c in by_type.items()},
    }


def _chars_dict(counts: CharCounts) -> dict[str, int]:
    return {"shared": counts.shared, "gold": counts.gold, "predicted": counts.predicted}


def _confusion_section(articles: Sequence[ArticleResult]) -> dict[str, Any]:
    return {
        record_type: {
            name: confusion(((a.matchings[LENIENT][record_type], a.labels[record_type][name]) for a in articles), enum)
            for name, enum in fields.items()
        }
        for record_type, fields in ENUM_FIELDS.items()
    }


def _floor_dict(name: str, results: Sequence[ArticleResult], matching: str) -> dict[str, Any]:
    def pooled(record_type: str | None) -> dict[str, float | None]:
        total = Counts()
        for result in results:
            total = total + result.counts(record_type, matching)
        return total.rates()

    return {
        "description": FLOOR_DESCRIPTIONS[name],
        "overall": pooled(None),
        "by_type": {record_type: pooled(record_type) for record_type in RECORD_TYPES},
    }


def _counts_dict(counts: Counts) -> dict[str, Any]:
    return {"gold": counts.gold, "predicted": counts.predicted, "matched": int(counts.matched)}


def _matching_dict(m: Matching) -> dict[str, Any]:
    return {
        "gold": m.gold_count,
        "predicted": m.predicted_count,
        "matched": len(m.pairs),
        "pairs": [
            {"gold": p.gold, "predicted": p.predicted, "similarity": p.similarity, "fields": p.fields} for p in m.pairs
        ],
        "omitted": list(m.omitted),
        "hallucinated": list(m.hallucinated),
    }


def _article_dict(article: ArticleResult) -> dict[str, Any]:
    return {
        "status": article.status,
        "error": article.error,
        **article.counts().rates(),
        "omissions": article.omissions(),
        "hallucinations": article.hallucinations(),
        "grounding_rate": article.grounded_quotes / article.quotes if article.quotes else None,
        "by_type": {name: _matching_dict(m) for name, m in article.matchings[STRICT].items()},
        "lenient": {
            **article.counts(matching=LENIENT).rates(),
            "by_type": {name: _matching_dict(m) for name, m in article.matchings[LENIENT].items()},
        },
    }
