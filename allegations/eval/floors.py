"""Chance floors: what two trivial extractors built from the gold's evidence sentences score under each matching.

Both emit, per article and record type, one record per sentence that holds gold evidence of that type, quoting the
whole sentence and summarising it by itself. Allegations name the article's plaintiff as claimant and its defendant
as accused (the first gold party with that role, else the first and the last party); relief is requested by the
plaintiff against the defendant; contract terms bind the two. Only the label differs:

- random label: the category or kind drawn uniformly from its enum; a party record names one of the article's gold
  parties drawn uniformly, with a uniform kind and role. Counts are pooled over several draws (fixed seed): enough
  to cover `FLOOR_RECORDS` gold records, at most `FLOOR_DRAWS`.

Gold sets of more than `FLOOR_ARTICLES` articles have their floors estimated on a fixed-seed sample of that many.
- most frequent label: the category or kind most frequent in the gold; a party record names the article's party with
  the most evidence sentences, with the most frequent kind and role.

A score near a floor means the extractor does little better than finding the right sentences and guessing.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from allegations.eval.compare import Span, evidence_spans
from allegations.schemas import (
    RECORD_TYPES,
    Alignment,
    Allegation,
    AllegationCategory,
    Article,
    ArticleExtraction,
    ContractTerm,
    ContractTermKind,
    Evidence,
    Party,
    PartyKind,
    PartyRole,
    ReliefKind,
    ReliefSought,
)

RANDOM_LABEL, MOST_FREQUENT_LABEL = "random_label", "most_frequent_label"
FLOORS = (RANDOM_LABEL, MOST_FREQUENT_LABEL)
FLOOR_SEED = 20210811
FLOOR_DRAWS = 10
"""At most this many random-label draws are pooled: as many as it takes to cover FLOOR_RECORDS gold records."""
FLOOR_RECORDS = 1000
FLOOR_ARTICLES = 500
"""Floors are estimated on at most this many gold articles, drawn with FLOOR_SEED from larger gold sets."""


def floor_articles(gold: Mapping[str, ArticleExtraction]) -> list[str]:
    """The gold articles the floors are scored on: all of them, or a fixed-seed sample of FLOOR_ARTICLES."""
    keys = sorted(gold)
    return keys if len(keys) <= FLOOR_ARTICLES else sorted(random.Random(FLOOR_SEED).sample(keys, FLOOR_ARTICLES))


def floor_draws(gold: Mapping[str, ArticleExtraction]) -> int:
    """Random-label draws to pool: one for a large gold set, up to FLOOR_DRAWS for a small one (a steadier mean)."""
    records = sum(len(getattr(extraction, t)) for extraction in gold.values() for t in RECORD_TYPES)
    return max(1, min(FLOOR_DRAWS, -(-FLOOR_RECORDS // max(records, 1))))


def floor_description(floor: str, draws: int, articles: int, of: int) -> str:
    """How one floor's records are made and on which articles, as the report states it."""
    where = f"on {articles} of {of} gold articles drawn with seed {FLOOR_SEED}" if articles < of else "on every article"
    if floor == RANDOM_LABEL:
        return f"one record per gold-evidence sentence with a uniformly random label, {where}, over {draws} draw(s)"
    return f"one record per gold-evidence sentence with the gold's most frequent label, {where}"


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

_MEMBERS: dict[type[StrEnum], list[StrEnum]] = {
    enum: list(enum) for enum in (PartyKind, PartyRole, AllegationCategory, ContractTermKind, ReliefKind)
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


def _quote(text: str, sentence: Span) -> Evidence | None:
    raw = text[sentence[0] : sentence[1]]
    stripped = raw.strip()
    if not stripped:
        return None
    start = sentence[0] + raw.index(stripped)
    # Cut from the text itself, so it is exact by construction.
    return Evidence.model_construct(quote=stripped, start=start, end=start + len(stripped), alignment=Alignment.exact)


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


@dataclass(frozen=True)
class Skeleton:
    """What both trivial extractors take from one article's gold: its gold-evidence sentences and its parties."""

    article_id: str
    quotes: dict[str, list[Evidence]]
    parties: tuple[Party, ...]
    busiest: int
    plaintiff: str
    defendant: str


def skeleton(gold: ArticleExtraction, article: Article) -> Skeleton:
    """The sentences holding gold evidence of each record type, and the parties the floor records name."""
    sentences = sentence_spans(article.text)
    quotes: dict[str, list[Evidence]] = {}
    for record_type in RECORD_TYPES:
        touched: set[int] = set()
        for record in getattr(gold, record_type):
            touched.update(_touched(sentences, evidence_spans(record.evidence, article.text)))
        found = (_quote(article.text, sentences[i]) for i in sorted(touched))
        quotes[record_type] = [quote for quote in found if quote is not None] if gold.parties else []
    if not gold.parties:
        return Skeleton(article.id, quotes, (), 0, "", "")
    mentions = [len(_touched(sentences, evidence_spans(p.evidence, article.text))) for p in gold.parties]
    return Skeleton(
        article_id=article.id,
        quotes=quotes,
        parties=tuple(gold.parties),
        busiest=max(range(len(mentions)), key=lambda i: (mentions[i], -i)),
        plaintiff=_by_role(gold.parties, PartyRole.plaintiff, 0).name,
        defendant=_by_role(gold.parties, PartyRole.defendant, -1).name,
    )


def floor_extraction(bones: Skeleton, floor: str, rng: random.Random, frequent: Mapping[str, str]) -> ArticleExtraction:
    """One trivial extractor's output for one article (see the module docstring).

    Records are built without re-validation: every quote is cut from the text, every name is a gold party's, and
    one party record per sentence repeats names, which a validated extraction would refuse.
    """
    records: dict[str, list[Any]] = {}
    for record_type in RECORD_TYPES:
        model = RECORD_MODELS[record_type]
        records[record_type] = []
        for quote in bones.quotes[record_type]:
            fields = _floor_fields(record_type, floor, rng, frequent, bones)
            if record_type != "parties":
                fields["summary"] = quote.quote[:_SUMMARY_MAX]
            records[record_type].append(model.model_construct(evidence=[quote], **fields))
    return ArticleExtraction.model_construct(
        article_id=bones.article_id,
        parties=records["parties"],
        allegations=records["allegations"],
        contract_terms=records["contract_terms"],
        relief_sought=records["relief_sought"],
        provenance=None,
    )


def _floor_fields(
    record_type: str, floor: str, rng: random.Random, frequent: Mapping[str, str], bones: Skeleton
) -> dict[str, Any]:
    def pick(enum: type[StrEnum], frequent_key: str) -> StrEnum:
        return rng.choice(_MEMBERS[enum]) if floor == RANDOM_LABEL else enum(frequent[frequent_key])

    plaintiff, defendant = bones.plaintiff, bones.defendant
    if record_type == "parties":
        party = rng.choice(bones.parties) if floor == RANDOM_LABEL else bones.parties[bones.busiest]
        kind, role = pick(PartyKind, "party_kind"), pick(PartyRole, "party_role")
        return {"name": party.name, "aliases": [], "kind": kind, "role": role}
    label = pick(LABEL_ENUMS[record_type], record_type)
    if record_type == "allegations":
        return {"claimant": plaintiff, "accused": defendant, "category": label}
    if record_type == "contract_terms":
        return {"parties": list(dict.fromkeys([plaintiff, defendant])), "kind": label, "amount": None, "date": None}
    return {"requested_by": plaintiff, "against": defendant, "kind": label, "amount": None, "multiplier": None}


def floor_predictions(
    gold: Mapping[str, ArticleExtraction],
    articles: Mapping[str, Article],
    draws: int = FLOOR_DRAWS,
    seed: int = FLOOR_SEED,
) -> dict[str, list[dict[str, ArticleExtraction]]]:
    """Every floor's predictions on `floor_articles`: `draws` sets for the random label, one for the most frequent."""
    frequent = most_frequent_labels(gold)
    bones = {key: skeleton(gold[key], articles[key]) for key in floor_articles(gold)}
    rng = random.Random(seed)
    counts = {RANDOM_LABEL: draws, MOST_FREQUENT_LABEL: 1}
    return {
        floor: [
            {key: floor_extraction(bones[key], floor, rng, frequent) for key in bones} for _ in range(counts[floor])
        ]
        for floor in FLOORS
    }
