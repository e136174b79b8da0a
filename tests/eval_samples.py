"""Small invented articles and hand-written gold for the evaluation tests (no corpus text)."""

from __future__ import annotations

import copy
from typing import Any

from allegations.schemas import Article, ArticleExtraction, validate_extraction

TEXT_A = (
    "Northwind Traders Inc. has sued Contoso Ltd. in a federal court in Delaware. Northwind says Contoso copied "
    "its routing software after a pilot project and refused to pay the $4.2 million due under a 2020 licence "
    "agreement. The suit also claims Contoso staff logged into Northwind servers without permission. Northwind "
    "asks for compensatory damages, an injunction against further use of the software, and its legal fees."
)
TEXT_B = (
    "Fabrikam GmbH accused Tailspin Toys of breaking an exclusive supply contract signed in March 2018. "
    "According to the complaint, Tailspin bought parts from a rival supplier while the exclusivity clause was in "
    "force. Fabrikam wants twice its lost profits and a declaration that the contract remains valid."
)

ARTICLES = {
    "a1": Article(id="a1", title="Northwind sues Contoso", text=TEXT_A),
    "b2": Article(id="b2", title="Fabrikam accuses Tailspin", text=TEXT_B),
}


def _ev(*quotes: str) -> list[dict[str, Any]]:
    return [{"quote": q} for q in quotes]


GOLD_DATA: dict[str, dict[str, Any]] = {
    "a1": {
        "article_id": "a1",
        "parties": [
            {
                "name": "Northwind Traders Inc.",
                "aliases": ["Northwind"],
                "kind": "company",
                "role": "plaintiff",
                "evidence": _ev("Northwind Traders Inc. has sued Contoso Ltd."),
            },
            {
                "name": "Contoso Ltd.",
                "aliases": ["Contoso"],
                "kind": "company",
                "role": "defendant",
                "evidence": _ev("has sued Contoso Ltd."),
            },
        ],
        "allegations": [
            {
                "claimant": "Northwind",
                "accused": "Contoso",
                "category": "trade_secret_misappropriation",
                "summary": "Contoso copied Northwind's routing software after a pilot project.",
                "evidence": _ev("Contoso copied its routing software after a pilot project"),
            },
            {
                "claimant": "Northwind",
                "accused": "Contoso",
                "category": "non_payment",
                "summary": "Contoso refused to pay the money due under the licence.",
                "evidence": _ev("refused to pay the $4.2 million due under a 2020 licence agreement"),
            },
            {
                "claimant": "Northwind",
                "accused": "Contoso",
                "category": "unauthorized_access_or_espionage",
                "summary": "Contoso staff logged into Northwind servers without permission.",
                "evidence": _ev("Contoso staff logged into Northwind servers without permission"),
            },
        ],
        "contract_terms": [
            {
                "parties": ["Northwind", "Contoso"],
                "kind": "payment",
                "summary": "A licence agreement under which Contoso owed $4.2 million.",
                "amount": {"value": "4200000", "currency": "USD"},
                "date": "2020",
                "evidence": _ev("the $4.2 million due under a 2020 licence agreement"),
            }
        ],
        "relief_sought": [
            {
                "requested_by": "Northwind",
                "against": "Contoso",
                "kind": "compensatory_damages",
                "summary": "Compensatory damages.",
                "evidence": _ev("compensatory damages"),
            },
            {
                "requested_by": "Northwind",
                "against": "Contoso",
                "kind": "injunction",
                "summary": "An injunction against further use of the software.",
                "evidence": _ev("an injunction against further use of the software"),
            },
            {
                "requested_by": "Northwind",
                "against": "Contoso",
                "kind": "fees_and_costs",
                "summary": "Its legal fees.",
                "evidence": _ev("its legal fees"),
            },
        ],
    },
    "b2": {
        "article_id": "b2",
        "parties": [
            {
                "name": "Fabrikam GmbH",
                "aliases": ["Fabrikam"],
                "kind": "company",
                "role": "plaintiff",
                "evidence": _ev("Fabrikam GmbH accused Tailspin Toys"),
            },
            {
                "name": "Tailspin Toys",
                "aliases": ["Tailspin"],
                "kind": "company",
                "role": "defendant",
                "evidence": _ev("accused Tailspin Toys"),
            },
        ],
        "allegations": [
            {
                "claimant": "Fabrikam",
                "accused": "Tailspin",
                "category": "breach_of_contract",
                "summary": "Tailspin broke an exclusive supply contract by buying from a rival.",
                "evidence": _ev(
                    "breaking an exclusive supply contract",
                    "Tailspin bought parts from a rival supplier while the exclusivity clause was in force",
                ),
            }
        ],
        "contract_terms": [
            {
                "parties": ["Fabrikam", "Tailspin"],
                "kind": "exclusivity",
                "summary": "An exclusive supply contract signed in March 2018.",
                "date": "2018-03",
                "evidence": _ev("an exclusive supply contract signed in March 2018"),
            }
        ],
        "relief_sought": [
            {
                "requested_by": "Fabrikam",
                "against": "Tailspin",
                "kind": "punitive_or_exemplary_damages",
                "summary": "Twice its lost profits.",
                "multiplier": "2",
                "evidence": _ev("twice its lost profits"),
            },
            {
                "requested_by": "Fabrikam",
                "against": "Tailspin",
                "kind": "declaratory",
                "summary": "A declaration that the contract remains valid.",
                "evidence": _ev("a declaration that the contract remains valid"),
            },
        ],
    },
}


FABRICATED: dict[str, dict[str, Any]] = {
    "parties": {
        "name": "Delaware federal court",
        "kind": "court",
        "role": "other",
        "evidence": [{"quote": "a federal court in Delaware"}],
    },
    "allegations": {
        "claimant": "Contoso",
        "accused": "Northwind",
        "category": "coercion",
        "summary": "Threats were made over a merger.",
        "evidence": [{"quote": "in a federal court in Delaware"}],
    },
    "contract_terms": {
        "parties": ["Contoso"],
        "kind": "termination",
        "summary": "Either side may end the deal with a week's notice.",
        "evidence": [{"quote": "has sued"}],
    },
    "relief_sought": {
        "requested_by": "Contoso",
        "against": "Northwind",
        "kind": "reasonable_royalty",
        "summary": "A royalty on every shipment.",
        "evidence": [{"quote": "in a federal court"}],
    },
}
"""One record per type that resembles nothing in the gold of article a1."""


def gold_data() -> dict[str, dict[str, Any]]:
    """A fresh copy of the raw gold, safe to modify."""
    return copy.deepcopy(GOLD_DATA)


def extractions(data: dict[str, dict[str, Any]], *, check: bool = True) -> dict[str, ArticleExtraction]:
    """Validate raw records against their invented articles; `check=False` lets quotes the text lacks through."""
    if not check:
        return {key: ArticleExtraction.model_validate(value) for key, value in data.items()}
    return {key: validate_extraction(value, ARTICLES[key]) for key, value in data.items()}


def gold() -> dict[str, ArticleExtraction]:
    return extractions(gold_data())
