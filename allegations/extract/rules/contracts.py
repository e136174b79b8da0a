"""Contract terms: agreements, bids, payments, deliverables and clauses, with money and dates parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from allegations.extract.rules.lexicon import (
    AGREEMENT_CUES,
    CONFIDENTIALITY_CUES,
    DELIVERY_CUES,
    EXCLUSIVITY_CUES,
    OTHER_TERM_CUES,
    PAYMENT_CUES,
    TERMINATION_CUES,
    VALUE_CUES,
)
from allegations.extract.rules.mentions import mentioned
from allegations.extract.rules.names import is_title_case_line
from allegations.extract.rules.parties import Cast, PartyDraft
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses
from allegations.extract.rules.values import parse_date, parse_money
from allegations.schemas import ContractTermKind, Money

AGREEMENT_NOUNS = frozenset({"agreement", "agreements", "contract", "contracts", "deal", "nda", "subcontract"})


@lru_cache(maxsize=1)
def _terms() -> CueMatcher:
    return CueMatcher(
        [
            ("agreement", AGREEMENT_CUES),
            ("delivery", DELIVERY_CUES),
            ("payment", PAYMENT_CUES),
            ("confidentiality", CONFIDENTIALITY_CUES),
            ("termination", TERMINATION_CUES),
            ("exclusivity", EXCLUSIVITY_CUES),
            ("other", OTHER_TERM_CUES),
        ]
    )


@dataclass
class TermDraft:
    """One term of an agreement: its kind, the parties tied to it, money, date and supporting clauses."""

    kind: ContractTermKind
    parties: list[PartyDraft]
    evidence: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""
    amount: Money | None = None
    date: str | None = None
    subtype: str = ""


def _parties_in(cast: Cast, text: str, sentence_text: str) -> list[PartyDraft]:
    found = [p for _, p in mentioned(cast.parties, text)]
    if len(found) < 2:
        found = [p for _, p in mentioned(cast.parties, sentence_text)]
    return [p for p in found if p.kind.value != "court"]


def find_terms(sentences: list[Sentence], cast: Cast) -> list[TermDraft]:
    """Every term the article states about the parties' agreements."""
    drafts: dict[tuple[object, ...], TermDraft] = {}

    def add(
        kind: ContractTermKind,
        subtype: str,
        parties: list[PartyDraft],
        span: tuple[int, int],
        text: str,
        amount: Money | None = None,
        date: str | None = None,
    ) -> None:
        key = (kind, subtype, frozenset(p.name for p in parties), amount.value if amount else None)
        draft = drafts.get(key)
        if draft is None:
            drafts[key] = TermDraft(kind, parties, [span], text, amount, date, subtype)
            return
        if span not in draft.evidence:
            draft.evidence.append(span)
        draft.date = draft.date or date

    for sentence in sentences:
        if is_title_case_line(sentence) or sentence.paragraph == 0 and not sentence.span.text.endswith("."):
            continue
        for clause in clauses(sentence):
            labels = _terms().labels(clause)
            text = clause.text
            parties = _parties_in(cast, text, sentence.span.text)
            if len(parties) < 2:
                continue
            span = sentence.chars(clause.start, clause.end)
            money = parse_money(text)
            if money is not None and any(t.lower_ in VALUE_CUES for t in clause):
                add(ContractTermKind.value_or_price, "", parties, span, text, amount=money)
            if "payment" in labels:
                add(ContractTermKind.payment, "", parties, span, text)
            elif "other" in labels:
                add(ContractTermKind.other, "", parties, span, text)
            has_agreement_noun = any(t.lower_ in AGREEMENT_NOUNS for t in sentence.span)
            if "confidentiality" in labels and has_agreement_noun:
                add(ContractTermKind.ip_or_confidentiality, "", parties, span, text)
            if "termination" in labels and has_agreement_noun:
                add(ContractTermKind.termination, "", parties, span, text)
            if "exclusivity" in labels and has_agreement_noun:
                add(ContractTermKind.exclusivity, "", parties, span, text)
            if "agreement" in labels:
                add(ContractTermKind.scope_or_deliverables, "agreement", parties, span, text, date=parse_date(text))
            elif "delivery" in labels:
                add(ContractTermKind.scope_or_deliverables, "delivery", parties, span, text)
    return list(drafts.values())
