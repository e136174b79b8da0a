"""Parties: litigants from how the suit is reported, named courts, government bodies, and the other side of an
agreement; names, abbreviations, legal-suffix variants and epithets folded into one party each."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.lexicon import (
    AGREEMENT_CUES,
    COURT_HEADS,
    GOVERNMENT_HEADS,
    OUTLET_HEADS,
    PERSON_TITLES,
)
from allegations.extract.rules.litigants import Side, left_side, right_side, suit_sides, top
from allegations.extract.rules.names import (
    Entity,
    group_entities,
    is_name_token,
    is_place_like,
    name_runs,
    without_parenthetical,
)
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses, is_title_case_line
from allegations.schemas import PartyKind, PartyRole

SUBSIDIARY_NOUNS = frozenset({"subsidiary", "subsidiaries", "affiliate", "unit", "arm", "division", "parent"})
NATIONALITY_MARKERS = ("-based",)


@lru_cache(maxsize=1)
def _agreement_matcher() -> CueMatcher:
    return CueMatcher([("agreement", AGREEMENT_CUES)])


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
        draft = PartyDraft(name, kind, role, entity, _unique(aliases), evidence)
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


def _is_outlet(entity: Entity) -> bool:
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


def _head(entity: Entity) -> str:
    return without_parenthetical(entity.fullest).split()[-1].casefold().strip(",.")


def _is_court(entity: Entity) -> bool:
    words = without_parenthetical(entity.fullest).split()
    lowered = [w.casefold().strip(",.") for w in words]
    heads = [i for i, w in enumerate(lowered) if w in COURT_HEADS]
    return bool(heads) and heads[0] > 0


def _is_government(entity: Entity) -> bool:
    """ "Ruritanian Trade Ministry", "Office of Fair Lending", "Attorney General of Ruritania"."""
    words = [w.casefold() for w in without_parenthetical(entity.fullest).split()]
    if len(words) < 2:
        return False
    public = _head(entity) in GOVERNMENT_HEADS or "attorney general" in " ".join(words)
    return public or any(w in GOVERNMENT_HEADS and n == "of" for w, n in zip(words, words[1:], strict=False))


def _alias(span: Span) -> str:
    words = span.text.split()
    if words and words[0].casefold() in {"a", "an", "the"}:
        words = words[1:]
    return " ".join(words)


def _has_place_marker(span: Span) -> bool:
    first = span[0]
    # A leading name counts when it owns the description ("Ruritania's chip maker"), not when it opens a sentence.
    owned = first.i + 1 < span.end and first.nbor(1).text in {"'s", "’s"}
    words = span if owned else span[1:]
    return any(t.text[0].isupper() for t in words if t.is_alpha or "." in t.text) or any(
        m in span.text for m in NATIONALITY_MARKERS
    )


def _clause_of(sentence: Sentence, token: int) -> tuple[int, int]:
    for clause in clauses(sentence):
        if clause.start <= token < clause.end:
            return sentence.chars(clause.start, clause.end)
    return sentence.start, sentence.end


def _first_clause(entity: Entity) -> tuple[int, int]:
    mention = max(entity.mentions, key=lambda m: (len(m.text), -m.start))
    return _clause_of(mention.sentence, mention.start_token)


def _government_phrases(sentences: list[Sentence]) -> list[tuple[str, str, tuple[int, int]]]:
    """ "the Ruritanian government", "Ruritanian authorities", "authorities in Ruritania": (place key, form, span)."""
    found: list[tuple[str, str, tuple[int, int]]] = []
    for sentence in sentences:
        span = sentence.span
        doc = span.doc
        for token in span:
            lowered = token.lower_
            if lowered in {"government", "authorities"} and token.i > span.start:
                place = doc[token.i - 1]
                if (
                    is_name_token(place)
                    and place.lower_ not in {"the", "a"}
                    and (token.i + 1 >= span.end or doc[token.i + 1].lower_ not in {"officials", "project", "projects"})
                ):
                    start = place.i
                    if start - 1 >= span.start and is_name_token(doc[start - 1]) and doc[start - 1].lower_ != "the":
                        start -= 1
                    form = doc[start : token.i + 1].text
                    found.append((_place_key(place.text), form, _clause_of(sentence, token.i)))
            if lowered == "authorities" and token.i + 2 < span.end and doc[token.i + 1].lower_ == "in":
                place = doc[token.i + 2]
                if is_name_token(place):
                    form = doc[token.i : token.i + 3].text
                    found.append((_place_key(place.text), form, _clause_of(sentence, token.i)))
    return found


def _place_key(word: str) -> str:
    return word.casefold().replace(".", "")[:5]


def article_entities(sentences: list[Sentence]) -> list[Entity]:
    """The named entities of the article's body (headlines aside), news outlets left out."""
    body = [s for s in sentences if not is_title_case_line(s)]
    plain = {s.index: name_runs(s) for s in body}
    standalone = frozenset(m.text.casefold() for runs in plain.values() for m in runs if not _is_joined(m.text))
    runs = [
        m
        for s in body
        for m in (name_runs(s, standalone) if any(_is_joined(r.text) for r in plain[s.index]) else plain[s.index])
    ]
    return [e for e in group_entities(runs) if not _is_outlet(e)]


def find_parties(sentences: list[Sentence]) -> Cast:
    """Every party of the article, with the plaintiff and the defendant when it reports a suit."""
    body = [s for s in sentences if not is_title_case_line(s)]
    entities = article_entities(sentences)
    book = PartyBook()
    sides = suit_sides(sentences, entities)
    plaintiff_sides, defendant_sides = _not_courts(sides.plaintiffs), _not_courts(sides.defendants)
    arbitration_sides = sides.arbitration
    plaintiff, defendant = _add_litigants(book, sentences, entities, plaintiff_sides, defendant_sides)
    defendants = [defendant] if defendant is not None else []
    if plaintiff is not None and defendant is not None:
        for side in _not_courts(sides.co_defendants):
            if side.entity is not None and id(side.entity) not in book.by_entity and not is_place_like(side.entity):
                kind = PartyKind.person if side.person else _kind(side.entity)
                defendants.append(book.add(side.entity, kind, PartyRole.defendant, [side.clause]))
    headlines = [s for s in sentences if is_title_case_line(s)]
    for entity in group_entities([m for s in headlines for m in name_runs(s)]):
        if _is_court(entity) and all(not _is_court(e) or e.core != entity.core for e in entities):
            entities.append(entity)  # a court named only in a caption line
    for entity in entities:
        if _is_court(entity):
            book.add(entity, PartyKind.court, PartyRole.other, [_first_clause(entity)])
        elif _is_government(entity):
            book.add(entity, PartyKind.government_body, PartyRole.other, [_first_clause(entity)])
    _add_governments(book, body)
    for side in arbitration_sides:
        if side.entity is not None and id(side.entity) not in book.by_entity and not is_place_like(side.entity):
            book.add(side.entity, PartyKind.company, PartyRole.other, [side.clause])
    _add_agreement_parties(body, entities, book)
    defendants += [d for d in book.drafts if d.role is PartyRole.defendant and d not in defendants]
    return Cast(book.drafts, plaintiff, defendant, book.by_entity, defendants)


def _not_courts(sides: list[Side]) -> list[Side]:
    """A court is never a litigant, whatever a cue seems to say ("in the High Court, alleging ...")."""
    return [s for s in sides if s.entity is None or not _is_court(s.entity)]


def _add_litigants(
    book: PartyBook,
    sentences: list[Sentence],
    entities: list[Entity],
    plaintiff_sides: list[Side],
    defendant_sides: list[Side],
) -> tuple[PartyDraft | None, PartyDraft | None]:
    """Plaintiff and defendant, with the suit clause as evidence and place-bearing epithets as aliases."""
    defendant = top(defendant_sides)
    plaintiff = top(plaintiff_sides, exclude=defendant)
    # Only described on one side ("a Ruritanian firm sued Globex"): the most mentioned other company.
    if defendant is not None and plaintiff is None and any(s.epithet is not None for s in plaintiff_sides):
        plaintiff = _most_mentioned_company(entities, defendant)
    if plaintiff is not None and defendant is None and any(s.epithet is not None for s in defendant_sides):
        defendant = _most_mentioned_company(entities, plaintiff)
    if plaintiff is None or defendant is None:
        return None, None
    drafts = []
    for entity, role, sides in (
        (plaintiff, PartyRole.plaintiff, plaintiff_sides),
        (defendant, PartyRole.defendant, defendant_sides),
    ):
        evidence = [s.clause for s in sides if s.entity is entity or s.epithet is not None][:1]
        draft = book.add(entity, _kind(entity), role, evidence or [_first_clause(entity)])
        full = _first_clause(entity)
        if full not in draft.evidence:
            draft.evidence.append(full)
        for side in sides:
            if side.epithet is not None and _has_place_marker(side.epithet):
                draft.aliases = _unique([*draft.aliases, _alias(side.epithet)])
        drafts.append(draft)
    _add_subsidiaries(sentences, drafts[1], book.drafts)
    return drafts[0], drafts[1]


def _add_governments(book: PartyBook, body: list[Sentence]) -> None:
    """ "the Ruritanian government" and "Ruritanian authorities" as one government body per place."""
    governments: dict[str, PartyDraft] = {}
    for key, form, span in _government_phrases(body):
        alias = form[4:] if form.casefold().startswith("the ") else form
        if any(alias.casefold() == n.casefold() for d in book.drafts for n in d.all_names):
            continue
        government = governments.get(key)
        if government is None:
            government = PartyDraft(alias, PartyKind.government_body, PartyRole.other, None, [], [span])
            governments[key] = government
            book.drafts.append(government)
        elif "government" in alias.casefold() and "government" not in government.name.casefold():
            government.aliases = _unique([government.name, *government.aliases])
            government.name = alias
        elif alias.casefold() != government.name.casefold():
            government.aliases = _unique([*government.aliases, alias])


def _kind(entity: Entity) -> PartyKind:
    if _is_government(entity):
        return PartyKind.government_body
    return PartyKind.person if _is_person_like(entity) else PartyKind.company


def _is_joined(name: str) -> bool:
    return " and " in name or " & " in name or "," in name


def _most_mentioned_company(entities: list[Entity], other: Entity) -> Entity | None:
    """The most mentioned company-like entity that is not the other side."""
    candidates = [
        e
        for e in entities
        if e is not other
        and not is_place_like(e)
        and not _is_court(e)
        and not _is_government(e)
        and len(e.mentions) >= 2
    ]
    return max(candidates, key=lambda e: len(e.mentions), default=None)


def _add_subsidiaries(sentences: list[Sentence], defendant: PartyDraft, drafts: list[PartyDraft]) -> None:
    """ "sued Globex and its sales arm in Canada": the subsidiary is a defendant of its own."""
    if defendant.entity is None:
        return
    for mention in defendant.entity.mentions:
        doc = mention.sentence.span.doc
        j = mention.end_token
        limit = mention.sentence.span.end
        if j + 2 < limit and doc[j].lower_ == "and" and doc[j + 1].lower_ in {"its", "their"}:
            k = j + 2
            while k < limit and doc[k].lower_ not in SUBSIDIARY_NOUNS and k - j < 4:
                k += 1
            if k < limit and doc[k].lower_ in SUBSIDIARY_NOUNS:
                end = k + 1
                if end + 1 < limit and doc[end].lower_ == "in" and is_name_token(doc[end + 1]):
                    end += 2
                described = doc[j + 2 : end].text
                name = f"{mention.text}'s {described}"
                if all(d.name != name for d in drafts):
                    start, stop = mention.sentence.chars(mention.start_token, end)
                    drafts.append(PartyDraft(name, PartyKind.company, PartyRole.defendant, None, [], [(start, stop)]))
                return


def _add_agreement_parties(body: list[Sentence], entities: list[Entity], book: PartyBook) -> None:
    """Companies that make, sign or lose an agreement with another: subject and object of an agreement cue."""
    for sentence in body:
        for _, start, end in _agreement_matcher()(sentence.span):
            for side in (left_side(entities, sentence, start), right_side(entities, sentence, end)):
                if side is None or side.entity is None or id(side.entity) in book.by_entity:
                    continue
                entity = side.entity
                if is_place_like(entity) or _is_person_like(entity) or len(entity.fullest) <= 2:
                    continue
                if len(entity.mentions) < 2 and not entity.abbreviations and len(entity.core.split()) < 2:
                    continue
                book.add(entity, PartyKind.company, PartyRole.other, [_clause_of(sentence, start)])


def _is_person_like(entity: Entity) -> bool:
    """Named by a surname alone elsewhere, or after a title such as "Dr." or "Judge"."""
    if entity.person:
        return True
    doc = entity.mentions[0].sentence.span.doc
    first = entity.mentions[0]
    return first.start_token > 0 and doc[first.start_token - 1].lower_ in PERSON_TITLES


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept
