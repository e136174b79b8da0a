"""Litigants the suit sentence does not name outright, found from the rest of the article: the claims maker behind a
description ("a former supervisor is suing Globex"), the most mentioned company or public body behind an epithet,
and a former insider sued alongside the company."""

from __future__ import annotations

import re

from allegations.extract.rules.drafts import PartyBook, PartyDraft, clause_of, is_court, is_government, is_outlet
from allegations.extract.rules.entities import Entity, is_place_like
from allegations.extract.rules.sides import Side
from allegations.extract.rules.text import Sentence
from allegations.schemas import PartyKind, PartyRole

CLAIM_VERBS = frozenset({"says", "said", "alleges", "alleged", "claims", "claimed", "contends", "argues", "accuses"})
_UNNAMED_INSIDER = re.compile(r"\band (?:one of |two of |several of )?(?:its|their) (?:own )?former [a-z]+", re.I)


def former_insiders(
    sentences: list[Sentence],
    entities: list[Entity],
    book: PartyBook,
    plaintiff: PartyDraft,
    defendant_sides: list[Side],
) -> list[PartyDraft]:
    """ "sued Globex and one of its former engineers", later "Jane Roe, Acme's former engineer, ...": the person so
    introduced is a defendant too."""
    suit_text = " ".join(
        s.span.text for s in sentences if any(side.clause == (s.start, s.end) for side in defendant_sides)
    )
    if not _UNNAMED_INSIDER.search(suit_text):
        return []
    owners = {n.casefold() for n in plaintiff.all_names}
    found: list[PartyDraft] = []
    for entity in entities:
        if id(entity) in book.by_entity:
            continue
        for mention in entity.mentions:
            doc, j = mention.sentence.span.doc, mention.end_token
            window = [t.text for t in doc[j : min(j + 8, mention.sentence.span.end)]]
            if len(window) < 4 or window[0] != ",":
                continue
            joined = " ".join(window[1:])
            if any(joined.casefold().startswith(f"{o} 's former") for o in owners) or any(
                joined.casefold().startswith(f"{o} ’s former") for o in owners
            ):
                clause = clause_of(mention.sentence, mention.start_token)
                found.append(book.add(entity, PartyKind.person, PartyRole.defendant, [clause]))
                break
    return found


def claims_maker(sentences: list[Sentence], entities: list[Entity], defendant: Entity) -> Entity | None:
    """The entity that most often says, alleges or claims something in a sentence naming the defendant."""
    counts: dict[int, int] = {}
    for entity in entities:
        if entity is defendant or is_court(entity) or is_place_like(entity) or is_outlet(entity):
            continue
        for mention in entity.mentions:
            sentence, doc = mention.sentence, mention.sentence.span.doc
            j = mention.end_token
            claims = j < sentence.span.end and doc[j].lower_ in CLAIM_VERBS
            if claims and any(m.sentence is sentence for m in defendant.mentions):
                counts[id(entity)] = counts.get(id(entity), 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda key: counts[key])
    return next(e for e in entities if id(e) == best)


def most_mentioned_body(entities: list[Entity], other: Entity) -> Entity | None:
    """ "The state's lending regulator sued Globex": the most mentioned government body."""
    bodies = [e for e in entities if e is not other and is_government(e)]
    return max(bodies, key=lambda e: len(e.mentions), default=None)


def most_mentioned_company(entities: list[Entity], other: Entity) -> Entity | None:
    """The most mentioned company-like entity that is not the other side."""
    candidates = [
        e
        for e in entities
        if e is not other and not is_place_like(e) and not is_court(e) and not is_government(e) and len(e.mentions) >= 2
    ]
    return max(candidates, key=lambda e: len(e.mentions), default=None)
