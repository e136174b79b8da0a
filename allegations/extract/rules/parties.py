"""Parties: litigants from how the suit is reported, named courts, government bodies, and the other side of an
agreement; names, abbreviations, legal-suffix variants and epithets folded into one party each."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.drafts import (
    Cast,
    PartyBook,
    PartyDraft,
    clause_of,
    first_clause,
    is_court,
    is_government,
    is_outlet,
    is_person_like,
    kind_of,
    unique,
)
from allegations.extract.rules.entities import Entity, group_entities, is_place_like
from allegations.extract.rules.lexicon_names import GOVERNMENT_HEADS
from allegations.extract.rules.lexicon_terms import AGREEMENT_CUES
from allegations.extract.rules.litigants import SuitSides, suit_sides, top
from allegations.extract.rules.names import is_name_token, name_runs
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.sides import Side, left_side, right_side
from allegations.extract.rules.text import Sentence, is_title_case_line
from allegations.extract.rules.unnamed import claims_maker, former_insiders, most_mentioned_body, most_mentioned_company
from allegations.schemas import PartyKind, PartyRole

__all__ = ["Cast", "PartyDraft", "article_entities", "find_parties"]

SUBSIDIARY_NOUNS = frozenset({"subsidiary", "subsidiaries", "affiliate", "unit", "arm", "division", "parent"})
NATIONALITY_MARKERS = ("-based",)
AGREED_ACTS = frozenset({"pay", "supply", "provide", "deliver", "sell", "license", "distribute", "hire", "pays"})


@lru_cache(maxsize=1)
def _agreement_matcher() -> CueMatcher:
    return CueMatcher([("agreement", AGREEMENT_CUES)])


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
                    found.append((_place_key(place.text), form, clause_of(sentence, token.i)))
            if lowered == "authorities" and token.i + 2 < span.end and doc[token.i + 1].lower_ == "in":
                place = doc[token.i + 2]
                if is_name_token(place):
                    form = doc[token.i : token.i + 3].text
                    found.append((_place_key(place.text), form, clause_of(sentence, token.i)))
    return found


def _place_key(word: str) -> str:
    return word.casefold().replace(".", "")[:5]


def article_entities(sentences: list[Sentence], keep_outlets: bool = False) -> list[Entity]:
    """The named entities of the article's body (headlines aside), news outlets left out unless asked for."""
    body = [s for s in sentences if not is_title_case_line(s)]
    plain = {s.index: name_runs(s) for s in body}
    standalone = frozenset(m.text.casefold() for runs in plain.values() for m in runs if not _is_joined(m.text))
    runs = [
        m
        for s in body
        for m in (name_runs(s, standalone) if any(_is_joined(r.text) for r in plain[s.index]) else plain[s.index])
    ]
    return [e for e in group_entities(runs) if keep_outlets or not is_outlet(e)]


def find_parties(sentences: list[Sentence]) -> Cast:
    """Every party of the article, with the plaintiff and the defendant when it reports a suit."""
    body = [s for s in sentences if not is_title_case_line(s)]
    named = article_entities(sentences, keep_outlets=True)
    book = PartyBook()
    sides = suit_sides(sentences, named)
    sued = {id(side.entity) for side in sides.defendants}  # an outlet can be sued ("sued the Daily Ledger for libel")
    entities = [e for e in named if id(e) in sued or not is_outlet(e)]
    sides = _without_outlets(sides, entities)
    plaintiff_sides, defendant_sides = _not_courts(sides.plaintiffs), _not_courts(sides.defendants)
    arbitration_sides = sides.arbitration
    plaintiff, defendant = _add_litigants(book, sentences, entities, plaintiff_sides, defendant_sides)
    defendants = [defendant] if defendant is not None else []
    if plaintiff is not None and defendant is not None:
        for side in _not_courts(sides.co_defendants):
            if side.entity is not None and id(side.entity) not in book.by_entity and not is_place_like(side.entity):
                kind = PartyKind.person if side.person else kind_of(side.entity)
                defendants.append(book.add(side.entity, kind, PartyRole.defendant, [side.clause]))
        for side in _not_courts(sides.co_plaintiffs):
            if side.entity is not None and id(side.entity) not in book.by_entity and not is_place_like(side.entity):
                book.add(side.entity, kind_of(side.entity), PartyRole.plaintiff, [side.clause])
        defendants += former_insiders(sentences, entities, book, plaintiff, defendant_sides)
    headlines = [s for s in sentences if is_title_case_line(s)]
    for entity in group_entities([m for s in headlines for m in name_runs(s)]):
        if is_court(entity) and all(not is_court(e) or e.core != entity.core for e in entities):
            entities.append(entity)  # a court named only in a caption line
    for entity in entities:
        if is_court(entity):
            book.add(entity, PartyKind.court, PartyRole.other, [first_clause(entity)])
        elif is_government(entity):
            book.add(entity, PartyKind.government_body, PartyRole.other, [first_clause(entity)])
    _add_governments(book, body)
    for side in arbitration_sides:
        if side.entity is not None and id(side.entity) not in book.by_entity and not is_place_like(side.entity):
            book.add(side.entity, PartyKind.company, PartyRole.other, [side.clause])
    _add_agreement_parties(body, entities, book)
    defendants += [d for d in book.drafts if d.role is PartyRole.defendant and d not in defendants]
    return Cast(book.drafts, plaintiff, defendant, book.by_entity, defendants)


def _without_outlets(sides: SuitSides, entities: list[Entity]) -> SuitSides:
    kept = {id(e) for e in entities}

    def keep(found: list[Side]) -> list[Side]:
        return [s for s in found if s.entity is None or id(s.entity) in kept]

    return SuitSides(
        keep(sides.plaintiffs),
        keep(sides.defendants),
        keep(sides.co_defendants),
        keep(sides.arbitration),
        keep(sides.co_plaintiffs),
    )


def _not_courts(sides: list[Side]) -> list[Side]:
    """A court is never a litigant, whatever a cue seems to say ("in the High Court, alleging ...")."""
    return [s for s in sides if s.entity is None or not is_court(s.entity)]


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
        public = any(s.epithet is not None and s.epithet[-1].lower_ in GOVERNMENT_HEADS for s in plaintiff_sides)
        plaintiff = most_mentioned_body(entities, defendant) if public else most_mentioned_company(entities, defendant)
    if plaintiff is not None and defendant is None and any(s.epithet is not None for s in defendant_sides):
        defendant = most_mentioned_company(entities, plaintiff)
    if defendant is not None and plaintiff is None:  # "a former supervisor is suing Globex"; "Jane Roe says Globex"
        plaintiff = claims_maker(sentences, entities, defendant)
    if plaintiff is None or defendant is None:
        return None, None
    drafts = []
    for entity, role, sides in (
        (plaintiff, PartyRole.plaintiff, plaintiff_sides),
        (defendant, PartyRole.defendant, defendant_sides),
    ):
        evidence = [s.clause for s in sides if s.entity is entity or s.epithet is not None][:1]
        kind = PartyKind.company if is_outlet(entity) else kind_of(entity)
        draft = book.add(entity, kind, role, evidence or [first_clause(entity)])
        full = first_clause(entity)
        if full not in draft.evidence:
            draft.evidence.append(full)
        for side in sides:
            if side.epithet is not None and _has_place_marker(side.epithet):
                draft.aliases = unique([*draft.aliases, _alias(side.epithet)])
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
            government.aliases = unique([government.name, *government.aliases])
            government.name = alias
        elif alias.casefold() != government.name.casefold():
            government.aliases = unique([*government.aliases, alias])


def _is_joined(name: str) -> bool:
    return " and " in name or " & " in name or "," in name


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
            doc = sentence.span.doc
            if end < sentence.span.end and doc[end].lower_ in AGREED_ACTS:  # "agreed to pay Globex"
                end += 1
            for side in (left_side(entities, sentence, start), right_side(entities, sentence, end)):
                if side is None or side.entity is None or id(side.entity) in book.by_entity:
                    continue
                entity = side.entity
                if is_place_like(entity) or is_person_like(entity) or len(entity.fullest) <= 2:
                    continue
                if len(entity.mentions) < 2 and not entity.abbreviations and len(entity.core.split()) < 2:
                    continue
                book.add(entity, PartyKind.company, PartyRole.other, [clause_of(sentence, start)])
