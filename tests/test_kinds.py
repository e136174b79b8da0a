"""Every record kind is wired through every stage: a new kind or enum value cannot be half-added."""

from __future__ import annotations

import typing

import pytest

from allegations.eval.compare import COMPARATORS, FIELD_WEIGHTS
from allegations.extract.prompts import EXAMPLE_ANSWERS, EXAMPLE_ARTICLE, EXAMPLE_PARTY_NAMES, INSTRUCTIONS
from allegations.extract.responses import ITEM_MODELS, response_model
from allegations.publish.features import FEATURES, RECORD_FIELDS
from allegations.schemas import KINDS, RECORD_TYPES, ArticleExtraction, RecordKind, kind_of
from allegations.schemas.kinds import LINKED_KINDS, PARTIES, PARTY_NAME_FIELDS

UNSCORED_FIELDS = {"aliases"}  # a party's aliases only help resolve names; they are not scored themselves
ALL_KINDS = list(KINDS.values())


def test_the_registry_lists_every_record_field_of_an_extraction_in_order() -> None:
    listed = [
        (name, typing.get_args(field.annotation)[0])
        for name, field in ArticleExtraction.model_fields.items()
        if typing.get_origin(field.annotation) is list
    ]
    assert listed == [(kind.name, kind.model) for kind in ALL_KINDS]
    assert tuple(KINDS) == RECORD_TYPES and ALL_KINDS[0] is PARTIES
    assert tuple(ALL_KINDS[1:]) == LINKED_KINDS


def test_an_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown record type 'claims'; expected one of parties, allegations"):
        kind_of("claims")


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.name)
def test_each_kind_names_real_fields(kind: RecordKind) -> None:
    fields = set(kind.model.model_fields)
    assert set(kind.party_fields) <= fields and set(kind.key_fields) <= fields
    assert set(kind.party_fields) <= set(PARTY_NAME_FIELDS)
    assert set(kind.eval_weights) == fields - UNSCORED_FIELDS
    assert all(weight > 0 for weight in kind.eval_weights.values())
    assert kind.max_items > 0 and kind.chars_per_item > 0


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.name)
def test_each_kind_is_wired_into_extract_eval_and_publish(kind: RecordKind) -> None:
    item = ITEM_MODELS[kind.name]
    assert item.party_fields == kind.party_fields
    assert set(item.model_fields) - {"quote", "alias"} <= set(kind.model.model_fields)
    assert FIELD_WEIGHTS[kind.name] == kind.eval_weights and set(kind.eval_weights) <= set(COMPARATORS)
    assert kind.name in RECORD_FIELDS and kind.name in FEATURES["gold"] and kind.name in FEATURES["extractions"]
    response = response_model(kind.name, party_names=EXAMPLE_PARTY_NAMES if kind.party_fields else None)
    context = {"text": EXAMPLE_ARTICLE, "parties": EXAMPLE_PARTY_NAMES if kind.party_fields else None}
    example = response.model_validate(EXAMPLE_ANSWERS[kind.name], context=context)
    assert 0 < len(example.items) <= kind.max_items  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.name)
def test_the_prompt_offers_every_enum_value_and_the_limit(kind: RecordKind) -> None:
    instruction = INSTRUCTIONS[kind.name]
    assert kind.enum_fields(), kind.name
    for field, enum in kind.enum_fields().items():
        assert ITEM_MODELS[kind.name].model_fields[field].annotation is enum
        for member in enum:
            assert f" {member.value}" in instruction, (kind.name, field, member.value)
    assert f"(at most {kind.max_items})" in instruction


def test_party_references_follow_the_registry() -> None:
    extraction = ArticleExtraction.model_validate(
        {
            "article_id": "a1",
            "parties": [
                {"name": "Acme", "kind": "company", "role": "plaintiff", "evidence": [{"quote": "x"}]},
                {"name": "Beta", "kind": "company", "role": "defendant", "evidence": [{"quote": "x"}]},
            ],
            "contract_terms": [
                {"parties": ["Acme", "Beta"], "kind": "payment", "summary": "s", "evidence": [{"quote": "x"}]}
            ],
            "relief_sought": [
                {
                    "requested_by": "Acme",
                    "against": "Beta",
                    "kind": "injunction",
                    "summary": "s",
                    "evidence": [{"quote": "x"}],
                }
            ],
        }
    )
    assert extraction.party_references() == [
        ("contract_terms[0].parties[0]", "Acme"),
        ("contract_terms[0].parties[1]", "Beta"),
        ("relief_sought[0].requested_by", "Acme"),
        ("relief_sought[0].against", "Beta"),
    ]
