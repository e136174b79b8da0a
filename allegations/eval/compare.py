"""Per-field comparators, the strict matching rule and the lenient weights: how alike two records are.

Strict matching (the headline): a predicted record may pair with a gold record only when its key fields are exactly
right and, for statements, its evidence overlaps the gold's:

- parties: the name (or an alias) resolves to the same gold party; kind, role and evidence are field scores, since a
  party is the same entity wherever the article mentions it;
- allegations: claimant, accused and category;
- contract terms: kind and the set of parties;
- relief sought: kind, requested_by and against;
- evidence (allegations, contract terms, relief): the predicted quotes cover at least one character that the gold
  record's quotes cover. Spans that only touch (one ends where the other starts) do not overlap; a predicted quote
  that does not align in the article covers nothing; one overlapping quote among several is enough.

Summaries, amounts, dates and multipliers are never keys: they are field scores on the matched pairs.

Lenient matching (the diagnostic view): a pair's similarity is the weighted mean of its field scores, with the
weights in `FIELD_WEIGHTS`; a pair below `MIN_SIMILARITY` never matches, whatever its key fields (see `eval.match`).

- enums (kind, role, category): exact, 1 or 0.
- party names (a party's name, claimant, accused, requested_by, against): 1 when both resolve to the same gold
  party, else 0. Names are normalised (case, typography, punctuation, `&`, a leading "the" and trailing corporate
  suffixes such as Inc., Corp., Co., Ltd., LLC, GmbH) and looked up among the gold parties' names and aliases; a
  predicted name is also tried through the aliases its own extraction lists for it.
- contract parties: Jaccard overlap of the resolved party sets.
- money: 1 when value and currency are equal (or both absent), else 0.
- dates: compared at the precision both give ("2019" agrees with "2019-05"), 1 or 0; both absent is 1.
- multiplier: equal decimals (or both absent), 1 or 0.
- free text (summary): rapidfuzz token-set ratio / 100, ignoring case, punctuation and typography.
- evidence: character-span overlap, the Dice coefficient 2|G∩P| / (|G| + |P|) of the characters the gold and the
  predicted quotes cover; a predicted quote that does not align in the article covers nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rapidfuzz.fuzz import token_set_ratio
from rapidfuzz.utils import default_process

from allegations.schemas import KINDS, Article, ArticleExtraction, Evidence, Money, align_quote, normalise_typography

MIN_SIMILARITY = 0.5
"""A gold and a predicted record whose similarity is below this never match."""

FIELD_WEIGHTS: dict[str, dict[str, float]] = {kind.name: kind.eval_weights for kind in KINDS.values()}
"""Weight of each field in a record pair's similarity, per record type (from the registry, `schemas.kinds`)."""

CORPORATE_SUFFIXES = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc"}
    | {"gmbh", "ag", "sa", "nv", "bv", "pte", "pty", "srl", "spa", "sarl", "kk"}
)
_NOT_WORD = re.compile(r"[^\w]+")

PartyKey = tuple[str, Any]
"""("gold", index of the gold party) when a name resolves to a gold party, else ("name", normalised name)."""

Span = tuple[int, int]

KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "parties": ("name",),
    "allegations": ("claimant", "accused", "category"),
    "contract_terms": ("kind", "parties"),
    "relief_sought": ("kind", "requested_by", "against"),
}
"""The fields a strict match must get exactly right, per record type."""

EVIDENCE_IS_KEY = frozenset({"allegations", "contract_terms", "relief_sought"})
"""Record types whose strict match also needs overlapping evidence: statements, not entities."""


@lru_cache(maxsize=65536)
def normalise_party_name(name: str) -> str:
    """Fold case, typography, accents and punctuation; drop a leading "the" and trailing corporate suffixes."""
    folded = unicodedata.normalize("NFKD", normalise_typography(name).casefold().replace("&", " and "))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = [w for w in _NOT_WORD.sub(" ", folded.replace("_", " ")).split() if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
        words.pop()
    # "S.A." and "N.V." split into letters: drop a trailing pair of single letters that spells a suffix.
    if len(words) > 2 and len(words[-1]) == len(words[-2]) == 1 and words[-2] + words[-1] in CORPORATE_SUFFIXES:
        words = words[:-2]
    return " ".join(words)


class PartyResolver:
    """Resolves party names of one article to gold parties through their names and aliases."""

    def __init__(self, gold: ArticleExtraction) -> None:
        self._gold_index: dict[str, int] = {}
        for i, party in enumerate(gold.parties):
            for name in (party.name, *party.aliases):
                self._gold_index.setdefault(normalise_party_name(name), i)

    def key(self, name: str, extraction: ArticleExtraction | None = None) -> PartyKey:
        """The gold party `name` stands for, trying the aliases `extraction` lists for it; else the name itself."""
        normalised = normalise_party_name(name)
        found = self._gold_index.get(normalised)
        if found is not None:
            return ("gold", found)
        own = extraction.resolve_party(name) if extraction is not None else None
        if own is not None:
            for other in (own.name, *own.aliases):
                found = self._gold_index.get(normalise_party_name(other))
                if found is not None:
                    return ("gold", found)
        return ("name", normalised)

    def party_key(self, names: Sequence[str]) -> PartyKey:
        """The gold party that any of a party record's name and aliases stands for; else its name."""
        for name in names:
            found = self._gold_index.get(normalise_party_name(name))
            if found is not None:
                return ("gold", found)
        return ("name", normalise_party_name(names[0]))


def compare_exact(gold: Any, predicted: Any) -> float:
    """Enums, resolved party keys: 1 when equal."""
    return 1.0 if gold == predicted else 0.0


def compare_party_sets(gold: frozenset[PartyKey], predicted: frozenset[PartyKey]) -> float:
    """Jaccard overlap of two sets of resolved parties."""
    if not gold and not predicted:
        return 1.0
    return len(gold & predicted) / len(gold | predicted)


def compare_money(gold: Money | None, predicted: Money | None) -> float:
    """Equal value and currency; both absent also agrees."""
    if gold is None or predicted is None:
        return 1.0 if gold is predicted else 0.0
    return 1.0 if gold.currency == predicted.currency and gold.value == predicted.value else 0.0


def compare_dates(gold: str | None, predicted: str | None) -> float:
    """ISO dates agree when equal at the precision both give: "2019" agrees with "2019-05-01"."""
    if gold is None or predicted is None:
        return 1.0 if gold is predicted else 0.0
    shared = min(len(gold), len(predicted))
    return 1.0 if gold[:shared] == predicted[:shared] else 0.0


def compare_decimals(gold: Decimal | None, predicted: Decimal | None) -> float:
    """Equal numbers; both absent also agrees."""
    if gold is None or predicted is None:
        return 1.0 if gold is predicted else 0.0
    return 1.0 if gold == predicted else 0.0


@lru_cache(maxsize=65536)
def _text_key(text: str) -> str:
    return default_process(normalise_typography(text))


def compare_text(gold: str, predicted: str) -> float:
    """Token-set fuzzy ratio of two free texts, ignoring case, punctuation and typography."""
    return token_set_ratio(_text_key(gold), _text_key(predicted)) / 100.0


def evidence_spans(evidence: Sequence[Evidence], text: str) -> tuple[Span, ...]:
    """The merged character spans a record's quotes cover; quotes that do not align in `text` cover nothing."""
    spans: list[Span] = []
    for item in evidence:
        if item.start is not None and item.end is not None and text[item.start : item.end] == item.quote:
            spans.append((item.start, item.end))
            continue
        found = align_quote(text, item.quote, hint=item.start)
        if found is not None:
            spans.append((found[0], found[1]))
    return merge_spans(spans)


def merge_spans(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Sorted, non-overlapping spans covering the same characters."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return tuple(merged)


def covered(spans: Sequence[Span]) -> int:
    """How many characters a merged span list covers."""
    return sum(end - start for start, end in spans)


def shared_characters(gold: Sequence[Span], predicted: Sequence[Span]) -> int:
    """How many characters two merged span lists both cover."""
    shared, i, j = 0, 0, 0
    while i < len(gold) and j < len(predicted):
        shared += max(0, min(gold[i][1], predicted[j][1]) - max(gold[i][0], predicted[j][0]))
        if gold[i][1] < predicted[j][1]:
            i += 1
        else:
            j += 1
    return shared


def compare_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> float:
    """Dice coefficient of the characters two merged span lists cover."""
    total = covered(gold) + covered(predicted)
    return 2.0 * shared_characters(gold, predicted) / total if total else 0.0


def spans_overlap(gold: Sequence[Span], predicted: Sequence[Span]) -> bool:
    """Whether two merged span lists share at least one character."""
    return shared_characters(gold, predicted) > 0


COMPARATORS: dict[str, Callable[[Any, Any], float]] = {
    "name": compare_exact,
    "kind": compare_exact,
    "role": compare_exact,
    "category": compare_exact,
    "claimant": compare_exact,
    "accused": compare_exact,
    "requested_by": compare_exact,
    "against": compare_exact,
    "parties": compare_party_sets,
    "summary": compare_text,
    "amount": compare_money,
    "date": compare_dates,
    "multiplier": compare_decimals,
    "evidence": compare_spans,
}
"""The comparator for each field name; `record_view` turns a record into the values they compare."""


@dataclass(frozen=True)
class RecordView:
    """A record reduced to the comparable value of each scored field."""

    values: dict[str, Any]


def record_view(
    record_type: str, record: Any, extraction: ArticleExtraction, resolver: PartyResolver, article: Article
) -> RecordView:
    """The values the comparators see for one record: party names resolved, evidence as character spans."""
    values: dict[str, Any] = {"evidence": evidence_spans(record.evidence, article.text)}
    if record_type == "parties":
        values.update(name=resolver.party_key((record.name, *record.aliases)), kind=record.kind, role=record.role)
    elif record_type == "allegations":
        values.update(
            claimant=resolver.key(record.claimant, extraction),
            accused=resolver.key(record.accused, extraction),
            category=record.category,
            summary=record.summary,
        )
    elif record_type == "contract_terms":
        values.update(
            parties=frozenset(resolver.key(name, extraction) for name in record.parties),
            kind=record.kind,
            summary=record.summary,
            amount=record.amount,
            date=record.date,
        )
    elif record_type == "relief_sought":
        values.update(
            requested_by=resolver.key(record.requested_by, extraction),
            against=resolver.key(record.against, extraction),
            kind=record.kind,
            summary=record.summary,
            amount=record.amount,
            multiplier=record.multiplier,
        )
    else:
        raise ValueError(f"unknown record type {record_type!r}")
    return RecordView(values)


def compare_records(record_type: str, gold: RecordView, predicted: RecordView) -> tuple[float, dict[str, float]]:
    """The weighted similarity of two records and the score of each field."""
    weights = FIELD_WEIGHTS[record_type]
    fields = {name: COMPARATORS[name](gold.values[name], predicted.values[name]) for name in weights}
    similarity = sum(weights[name] * score for name, score in fields.items()) / sum(weights.values())
    return similarity, fields


def strictly_agree(record_type: str, gold: RecordView, predicted: RecordView, fields: dict[str, float]) -> bool:
    """The strict rule: every key field exactly right and, for statements, evidence sharing a character."""
    if any(fields[name] < 1.0 for name in KEY_FIELDS[record_type]):
        return False
    return record_type not in EVIDENCE_IS_KEY or spans_overlap(gold.values["evidence"], predicted.values["evidence"])
