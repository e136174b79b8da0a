"""The hybrid strategy: the rules propose grounded candidate records, the model makes only the decisions it is given.

Per candidate the model may keep or drop it, pick its category (or kind) and write its summary; with `added` it also
runs the usual passes and adds the records whose evidence no candidate covers. Every other decision is the rules'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from allegations.extract.cache import ResponseCache
from allegations.extract.chunking import split_into_chunks
from allegations.extract.merge import dedupe, party_names
from allegations.extract.passes import PassOutcome, cached_call, run_pass, to_records
from allegations.extract.responses import name_key
from allegations.extract.review import LABEL_FIELD, REVIEW_FIELDS, REVIEWED, review_messages, review_model
from allegations.extract.settings import BackendSettings
from allegations.schemas import (
    RECORD_TYPES,
    ArticleExtraction,
    DecidedBy,
    Decision,
    DroppedItem,
    align_quote,
    describe_errors,
    kind_of,
    validation_context,
)


@dataclass
class HybridRecords:
    """The records to assemble, the model's decisions about them, and the candidates it dropped."""

    records: dict[str, list[dict[str, Any]]]
    decisions: list[Decision] = field(default_factory=list)
    dropped: list[DroppedItem] = field(default_factory=list)


def decide(
    article_text: str,
    proposed: ArticleExtraction,
    backend: Any,
    settings: BackendSettings,
    cache: ResponseCache | None,
    spend: Callable[[PassOutcome], None],
) -> HybridRecords:
    """Apply the model's decisions (settings.decisions) to the rules' candidates; `spend` counts every call's cost.

    With no decisions for the model, no call is made and the rules' records come back unchanged.
    """
    decisions = settings.decisions
    fields = tuple(f for f in REVIEW_FIELDS if f in decisions)
    parties = [p.model_dump(mode="json") for p in proposed.parties]
    names = party_names(parties)
    dropped: list[DroppedItem] = []
    kept: dict[str, list[tuple[dict[str, Any], list[str]]]] = {"parties": [(p, []) for p in parties]}
    for record_type in REVIEWED:
        kept[record_type] = []
        for index, record in enumerate(getattr(proposed, record_type)):
            candidate = record.model_dump(mode="json", exclude_none=True)
            if not fields:
                kept[record_type].append((candidate, []))
                continue
            sentence = " ".join(e["quote"] for e in candidate["evidence"])
            messages = review_messages(record_type, fields, sentence, names)
            model = review_model(record_type, fields, settings.quotes_constrained)
            outcome = cached_call(backend, settings, cache, record_type, messages, model, {})
            spend(outcome)
            answer = outcome.items[0] if outcome.items else {}
            if "kept" in fields and answer.get("keep") is False:
                dropped.append(DroppedItem(record_type=record_type, reason=f"{record_type}[{index}]: model: not kept"))
                continue
            by_model = ["kept"] if "kept" in fields else []
            label = LABEL_FIELD[record_type]
            if "category" in fields and answer.get(label):
                candidate[label] = answer[label]
                by_model.append(label)
            if "summary" in fields and answer.get("summary"):
                candidate["summary"] = answer["summary"]
                by_model.append("summary")
            kept[record_type].append((candidate, by_model))
    if "added" in decisions and len(parties) > 1:
        _add_missed(article_text, kept, parties, names, backend, settings, cache, spend)
    return _settle(article_text, kept, dropped)


def _add_missed(
    article_text: str,
    kept: dict[str, list[tuple[dict[str, Any], list[str]]]],
    parties: list[dict[str, Any]],
    names: list[str],
    backend: Any,
    settings: BackendSettings,
    cache: ResponseCache | None,
    spend: Callable[[PassOutcome], None],
) -> None:
    """The usual passes over the article, naming the rules' parties; a record is added when no candidate covers it."""
    party_of = {name_key(n): p["name"] for p in parties for n in [p["name"], *p["aliases"]]}
    chunks = split_into_chunks(article_text, settings.max_chunk_chars)
    for record_type in REVIEWED:
        found: list[dict[str, Any]] = []
        for chunk in chunks:
            outcome = run_pass(backend, settings, cache, record_type, chunk, names, party_of)
            spend(outcome)
            found += to_records(outcome, chunk)
        covered = [_span(article_text, r) for r, _ in kept[record_type]]
        for record in dedupe(record_type, found, parties):
            span = _span(article_text, record)
            if span is not None and not any(_overlaps(span, other) for other in covered):
                kept[record_type].append((record, ["added"]))
                covered.append(span)


def _span(text: str, record: dict[str, Any]) -> tuple[int, int] | None:
    evidence = record["evidence"][0]
    found = align_quote(text, evidence["quote"], hint=evidence.get("start"))
    return None if found is None else (found[0], found[1])


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _settle(
    article_text: str, kept: dict[str, list[tuple[dict[str, Any], list[str]]]], dropped: list[DroppedItem]
) -> HybridRecords:
    """Validate each record against the article (drop and count failures), then number the model's decisions."""
    context = validation_context(article_text)
    result = HybridRecords(records={}, dropped=dropped)
    for record_type in RECORD_TYPES:
        result.records[record_type] = []
        for record, by_model in kept.get(record_type, []):
            try:
                kind_of(record_type).model.model_validate(record, context=context)
            except ValidationError as error:
                reason = f"{record_type}: {describe_errors(error)[0]}"
                result.dropped.append(DroppedItem(record_type=record_type, reason=reason))
                continue
            index = len(result.records[record_type])
            result.records[record_type].append(record)
            result.decisions += [
                Decision(record_type=record_type, index=index, field=name, by=DecidedBy.model) for name in by_model
            ]
    return result
