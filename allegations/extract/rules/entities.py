"""Entities: the mentions that denote one legal person, grouped by their core words, surnames and abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from allegations.extract.rules.lexicon_names import (
    CORPORATE_WORDS,
    COURT_HEADS,
    GOVERNMENT_HEADS,
    LEGAL_SUFFIXES,
    PLACE_ADJECTIVES,
)
from allegations.extract.rules.names import PLACE_PREPOSITIONS, Mention


@dataclass
class Entity:
    """Mentions that denote one legal person, and the forms the article uses for it."""

    core: str
    mentions: list[Mention] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    person: bool = False

    @property
    def forms(self) -> list[str]:
        seen: dict[str, str] = {}
        for mention in self.mentions:
            seen.setdefault(mention.text.casefold(), mention.text)
        for abbreviation in self.abbreviations:
            seen.setdefault(abbreviation.casefold(), abbreviation)
        return list(seen.values())

    @property
    def fullest(self) -> str:
        """The longest form; of two as long, the one ending in a legal suffix ("Acme Inc." over "Acme Studio")."""
        return max(
            (m.text for m in self.mentions),
            key=lambda t: (len(t.split()), t.split()[-1].casefold() in LEGAL_SUFFIXES, len(t)),
        )


def core_words(name: str) -> list[str]:
    """A name's identifying words: no parenthetical, legal suffix, corporate word or hyphenated place label."""
    text = re.sub(r"\([^)]*\)", " ", name)
    words = [w for w in re.split(r"[\s,]+", text.replace("’s", "").replace("'s", "")) if w]
    if words and words[0].lower() == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1].lower() in LEGAL_SUFFIXES or words[-1].lower() in CORPORATE_WORDS):
        words.pop()
    if len(words) == 1 and "-" in words[0] and words[0][0].isupper():
        words = [words[0].split("-")[0]]
    return [w.casefold().rstrip(".") for w in words]


def without_parenthetical(name: str) -> str:
    """ "Acme Robotics (AR) Inc." is "Acme Robotics Inc."; commas before a suffix stay as printed."""
    return " ".join(re.sub(r"\s*\([A-Z0-9&.\-]{2,10}\)", "", name).split()).strip(" ,")


def group_entities(mentions: list[Mention]) -> list[Entity]:
    """Mentions grouped by core words: case, suffixes, corporate words and abbreviations fold together."""
    entities: list[Entity] = []
    by_core: dict[str, Entity] = {}
    for mention in sorted(mentions, key=lambda m: -len(core_words(m.text))):
        core = " ".join(core_words(mention.text))
        if not core:
            continue
        entity = by_core.get(core)
        if entity is None:
            for other in entities:
                if mention.text in other.abbreviations or mention.text.casefold() in (
                    a.casefold() for a in other.abbreviations
                ):
                    entity = other
                    break
        if entity is None:
            entity = Entity(core=core)
            entities.append(entity)
            by_core[core] = entity
        entity.mentions.append(mention)
        if mention.abbreviation and mention.abbreviation not in entity.abbreviations:
            entity.abbreviations.append(mention.abbreviation)
            by_core.setdefault(mention.abbreviation.casefold().rstrip("."), entity)
    places = {e.core for e in entities if is_place_like(e)}
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: len(e.core.split())):
        longer = [
            other
            for other in entities
            if other is not entity
            and len(other.core.split()) > len(entity.core.split())
            and other.core.split()[: len(entity.core.split())] == entity.core.split()
            and " ".join(other.core.split()[len(entity.core.split()) :]) not in places
            and not is_place_like(entity)
            and not set(other.core.split()) & (GOVERNMENT_HEADS | COURT_HEADS)
        ]
        if longer:
            # "Acme" is "Acme Robotics"; "Acme Ruritania" (a place after the name) stays its own entity.
            target = max(longer, key=lambda e: len(e.mentions))
            target.mentions.extend(entity.mentions)
            target.abbreviations.extend(a for a in entity.abbreviations if a not in target.abbreviations)
        else:
            merged.append(entity)
    merged = _merge_surnames(merged)
    merged = _merge_municipal(merged)
    for entity in merged:
        entity.mentions.sort(key=lambda m: m.start)
    return [e for e in entities if e in merged]


def _merge_surnames(entities: list[Entity]) -> list[Entity]:
    """ "Dana Whitlock" then "Whitlock": a surname used alone marks a person, one entity with the full name."""
    kept: list[Entity] = []
    singles = {e.core for e in entities if len(e.core.split()) == 1}
    for entity in entities:
        words = entity.core.split()
        full = [
            other
            for other in entities
            if len(words) == 1
            and other is not entity
            and 2 <= len(other.core.split()) <= 3
            and other.core.split()[-1] == words[0]
            and other.core.split()[0] not in singles  # "Acme Ruritania" is Acme's branch, not a person
            and not _has_organisation_word(other)
            and not is_place_like(entity)
            and not _has_organisation_word(entity)
            and min(m.start for m in other.mentions) < min(m.start for m in entity.mentions)
        ]
        if len(full) == 1:
            full[0].mentions.extend(entity.mentions)
            full[0].person = True
        else:
            kept.append(entity)
    return kept


MUNICIPAL_HEADS = frozenset({"city", "town", "county", "borough", "village", "municipality", "state", "province"})


def _merge_municipal(entities: list[Entity]) -> list[Entity]:
    """ "The City of Brackwell" then "Brackwell sued": the bare name, unless used as a place, is the government."""
    by_core = {e.core: e for e in entities}
    kept: list[Entity] = []
    for entity in entities:
        names = [f"{head} of {entity.core}" for head in sorted(MUNICIPAL_HEADS)]
        full = next((by_core[n] for n in names if n in by_core), None)
        if full is not None and full is not entity and not is_place_like(entity):
            full.mentions.extend(entity.mentions)
        else:
            kept.append(entity)
    return kept


def _has_organisation_word(entity: Entity) -> bool:
    words = {w.casefold().strip(",.") for m in entity.mentions for w in m.text.split()}
    return bool(words & (LEGAL_SUFFIXES | CORPORATE_WORDS | GOVERNMENT_HEADS | COURT_HEADS))


def is_place_like(entity: Entity) -> bool:
    """Mostly used after "in", "from", "to" and the like: a place, not a party."""
    place = 0
    for mention in entity.mentions:
        doc = mention.sentence.span.doc
        before = doc[mention.start_token - 1].lower_ if mention.start_token > 0 else ""
        if before in PLACE_PREPOSITIONS or before in PLACE_ADJECTIVES:
            place += 1
    return place * 2 > len(entity.mentions)
