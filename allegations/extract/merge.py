"""Merge records from every chunk into one grounded ArticleExtraction, without duplicates."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from allegations.extract.responses import name_key
from allegations.schemas import (
    KINDS,
    Article,
    ArticleExtraction,
    DroppedItem,
    describe_errors,
    kind_of,
    validation_context,
)


def is_short_form(alias: str, name: str) -> bool:
    """True when `alias` is part of `name`, its initials, or shares a word of four letters or more with it.

    'Acme', 'ARL' and 'Acme-UK' pass for 'Acme Robotics Ltd'; 'Beta Freight' does not.
    """
    alias_key, name_words = name_key(alias), name_key(name).replace("-", " ").split()
    initials = "".join(word[0] for word in name_words if word[0].isalnum())
    shared = {w for w in alias_key.replace("-", " ").split() if len(w) >= 4} & set(name_words)
    return (
        alias_key in name_key(name) or alias_key.replace(".", "") in (initials, initials.rstrip("lic")) or bool(shared)
    )


def merge_parties(records: list[dict[str, Any]], *, short_aliases_only: bool = False) -> list[dict[str, Any]]:
    """One party per name: a record whose name is a known name or alias merges into that party.

    An alias that is another record's name is kept only when it is a short form of this party's name, so a model
    that gives one party another's name as an alias does not merge two parties. With `short_aliases_only` (for
    small models, which often give an unrelated name as alias) every alias must be a short form.
    """
    merged: list[dict[str, Any]] = []
    owner: dict[str, int] = {}
    names = {name_key(r["name"]) for r in records}
    for record in records:
        aliases = [
            alias
            for alias in record.get("aliases", [])
            if is_short_form(alias, record["name"]) or (name_key(alias) not in names and not short_aliases_only)
        ]
        index = next((owner[name_key(n)] for n in [record["name"], *aliases] if name_key(n) in owner), None)
        if index is None:
            index = len(merged)
            merged.append({**record, "aliases": []})
            owner[name_key(record["name"])] = index
        for name in [record["name"], *aliases]:
            if name_key(name) not in owner:
                owner[name_key(name)] = index
                merged[index]["aliases"].append(name)
    return merged


def party_names(parties: list[dict[str, Any]]) -> list[str]:
    """Every name and alias, the vocabulary later passes may refer to."""
    return [name for party in parties for name in [party["name"], *party.get("aliases", [])]]


def canonical_name(parties: list[dict[str, Any]], name: str) -> str:
    """The party's main name for one of its names or aliases (the name itself if unknown)."""
    for party in parties:
        if name_key(name) in {name_key(n) for n in [party["name"], *party.get("aliases", [])]}:
            return str(party["name"])
    return name


def _identity(record_type: str, record: dict[str, Any], parties: list[dict[str, Any]]) -> str:
    kind = kind_of(record_type)
    parts = []
    for field in kind.key_fields:
        value = record[field]
        if field in kind.party_fields and isinstance(value, list):
            value = sorted(name_key(canonical_name(parties, v)) for v in value)
        elif field in kind.party_fields:
            value = name_key(canonical_name(parties, value))
        parts.append(repr(value))
    start = record["evidence"][0].get("start")
    return "|".join(parts) + f"|{start}"


def dedupe(record_type: str, records: list[dict[str, Any]], parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop repeats (the same who, what and evidence span), as chunk overlaps produce them."""
    seen: set[str] = set()
    kept = []
    for record in records:
        key = _identity(record_type, record, parties)
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


def assemble(
    article: Article, records: dict[str, list[dict[str, Any]]], dropped: list[DroppedItem]
) -> ArticleExtraction:
    """Validate each record against the article, drop (and count) any that fail, then build the extraction."""
    context = validation_context(article)
    data: dict[str, Any] = {"article_id": article.id}
    for record_type, kind in KINDS.items():
        kept = []
        for index, record in enumerate(records.get(record_type, [])):
            try:
                kept.append(kind.model.model_validate(record, context=context).model_dump(mode="json"))
            except ValidationError as error:
                dropped.append(
                    DroppedItem(record_type=record_type, reason=f"{record_type}[{index}]: {describe_errors(error)[0]}")
                )
        data[record_type] = kept
    return ArticleExtraction.model_validate(data, context=context)
