"""One-to-one matching of gold and predicted records per article and record type (Hungarian assignment).

Two matchings, defined in `eval.compare`: strict (the headline: key fields exact, evidence overlapping) and lenient
(the diagnostic: weighted similarity at `MIN_SIMILARITY` or above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from allegations.eval.compare import MIN_SIMILARITY, RecordView, compare_records, strictly_agree

STRICT, LENIENT = "strict", "lenient"
MATCHINGS = (STRICT, LENIENT)
"""The two matchings every report gives; strict is the headline."""

# A strict pair outweighs any sum of similarities, so the assignment first maximises the number of strict pairs.
# In both matchings a squared similarity term breaks ties between equally good assignments by content, not order.
_STRICT_BONUS = 1000.0


@dataclass(frozen=True)
class Pair:
    """A gold record matched to a predicted one, with their similarity and per-field scores."""

    gold: int
    predicted: int
    similarity: float
    fields: dict[str, float]


@dataclass(frozen=True)
class Matching:
    """The outcome for one article and record type: matched pairs, omitted gold, hallucinated predictions."""

    record_type: str
    gold_count: int
    predicted_count: int
    pairs: tuple[Pair, ...]
    omitted: tuple[int, ...]
    hallucinated: tuple[int, ...]


def match_all(
    record_type: str,
    gold: Sequence[RecordView],
    predicted: Sequence[RecordView],
    min_similarity: float = MIN_SIMILARITY,
) -> dict[str, Matching]:
    """Pair gold and predicted records one to one under both matchings, comparing each pair of records once.

    Strict admits only pairs that agree on their keys and evidence, and pairs as many of them as possible (ties by
    similarity); lenient admits pairs at `min_similarity` or above and maximises their total similarity. Inadmissible
    pairs weigh nothing in the assignment, so they can never displace an admissible one; records left unpaired are
    omissions (gold) and hallucinations (predicted).
    """
    scores: dict[tuple[int, int], tuple[float, dict[str, float]]] = {}
    weights: dict[str, dict[tuple[int, int], float]] = {STRICT: {}, LENIENT: {}}
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            similarity, fields = compare_records(record_type, g, p)
            scores[i, j] = (similarity, fields)
            tie_break = similarity + 1e-6 * similarity * similarity
            if strictly_agree(record_type, g, p, fields):
                weights[STRICT][i, j] = _STRICT_BONUS + tie_break
            if similarity >= min_similarity:
                weights[LENIENT][i, j] = tie_break
    return {
        matching: _assign(record_type, len(gold), len(predicted), weights[matching], scores) for matching in MATCHINGS
    }


def match_records(
    record_type: str,
    gold: Sequence[RecordView],
    predicted: Sequence[RecordView],
    matching: str = STRICT,
    min_similarity: float = MIN_SIMILARITY,
) -> Matching:
    """Pair gold and predicted records one to one under `matching` (strict or lenient); see `match_all`."""
    if matching not in MATCHINGS:
        raise ValueError(f"unknown matching {matching!r}: use one of {MATCHINGS}")
    return match_all(record_type, gold, predicted, min_similarity)[matching]


def _assign(
    record_type: str,
    gold_count: int,
    predicted_count: int,
    weights: dict[tuple[int, int], float],
    scores: dict[tuple[int, int], tuple[float, dict[str, float]]],
) -> Matching:
    pairs: list[Pair] = []
    rows_used = {i for i, _ in weights}
    if len(rows_used) == len(weights) == len({j for _, j in weights}):
        # No record is admissible with two others: every admissible pair is in the best assignment.
        pairs = [Pair(i, j, *scores[i, j]) for i, j in weights]
    elif weights:
        matrix = np.zeros((gold_count, predicted_count))
        for (i, j), weight in weights.items():
            matrix[i, j] = weight
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if (i, j) in weights:
                similarity, fields = scores[i, j]
                pairs.append(Pair(i, j, similarity, fields))
    matched_gold = {p.gold for p in pairs}
    matched_predicted = {p.predicted for p in pairs}
    return Matching(
        record_type=record_type,
        gold_count=gold_count,
        predicted_count=predicted_count,
        pairs=tuple(sorted(pairs, key=lambda p: p.gold)),
        omitted=tuple(i for i in range(gold_count) if i not in matched_gold),
        hallucinated=tuple(j for j in range(predicted_count) if j not in matched_predicted),
    )
