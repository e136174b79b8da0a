"""Chance floors: what two trivial extractors built from the gold's evidence sentences score under each matching.

Both emit, per article and record type, one record per sentence that holds gold evidence of that type, quoting the
whole sentence and summarising it by itself. Allegations name the article's plaintiff as claimant and its defendant
as accused (the first gold party with that role, else the first and the last party); relief is requested by the
plaintiff against the defendant; contract terms bind the two. Only the label differs:

- random label: the category or kind drawn uniformly from its enum; a party record names one of the article's gold
  parties drawn uniformly, with a uniform kind and role. Counts are pooled over `FLOOR_DRAWS` draws (fixed seed).
- most frequent label: the category or kind most frequent in the gold; a party record names the article's party with
  the most evidence sentences, with the most frequent kind and role.

A score near a floor means the extractor does little better than finding the right sentences and guessing.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from allegations.eval.compare import Span, evidence_spans
from allegations.schemas import (
    RECORD_TYPES,
    Allegation,
    AllegationCategory,
    Article,
    ArticleExtraction,
    ContractTerm,
    ContractTermKind,
    Party,
    PartyKind,
    PartyRole,
    ReliefKind,
    ReliefSought,
    validation_context,
)

RANDOM_LABEL, MOST_FREQUENT_LABEL = "random_label", "most_frequent_label"
FLOORS = (RANDOM_LABEL, MOST_FREQUENT_LABEL)
FLOOR_DRAWS = 10
FLOOR_SEED = 20210811

FLOOR_DESCRIPTIONS = {
    RANDOM_LABEL: f"one record per gold-evidence sentence with a uniformly random label (pooled over {FLOOR_DRAWS} "
    f"draws, seed {FLOOR_SEED})",
    MOST_FREQUENT_LABEL: "one record per gold-evidence sentence with the gold's most frequent label",
}

LABEL_ENUMS: dict[str, type[StrEnum]] = {
    "allegations": AllegationCategory,
    "contract_terms": ContractTermKind,
    "relief_sought": ReliefKind,
}
"""The enum of each statement type's key label (category for allegations, kind otherwise)."""

RECORD_MODELS: dict[str, type[Party | Allegation | ContractTerm | ReliefSought]] = {
    "parties": Party,
    "allegations": Allegation,
    "contract_terms": ContractTerm,
    "relief_sought": ReliefSought,
}

LABEL_FIELD = {"allegations": "category", "contract_terms": "kind", "relief_sought": "kind"}

_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*")
_WORD_BEFORE = re.compile(r"[\w.]*$")
_ABBREVIATIONS = frozenset(
    {"inc", "corp", "co", "ltd", "llc", "mr", "mrs", "ms", "dr", "st", "no", "jr", "sr", "vs", "v", "gen", "gov"}
    | {"sen", "rep", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "approx", "etc"}
)
_SUMMARY_MAX = 400


def sentence_spans(text: str) -> tuple[Span, ...]:
    """Sentences as [start, end) spans that tile the text; a line break always ends one, an abbreviation never."""
    spans: list[Span] = []
    start = 0
    for found in _END.finditer(text):
        word = _WORD_BEFORE.search(text, 0, found.start())
        before = word.group(0) if word is not None else ""
        if text[found.start()] == "." and (
            before.casefold() in _ABBREVIATIONS or "." in before or (len(before) == 1 and before.isupper())
        ):
            continue
        if found.end() > start:
            spans.append((start, found.end()))
            start = found.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


def _touched(sentences: Sequence[Span], spans: Sequence[Span]) -> list[int]:
    return [i for i, (s, e) in enumerate(sentences) if any(a < e and s < b for a, b in spans)]


def _quote(text: str, sentence: Span) -> dict[str, Any] | None:
    raw = text[sentence[0] : sentence[1]]
    stripped = raw.strip()
    if not stripped:
        return None
    start = sentence[0] + raw.index(stripped)
    return {"quote": stripped, "start": start, "end": start + len(stripped)}


def _by_role(parties: Sequence[Party], role: PartyRole, fallback: int) -> Party:
    return next((p for p in parties if p.role == role), parties[fallback])


def most_frequent_labels(gold: Mapping[str, ArticleExtraction]) -> dict[str, str]:
    """The gold's most frequent label per statement type, and the parties' most frequent kind and role."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in (*LABEL_FIELD, "party_kind", "party_role")}
    for extraction in gold.values():
        for record_type, field in LABEL_FIELD.items():
            counters[record_type].update(str(getattr(r, field)) for r in getattr(extraction, record_type))
        counters["party_kind"].update(str(p.kind) for p in extraction.parties)
        counters["party_role"].update(str(p.role) for p in extraction.parties)
    defaults = {"party_kind": PartyKind.company.value, "party_role": PartyRole.other.value}
    defaults |= {t: next(iter(enum)).value for t, enum in LABEL_ENUMS.items()}
    # Ties go to the label met first in article order, so the floor does not depend on hash order.
    return {name: (c.most_common(1)[0][0] if c else defaults[name]) for name, c in counters.items()}


def floor_extraction(
    gold: ArticleExtraction, article: Article, floor: str, rng: random.Random, frequent: Mapping[str, str]
) -> ArticleExtraction:
    """One trivial extractor's output for one article (see the module docstring)."""
    records: dict[str, list[Any]] = {t: [] for t in RECORD_TYPES}
    if not gold.parties:
        return ArticleExtraction(article_id=article.id)
    context = validation_context(article)
    sentences = sentence_spans(article.text)
    plaintiff = _by_role(gold.parties, PartyRole.plaintiff, 0).name
    defendant = _by_role(gold.parties, PartyRole.defendant, -1).name
    party_sentences = {
        i: _touched(sentences, evidence_spans(p.evidence, article.text)) for i, p in enumerate(gold.parties)
    }
    busiest = max(range(len(gold.parties)), key=lambda i: (len(party_sentences[i]), -i))
    for record_type in RECORD_TYPES:
        touched: set[int] = set()
        for record in getattr(gold, record_type):
            touched.update(_touched(sentences, evidence_spans(record.evidence, article.text)))
        for index in sorted(touched):
            quote = _quote(article.text, sentences[index])
            if quote is None:
                continue
            record = _floor_record(record_type, floor, rng, frequent, gold.parties, busiest, plaintiff, defendant)
            if record_type != "parties":
                record["summary"] = quote["quote"][:_SUMMARY_MAX]
            record["evidence"] = [quote]
            records[record_type].append(RECORD_MODELS[record_type].model_validate(record, context=context))
    # Every record is validated against the text; the container is not, since one party per sentence repeats names.
    return ArticleExtraction.model_construct(
        article_id=article.id,
        parties=records["parties"],
        allegations=records["allegations"],
        contract_terms=records["contract_terms"],
        relief_sought=records["relief_sought"],
        provenance=None,
    )


def _floor_record(
    record_type: str,
    floor: str,
    rng: random.Random,
    frequent: Mapping[str, str],
    parties: Sequence[Party],
    busiest: int,
    plaintiff: str,
    defendant: str,
) -> dict[str, Any]:
    def pick(enum: type[StrEnum], frequent_key: str) -> str:
        return rng.choice(list(enum)).value if floor == RANDOM_LABEL else frequent[frequent_key]

    if record_type == "parties":
        party = rng.choice(list(parties)) if floor == RANDOM_LABEL else parties[busiest]
        return {"name": party.name, "kind": pick(PartyKind, "party_kind"), "role": pick(PartyRole, "party_role")}
    label = pick(LABEL_ENUMS[record_type], record_type)
    if record_type == "allegations":
        return {"claimant": plaintiff, "accused": defendant, "category": label}
    if record_type == "contract_terms":
        return {"parties": list(dict.fromkeys([plaintiff, defendant])), "kind": label}
    return {"requested_by": plaintiff, "against": defendant, "kind": label}


def floor_predictions(
    gold: Mapping[str, ArticleExtraction], articles: Mapping[str, Article], seed: int = FLOOR_SEED
) -> dict[str, list[dict[str, ArticleExtraction]]]:
    """Every floor's predictions: FLOOR_DRAWS sets for the random label, one for the most frequent label."""
    frequent = most_frequent_labels(gold)
    rng = random.Random(seed)
    draws = {RANDOM_LABEL: FLOOR_DRAWS, MOST_FREQUENT_LABEL: 1}
    return {
        floor: [
            {key: floor_extraction(gold[key], articles[key], floor, rng, frequent) for key in sorted(gold)}
            for _ in range(draws[floor])
        ]
        for floor in FLOORS
    }
