"""The deterministic `rules` extractor: offline, milliseconds per article, every quote an exact span of the text.

Text goes through spaCy's blank English pipeline: its tokenizer (with exceptions for "U.S.", "Inc.", "Aug.") and
rule-based sentencizer need no model download and give every token its character offset, so records are grounded
by construction. The vocabulary (`lexicon*.py`) is written as short token patterns ("breach|breached ~
contract") rather than regular expressions. They are matched by `patterns.CueMatcher`, which indexes patterns by
their first word, because spaCy's `Matcher` with these ~100 set-valued patterns took 9 ms of CPU per article
in our measurement, nearly all of the 10 ms budget (100 articles/s); the index takes 0.6 ms, tokenizing included.
Regular expressions are kept for parsing values (money, dates).

Modules follow the pipeline: `text` (furniture out, sentences and clauses in); `names`, `entities`, `sides`,
`litigants`, `unnamed`, `drafts` and `parties` (who); `allegations`, `contracts`, `relief` (what); `values` (money,
dates, multipliers); and the vocabulary: `lexicon` (furniture, claims), `lexicon_names` (names, kinds of party),
`lexicon_terms` (agreements, relief, money).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from allegations import __version__
from allegations.extract.rules.allegations import AllegationDraft, find_allegations
from allegations.extract.rules.contracts import TermDraft, find_terms
from allegations.extract.rules.parties import Cast, find_parties
from allegations.extract.rules.relief import ReliefDraft, find_relief
from allegations.extract.rules.text import split_sentences, tidy
from allegations.schemas import Article, ArticleExtraction, Provenance, Strategy, validation_context

__all__ = ["extract_with_rules"]

EXTRACTOR = f"allegations-rules {__version__}"


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """sha256 over the rule modules' source: changes whenever a rule or the vocabulary does."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def schema_hash() -> str:
    """sha256 of the extraction's JSON Schema."""
    schema = json.dumps(ArticleExtraction.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()


def provenance() -> Provenance:
    """Provenance of a rules extraction: no model, no tokens, no latency worth counting."""
    return Provenance(
        extractor=EXTRACTOR,
        model="rules",
        backend="rules",
        mode="rules",
        prompt_hash=rules_hash(),
        schema_hash=schema_hash(),
        strategy=Strategy.rules,
    )


def _evidence(text: str, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    return [{"quote": text[start:end], "start": start} for start, end in dict.fromkeys(spans) if end > start]


def _party_records(text: str, cast: Cast) -> list[dict[str, Any]]:
    taken: set[str] = set()
    records = []
    for party in cast.parties:
        names = [party.name, *party.aliases]
        kept = [n for n in names if n.casefold() not in taken]
        if not kept or kept[0] != party.name:
            continue
        taken.update(n.casefold() for n in kept)
        party.aliases = kept[1:]
        records.append(
            {
                "name": party.name,
                "aliases": party.aliases,
                "kind": party.kind.value,
                "role": party.role.value,
                "evidence": _evidence(text, party.evidence),
            }
        )
    return records


def _allegation_record(text: str, draft: AllegationDraft) -> dict[str, Any]:
    first = draft.evidence[0]
    return {
        "claimant": draft.claimant.name,
        "accused": draft.accused.name,
        "category": draft.category.value,
        "summary": tidy(text[first[0] : first[1]]),
        "evidence": _evidence(text, draft.evidence),
    }


def _term_record(text: str, draft: TermDraft) -> dict[str, Any]:
    return {
        "parties": list(dict.fromkeys(p.name for p in draft.parties)),
        "kind": draft.kind.value,
        "summary": tidy(draft.text),
        "amount": draft.amount.model_dump(mode="json") if draft.amount else None,
        "date": draft.date,
        "evidence": _evidence(text, draft.evidence),
    }


def _relief_record(text: str, draft: ReliefDraft) -> dict[str, Any]:
    return {
        "requested_by": draft.requested_by.name,
        "against": draft.against.name,
        "kind": draft.kind.value,
        "summary": tidy(draft.text),
        "amount": draft.amount.model_dump(mode="json") if draft.amount else None,
        "multiplier": str(draft.multiplier) if draft.multiplier is not None else None,
        "evidence": _evidence(text, draft.evidence),
    }


def extract_with_rules(article: Article) -> ArticleExtraction:
    """Parties, allegations, contract terms and relief of one article, found by rules alone."""
    sentences = split_sentences(article.text)
    cast = find_parties(sentences)
    parties = _party_records(article.text, cast)
    known = {p["name"] for p in parties}
    allegations = [a for a in find_allegations(sentences, cast) if {a.claimant.name, a.accused.name} <= known]
    terms = [t for t in find_terms(sentences, cast) if {p.name for p in t.parties} <= known]
    relief = [r for r in find_relief(sentences, cast) if {r.requested_by.name, r.against.name} <= known]
    data = {
        "article_id": article.id,
        "parties": parties,
        "allegations": [_allegation_record(article.text, a) for a in allegations],
        "contract_terms": [_term_record(article.text, t) for t in terms],
        "relief_sought": [_relief_record(article.text, r) for r in relief],
        "provenance": provenance().model_dump(mode="json"),
    }
    return ArticleExtraction.model_validate(data, context=validation_context(article))
