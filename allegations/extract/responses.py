"""Small LLM-facing response models, one per record type, that convert into the schemas' records.

The model gives quotes only; offsets are computed by aligning each quote against the text passed as validation
context, so a quote that is not in the article fails validation and is sent back as a re-ask. The context is
`{"text": chunk_text, "parties": [names], "party_of": {name_key: party}, "quote_of": {choice: article span}}`; a
quote given as one of the offered choices is read back as the article span it stands for.
"""

from __future__ import annotations

import functools
import hashlib
import json
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator, model_validator

from allegations.extract.chunking import grammar_safe
from allegations.schemas import (
    KINDS,
    AllegationCategory,
    ArticleExtraction,
    ContractTermKind,
    PartyKind,
    PartyRole,
    ReliefKind,
    ground,
    kind_of,
    normalise_typography,
)
from allegations.schemas.kinds import ALLEGATIONS, CONTRACT_TERMS, PARTY_NAME_FIELDS, RELIEF_SOUGHT
from allegations.schemas.records import PartialDate
from allegations.schemas.text import clip

MAX_QUOTE_CHARS = 400
# Capable models: about one record per this many characters of text (the gold holds 9 allegations in 3,500
# characters, 8 parties in 3,500), never fewer than the kind's max_items, never more than ITEM_CEILING.
CHARS_PER_ITEM = {"parties": 250, "allegations": 200, "contract_terms": 300, "relief_sought": 300}
ITEM_CEILING = 60
VALIDATOR_RULES_VERSION = 1
"""Bump when a rule that decides which answers pass changes (quote alignment, party resolution, salvage): cached
passes were judged by the old rules and must be asked again. Edits that keep the rules need no bump."""


def item_limit(record_type: str, chars: int, *, scaled: bool) -> int:
    """The most items one answer may hold: the kind's max_items, or for capable models one from the text length."""
    small = kind_of(record_type).max_items
    if not scaled:
        return small
    return min(ITEM_CEILING, max(small, -(-chars // CHARS_PER_ITEM[record_type])))


def name_key(name: str) -> str:
    """Case- and typography-insensitive form of a name."""
    return normalise_typography(name).casefold()


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _plain_string(limit: int) -> dict[str, Any]:
    """A string of 1..limit characters without quotes, backslashes or control characters.

    llama.cpp's default JSON string rule lets a small model emit raw newlines and runaway escapes, which no JSON
    parser accepts; this pattern keeps free text parseable.
    """
    return {"type": "string", "pattern": f'^[^"\\\\\\x00-\\x1f]{{1,{limit}}}$'}


def _quote_last(schema: dict[str, Any]) -> None:
    """Ask for the quote after the fields it supports (the JSON schema's property order is the output order)."""
    props = schema.get("properties", {})
    if "quote" in props:
        props["quote"] = props.pop("quote")


class MoneyItem(BaseModel):
    """An amount of money."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(ge=0, description="The amount as a plain number: $150 million is 150000000.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD.")


class GroundedItem(BaseModel):
    """An item that carries one verbatim quote from the text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_quote_last)
    party_fields: ClassVar[tuple[str, ...]] = ()

    quote: str = Field(min_length=1, max_length=MAX_QUOTE_CHARS, description="Words copied exactly from the article.")

    @field_validator("quote")
    @classmethod
    def _quote_in_text(cls, quote: str, info: ValidationInfo) -> str:
        quote = (_context(info).get("quote_of") or {}).get(quote, quote)
        text = _context(info).get("text")
        if isinstance(text, str) and ground(text, quote) is None:
            raise ValueError(f"quote not found in the article: {clip(quote, 70)!r}; copy a sentence exactly")
        return quote

    @model_validator(mode="after")
    def _parties_resolve(self, info: ValidationInfo) -> GroundedItem:
        known = _context(info).get("parties")
        if not isinstance(known, list):
            return self
        keys = {name_key(n) for n in known}
        party_of = _context(info).get("party_of") or {}
        named = []
        for field in self.party_fields:
            value = getattr(self, field)
            for name in value if isinstance(value, list) else [value]:
                if name_key(name) not in keys:
                    raise ValueError(f"{field}: {name!r} is not one of the parties: {'; '.join(known)}")
                named.append(party_of.get(name_key(name), name_key(name)))
        if len(named) != len(set(named)):
            raise ValueError(f"{' and '.join(self.party_fields)} must name different parties")
        return self


class PartyItem(GroundedItem):
    """A party to the dispute."""

    name: str = Field(min_length=1, max_length=80, description="The name exactly as written in the article.")
    alias: str | None = Field(default=None, max_length=40, description="A shorter name the article also uses.")
    kind: PartyKind
    role: PartyRole

    @field_validator("name", "alias")
    @classmethod
    def _name_in_text(cls, name: str | None, info: ValidationInfo) -> str | None:
        text = _context(info).get("text")
        if name is not None and isinstance(text, str) and name_key(name) not in name_key(text):
            raise ValueError(f"{name!r} does not occur in the article; copy the name exactly")
        return name


class AllegationItem(GroundedItem):
    """One accusation."""

    party_fields = ALLEGATIONS.party_fields

    claimant: str = Field(min_length=1, max_length=80, description="Who accuses: a name from the parties list.")
    accused: str = Field(min_length=1, max_length=80, description="Who is accused: a name from the parties list.")
    category: AllegationCategory
    summary: str = Field(min_length=1, max_length=200, description="One short sentence in your own words.")


class ContractTermItem(GroundedItem):
    """One term of an agreement."""

    party_fields = CONTRACT_TERMS.party_fields

    parties: list[str] = Field(min_length=1, max_length=3, description="Names from the parties list.")
    kind: ContractTermKind
    summary: str = Field(min_length=1, max_length=200, description="One short sentence in your own words.")
    amount: MoneyItem | None = None
    date: PartialDate | None = None


class ReliefItem(GroundedItem):
    """One remedy asked of the court."""

    party_fields = RELIEF_SOUGHT.party_fields

    requested_by: str = Field(min_length=1, max_length=80, description="Who asks: a name from the parties list.")
    against: str = Field(min_length=1, max_length=80, description="Against whom: a name from the parties list.")
    kind: ReliefKind
    summary: str = Field(min_length=1, max_length=200, description="One short sentence in your own words.")
    amount: MoneyItem | None = None


ITEM_MODELS: dict[str, type[GroundedItem]] = {
    "parties": PartyItem,
    "allegations": AllegationItem,
    "contract_terms": ContractTermItem,
    "relief_sought": ReliefItem,
}
"""The LLM-facing item of each kind in `KINDS`."""


def _constrain(
    schema: dict[str, Any],
    quote_choices: list[str] | None,
    party_names: list[str] | None,
    names: list[str] | None,
    *,
    plain_text: bool,
) -> None:
    props = schema.get("properties", {})
    for name, prop in list(props.items()) if plain_text else []:
        if prop.get("type") == "string" and "maxLength" in prop and "enum" not in prop and "pattern" not in prop:
            props[name] = _plain_string(prop["maxLength"])
        elif any(o.get("type") == "string" and "maxLength" in o for o in prop.get("anyOf", [])):
            props[name] = {
                "anyOf": [_plain_string(o["maxLength"]) if o.get("type") == "string" else o for o in prop["anyOf"]],
                "default": None,
            }
    if quote_choices and "quote" in props and all(grammar_safe(quote) == quote for quote in quote_choices):
        props["quote"] = {"type": "string", "enum": quote_choices}
    if party_names and all(grammar_safe(name) == name for name in party_names):
        for field in PARTY_NAME_FIELDS:
            if field not in props:
                continue
            if props[field].get("type") == "array":
                props[field]["items"] = {"type": "string", "enum": party_names}
            else:
                props[field] = {"type": "string", "enum": party_names}
    if plain_text and "date" in props:  # llama.cpp grammars know [0-9] but not \d
        date = {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
        props["date"] = {"anyOf": [date, {"type": "null"}], "default": None}
    if names and "name" in props and all(grammar_safe(name) == name for name in names):
        props["name"] = {"type": "string", "enum": names}
        props["alias"] = {"anyOf": [{"type": "string", "enum": names}, {"type": "null"}], "default": None}
    _quote_last(schema)


def response_model(
    record_type: str,
    *,
    quote_choices: list[str] | None = None,
    party_names: list[str] | None = None,
    name_choices: list[str] | None = None,
    constrained: bool = False,
    max_items: int | None = None,
) -> type[BaseModel]:
    """The response model for one pass; choices become JSON-schema enums, which llama.cpp turns into a grammar.

    `name_choices` are the capitalised names of the text, offered for party names. `constrained` also limits free
    text to plain characters, for grammar-based servers; without it only `party_names` are offered. Validation
    stays the same either way: quotes must align, party names must resolve. `max_items` defaults to the kind's.
    """
    return _response_model(
        record_type,
        tuple(dict.fromkeys(quote_choices or [])) if constrained else (),
        tuple(dict.fromkeys(party_names or [])),
        tuple(dict.fromkeys(name_choices or [])) if constrained else (),
        constrained,
        max_items or kind_of(record_type).max_items,
    )


@functools.lru_cache(maxsize=512)
def _response_model(
    record_type: str,
    quotes: tuple[str, ...],
    names: tuple[str, ...],
    candidates: tuple[str, ...],
    constrained: bool,
    max_items: int,
) -> type[BaseModel]:
    """Built once per distinct set of choices: creating pydantic models and their schemas is costly."""
    kind, item = kind_of(record_type), ITEM_MODELS[record_type]
    if constrained or names:

        def extra(schema: dict[str, Any]) -> None:
            _constrain(
                schema, list(quotes) or None, list(names) or None, list(candidates) or None, plain_text=constrained
            )

        item = type(item.__name__, (item,), {"model_config": ConfigDict(extra="forbid", json_schema_extra=extra)})
    return create_model(
        kind.title,
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"The {record_type.replace('_', ' ')} the article states.",
        items=(list[item], Field(max_length=max_items, description="An empty list if there are none.")),  # type: ignore[valid-type]
    )


@functools.cache
def response_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A response model's JSON schema, computed once per model (the cache key hashes it on every call)."""
    return model.model_json_schema()


@functools.cache
def schema_hash() -> str:
    """sha256 of the unconstrained response schemas and of the output record schema."""
    material = {name: response_model(name).model_json_schema() for name in KINDS}
    material["ArticleExtraction"] = ArticleExtraction.model_json_schema()
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


def _evidence(quote: str, text: str, offset: int) -> list[dict[str, Any]]:
    span = ground(text, quote)
    return [{"quote": quote, "start": offset + span[0] if span else None}]


def _money(amount: dict[str, Any] | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    value = Decimal(str(amount["value"]))
    return {
        "value": str(value.to_integral_value() if value == value.to_integral_value() else value),
        **_currency(amount),
    }


def _currency(amount: dict[str, Any]) -> dict[str, Any]:
    return {"currency": amount["currency"]}


def to_record(record_type: str, item: dict[str, Any], chunk_text: str, offset: int) -> dict[str, Any]:
    """A validated item (as a dict) in the shape of the schemas' record; evidence starts are hints into the article."""
    fields = kind_of(record_type).model.model_fields
    record = {f: value for f, value in item.items() if f in fields and f != "amount" and value is not None}
    if "alias" in item:
        alias = item["alias"]
        record["aliases"] = [alias] if alias and name_key(alias) != name_key(item["name"]) else []
    if item.get("amount") is not None:
        record["amount"] = _money(item["amount"])
    record["evidence"] = _evidence(item["quote"], chunk_text, offset)
    return record
