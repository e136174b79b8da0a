"""Synthetic lawsuit articles about invented companies, and an extraction whose every quote grounds in each of them.

Every synthetic article shares the same core sentences (so one canned answer validates against all of them) and
differs in its id, headline, a numbered docket sentence and the amount of filler, so texts and cache keys differ.
"""

from __future__ import annotations

import random
from typing import Any

from allegations.schemas import Article

_CORE = [
    "Northwind Robotics brought a suit against Calder Freight Systems in a state court on Monday.",
    "Northwind Robotics accuses Calder Freight Systems of refusing to pay for warehouse robots it had delivered.",
    "The supply agreement was worth $4.2 million and covered forty sorting robots.",
    "Northwind Robotics wants the court to award it $4.2 million in damages plus legal fees.",
    "Calder Freight Systems said in a statement that the robots never worked as promised.",
]
_FILLER = [
    "Analysts said the dispute reflects wider strain in the logistics automation market.",
    "Neither company would say whether settlement talks had taken place.",
    "The robots were installed at a distribution centre outside the city last spring.",
    "A hearing on a preliminary motion is expected later in the year.",
    "Lawyers for both sides declined to comment beyond their written statements.",
    "Industry groups have called for clearer standards for automated warehouse equipment.",
]


def synthetic_article(index: int, rng: random.Random) -> Article:
    """One invented article: the shared core, a docket sentence naming `index`, and some filler."""
    filler = rng.sample(_FILLER, k=rng.randint(2, len(_FILLER)))
    paragraphs = [
        _CORE[0] + f" The case was given docket number 24-CV-{index:05d}.",
        " ".join([_CORE[1], *filler[:1]]),
        " ".join([_CORE[2], _CORE[3]]),
        " ".join([_CORE[4], *filler[1:]]),
    ]
    return Article(
        id=f"synthetic-{index:05d}",
        title=f"Robot maker sues freight firm over unpaid invoices (case {index})",
        text="\n\n".join(paragraphs) + "\n",
    )


def synthetic_articles(count: int, seed: int = 0) -> list[Article]:
    """`count` synthetic articles, reproducible for a given seed."""
    rng = random.Random(seed)
    return [synthetic_article(i, rng) for i in range(count)]


def _company(name: str, role: str, quote: str) -> dict[str, Any]:
    return {"name": name, "kind": "company", "role": role, "evidence": [{"quote": quote}]}


def canned_records() -> dict[str, list[dict[str, Any]]]:
    """Parties, an allegation, a contract term and a relief, each quoting the shared core sentences."""
    plaintiff, defendant = "Northwind Robotics", "Calder Freight Systems"
    return {
        "parties": [
            _company(plaintiff, "plaintiff", f"{plaintiff} brought"),
            _company(defendant, "defendant", f"against {defendant}"),
        ],
        "allegations": [
            {
                "claimant": plaintiff,
                "accused": defendant,
                "category": "non_payment",
                "summary": "The freight firm did not pay for robots that were delivered.",
                "evidence": [{"quote": "refusing to pay for warehouse robots it had delivered"}],
            }
        ],
        "contract_terms": [
            {
                "parties": [plaintiff, defendant],
                "kind": "value_or_price",
                "summary": "The supply agreement for forty robots was worth $4.2 million.",
                "amount": {"value": "4200000", "currency": "USD"},
                "evidence": [{"quote": "The supply agreement was worth $4.2 million"}],
            }
        ],
        "relief_sought": [
            {
                "requested_by": plaintiff,
                "against": defendant,
                "kind": "compensatory_damages",
                "summary": "The robot maker wants the unpaid amount as damages.",
                "amount": {"value": "4200000", "currency": "USD"},
                "evidence": [{"quote": "award it $4.2 million in damages"}],
            }
        ],
    }


def canned_extraction(article_id: str) -> dict[str, Any]:
    """A full ArticleExtraction payload for a synthetic article."""
    return {"article_id": article_id, **canned_records()}


def _item(record: dict[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    item = {k: v for k, v in record.items() if k not in ("evidence", *drop)}
    if isinstance(item.get("amount"), dict):
        item["amount"] = {**item["amount"], "value": float(item["amount"]["value"])}
    return {**item, "quote": record["evidence"][0]["quote"]}


def canned_pass_answers() -> dict[str, dict[str, Any]]:
    """The extraction passes' answers for any synthetic article, by record type: `{"items": [...]}` each."""
    records = canned_records()
    return {
        "parties": {"items": [_item(p, drop=("aliases",)) for p in records["parties"]]},
        "allegations": {"items": [_item(a, drop=()) for a in records["allegations"]]},
        "contract_terms": {"items": [_item(t, drop=()) for t in records["contract_terms"]]},
        "relief_sought": {"items": [_item(r, drop=()) for r in records["relief_sought"]]},
    }
