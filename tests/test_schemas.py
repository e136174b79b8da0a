"""The record schemas: good records validate, each bad input fails with its field path and reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import ValidationError

from allegations.schemas import Article, ArticleExtraction, describe_errors, validate_extraction

TEXT = (
    "Acme Corp. sued Globex Inc. on Monday. Acme says Globex copied its designs and never paid "
    "the $2.5 million owed under a 2019 supply deal. Acme asks for twice its losses and an injunction."
)
ARTICLE = Article(id="a1", title="Acme sues Globex", text=TEXT)


def good() -> dict[str, Any]:
    return {
        "article_id": "a1",
        "parties": [
            {
                "name": "Acme Corp.",
                "aliases": ["Acme"],
                "kind": "company",
                "role": "plaintiff",
                "evidence": [{"quote": "Acme Corp. sued Globex Inc."}],
            },
            {
                "name": "Globex Inc.",
                "aliases": ["Globex"],
                "kind": "company",
                "role": "defendant",
                "evidence": [{"quote": "sued Globex Inc."}],
            },
        ],
        "allegations": [
            {
                "claimant": "Acme",
                "accused": "Globex",
                "category": "trade_secret_misappropriation",
                "summary": "Globex copied Acme's designs.",
                "evidence": [{"quote": "Globex copied its designs"}],
            },
            {
                "claimant": "acme corp.",
                "accused": "GLOBEX INC.",
                "category": "non_payment",
                "summary": "Globex did not pay what it owed.",
                "evidence": [{"quote": "never paid"}],
            },
        ],
        "contract_terms": [
            {
                "parties": ["Acme", "Globex"],
                "kind": "payment",
                "summary": "Globex owed Acme $2.5 million.",
                "amount": {"value": "2500000", "currency": "USD"},
                "date": "2019",
                "evidence": [{"quote": "the $2.5 million owed under a 2019 supply deal"}],
            },
        ],
        "relief_sought": [
            {
                "requested_by": "Acme",
                "against": "Globex",
                "kind": "punitive_or_exemplary_damages",
                "summary": "Twice its losses.",
                "multiplier": 2,
                "evidence": [{"quote": "twice its losses"}],
            },
            {
                "requested_by": "Acme",
                "against": "Globex",
                "kind": "injunction",
                "summary": "An injunction.",
                "evidence": [{"quote": "an injunction"}],
            },
        ],
    }


def test_a_good_extraction_validates_and_round_trips() -> None:
    extraction = validate_extraction(good(), ARTICLE)
    assert extraction.allegations[1].evidence[0].start == TEXT.index("never paid")
    again = validate_extraction(json.loads(extraction.model_dump_json()), ARTICLE)
    assert again == extraction


def test_party_references_resolve_by_name_or_alias_ignoring_case() -> None:
    extraction = validate_extraction(good(), ARTICLE)
    assert extraction.resolve_party("GLOBEX").name == "Globex Inc."
    assert extraction.resolve_party("Initech") is None


def _set(path: str, value: Any) -> dict[str, Any]:
    data = good()
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()


@dataclass(frozen=True)
class Rejected:
    """A check pydantic makes for the schema (enum, pattern, bound): its stable error type, not its wording."""

    type: str


# (path to change, new value, field path reported, the project's own message or the pydantic check that fails)
BAD_INPUTS: list[tuple[str, Any, str, str | Rejected]] = [
    ("allegations.1.category", "theft", "allegations[1].category", Rejected("enum")),
    (
        "allegations.0.claimant",
        "Initech",
        "allegations[0].claimant",
        "'Initech' is not the name or alias of any party; add it to parties or fix the name",
    ),
    (
        "relief_sought.1.against",
        "Hooli",
        "relief_sought[1].against",
        "'Hooli' is not the name or alias of any party; add it to parties or fix the name",
    ),
    (
        "contract_terms.0.parties.1",
        "Umbrella",
        "contract_terms[0].parties[1]",
        "'Umbrella' is not the name or alias of any party; add it to parties or fix the name",
    ),
    ("contract_terms.0.date", "2019-13", "contract_terms[0].date", "not a calendar date: month must be in 1..12"),
    ("contract_terms.0.date", "19 May 2019", "contract_terms[0].date", Rejected("string_pattern_mismatch")),
    (
        "contract_terms.0.date",
        "2019-02-30",
        "contract_terms[0].date",
        "not a calendar date: day is out of range for month",
    ),
    (
        "contract_terms.0.amount.currency",
        "dollars",
        "contract_terms[0].amount.currency",
        Rejected("string_pattern_mismatch"),
    ),
    ("contract_terms.0.amount.value", "lots", "contract_terms[0].amount.value", Rejected("decimal_parsing")),
    ("parties.0.kind", "corporation", "parties[0].kind", Rejected("enum")),
    ("parties.1.role", "victim", "parties[1].role", Rejected("enum")),
    ("parties.1.aliases", ["Acme"], "parties[1]", "name 'Acme' is already used by parties[0]"),
    ("relief_sought.0.kind", "money", "relief_sought[0].kind", Rejected("enum")),
    ("relief_sought.0.multiplier", 0, "relief_sought[0].multiplier", Rejected("greater_than")),
    ("allegations.0.evidence", [], "allegations[0].evidence", Rejected("too_short")),
    (
        "allegations.0.evidence.0.quote",
        "Globex stole everything",
        "allegations[0].evidence[0]",
        "quote not found in the article text: 'Globex stole everything'",
    ),
    ("allegations.0.severity", "high", "allegations[0].severity", Rejected("extra_forbidden")),
    ("allegations.0.summary", _DELETE, "allegations[0].summary", Rejected("missing")),
    ("article_id", "../etc", "article_id", Rejected("string_pattern_mismatch")),
]


@pytest.mark.parametrize(
    ("path", "value", "where", "reason"), BAD_INPUTS, ids=[f"{p}={v!r}" for p, v, *_ in BAD_INPUTS]
)
def test_bad_input_fails_with_path_and_reason(path: str, value: Any, where: str, reason: str | Rejected) -> None:
    with pytest.raises(ValidationError) as err:
        validate_extraction(_set(path, value), ARTICLE)
    (line,) = describe_errors(err.value)
    if isinstance(reason, Rejected):
        assert line.startswith(f"{where}: ") and [e["type"] for e in err.value.errors()] == [reason.type], line
    else:
        assert line == f"{where}: {reason}"


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = good()
    data["allegations"][0]["category"] = "theft"
    data["parties"][0]["kind"] = "corporation"
    with pytest.raises(ValidationError) as err:
        validate_extraction(data, ARTICLE)
    assert [line.split(":")[0] for line in describe_errors(err.value)] == ["parties[0].kind", "allegations[0].category"]


def test_every_field_carries_a_description() -> None:
    def walk(schema: dict[str, Any], where: str) -> list[str]:
        missing = []
        for name, prop in schema.get("properties", {}).items():
            if "description" not in prop:
                missing.append(f"{where}.{name}")
        return missing

    full = ArticleExtraction.model_json_schema()
    missing = walk(full, "ArticleExtraction")
    for name, definition in full["$defs"].items():
        missing += walk(definition, name)
    assert missing == []


def test_extraction_schema_forbids_unknown_fields_everywhere() -> None:
    full = ArticleExtraction.model_json_schema()
    objects = [full, *full["$defs"].values()]
    assert all(d.get("additionalProperties") is False for d in objects if d.get("type") == "object")


def test_validation_leaves_the_callers_data_unchanged() -> None:
    data = good()
    data["allegations"][0]["evidence"][0]["start"] = 0  # a wrong hint the validator corrects in the record only
    before = json.dumps(data, sort_keys=True)
    extraction = validate_extraction(data, ARTICLE)
    assert extraction.allegations[0].evidence[0].start == TEXT.index("Globex copied its designs")
    assert json.dumps(data, sort_keys=True) == before
