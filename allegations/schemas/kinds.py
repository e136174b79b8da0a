"""The registry of record kinds: per kind its record model, party references, limits and eval weights.

Every stage looks a kind up here instead of keeping its own table, so adding a kind or an enum value is one edit
here plus the kind's own pieces (its response item, prompt and example), which `tests/test_kinds.py` checks exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from allegations.schemas.records import Allegation, ContractTerm, Party, ReliefSought


@dataclass(frozen=True)
class RecordKind:
    """One record kind: the `ArticleExtraction` field that lists its records, and everything stages need to know."""

    name: str
    """The field of `ArticleExtraction` that holds these records, e.g. `contract_terms`."""
    model: type[BaseModel]
    title: str
    """CamelCase name of the kind's response model."""
    party_fields: tuple[str, ...]
    """Fields naming parties, which must resolve to a name or alias in `parties`."""
    key_fields: tuple[str, ...]
    """Fields that, with the first evidence span, make two records repeats; empty for parties, merged by name."""
    max_items: int
    """Most records one extraction pass may return (the small models' limit)."""
    chars_per_item: int
    """For capable models, the limit grows to about one record per this many characters of text."""
    eval_weights: dict[str, float]
    """Weight of each scored field in a gold/predicted pair's similarity; every scored field is listed."""

    def enum_fields(self) -> dict[str, type[StrEnum]]:
        """The fields with a closed vocabulary, and its enum."""
        return {
            name: field.annotation
            for name, field in self.model.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, StrEnum)
        }

    def party_references(self, record: BaseModel | dict[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
        """Each (field path, party name) of one record; `prefix` is the record's path, e.g. `allegations[2]`."""
        for field in self.party_fields:
            value = record[field] if isinstance(record, dict) else getattr(record, field)
            if isinstance(value, list):
                yield from ((f"{prefix}.{field}[{j}]", name) for j, name in enumerate(value))
            else:
                yield f"{prefix}.{field}", value


PARTIES = RecordKind(
    name="parties",
    model=Party,
    title="Parties",
    party_fields=(),
    key_fields=(),
    max_items=5,
    chars_per_item=250,  # the gold holds 8 parties in 3,500 characters
    # A party is its name: with the name wrong, the other fields cannot reach MIN_SIMILARITY (3/7 < 0.5).
    eval_weights={"name": 4.0, "kind": 1.0, "role": 1.0, "evidence": 1.0},
)
ALLEGATIONS = RecordKind(
    name="allegations",
    model=Allegation,
    title="Allegations",
    party_fields=("claimant", "accused"),
    key_fields=("claimant", "accused", "category"),
    max_items=3,
    chars_per_item=200,  # the gold holds 9 allegations in 3,500 characters
    eval_weights={"claimant": 1.0, "accused": 1.0, "category": 2.0, "summary": 2.0, "evidence": 2.0},
)
CONTRACT_TERMS = RecordKind(
    name="contract_terms",
    model=ContractTerm,
    title="ContractTerms",
    party_fields=("parties",),
    key_fields=("parties", "kind"),
    max_items=3,
    chars_per_item=300,
    eval_weights={"parties": 1.0, "kind": 2.0, "summary": 2.0, "amount": 1.0, "date": 1.0, "evidence": 2.0},
)
RELIEF_SOUGHT = RecordKind(
    name="relief_sought",
    model=ReliefSought,
    title="ReliefSought",
    party_fields=("requested_by", "against"),
    key_fields=("requested_by", "against", "kind"),
    max_items=3,
    chars_per_item=300,
    eval_weights={
        "requested_by": 1.0,
        "against": 1.0,
        "kind": 2.0,
        "summary": 2.0,
        "amount": 1.0,
        "multiplier": 1.0,
        "evidence": 2.0,
    },
)

KINDS: dict[str, RecordKind] = {kind.name: kind for kind in (PARTIES, ALLEGATIONS, CONTRACT_TERMS, RELIEF_SOUGHT)}
"""Every kind, parties first: the other kinds name parties, so parties are extracted (and listed) before them."""

RECORD_TYPES = tuple(KINDS)
LINKED_KINDS = tuple(kind for kind in KINDS.values() if kind.party_fields)
"""The kinds whose records name parties, in extraction order."""
PARTY_NAME_FIELDS = tuple(dict.fromkeys(field for kind in LINKED_KINDS for field in kind.party_fields))


def kind_of(name: str) -> RecordKind:
    """The kind called `name`; a clear error for an unknown one."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown record type {name!r}; expected one of {', '.join(KINDS)}") from None
