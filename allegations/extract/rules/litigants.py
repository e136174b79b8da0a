"""Litigants: who sues whom, read from how the article reports the suit (the plaintiff is the one suing)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.lexicon import ARBITRATION
from allegations.extract.rules.lexicon_names import COMPANY_NOUNS
from allegations.extract.rules.names import Entity, Mention
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence

SUIT_PATTERNS = (
    ("sue", ("sue|sues|sued|suing",)),
    (
        "filed_against",
        (
            "filed|files|filing|brought|brings|launched|issued|issues|lodged|lodges|commenced|initiated ~ "
            "lawsuit|suit|complaint|case|action|claim|proceedings against",
        ),
    ),
    ("filed", ("filed|files|lodged|issued|brought ~ lawsuit|suit|complaint|claim|action|petition in|on|with|,|.",)),
    ("suit_against", ("lawsuit|suit|complaint|case|action|claim|proceedings against",)),
    ("filed_by", ("filed|brought|launched by",)),
    ("versus", ("v.|vs.|vs|versus",)),
    ("accuse", ("accuse|accuses|accused|accusing|blamed|blames|blaming",)),
    ("allege", ("alleging|alleges|alleged|claims|claimed|claiming|contends ?that",)),
    ("own_suit", ("lawsuit|complaint|suit|filing",)),
    ("arbitration", ("filed|files|filing|initiated|launched|sought|seeks|began ~1 arbitration",)),
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
    ]
)
PASSIVE_AUXILIARIES = frozenset({"is", "was", "been", "being", "be", "are", "were", "get", "got", "getting"})


@lru_cache(maxsize=1)
def _suit_matcher() -> CueMatcher:
    return CueMatcher(SUIT_PATTERNS)


@dataclass
class Side:
    """One side of a reported suit: a named entity or a descriptive phrase (an epithet)."""

    entity: Entity | None
    epithet: Span | None
    clause: tuple[int, int]
    person: bool = False
    """Named after a job title ("its former engineer Jane Roe")."""


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


def left_side(entities: list[Entity], sentence: Sentence, trigger: int) -> Side | None:
    """Who stands before a cue: a name or a description, past auxiliaries and an inserted phrase."""
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


def right_side(entities: list[Entity], sentence: Sentence, after: int) -> Side | None:
    """Who stands after a cue: a name, a description, or the name a description stands next to."""
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


def co_defendants(entities: list[Entity], sentence: Sentence, first: Entity) -> list[Side]:
    """Named after the first defendant in a list: "sued Globex, Initech and its former chief Jane Roe"."""
    doc = sentence.span.doc
    found: list[Side] = []
    mention = next((m for m in first.mentions if m.sentence is sentence), None)
    i = mention.end_token if mention is not None else sentence.span.end
    while i < sentence.span.end and doc[i].text in {",", "and"}:
        i += 1
        if doc[i - 1].text == "," and i < sentence.span.end and doc[i].lower_ == "and":
            i += 1
        titled = False
        if i < sentence.span.end and doc[i].lower_ in {"its", "their"}:
            j = i + 1
            while j < sentence.span.end and j - i <= 4 and doc[j].is_lower and doc[j].is_alpha:
                j += 1
            titled = doc[j - 1].lower_ not in COMPANY_NOUNS
            i = j
        found_at = _mention_at(entities, sentence, i)
        if found_at is None or found_at[0] is first or any(s.entity is found_at[0] for s in found):
            break
        found.append(Side(found_at[0], None, (sentence.start, sentence.end), person=titled))
        i = found_at[1].end_token
    return found


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
    participle = sentence.span.doc[trigger].lower_.endswith("ed")
    return participle and (before in PASSIVE_AUXILIARIES or after in {"for", "in"})


@dataclass
class SuitSides:
    """Mentions on each side of the reported suit: plaintiffs, defendants, co-defendants, arbitration parties."""

    plaintiffs: list[Side]
    defendants: list[Side]
    co_defendants: list[Side]
    arbitration: list[Side]


def suit_sides(sentences: list[Sentence], entities: list[Entity]) -> SuitSides:
    """Plaintiff-side and defendant-side mentions from how the suit is reported, and arbitration parties."""
    co_defendants_found: list[Side] = []
    plaintiffs: list[Side] = []
    defendants: list[Side] = []
    arbitration: list[Side] = []
    for sentence in sentences:
        arbitral = any(t.lower_ in ARBITRATION for t in sentence.span)
        for label, start, end in _suit_matcher()(sentence.span):
            if arbitral:
                if label in {"filed_against", "sue", "arbitration"}:
                    side = left_side(entities, sentence, start)
                    if side is not None:
                        arbitration.append(side)
                continue
            if label == "own_suit":
                # "the Acme lawsuit", "Acme's complaint", "Acme said in its lawsuit": the owner is the plaintiff.
                side = left_side(entities, sentence, start)
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
                left = left_side(entities, sentence, start)
                if left is not None:
                    plaintiffs.append(left)
                right = right_side(entities, sentence, end)
                if right is not None and right.entity is not None:
                    defendants.append(right)
                continue
            if label == "filed":  # "Acme filed the complaint in ...": only the filer is named
                side = left_side(entities, sentence, start)
                if side is not None and side.entity is not None:
                    plaintiffs.append(side)
                continue
            if label == "filed_by":  # "a suit filed by Acme against Globex"
                right = right_side(entities, sentence, end)
                if right is not None:
                    plaintiffs.append(right)
                doc = sentence.span.doc
                against = next((t.i for t in doc[end : min(end + 8, sentence.span.end)] if t.lower_ == "against"), None)
                other = right_side(entities, sentence, against + 1) if against is not None else None
                if other is not None:
                    defendants.append(other)
                continue
            passive = label in {"accuse", "sue"} and _is_passive(sentence, start)
            left = left_side(entities, sentence, start)
            right = right_side(entities, sentence, end)
            if passive:  # "Globex was sued by Acme"
                if left is not None:
                    defendants.append(left)
                doc = sentence.span.doc
                if end < sentence.span.end and doc[end].lower_ == "by":
                    agent = right_side(entities, sentence, end + 1)
                    if agent is not None:
                        plaintiffs.append(agent)
                continue
            if left is not None and label != "suit_against":
                plaintiffs.append(left)
            if right is not None:
                defendants.append(right)
                if right.entity is not None and label in {"sue", "filed_against", "accuse"}:
                    co_defendants_found.extend(co_defendants(entities, sentence, right.entity))
    return SuitSides(plaintiffs, defendants, co_defendants_found, arbitration)


def top(sides: list[Side], exclude: Entity | None = None) -> Entity | None:
    """The entity named most often on one side of the suit."""
    counts = Counter(id(s.entity) for s in sides if s.entity is not None and s.entity is not exclude)
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return next(s.entity for s in sides if id(s.entity) == best)
