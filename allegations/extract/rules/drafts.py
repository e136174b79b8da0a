"""Party drafts and the book that holds them, and what kind of party an entity is (court, government, person)."""

from __future__ import annotations

from dataclasses import dataclass, field

from allegations.extract.rules.entities import Entity, without_parenthetical
from allegations.extract.rules.lexicon_names import COURT_HEADS, GOVERNMENT_HEADS, OUTLET_HEADS, PERSON_TITLES
from allegations.extract.rules.text import Sentence, clauses
from allegations.schemas import PartyKind, PartyRole


@dataclass(eq=False)
class PartyDraft:
    """A party being assembled: its entity (or a description), kind, role, aliases and evidence spans."""

    name: str
    kind: PartyKind
    role: PartyRole
    entity: Entity | None = None
    aliases: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class PartyBook:
    """The parties found so far, each entity at most once."""

    def __init__(self) -> None:
        self.drafts: list[PartyDraft] = []
        self.by_entity: dict[int, PartyDraft] = {}

    def add(self, entity: Entity, kind: PartyKind, role: PartyRole, evidence: list[tuple[int, int]]) -> PartyDraft:
        """The party for `entity`, created with its fullest name, other forms and abbreviations as aliases."""
        existing = self.by_entity.get(id(entity))
        if existing is not None:
            return existing
        name = without_parenthetical(entity.fullest)
        forms = [without_parenthetical(f) for f in entity.forms if "(" not in f]
        aliases = [f for f in [*forms, *entity.abbreviations] if f.casefold() != name.casefold()]
        draft = PartyDraft(name, kind, role, entity, unique(aliases), evidence)
        self.drafts.append(draft)
        self.by_entity[id(entity)] = draft
        return draft


@dataclass
class Cast:
    """Every party of one article, with the plaintiff and the defendant when the article reports a suit."""

    parties: list[PartyDraft]
    plaintiff: PartyDraft | None
    defendant: PartyDraft | None
    by_entity: dict[int, PartyDraft]
    defendants: list[PartyDraft] = field(default_factory=list)
    """Every defendant, the main one first."""


def _head(entity: Entity) -> str:
    return without_parenthetical(entity.fullest).split()[-1].casefold().strip(",.")


def is_court(entity: Entity) -> bool:
    words = without_parenthetical(entity.fullest).split()
    lowered = [w.casefold().strip(",.") for w in words]
    heads = [i for i, w in enumerate(lowered) if w in COURT_HEADS]
    return bool(heads) and heads[0] > 0


def is_government(entity: Entity) -> bool:
    """ "Ruritanian Trade Ministry", "Office of Fair Lending", "Attorney General of Ruritania"."""
    words = [w.casefold() for w in without_parenthetical(entity.fullest).split()]
    if len(words) < 2:
        return False
    public = _head(entity) in GOVERNMENT_HEADS or "attorney general" in " ".join(words)
    return public or any(w in GOVERNMENT_HEADS and n == "of" for w, n in zip(words, words[1:], strict=False))


def clause_of(sentence: Sentence, token: int) -> tuple[int, int]:
    for clause in clauses(sentence):
        if clause.start <= token < clause.end:
            return sentence.chars(clause.start, clause.end)
    return sentence.start, sentence.end


def first_clause(entity: Entity) -> tuple[int, int]:
    mention = max(entity.mentions, key=lambda m: (len(m.text), -m.start))
    return clause_of(mention.sentence, mention.start_token)


def kind_of(entity: Entity) -> PartyKind:
    if is_government(entity):
        return PartyKind.government_body
    return PartyKind.person if is_person_like(entity) else PartyKind.company


def is_person_like(entity: Entity) -> bool:
    """Named by a surname alone elsewhere, or after a title such as "Dr." or "Judge"."""
    if entity.person:
        return True
    doc = entity.mentions[0].sentence.span.doc
    first = entity.mentions[0]
    return first.start_token > 0 and doc[first.start_token - 1].lower_ in PERSON_TITLES


def unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def is_outlet(entity: Entity) -> bool:
    """A news outlet or report cited as a source: an outlet's name, or mostly met as "X reported", "told X"."""
    if any(m.text.casefold().split()[-1] in OUTLET_HEADS for m in entity.mentions):
        return True
    sourced = 0
    for mention in entity.mentions:
        doc = mention.sentence.span.doc
        before = doc[mention.start_token - 1].lower_ if mention.start_token > 0 else ""
        before2 = doc[mention.start_token - 2].lower_ if mention.start_token > 1 else ""
        after = doc[mention.end_token].lower_ if mention.end_token < len(doc) else ""
        told = before == "told" and after != "to"
        if after in {"reported", "report", "reports"} or told or "according" in {before, before2}:
            sourced += 1
    return sourced * 2 > len(entity.mentions)
