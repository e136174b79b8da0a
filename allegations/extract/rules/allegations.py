"""Allegations: claim sentences, multi-label category cues, claimant and accused from the litigants."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from allegations.extract.rules.lexicon import ATTRIBUTION_CUES, CATEGORY_CUES, DENIAL_CUES, HEDGED_MODALS
from allegations.extract.rules.mentions import mentioned, party_ending_before
from allegations.extract.rules.names import is_title_case_line
from allegations.extract.rules.parties import Cast, PartyDraft
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses
from allegations.schemas import AllegationCategory

# A cue of these categories loses to a cue of another category in the same clause: the act beats the means.
YIELDS_TO_OTHERS = {"weak", "use"}
GOVERNED_BY_COERCION = {
    AllegationCategory.non_payment,
    AllegationCategory.breach_of_contract,
    AllegationCategory.trade_secret_misappropriation,
}
HEDGES = HEDGED_MODALS | {"if", "would"}


@lru_cache(maxsize=1)
def _attribution() -> CueMatcher:
    return CueMatcher([("attribution", ATTRIBUTION_CUES)])


@lru_cache(maxsize=1)
def _denial() -> CueMatcher:
    return CueMatcher([("denial", DENIAL_CUES)])


@lru_cache(maxsize=1)
def _categories() -> CueMatcher:
    return CueMatcher(
        (f"{category.value}/{act}", patterns)
        for category, acts in CATEGORY_CUES.items()
        for act, patterns in acts.items()
    )


@dataclass
class AllegationDraft:
    """One claim: who claims what kind of wrong against whom, and the clauses that say so."""

    claimant: PartyDraft
    accused: PartyDraft
    category: AllegationCategory
    act: str
    evidence: list[tuple[int, int]] = field(default_factory=list)


def clause_categories(clause: Span) -> list[tuple[AllegationCategory, str, int]]:
    """The categories a clause's cues name, as (category, act, first token), after the act-beats-means rules."""
    found: dict[tuple[AllegationCategory, str], int] = {}
    for label, start, _ in _categories()(clause):
        category_name, act = label.split("/")
        key = (AllegationCategory(category_name), act)
        found.setdefault(key, start)
    strong = {category for (category, act) in found if act not in YIELDS_TO_OTHERS}
    kept = {
        (category, act): at
        for (category, act), at in found.items()
        if act not in YIELDS_TO_OTHERS or not (strong - {category})
    }
    coercion = [at for (category, _), at in kept.items() if category is AllegationCategory.coercion]
    if coercion:
        first = min(coercion)
        kept = {
            (category, act): at
            for (category, act), at in kept.items()
            if category not in GOVERNED_BY_COERCION or at < first
        }
    # One record per category and act: "weak" cues stand for the category's first act.
    result: list[tuple[AllegationCategory, str, int]] = []
    for (category, act), at in sorted(kept.items(), key=lambda item: item[1]):
        result.append((category, "take" if act in YIELDS_TO_OTHERS else act, at))
    return result


def _is_headline(sentence: Sentence) -> bool:
    return sentence.paragraph == 0 and not sentence.span.text.rstrip().endswith((".", "”", '"'))


def find_allegations(sentences: list[Sentence], cast: Cast) -> list[AllegationDraft]:
    """Claims attributed to a party, or told in the article's own voice after the complaint is reported."""
    if cast.plaintiff is None or cast.defendant is None:
        return []
    drafts: dict[tuple[str, str, AllegationCategory, str], AllegationDraft] = {}
    complaint_reported = False
    for sentence in sentences:
        if _is_headline(sentence) or is_title_case_line(sentence):
            continue
        attributions = _attribution()(sentence.span)
        if _denial()(sentence.span):
            continue
        attributed = bool(attributions)
        claimant = cast.plaintiff
        for _, start, _ in attributions:
            doc = sentence.span.doc
            before = doc[max(sentence.span.start, start - 6) : start].text
            speaker = party_ending_before(cast.parties, before)
            if speaker is not None and speaker is not cast.defendant:
                claimant = speaker
                break
        for clause in clauses(sentence):
            clause_attributed = bool(_attribution()(clause))
            if any(t.lower_ in HEDGES for t in clause) and not clause_attributed:
                continue
            categories = clause_categories(clause)
            if not categories:
                continue
            if not attributed:
                if not complaint_reported:
                    continue
                first_cue = min(at for _, _, at in categories)
                before = sentence.span.doc[clause.start : first_cue].text
                actors = [p for _, p in mentioned(cast.parties, before)]
                if cast.defendant not in actors:
                    continue
            span = sentence.chars(clause.start, clause.end)
            for category, act, _ in categories:
                key = (claimant.name, cast.defendant.name, category, act)
                draft = drafts.get(key)
                if draft is None:
                    drafts[key] = AllegationDraft(claimant, cast.defendant, category, act, [span])
                elif span not in draft.evidence:
                    draft.evidence.append(span)
        if attributed:
            complaint_reported = True
    return list(drafts.values())
