"""Relief: what a party asks of the court, one record per remedy, with amounts and multipliers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from allegations.extract.rules.lexicon_terms import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MULTIPLIERS,
    RELIEF_CUES,
    RELIEF_TRIGGERS,
    SCALE_WORDS,
)
from allegations.extract.rules.parties import Cast, PartyDraft
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, trim
from allegations.extract.rules.values import parse_money, parse_multiplier
from allegations.schemas import Money, ReliefKind

_QUOTE_SEPARATORS = frozenset({"’", "'", "”", '"'})
_MULTIPLIER_WORDS = frozenset(MULTIPLIERS) | {"times"}


@lru_cache(maxsize=1)
def _triggers() -> CueMatcher:
    return CueMatcher([("trigger", RELIEF_TRIGGERS)])


@lru_cache(maxsize=1)
def _remedies() -> CueMatcher:
    return CueMatcher((kind.value, patterns) for kind, patterns in RELIEF_CUES.items())


@dataclass
class ReliefDraft:
    """One remedy asked for: by whom, against whom, and the item of the list that names it."""

    requested_by: PartyDraft
    against: PartyDraft
    kind: ReliefKind
    evidence: list[tuple[int, int]]
    text: str
    amount: Money | None
    multiplier: Decimal | None


def _remedy_follows(doc: Doc, at: int, limit: int) -> bool:
    """A remedy cue starts within the next three words: "damages, punitive damages and an injunction"."""
    return any(start < at + 3 for _, start, _ in _remedies()(doc[at:limit]))


def _amount_at(token: Token) -> bool:
    """A sum starts here: "£2 million", "$40,000", "5 million euros"."""
    if token.text in CURRENCY_SYMBOLS or token.text[:1] in "$€£¥₹":
        return True
    after = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    return token.like_num and (after in SCALE_WORDS or after in CURRENCY_WORDS)


def _segments(span: Span) -> list[Span]:
    """A list of remedies cut into items at semicolons, stray closing quotes, ", and", ", or" and "or"."""
    doc = span.doc
    cuts = [span.start]
    for token in span:
        if token.i == span.start:
            continue
        following = doc[token.i + 1] if token.i + 1 < span.end else None
        stray_quote = (
            token.text in _QUOTE_SEPARATORS
            and following is not None
            and following.is_lower
            and not doc[token.i - 1].lower_.endswith("s")  # "attorneys' fees" is a possessive
        )
        joined = following is not None and following.lower_ in {"plus", "and"} and token.i + 2 < span.end
        if joined:
            following = doc[token.i + 2]  # ", plus a further £2 million", ", and damages"
        determined = following is not None and following.lower_ in {"a", "an", "the", "its", "their"}
        reach = 3 if joined or determined else 1  # ", the $2 million in unpaid fees"
        sums: list[Token] = [] if following is None else list(doc[following.i : min(following.i + reach, span.end)])
        ordered = (
            determined
            and following is not None
            and following.i + 1 < span.end
            and doc[following.i + 1].lower_ == "order"
        )
        listed = following is not None and (
            ordered or _remedy_follows(doc, following.i, span.end) or any(map(_amount_at, sums))
        )  # ", an order that Globex destroy ..." starts a remedy of its own
        if token.text == ";" or stray_quote or (token.text == "," and listed):
            cuts.append(token.i + 1)
        elif token.lower_ == "or" or (
            token.lower_ == "and"
            and (doc[token.i - 1].text == "," or (following is not None and following.lower_ == "to"))
        ):  # "to rescind the lease and to order a refund": each infinitive asks for its own remedy
            cuts.append(token.i)
    cuts.append(span.end)
    return [trim(doc[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _items(segment: Span) -> list[tuple[ReliefKind, Span]]:
    """The remedies of one item; an "and" between two different kinds of remedy splits it further."""
    doc = segment.doc
    multiplier_at = next((t.i for t in segment if t.lower_ in _MULTIPLIER_WORDS), segment.end)
    cues = [(ReliefKind(label), start) for label, start, _ in _remedies()(segment) if start <= multiplier_at]
    if not cues:  # "a further €3 million to cover the extra cost": a sum asked for with no remedy named
        opens_with_sum = any(_amount_at(t) for t in segment[:4])
        if opens_with_sum:
            return [(ReliefKind.compensatory_damages, segment)]
        # "to order Globex to stop selling the drills": an order compelling an act, with no other remedy named
        ordered = any(t.lower_ in {"order", "ordering", "compel", "compelling"} for t in segment[:3])
        return [(ReliefKind.injunction, segment)] if ordered and any(t.lower_ == "to" for t in segment[2:]) else []
    kinds: list[tuple[ReliefKind, int]] = []
    for kind, start in cues:
        # "punitive damages" is one remedy; in "compensatory and punitive damages" the first word is another.
        if kind is ReliefKind.compensatory_damages and any(
            k is ReliefKind.punitive_or_exemplary_damages and at < start for k, at in cues
        ):
            continue
        if all(k is not kind for k, _ in kinds):
            kinds.append((kind, start))
    items: list[tuple[ReliefKind, Span]] = []
    for n, (kind, start) in enumerate(kinds):
        begin = segment.start
        if n > 0:
            joins = [t.i for t in doc[kinds[n - 1][1] : start] if t.lower_ in {"and", "plus"}]
            if not joins:
                continue
            begin = joins[-1] + 1
            previous_kind, previous_span = items[-1]
            items[-1] = (previous_kind, trim(doc[previous_span.start : joins[-1]]))
        items.append((kind, trim(doc[begin : segment.end])))
    return items


def find_relief(sentences: list[Sentence], cast: Cast) -> list[ReliefDraft]:
    """Every remedy the plaintiff asks for, against the defendant."""
    if cast.plaintiff is None or cast.defendant is None:
        return []
    drafts: dict[tuple[ReliefKind, object], ReliefDraft] = {}
    for sentence in sentences:
        triggers = _triggers()(sentence.span)
        if not triggers:
            continue
        after = sentence.span.doc[triggers[0][2] : sentence.span.end]
        for segment in _segments(after):
            for kind, item in _items(segment):
                if not item.text:
                    continue
                span = sentence.chars(item.start, item.end)
                amount = parse_money(item.text)
                multiplier = parse_multiplier(item.text) if kind is ReliefKind.punitive_or_exemplary_damages else None
                key = (kind, amount.value if amount else None)
                draft = drafts.get(key)
                if draft is None:  # the same remedy asked for twice is one record with two quotes
                    drafts[key] = ReliefDraft(
                        cast.plaintiff, cast.defendant, kind, [span], item.text, amount, multiplier
                    )
                elif span not in draft.evidence:
                    draft.evidence.append(span)
    return list(drafts.values())
