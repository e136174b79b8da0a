"""Precision, recall and F1 from matched records: per record type and field, micro and macro, with bootstrap CIs.

Definitions (TP = matched pairs, P = predicted records, G = gold records):

- precision = TP / P, undefined (None, JSON null) when nothing was predicted;
- recall = TP / G, undefined when there is no gold;
- F1 = 2·TP / (P + G): the harmonic mean where both are defined, 0 when gold exists and nothing was predicted,
  undefined only when both P and G are 0.
- A field's TP is the sum of that field's comparator scores over matched pairs, so an unmatched record costs every
  field and a wrong value on a matched record costs only that field.
- micro pools the counts of every article; macro is the mean of the per-article figures over the articles where the
  figure is defined.
- 95% confidence intervals come from a percentile bootstrap over articles (resampled with replacement) with a fixed
  seed, so the same inputs always give the same report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20210811
_CHUNK = 100


@dataclass(frozen=True)
class Counts:
    """Matched (true positive), predicted and gold totals; `matched` is fractional for field credit."""

    matched: float = 0.0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)

    def rates(self) -> dict[str, float | None]:
        """Precision, recall and F1 as defined in this module; None where undefined."""
        return prf(self.matched, self.predicted, self.gold)


def prf(matched: float, predicted: int, gold: int) -> dict[str, float | None]:
    """Precision, recall and F1; None where undefined (no predictions, no gold, or neither)."""
    return {
        "precision": matched / predicted if predicted else None,
        "recall": matched / gold if gold else None,
        "f1": 2.0 * matched / (predicted + gold) if predicted + gold else None,
    }


def macro_average(per_article: Sequence[dict[str, float | None]]) -> dict[str, float | None]:
    """The mean of each figure over the articles where it is defined; None when no article defines it."""
    averaged: dict[str, float | None] = {}
    for key in ("precision", "recall", "f1"):
        values = [value for row in per_article if (value := row[key]) is not None]
        averaged[key] = sum(values) / len(values) if values else None
    return averaged


def bootstrap_ci(
    counts: np.ndarray, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> list[dict[str, list[float] | None]]:
    """95% percentile intervals of micro P/R/F1 for each of K count groups.

    `counts` has shape (articles, K, 3) holding (matched, predicted, gold) per article and group. Each resample
    draws articles with replacement and pools their counts; resamples where a figure is undefined are left out.
    """
    articles = counts.shape[0]
    groups = counts.shape[1]
    if articles == 0:
        return [{"precision": None, "recall": None, "f1": None} for _ in range(groups)]
    rng = np.random.default_rng(seed)
    flat = counts.reshape(articles, groups * 3).astype(float)
    pooled = np.empty((resamples, groups * 3))
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        # How often each article is drawn in each resample, counted for the whole chunk in one bincount.
        draws = rng.integers(0, articles, size=(size, articles)) + np.arange(size)[:, None] * articles
        weights = np.bincount(draws.ravel(), minlength=size * articles).reshape(size, articles)
        pooled[start : start + size] = weights @ flat
    pooled = pooled.reshape(resamples, groups, 3)
    matched, predicted, gold = pooled[..., 0], pooled[..., 1], pooled[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        figures = {
            "precision": np.where(predicted > 0, matched / predicted, np.nan),
            "recall": np.where(gold > 0, matched / gold, np.nan),
            "f1": np.where(predicted + gold > 0, 2 * matched / (predicted + gold), np.nan),
        }
    intervals: list[dict[str, list[float] | None]] = []
    for k in range(groups):
        interval: dict[str, list[float] | None] = {}
        for name, values in figures.items():
            defined = values[:, k][~np.isnan(values[:, k])]
            interval[name] = (
                [float(np.percentile(defined, 2.5)), float(np.percentile(defined, 97.5))] if defined.size else None
            )
        intervals.append(interval)
    return intervals
