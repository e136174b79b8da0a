"""Litigants: who sues whom, read from how the article reports the suit (the plaintiff is the one suing)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from allegations.extract.rules.entities import Entity, is_place_like
from allegations.extract.rules.lexicon import ARBITRATION
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.sides import (
    Side,
    co_defendants,
    earlier_conjuncts,
    left_side,
    right_side,
    subject_before,
)
from allegations.extract.rules.text import Sentence

SUIT_PATTERNS = (
    ("sue", ("sue|sues|sued|suing",)),
    (
        "filed_against",
        (
            "filed|files|filing|brought|brings|launched|issued|issues|lodged|lodges|commenced|initiated ~ "
            "lawsuit|suit|complaint|case|action|claim|proceedings ?monday|tuesday|wednesday|thursday|friday|"
            "saturday|sunday|today|yesterday|earlier|late|last against",
        ),
    ),
    (
        "filed",
        (
            "filed|files|lodged|issued|brought ~ lawsuit|suit|complaint|claim|action|petition "
            "?monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday in|on|with|at|before|,|.",
        ),
    ),
    ("suit_against", ("lawsuit|suit|complaint|case|action|claim|proceedings against",)),
    ("filed_by", ("filed|brought|launched by",)),
    ("versus", ("v.|vs.|vs|versus",)),
    ("accuse", ("accuse|accuses|accused|accusing|blamed|blames|blaming",)),
    ("allege", ("alleging|alleges|alleged|claims|claimed|claiming|contends ?that",)),
    ("own_suit", ("lawsuit|complaint|suit|filing",)),
    ("arbitration", ("filed|files|filing|initiated|launched|sought|seeks|began ~1 arbitration",)),
)
PASSIVE_AUXILIARIES = frozenset({"is", "was", "been", "being", "be", "are", "were", "get", "got", "getting"})


@lru_cache(maxsize=1)
def _suit_matcher() -> CueMatcher:
    return CueMatcher(SUIT_PATTERNS)


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
    co_plaintiffs: list[Side] = field(default_factory=list)


def suit_sides(sentences: list[Sentence], entities: list[Entity]) -> SuitSides:
    """Plaintiff-side and defendant-side mentions from how the suit is reported, and arbitration parties."""
    co_defendants_found: list[Side] = []
    plaintiffs: list[Side] = []
    defendants: list[Side] = []
    arbitration: list[Side] = []
    co_plaintiffs: list[Side] = []
    for sentence in sentences:
        counts = (len(plaintiffs), len(defendants))
        _read_suit_sentence(sentence, entities, plaintiffs, defendants, co_defendants_found, arbitration)
        for side in plaintiffs[counts[0] :]:
            earlier = earlier_conjuncts(entities, sentence, side.entity) if side.entity is not None else []
            if earlier:  # "Acme and its research arm, Acme Labs, sued": Acme leads, Acme Labs sues beside it
                co_plaintiffs += [Side(e, None, side.clause) for e in [*earlier[1:], side.entity] if e is not None]
                side.entity = earlier[0]
        if is_headline(sentence):
            for side in plaintiffs[counts[0] :] + defendants[counts[1] :]:
                side.headline = True
    return SuitSides(plaintiffs, defendants, co_defendants_found, arbitration, co_plaintiffs)


def is_headline(sentence: Sentence) -> bool:
    """The article's first line when it ends without a full stop."""
    return sentence.paragraph == 0 and not sentence.span.text.rstrip().endswith((".", "”", '"'))


def _later_against(sentence: Sentence, after: int) -> int | None:
    """The "against" of a filing told with the court and date first ("filed its claim in ... on May 2 against")."""
    doc = sentence.span.doc
    for token in doc[after : min(after + 16, sentence.span.end)]:
        if token.lower_ == "against":
            return token.i
        if token.text in {";", ":"} or token.lower_ in {"alleging", "accusing", "claiming", "saying", "which", "who"}:
            return None
    return None


def _read_suit_sentence(
    sentence: Sentence,
    entities: list[Entity],
    plaintiffs: list[Side],
    defendants: list[Side],
    co_defendants_found: list[Side],
    arbitration: list[Side],
) -> None:
    """The sides one sentence gives the suit, appended to the lists."""
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
            if side is None and start > sentence.span.start and sentence.span.doc[start - 1].lower_ in {"its", "their"}:
                side = subject_before(entities, sentence, start)
            if side is not None and side.entity is not None:
                plaintiffs.append(side)
            continue
        if label == "allege":
            left = left_side(entities, sentence, start)
            if left is not None:
                plaintiffs.append(left)
            right = right_side(entities, sentence, end)
            if right is not None and (right.entity is not None or right.epithet is not None):
                defendants.append(right)  # "claiming the Ohio chip maker copied": an epithet of the accused
            continue
        if label == "filed":  # "Acme filed the complaint in ... against Globex": the defendant may come later
            side = left_side(entities, sentence, start)
            if side is not None and side.entity is not None:
                plaintiffs.append(side)
            against = _later_against(sentence, end)
            other = right_side(entities, sentence, against + 1) if against is not None else None
            if other is not None:
                defendants.append(other)
                if other.entity is not None:
                    co_defendants_found.extend(co_defendants(entities, sentence, other.entity))
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


def top(sides: list[Side], exclude: Entity | None = None) -> Entity | None:
    """The entity named most often on one side of the suit; a body sentence counts twice a headline."""
    counts: Counter[int] = Counter()
    for side in sides:
        if side.entity is not None and side.entity is not exclude and not is_place_like(side.entity):
            counts[id(side.entity)] += 1 if side.headline else 2
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return next(s.entity for s in sides if id(s.entity) == best)
