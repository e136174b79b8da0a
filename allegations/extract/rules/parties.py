"""Parties: litigants from how the suit is reported, named courts, government bodies, and the other side of an
agreement; names, abbreviations, legal-suffix variants and epithets folded into one party each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.lexicon import (
    AGREEMENT_CUES,
    ARBITRATION,
    COMPANY_NOUNS,
    COURT_HEADS,
    GOVERNMENT_HEADS,
    OUTLET_HEADS,
    PERSON_TITLES,
)
from allegations.extract.rules.names import (
    Entity,
    Mention,
    group_entities,
    is_name_token,
    is_place_like,
    is_title_case_line,
    name_runs,
    without_parenthetical,
)
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses
from allegations.schemas import PartyKind, PartyRole

SUIT_PATTERNS = (
    ("sue", ("sue|sues|sued|suing",)),
    (
        "filed_against",
        ("filed|files|filing|brought|brings|launched ~ lawsuit|suit|complaint|case|action|claim against",),
    ),
    ("suit_against", ("lawsuit|suit|complaint|case|action|claim against",)),
    ("versus", ("v.|vs.|vs|versus",)),
    ("accuse", ("accuse|accuses|accused|accusing|blamed|blames|blaming",)),
    ("allege", ("alleging|alleges|alleged|claims|claimed|claiming|contends ?that",)),
    ("own_suit", ("lawsuit|complaint|suit|filing",)),
)
AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "also",
        "allegedly",
        "reportedly",
        "now",
        "recently",
        "then",
        "already",
        "just",
        "formally",
        "officially",
        ",",
        "reportedly",
    ]
)
SUBSIDIARY_NOUNS = frozenset({"subsidiary", "subsidiaries", "affiliate", "unit", "arm", "division", "parent"})
NATIONALITY_MARKERS = ("-based",)


@lru_cache(maxsize=1)
def _suit_matcher() -> CueMatcher:
    return CueMatcher(SUIT_PATTERNS)


@lru_cache(maxsize=1)
def _agreement_matcher() -> CueMatcher:
    return CueMatcher([("agreement", AGREEMENT_CUES)])


@dataclass
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


@dataclass
class Cast:
    """Every party of one article, with the plaintiff and the defendant when the article reports a suit."""

    parties: list[PartyDraft]
    plaintiff: PartyDraft | None
    defendant: PartyDraft | None
    by_entity: dict[int, PartyDraft]

    def party_of(self, mention: Mention, entities: list[Entity]) -> PartyDraft | None:
        for entity in entities:
            if mention in entity.mentions:
                return self.by_entity.get(id(entity))
        return None


@dataclass
class Side:
    """One side of a reported suit: a named entity or a descriptive phrase (an epithet)."""

    entity: Entity | None
    epithet: Span | None
    clause: tuple[int, int]


def _mention_at(entities: list[Entity], sentence: Sentence, token: int) -> tuple[Entity, Mention] | None:
    for entity in entities:
        for mention in entity.mentions:
            if mention.sentence is sentence and mention.start_token <= token < mention.end_token:
                return entity, mention
    return None


def _epithet_head(sentence: Sentence, start: int) -> int | None:
    """The company noun that ends a description starting at `start` ("Ruritanian chip maker"), if any."""
    doc = sentence.span.doc
    for j in range(start, min(start + 6, sentence.span.end)):
        if doc[j].lower_ in COMPANY_NOUNS:
            return j
        if doc[j].is_punct and doc[j].text != "-" or doc[j].lower_ in AUXILIARIES:
            return None
    return None


def _named_at(entities: list[Entity], sentence: Sentence, token: int) -> Entity | None:
    """The entity named at `token`, unless the name only modifies a description ("the Ruritanian firm")."""
    found = _mention_at(entities, sentence, token)
    if found is None:
        return None
    entity, mention = found
    end = mention.end_token
    doc = sentence.span.doc
    if end < sentence.span.end and doc[end].is_lower and _epithet_head(sentence, end) is not None:
        return None
    return entity


def _epithet_ending_at(sentence: Sentence, end: int) -> Span | None:
    """A description such as "a U.S. robotics company" ending just before token `end`."""
    doc = sentence.span.doc
    head = end - 1
    if head < sentence.span.start or doc[head].lower_ not in COMPANY_NOUNS:
        return None
    start = head
    while start > sentence.span.start and doc[start - 1].lower_ not in {"a", "an", "the"}:
        previous = doc[start - 1]
        if previous.is_punct and previous.text != "-" or previous.lower_ in AUXILIARIES:
            return None
        start -= 1
        if head - start > 5:
            return None
    if start > sentence.span.start and doc[start - 1].lower_ in {"a", "an", "the"}:
        start -= 1
    return doc[start:end]


def _epithet_starting_at(sentence: Sentence, start: int) -> Span | None:
    doc = sentence.span.doc
    if start >= sentence.span.end or doc[start].lower_ not in {"a", "an", "the"}:
        return None
    for end in range(start + 2, min(start + 7, sentence.span.end) + 1):
        if doc[end - 1].lower_ in COMPANY_NOUNS and (end >= sentence.span.end or doc[end].lower_ not in COMPANY_NOUNS):
            return doc[start:end]
        if doc[end - 1].is_punct and doc[end - 1].text != "-":
            return None
    return None


def _left_side(entities: list[Entity], sentence: Sentence, trigger: int) -> Side | None:
    doc = sentence.span.doc
    first = sentence.span.start
    i = trigger - 1
    for _ in range(2):
        while i >= first and (doc[i].lower_ in AUXILIARIES or doc[i].text in {",", "’s", "'s"}):
            i -= 1
        if i < first:
            return None
        if doc[i].text == ")" and i - 2 >= first and doc[i - 2].text == "(":  # "Acme Robotics (AR) sued ..."
            i -= 3
        entity = _named_at(entities, sentence, i)
        if entity is not None:
            return Side(entity, None, (sentence.start, sentence.end))
        epithet = _epithet_ending_at(sentence, i + 1)
        if epithet is not None:
            return Side(None, epithet, (sentence.start, sentence.end))
        # An inserted phrase between commas ("Acme, in a suit filed today, accused ..."): look before it.
        commas = [j for j in range(max(first, i - 10), i + 1) if doc[j].text == ","]
        if len(commas) < 1 or not any(doc[j].text == "," for j in range(i + 1, trigger)):
            return None
        i = commas[0] - 1
    return None


def _right_side(entities: list[Entity], sentence: Sentence, after: int) -> Side | None:
    doc = sentence.span.doc
    i = after
    while i < sentence.span.end and doc[i].lower_ in {"against", "of", "that", ","}:
        i += 1
    if i >= sentence.span.end:
        return None
    start = i + 1 if doc[i].lower_ in {"the", "a", "an"} else i
    entity = _named_at(entities, sentence, start)
    if entity is not None:
        return Side(entity, None, (sentence.start, sentence.end))
    head = _epithet_head(sentence, start)
    if head is not None and head + 1 < sentence.span.end:
        named = _named_at(entities, sentence, head + 1)  # "Ruritanian chip maker Globex": the name decides
        if named is not None:
            return Side(named, None, (sentence.start, sentence.end))
    if head is not None:
        return Side(None, doc[i : head + 1], (sentence.start, sentence.end))
    return None


def _subject_before(entities: list[Entity], sentence: Sentence, token: int) -> Side | None:
    """The last entity named before `token` in the sentence: the owner of a following "its"."""
    found = [m for e in entities for m in e.mentions if m.sentence is sentence and m.end_token <= token]
    if not found:
        return None
    mention = max(found, key=lambda m: m.start_token)
    entity = _named_at(entities, sentence, mention.start_token)
    return Side(entity, None, (sentence.start, sentence.end)) if entity is not None else None


def _is_passive(sentence: Sentence, trigger: int) -> bool:
    doc = sentence.span.doc
    before = doc[trigger - 1].lower_ if trigger > sentence.span.start else ""
    after = doc[trigger + 1].lower_ if trigger + 1 < sentence.span.end else ""
    return before in {"is", "was", "been", "being", "be", "are", "were", "get", "got", "getting"} or after in {
        "for",
        "in",
    }


def suit_sides(sentences: list[Sentence], entities: list[Entity]) -> tuple[list[Side], list[Side], list[Side]]:
    """Plaintiff-side and defendant-side mentions from how the suit is reported, and arbitration parties."""
    plaintiffs: list[Side] = []
    defendants: list[Side] = []
    arbitration: list[Side] = []
    for sentence in sentences:
        arbitral = any(t.lower_ in ARBITRATION for t in sentence.span)
        for label, start, end in _suit_matcher()(sentence.span):
            if arbitral:
                if label in {"filed_against", "sue"}:
                    side = _left_side(entities, sentence, start)
                    if side is not None:
                        arbitration.append(side)
                continue
            if label == "own_suit":
                # "the Acme lawsuit", "Acme's complaint", "Acme said in its lawsuit": the owner is the plaintiff.
                side = _left_side(entities, sentence, start)
                if (
                    side is None
                    and start > sentence.span.start
                    and sentence.span.doc[start - 1].lower_ in {"its", "their"}
                ):
                    side = _subject_before(entities, sentence, start)
                if side is not None and side.entity is not None:
                    plaintiffs.append(side)
                continue
            if label == "allege":
                left = _left_side(entities, sentence, start)
                if left is not None:
                    plaintiffs.append(left)
                right = _right_side(entities, sentence, end)
                if right is not None and right.entity is not None:
                    defendants.append(right)
                continue
            passive = label in {"accuse", "sue"} and _is_passive(sentence, start)
            left = _left_side(entities, sentence, start)
            right = _right_side(entities, sentence, end if label != "filed_against" else end)
            if passive:
                if left is not None:
                    defendants.append(left)
                continue
            if left is not None and label != "suit_against":
                plaintiffs.append(left)
            if right is not None:
                defendants.append(right)
    return plaintiffs, defendants, arbitration


def _top(sides: list[Side], exclude: Entity | None = None) -> Entity | None:
    counts = Counter(id(s.entity) for s in sides if s.entity is not None and s.entity is not exclude)
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return next(s.entity for s in sides if id(s.entity) == best)


def _is_outlet(entity: Entity) -> bool:
    for mention in entity.mentions:
        words = mention.text.casefold().split()
        if words and words[-1] in OUTLET_HEADS:
            return True
        doc = mention.sentence.span.doc
        before = doc[mention.start_token - 1].lower_ if mention.start_token > 0 else ""
        before2 = doc[mention.start_token - 2].lower_ if mention.start_token > 1 else ""
        after = doc[mention.end_token].lower_ if mention.end_token < len(doc) else ""
        if after in {"reported", "report", "reports"} or before == "told" or "according" in {before, before2}:
            return True
    return False


def _head(entity: Entity) -> str:
    return without_parenthetical(entity.fullest).split()[-1].casefold().strip(",.")


def _is_court(entity: Entity) -> bool:
    words = without_parenthetical(entity.fullest).split()
    lowered = [w.casefold().strip(",.") for w in words]
    heads = [i for i, w in enumerate(lowered) if w in COURT_HEADS]
    return bool(heads) and heads[0] > 0


def _is_government(entity: Entity) -> bool:
    return _head(entity) in GOVERNMENT_HEADS and len(entity.fullest.split()) > 1


def _alias(span: Span) -> str:
    words = span.text.split()
    if words and words[0].casefold() in {"a", "an", "the"}:
        words = words[1:]
    return " ".join(words)


def _has_place_marker(span: Span) -> bool:
    return any(t.text[0].isupper() for t in span[1:] if t.is_alpha or "." in t.text) or any(
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


def find_parties(sentences: list[Sentence]) -> tuple[Cast, list[Entity]]:
    """Every party of the article and the entities behind them."""
    body = [s for s in sentences if not is_title_case_line(s)]
    standalone = frozenset(
        m.text.casefold() for s in body for m in name_runs(s) if " and " not in m.text and "," not in m.text
    )
    runs = [m for s in body for m in name_runs(s, standalone)]
    entities = [e for e in group_entities(runs) if not _is_outlet(e)]
    plaintiff_sides, defendant_sides, arbitration_sides = suit_sides(sentences, entities)
    defendant = _top(defendant_sides)
    plaintiff = _top(plaintiff_sides, exclude=defendant)
    if defendant is not None and plaintiff is None and any(s.epithet is not None for s in plaintiff_sides):
        plaintiff = _fallback_plaintiff(entities, defendant)
    if plaintiff is not None and defendant is None and any(s.epithet is not None for s in defendant_sides):
        defendant = _fallback_plaintiff(entities, plaintiff)

    drafts: list[PartyDraft] = []
    by_entity: dict[int, PartyDraft] = {}

    def add(entity: Entity, kind: PartyKind, role: PartyRole, evidence: list[tuple[int, int]]) -> PartyDraft:
        existing = by_entity.get(id(entity))
        if existing is not None:
            return existing
        name = without_parenthetical(entity.fullest)
        aliases = [f for f in entity.forms if without_parenthetical(f).casefold() != name.casefold()]
        aliases = [without_parenthetical(a) for a in aliases if "(" not in a] + [
            a for a in entity.abbreviations if a.casefold() != name.casefold()
        ]
        draft = PartyDraft(name, kind, role, entity, _unique(aliases), evidence)
        drafts.append(draft)
        by_entity[id(entity)] = draft
        return draft

    plaintiff_draft = defendant_draft = None
    if plaintiff is not None and defendant is not None:
        evidence = [s.clause for s in plaintiff_sides if s.entity is plaintiff or s.epithet is not None][:1]
        plaintiff_draft = add(plaintiff, PartyKind.company, PartyRole.plaintiff, evidence or [_first_clause(plaintiff)])
        evidence = [s.clause for s in defendant_sides if s.entity is defendant or s.epithet is not None][:1]
        defendant_draft = add(defendant, PartyKind.company, PartyRole.defendant, evidence or [_first_clause(defendant)])
        for draft, sides in ((plaintiff_draft, plaintiff_sides), (defendant_draft, defendant_sides)):
            full = _first_clause(draft.entity) if draft.entity else None
            if full is not None and full not in draft.evidence:
                draft.evidence.append(full)
            for side in sides:
                if side.epithet is not None and _has_place_marker(side.epithet):
                    draft.aliases = _unique([*draft.aliases, _alias(side.epithet)])
        _add_subsidiaries(sentences, defendant_draft, drafts)

    headlines = [s for s in sentences if is_title_case_line(s)]
    for entity in group_entities([m for s in headlines for m in name_runs(s)]):
        if _is_court(entity) and all(_is_court(e) is False or e.core != entity.core for e in entities):
            entities.append(entity)
    for entity in entities:
        if _is_court(entity):
            add(entity, PartyKind.court, PartyRole.other, [_first_clause(entity)])
        elif _is_government(entity):
            add(entity, PartyKind.government_body, PartyRole.other, [_first_clause(entity)])

    governments: dict[str, PartyDraft] = {}
    for key, form, span in _government_phrases(body):
        alias = form[4:] if form.casefold().startswith("the ") else form
        if any(alias.casefold() == n.casefold() for d in drafts for n in d.all_names):
            continue
        government = governments.get(key)
        if government is None:
            government = PartyDraft(alias, PartyKind.government_body, PartyRole.other, None, [], [span])
            governments[key] = government
            drafts.append(government)
        elif "government" in alias.casefold() and "government" not in government.name.casefold():
            government.aliases = _unique([government.name, *government.aliases])
            government.name = alias
        elif alias.casefold() != government.name.casefold():
            government.aliases = _unique([*government.aliases, alias])

    for side in arbitration_sides:
        if side.entity is not None and id(side.entity) not in by_entity and not is_place_like(side.entity):
            add(side.entity, PartyKind.company, PartyRole.other, [side.clause])

    _add_agreement_parties(body, entities, add, by_entity)
    return Cast(drafts, plaintiff_draft, defendant_draft, by_entity), entities


def _fallback_plaintiff(entities: list[Entity], other: Entity) -> Entity | None:
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
    """ "sued Globex and its subsidiary in Canada": the subsidiary is a defendant of its own."""
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


def _add_agreement_parties(
    body: list[Sentence], entities: list[Entity], add: object, by_entity: dict[int, PartyDraft]
) -> None:
    """Companies that make, sign or lose an agreement with another: subject and object of an agreement cue."""
    adder = add  # type: ignore[assignment]
    for sentence in body:
        for _, start, end in _agreement_matcher()(sentence.span):
            for side in (_left_side(entities, sentence, start), _right_side(entities, sentence, end)):
                if side is None or side.entity is None or id(side.entity) in by_entity:
                    continue
                entity = side.entity
                if (
                    is_place_like(entity)
                    or _is_person_like(entity)
                    or entity.fullest.isupper()
                    and len(entity.fullest) <= 2
                ):
                    continue
                if len(entity.mentions) < 2 and not entity.abbreviations and len(entity.core.split()) < 2:
                    continue
                adder(entity, PartyKind.company, PartyRole.other, [_clause_of(sentence, start)])  # type: ignore[operator]


def _is_person_like(entity: Entity) -> bool:
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
