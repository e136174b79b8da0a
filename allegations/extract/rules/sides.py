"""The sides of a suit cue: the name or description standing before or after it ("Acme, a Ruritanian firm, sued")."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from allegations.extract.rules.entities import Entity
from allegations.extract.rules.lexicon_names import COMPANY_NOUNS
from allegations.extract.rules.names import Mention
from allegations.extract.rules.text import Sentence

SUIT_VERBS = frozenset({"sue", "sues", "sued", "suing", "accuse", "accuses", "accused", "accusing", "v.", "vs."})
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


@dataclass
class Side:
    """One side of a reported suit: a named entity or a descriptive phrase (an epithet)."""

    entity: Entity | None
    epithet: Span | None
    clause: tuple[int, int]
    person: bool = False
    """Named after a job title ("its former engineer Jane Roe")."""
    headline: bool = False
    """Read from the headline, where a bare common noun can pass for a name ("Tenants sue Globex")."""


def _mention_at(entities: list[Entity], sentence: Sentence, token: int) -> tuple[Entity, Mention] | None:
    for entity in entities:
        for mention in entity.mentions:
            if mention.sentence is sentence and mention.start_token <= token < mention.end_token:
                return entity, mention
    return None


def is_company_noun(doc: Doc, at: int) -> bool:
    """A company noun at `at`, a hyphenated one included ("start-up" is three tokens)."""
    if doc[at].lower_ in COMPANY_NOUNS:
        return True
    return at >= 2 and doc[at - 1].text == "-" and f"{doc[at - 2].lower_}-{doc[at].lower_}" in COMPANY_NOUNS


def _epithet_head(sentence: Sentence, start: int) -> int | None:
    """The company noun that ends a description starting at `start` ("Ruritanian chip maker"), if any."""
    doc = sentence.span.doc
    for j in range(start, min(start + 6, sentence.span.end)):
        if is_company_noun(doc, j) and not (j + 2 < sentence.span.end and is_company_noun(doc, j + 2)):
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
    head = _epithet_head(sentence, end) if end < sentence.span.end and doc[end].is_lower else None
    if head is not None and all(_describes(doc[k]) for k in range(end, head + 1)):
        return None
    return entity


def _describes(token: Token) -> bool:
    """A word of a description after a name ("chip maker", "start-up"): lower case, no article, no suit verb."""
    return (token.is_lower or token.text == "-") and token.lower_ not in {"a", "an", "the"} | SUIT_VERBS


def _epithet_ending_at(sentence: Sentence, end: int) -> Span | None:
    """A description such as "a U.S. robotics company" ending just before token `end`."""
    doc = sentence.span.doc
    head = end - 1
    if head < sentence.span.start or not is_company_noun(doc, head):
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


def left_side(entities: list[Entity], sentence: Sentence, trigger: int) -> Side | None:
    """Who stands before a cue: a name or a description, past auxiliaries and an inserted phrase."""
    doc = sentence.span.doc
    first = sentence.span.start
    i = _before_relative_clause(sentence, trigger - 1)
    for _ in range(2):
        while i >= first and (doc[i].lower_ in AUXILIARIES or doc[i].text in {",", "’s", "'s"}):
            i -= 1
        if i < first:
            return None
        if doc[i].text == ")":  # "Acme Robotics (AR) sued ...", "Acme Robotics (Acme Robotik, AR) sued ..."
            opening = next((j for j in range(i - 1, max(first, i - 12) - 1, -1) if doc[j].text == "("), None)
            i = opening - 1 if opening is not None else i
        entity = _named_at(entities, sentence, i)
        if entity is not None:
            return Side(entity, None, (sentence.start, sentence.end))
        epithet = _epithet_ending_at(sentence, i + 1)
        if epithet is not None:
            # "Acme Robotics, a Ruritanian firm, sued ...": the name in apposition is the side.
            before = epithet.start - 1
            if before > first and doc[before].text == ",":
                named = _named_at(entities, sentence, before - 1)
                if named is not None:
                    return Side(named, None, (sentence.start, sentence.end))
            return Side(None, epithet, (sentence.start, sentence.end))
        # An inserted phrase between commas ("Acme, in a suit filed today, accused ..."): look before it.
        commas = [j for j in range(max(first, i - 10), i + 1) if doc[j].text == ","]
        if len(commas) < 1 or not any(doc[j].text == "," for j in range(i + 1, trigger)):
            return None
        i = commas[0] - 1
    return None


RELATIVE_OPENERS = frozenset({"which", "who", "whose", "whom", "where"})


def _before_relative_clause(sentence: Sentence, i: int) -> int:
    """Past a relative clause between commas just before a cue ("Acme, which runs ten mills in Oslo, has sued")."""
    doc = sentence.span.doc
    first = sentence.span.start
    while i >= first and doc[i].lower_ in AUXILIARIES and doc[i].text != ",":
        i -= 1
    if i < first or doc[i].text != ",":
        return i
    for j in range(i - 1, max(first, i - 40) - 1, -1):
        if doc[j].text == "," and j + 1 < i and doc[j + 1].lower_ in RELATIVE_OPENERS:
            return j - 1
        if doc[j].text in {";", ":"}:
            break
    return i


def right_side(entities: list[Entity], sentence: Sentence, after: int) -> Side | None:
    """Who stands after a cue: a name, a description, or the name a description stands next to."""
    doc = sentence.span.doc
    i = after
    while i < sentence.span.end and doc[i].lower_ in {"against", "of", "that", ","}:
        i += 1
    if i >= sentence.span.end:
        return None
    start = i + 1 if doc[i].lower_ in {"the", "a", "an", "its", "their", "his", "her"} else i
    entity = _named_at(entities, sentence, start)
    if entity is not None:
        return Side(entity, None, (sentence.start, sentence.end))
    head = _epithet_head(sentence, start)
    if head is not None and head + 1 < sentence.span.end:
        # "Ruritanian chip maker Globex" or, in apposition, "its supplier, Globex": the name decides.
        after = head + 2 if doc[head + 1].text == "," else head + 1
        named = _named_at(entities, sentence, after) if after < sentence.span.end else None
        if named is not None:
            return Side(named, None, (sentence.start, sentence.end))
    if head is not None:
        return Side(None, doc[i : head + 1], (sentence.start, sentence.end))
    return None


def co_defendants(entities: list[Entity], sentence: Sentence, first: Entity) -> list[Side]:
    """Named after the first defendant in a list: "sued Globex, Initech and its former chief, Jane Roe", "Globex
    and its two owners, Initech of Oslo and Hooli"."""
    doc = sentence.span.doc
    end = sentence.span.end
    found: list[Side] = []
    mention = next((m for m in first.mentions if m.sentence is sentence), None)
    i = _past_place(doc, mention.end_token, end) if mention is not None else end
    titled = False
    while i < end and doc[i].text in {",", "and"}:
        i += 1
        if doc[i - 1].text == "," and i < end and doc[i].lower_ == "and":
            i += 1
        if i < end and doc[i].lower_ in {"its", "their"}:
            j = i + 1
            while j < end and j - i <= 4 and doc[j].is_lower and doc[j].is_alpha:
                j += 1
            noun = doc[j - 1].lower_
            titled = noun not in COMPANY_NOUNS and not noun.endswith("s")  # "its chief", not "its two owners"
            i = j + 1 if j < end and doc[j].text == "," else j
        found_at = _mention_at(entities, sentence, i)
        if found_at is None or found_at[0] is first or any(s.entity is found_at[0] for s in found):
            break
        found.append(Side(found_at[0], None, (sentence.start, sentence.end), person=titled))
        i = _past_place(doc, found_at[1].end_token, end)
    return found


def _past_place(doc: Doc, at: int, end: int) -> int:
    """Past "of Oslo" or "based in Oslo" after a name in a list."""
    j = at + 1 if at < end and doc[at].lower_ == "of" else at + 2 if doc[at : at + 2].text == "based in" else at
    if j == at or j >= end or not doc[j].text[:1].isupper():
        return at
    while j < end and doc[j].text[:1].isupper():
        j += 1
    return j


def earlier_conjuncts(entities: list[Entity], sentence: Sentence, last: Entity) -> list[Entity]:
    """Names listed before `last` as one subject: "Acme and its research arm, Acme Labs, sued" gives [Acme]."""
    doc = sentence.span.doc
    mention = next((m for m in last.mentions if m.sentence is sentence), None)
    if mention is None:
        return []
    i = mention.start_token - 1
    if i >= sentence.span.start and doc[i].text == ",":
        i -= 1
    while i >= sentence.span.start and doc[i].is_lower and doc[i].is_alpha and doc[i].lower_ not in {"and", "or"}:
        i -= 1  # "its research arm"
    if i < sentence.span.start or doc[i].lower_ != "and" or i - 1 < sentence.span.start:
        return []
    found_at = _mention_at(entities, sentence, i - 1)
    if found_at is None or found_at[0] is last:
        return []
    return [*earlier_conjuncts(entities, sentence, found_at[0]), found_at[0]]


def subject_before(entities: list[Entity], sentence: Sentence, token: int) -> Side | None:
    """The last entity named before `token` in the sentence: the owner of a following "its"."""
    found = [m for e in entities for m in e.mentions if m.sentence is sentence and m.end_token <= token]
    if not found:
        return None
    mention = max(found, key=lambda m: m.start_token)
    entity = _named_at(entities, sentence, mention.start_token)
    return Side(entity, None, (sentence.start, sentence.end)) if entity is not None else None
