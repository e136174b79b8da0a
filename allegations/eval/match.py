"""One-to-one matching of gold and predicted records per article and record type (Hungarian assignment)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from allegations.eval.compare import MIN_SIMILARITY, RecordView, compare_records


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


def match_records(
    record_type: str,
    gold: Sequence[RecordView],
    predicted: Sequence[RecordView],
    min_similarity: float = MIN_SIMILARITY,
) -> Matching:
    """Pair gold and predicted records one to one, maximising total similarity over pairs at `min_similarity` or above.

    Pairs below the threshold weigh nothing in the assignment, so they can never displace a pair above it; those
    left unpaired are omissions (gold) and hallucinations (predicted).
    """
    scores: dict[tuple[int, int], tuple[float, dict[str, float]]] = {}
    matrix = np.zeros((len(gold), len(predicted)))
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            similarity, fields = compare_records(record_type, g, p)
            scores[i, j] = (similarity, fields)
            if similarity >= min_similarity:
                # The squared term breaks ties between equally good assignments by content, not by record order.
                matrix[i, j] = similarity + 1e-6 * similarity * similarity
    pairs: list[Pair] = []
    if matrix.size:
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            similarity, fields = scores[i, j]
            if similarity >= min_similarity:
                pairs.append(Pair(i, j, similarity, fields))
    matched_gold = {p.gold for p in pairs}
    matched_predicted = {p.predicted for p in pairs}
    return Matching(
        record_type=record_type,
        gold_count=len(gold),
        predicted_count=len(predicted),
        pairs=tuple(sorted(pairs, key=lambda p: p.gold)),
        omitted=tuple(i for i in range(len(gold)) if i not in matched_gold),
        hallucinated=tuple(j for j in range(len(predicted)) if j not in matched_predicted),
    )
