"""Diagnostics beside the scores: per-label confusion of every enum field, and evidence quality in characters.

- Confusion: over the lenient pairs (so a pair with a wrong label still shows where the label went), rows are gold
  labels and columns predicted ones; an unpaired gold record counts in the `none` column, an unpaired prediction
  in the `none` row. A label's precision is its diagonal cell over its column, its recall over its row.
- Evidence quality: over the matched pairs of a matching, the characters both quotes cover, over the characters the
  predicted quotes cover (precision) and the gold quotes cover (recall).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from allegations.eval.compare import RecordView, covered, shared_characters
from allegations.eval.match import Matching
from allegations.eval.metrics import prf
from allegations.schemas import AllegationCategory, ContractTermKind, PartyKind, PartyRole, ReliefKind
from allegations.schemas.report import Confusion, LabelScores

ENUM_FIELDS: dict[str, dict[str, type[StrEnum]]] = {
    "parties": {"kind": PartyKind, "role": PartyRole},
    "allegations": {"category": AllegationCategory},
    "contract_terms": {"kind": ContractTermKind},
    "relief_sought": {"kind": ReliefKind},
}
"""The closed-vocabulary fields of each record type and their enums, each field given a confusion matrix."""

NONE = "none"
"""The row of unpaired predictions and the column of unpaired gold records."""


@dataclass(frozen=True)
class Labels:
    """The values one enum field takes on an article's gold and predicted records, by record index."""

    gold: tuple[str, ...]
    predicted: tuple[str, ...]


@dataclass(frozen=True)
class CharCounts:
    """Characters covered by both quotes, by the gold's and by the prediction's, summed over matched pairs."""

    shared: int = 0
    gold: int = 0
    predicted: int = 0

    def __add__(self, other: CharCounts) -> CharCounts:
        return CharCounts(self.shared + other.shared, self.gold + other.gold, self.predicted + other.predicted)

    def rates(self) -> dict[str, float | None]:
        """Character precision and recall; None where no characters were quoted."""
        return {
            "precision": self.shared / self.predicted if self.predicted else None,
            "recall": self.shared / self.gold if self.gold else None,
        }


def field_labels(record_type: str, gold: Sequence[RecordView], predicted: Sequence[RecordView]) -> dict[str, Labels]:
    """Every enum field's labels on one article's records of one type."""
    return {
        name: Labels(tuple(str(v.values[name]) for v in gold), tuple(str(v.values[name]) for v in predicted))
        for name in ENUM_FIELDS[record_type]
    }


def evidence_chars(matching: Matching, gold: Sequence[RecordView], predicted: Sequence[RecordView]) -> CharCounts:
    """Character overlap of the gold and predicted evidence over one matching's pairs."""
    total = CharCounts()
    for pair in matching.pairs:
        g, p = gold[pair.gold].values["evidence"], predicted[pair.predicted].values["evidence"]
        total = total + CharCounts(shared_characters(g, p), covered(g), covered(p))
    return total


def confusion(cases: Iterable[tuple[Matching, Labels]], enum: type[StrEnum]) -> Confusion:
    """The confusion matrix and per-label figures of one field over several articles' matchings.

    Only the labels that occur (in `enum`'s order) and `none` get a row and a column.
    """
    order = [member.value for member in enum]
    cells: dict[tuple[str, str], int] = {}
    for matching, labels in cases:
        found = [(labels.gold[p.gold], labels.predicted[p.predicted]) for p in matching.pairs]
        found += [(labels.gold[i], NONE) for i in matching.omitted]
        found += [(NONE, labels.predicted[j]) for j in matching.hallucinated]
        for cell in found:
            cells[cell] = cells.get(cell, 0) + 1
    present = {label for cell in cells for label in cell}
    names = [label for label in order if label in present] + [NONE]
    matrix = [[cells.get((gold, predicted), 0) for predicted in names] for gold in names]
    per_label = {}
    for i, label in enumerate(names[:-1]):
        gold_count, predicted_count = sum(matrix[i]), sum(row[i] for row in matrix)
        per_label[label] = LabelScores(
            gold=gold_count,
            predicted=predicted_count,
            matched=matrix[i][i],
            **prf(float(matrix[i][i]), predicted_count, gold_count),
        )
    return Confusion(labels=names, matrix=matrix, per_label=per_label)
