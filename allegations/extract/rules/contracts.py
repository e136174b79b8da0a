"""Contract terms: agreements, bids, payments, deliverables and clauses, with money and dates parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.lexicon_terms import (
    AGREEMENT_CUES,
    BAR_CUES,
    CONFIDENTIALITY_CUES,
    DELIVERY_CUES,
    DURATION_CUES,
    EXCLUSIVITY_CUES,
    OTHER_TERM_CUES,
    PAYMENT_CUES,
    REFERENCE_NOUNS,
    RELIEF_TRIGGERS,
    TERMINATION_CUES,
    VALUE_CUES,
)
from allegations.extract.rules.mentions import occurrences
from allegations.extract.rules.parties import Cast, PartyDraft
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses, is_title_case_line
from allegations.extract.rules.values import parse_date, parse_money
from allegations.schemas import ContractTermKind, Money, PartyKind

CLAUSE_KINDS = {
    "confidentiality": ContractTermKind.ip_or_confidentiality,
    "termination": ContractTermKind.termination,
    "exclusivity": ContractTermKind.exclusivity,
}
SEPARATE_CLAUSES = frozenset(
    {ContractTermKind.payment, ContractTermKind.termination, ContractTermKind.other, ContractTermKind.date_or_duration}
)
# "a disclosure document", "disclosure rules": paperwork named after disclosure, not a confidentiality clause.
PAPERWORK = frozenset({"document", "documents", "statement", "statements", "form", "forms", "rules", "requirements"})
# Words that name what an "other" clause is about, so that its later mentions join it.
CLAUSE_TOPICS = {
    **dict.fromkeys(["arbitration", "mediation", "arbitral"], "disputes"),
    **dict.fromkeys(["bond", "guarantee", "deposit"], "security"),
}
TERMINATION_ACTS = frozenset({"terminated", "ended", "cancelled", "canceled", "revoked", "rescinded"})
COLLECTIVE_WORDS = frozenset({"two", "both", "their", "together", "jointly"})
AGREEMENT_NOUNS = frozenset(
    {
        "agreement",
        "agreements",
        "contract",
        "contracts",
        "deal",
        "deals",
        "nda",
        "subcontract",
        "subcontracts",
        "licence",
        "licences",
        "license",
        "licenses",
        "lease",
        "leases",
        "franchise",
        "franchises",
        "bond",
    }
)


@lru_cache(maxsize=1)
def _terms() -> CueMatcher:
    return CueMatcher(
        [
            ("agreement", AGREEMENT_CUES),
            ("delivery", DELIVERY_CUES),
            ("payment", PAYMENT_CUES),
            ("confidentiality", CONFIDENTIALITY_CUES),
            ("bar", BAR_CUES),
            ("termination", TERMINATION_CUES),
            ("exclusivity", EXCLUSIVITY_CUES),
            ("other", OTHER_TERM_CUES),
            ("duration", DURATION_CUES),
        ]
    )


@lru_cache(maxsize=1)
def _relief_trigger() -> CueMatcher:
    return CueMatcher([("relief", RELIEF_TRIGGERS)])


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


def _priced(clause: Span, agreed: bool) -> bool:
    """A sum stated as the value of a bid, contract or deal: a value word within three words of an amount, or
    "for £2 million" in a clause that states an agreement."""
    amounts = [t.i for t in clause if t.like_num and not _is_year(t.text)]
    if any(t.lower_ in VALUE_CUES and any(abs(t.i - n) <= 3 for n in amounts) for t in clause):
        return True
    doc = clause.doc
    return agreed and any(n - 2 >= clause.start and doc[n - 2].lower_ in {"for", "at"} for n in amounts)


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100


def _distinct(parties: list[PartyDraft]) -> list[PartyDraft]:
    return list(dict.fromkeys(parties))


def _collective(cast: Cast, clause: Span) -> list[PartyDraft]:
    """ "the two", "both", "working jointly": the litigants, when the article has a suit."""
    words = {t.lower_ for t in clause if t.i + 1 >= len(t.doc) or t.nbor(1).text != "-"}  # not "two-stage"
    if cast.plaintiff and cast.defendant and words & COLLECTIVE_WORDS:
        return [cast.plaintiff, cast.defendant]
    return []


def _candidates(cast: Cast, clause: Span) -> list[tuple[int, PartyDraft]]:
    """Parties named in the clause, and "the agency" or "the bank" standing for the one party so named."""
    found = [(at, p) for at, p in occurrences(cast.parties, clause.text) if p.kind is not PartyKind.court]
    for token in clause[1:]:
        if token.lower_ in REFERENCE_NOUNS and token.nbor(-1).lower_ == "the":
            named = [p for p in cast.parties if token.lower_ in p.name.casefold().split()]
            if len(named) == 1 and named[0].kind is not PartyKind.court:
                found.append((token.idx - clause.start_char, named[0]))
    return sorted(found, key=lambda pair: pair[0])


def _clause_parties(cast: Cast, clause: Span, sentence: Sentence) -> list[PartyDraft]:
    """The parties a clause names, else the sentence's, else the litigants for "the two" or "both"."""
    found = _distinct([p for _, p in _candidates(cast, clause)])
    if len(found) < 2:
        found = _distinct([*found, *(p for _, p in _candidates(cast, sentence.span))])
    if len(found) < 2:
        found = _distinct([*found, *_collective(cast, clause)])
    return found if len(found) >= 2 else []


def _names_agreement(clause: Span) -> bool:
    return any(t.lower_ in AGREEMENT_NOUNS for t in clause)


def _litigants_named(cast: Cast, clause: Span, sentence: Sentence) -> list[PartyDraft]:
    """ "Under the contract, the council was obliged to pay": with no agreement told yet, the suit's own contract."""
    litigants = [p for p in (cast.plaintiff, cast.defendant) if p is not None]
    named = {p for _, p in _candidates(cast, sentence.span)}
    return litigants if len(litigants) == 2 and named & set(litigants) else []


def _cue_parties(cast: Cast, clause: Span, sentence: Sentence, cue: tuple[int, int]) -> list[PartyDraft]:
    """The two sides of an agreement cue: who agreed (nearest before) with whom (nearest after)."""
    doc = clause.doc
    cue_text = doc[cue[0] : cue[1]].text.casefold()
    cue_start = doc[cue[0]].idx - clause.start_char
    cue_end = doc[cue[0]].idx + len(doc[cue[0]]) - clause.start_char  # "awarded Globex the contract": inside counts
    found = _candidates(cast, clause)
    left = _distinct([p for at, p in found if at < cue_start])
    right = _distinct([p for at, p in found if at >= cue_end])
    if cue_text.endswith("together") or cue_text.split()[0] in {"joint", "single"}:
        chosen = left[-2:] if len(left) >= 2 else right[:2]
    elif "between" in cue_text:
        chosen = right[:2]
    else:
        chosen = left[-1:] + [p for p in right[:2] if p not in left[-1:]][:1]
    chosen = _distinct(chosen)
    if len(chosen) < 2:
        chosen = _distinct([*chosen, *reversed(left), *right])[:2]
    if len(chosen) < 2:
        chosen = _distinct([*chosen, *_collective(cast, clause)])[:2]
    return chosen if len(chosen) >= 2 else []


def _labels(clause: Span) -> tuple[list[tuple[str, int, int]], set[str]]:
    """The clause's cue matches and labels; a bar is confidentiality unless it bars competing or soliciting."""
    doc = clause.doc
    matches = [
        (label, start, end)
        for label, start, end in _terms()(clause)
        if not (label == "agreement" and start > clause.start and doc[start - 1].lower_ == "who")
        and not (label == "confidentiality" and end < len(doc) and doc[end].lower_ in PAPERWORK)
    ]
    labels = {label for label, _, _ in matches}
    if "bar" in labels and not labels & {"exclusivity", "other"}:
        labels.add("confidentiality")
    return matches, labels


def _clause_terms(
    cast: Cast, sentence: Sentence, clause: Span, has_agreement_noun: bool, context: list[PartyDraft]
) -> list[TermDraft]:
    """The terms one clause states, each with the parties tied to it (else those of the agreement just told)."""
    matches, labels = _labels(clause)
    text = clause.text
    span = sentence.chars(clause.start, clause.end)
    found: list[TermDraft] = []
    parties = _clause_parties(cast, clause, sentence)
    # "It barred Acme from ...", right after an agreement is told: a clause of that agreement.
    has_agreement_noun = has_agreement_noun or (clause[0].lower_ == "it" and bool(context))
    if not parties and has_agreement_noun:
        parties = context or _litigants_named(cast, clause, sentence)
    if parties:
        money = parse_money(text)
        # One sum, one record: a sum someone is bound to pay is the payment term, not also a price.
        if (
            money is not None
            and "payment" not in labels
            and _priced(clause, "agreement" in labels or has_agreement_noun)
        ):
            found.append(TermDraft(ContractTermKind.value_or_price, parties, [span], text, amount=money))
        restriction = labels & {"bar", "other", "exclusivity", "confidentiality"}  # "bars it for two years"
        if "duration" in labels and ("agreement" in labels or has_agreement_noun) and not restriction:
            found.append(TermDraft(ContractTermKind.date_or_duration, parties, [span], text, date=parse_date(text)))
        if "payment" in labels:
            found.append(TermDraft(ContractTermKind.payment, parties, [span], text, amount=money))
        elif "other" in labels and not ("bar" in labels and not has_agreement_noun):
            topic = next((CLAUSE_TOPICS[t.lower_] for t in clause if t.lower_ in CLAUSE_TOPICS), "")
            found.append(TermDraft(ContractTermKind.other, parties, [span], text, amount=money, subtype=topic))
        for label, kind in CLAUSE_KINDS.items():
            if label in labels and has_agreement_noun:
                date = parse_date(text) if kind is ContractTermKind.termination else None
                # The act of ending it ("terminated the contract") is one record however often told.
                act = any(n == label and clause.doc[at].lower_ in TERMINATION_ACTS for n, at, _ in matches)
                found.append(TermDraft(kind, parties, [span], text, date=date, subtype="act" if act else ""))
    for label in ("agreement", "delivery"):
        cue = next(((start, end) for name, start, end in matches if name == label), None)
        sides = _cue_parties(cast, clause, sentence, cue) if cue else []
        if not sides and cue and label == "agreement" and not context and _names_agreement(clause):
            sides = _litigants_named(cast, clause, sentence)
        if not sides and cue and label == "delivery" and len(parties) == 2:
            sides = parties
        if sides and cue:
            after = clause.doc[cue[0] : clause.end].text
            date = parse_date(after) or parse_date(text)
            found.append(
                TermDraft(ContractTermKind.scope_or_deliverables, sides, [span], text, date=date, subtype=label)
            )
    return found


def find_terms(sentences: list[Sentence], cast: Cast) -> list[TermDraft]:
    """Every term the article states about the parties' agreements; the same term told twice is one record."""
    merged: dict[tuple[object, ...], TermDraft] = {}
    context: list[PartyDraft] = []
    for sentence in sentences:
        if is_title_case_line(sentence) or sentence.paragraph == 0 and not sentence.span.text.endswith("."):
            continue
        has_agreement_noun = any(t.lower_ in AGREEMENT_NOUNS for t in sentence.span)
        asked = [start for _, start, _ in _relief_trigger()(sentence.span)]
        for clause in clauses(sentence):
            if asked and clause.end > asked[0]:  # what is asked of the court is relief, not a term
                continue
            for term in _clause_terms(cast, sentence, clause, has_agreement_noun, context):
                if term.subtype == "agreement":
                    context = term.parties
                amount = term.amount.value if term.amount else None
                # Clauses of one kind are told once each; an agreement or a sum told twice is one record.
                separate = term.kind in SEPARATE_CLAUSES and amount is None and term.subtype in {"", "agreement"}
                told = sentence.index if separate else None
                key = (term.kind, term.subtype, frozenset(p.name for p in term.parties), amount, told)
                topical = term.kind is ContractTermKind.other and term.subtype and amount is None
                # "called the bond", after "a bond of €2 million": the clause told again, with its sum or without.
                same = [t for k, t in merged.items() if topical and k[:3] == key[:3]] if topical else []
                existing = same[0] if same else merged.setdefault(key, term)
                if existing is not term:
                    existing.evidence += [e for e in term.evidence if e not in existing.evidence]
                    existing.date = existing.date or term.date
    return list(merged.values())
