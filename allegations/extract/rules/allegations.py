"""Allegations: claim sentences, multi-label category cues, claimant and accused from the litigants."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from spacy.tokens import Doc, Span

from allegations.extract.rules.lexicon import ATTRIBUTION_CUES, CATEGORY_CUES, DENIAL_CUES, FALSE_CUES, HEDGED_MODALS
from allegations.extract.rules.lexicon_terms import RELIEF_CUES, RELIEF_TRIGGERS
from allegations.extract.rules.mentions import occurrences, party_ending_before
from allegations.extract.rules.parties import Cast, PartyDraft
from allegations.extract.rules.patterns import CueMatcher
from allegations.extract.rules.text import Sentence, clauses, is_title_case_line
from allegations.schemas import AllegationCategory, PartyKind

# A cue of these categories loses to a cue of another category in the same clause: the act beats the means.
YIELDS_TO_OTHERS = {"weak", "use"}
GOVERNED_BY_COERCION = {
    AllegationCategory.non_payment,
    AllegationCategory.breach_of_contract,
    AllegationCategory.trade_secret_misappropriation,
}
HEDGES = HEDGED_MODALS | {"if", "would"}
SPEECH_VERBS = frozenset(
    {"said", "says", "say", "told", "stated", "states", "argued", "argues", "maintains", "insisted", "insists"}
)
# A finding reported of a party other than a litigant ("the regulator found that Globex ...") is its claim.
FINDING_VERBS = frozenset({"found", "concluded", "determined"})
COUNTERCLAIM_WORDS = frozenset(
    {"counterclaim", "counterclaims", "countersued", "countersues", "countersue", "countersuit", "cross-claim"}
)
PLURAL_REFERENCES = frozenset({"two", "both", "them", "they", "companies", "firms", "defendants", "carriers"})
ROLE_WORDS = {
    **dict.fromkeys(["plaintiff", "plaintiffs", "claimant", "claimants", "complainant", "petitioner"], "plaintiff"),
    **dict.fromkeys(["defendant", "defendants", "respondent"], "defendant"),
}
BULLET_MARKS = frozenset("•-*–·▪")
ALLEGING_VERBS = frozenset({"alleging", "alleges", "allege", "claiming", "contending", "contends", "asserting"})


@lru_cache(maxsize=1)
def _attribution() -> CueMatcher:
    return CueMatcher([("attribution", ATTRIBUTION_CUES)])


@lru_cache(maxsize=1)
def _relief_trigger() -> CueMatcher:
    return CueMatcher([("relief", RELIEF_TRIGGERS)])


@lru_cache(maxsize=1)
def _remedies() -> CueMatcher:
    return CueMatcher([("remedy", [p for patterns in RELIEF_CUES.values() for p in patterns])])


@lru_cache(maxsize=1)
def _denial() -> CueMatcher:
    return CueMatcher([("denial", DENIAL_CUES)])


@lru_cache(maxsize=1)
def _false_cues() -> CueMatcher:
    return CueMatcher([("false", FALSE_CUES)])


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
    false_starts = {start for _, start, _ in _false_cues()(clause)}
    for label, start, _ in _categories()(clause):
        if start in false_starts:
            continue
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


def _claimant(sentence: Sentence, cast: Cast, attributions: list[tuple[str, int, int]]) -> PartyDraft | None:
    """Who makes the claim: a party named just before the attribution ("Ruritanian regulators said"), else the
    plaintiff; never the defendant or a court."""
    doc = sentence.span.doc
    for _, start, _ in attributions:
        speaker = party_ending_before(cast.parties, doc[max(sentence.span.start, start - 6) : start].text)
        if speaker is not None and speaker not in cast.defendants and speaker.kind is not PartyKind.court:
            return speaker
    return cast.plaintiff


def _accused(clause: Span, cast: Cast, first_cue: int) -> list[PartyDraft]:
    """The defendant named last before the cue of the wrong ("Globex's former chief Jane Roe copied ..."), or every
    defendant named when a plural takes them up ("sued Globex and Initech, accusing the two of ...")."""
    before = clause.doc[clause.start : first_cue].text
    found = [(at, p) for at, p in occurrences(cast.parties, before) if p in cast.defendants]
    if not found:
        return _described_defendant(clause.doc[clause.start : first_cue], cast)
    named = list(dict.fromkeys(p for _, p in found))
    after_last = {w.casefold() for w in before[found[-1][0] :].split()}
    return named if len(named) > 1 and after_last & PLURAL_REFERENCES else named[-1:]


def _described_defendant(before: Span, cast: Cast) -> list[PartyDraft]:
    """ "the consortium", "the defendant": the one defendant a described subject can stand for."""
    for token in before[1:]:
        if before.doc[token.i - 1].lower_ != "the":
            continue
        if token.lower_ in {"defendant", "defendants"}:
            return cast.defendants[:1] if len(cast.defendants) == 1 or token.lower_ == "defendant" else cast.defendants
        described = [d for d in cast.defendants if token.lower_ in _name_words(d)]
        if len(described) == 1 and cast.plaintiff is not None and token.lower_ not in _name_words(cast.plaintiff):
            return described
    return []


def _name_words(party: PartyDraft) -> set[str]:
    return {w.casefold().strip(",.") for name in party.all_names for w in name.split()}


def _defendant_speaks(sentence: Sentence, cast: Cast) -> bool:
    """A defendant's own statement ("Globex said its tools were built in-house"): not a claim against it."""
    doc = sentence.span.doc
    for token in sentence.span:
        passive = token.i > sentence.span.start and doc[token.i - 1].lower_ in {"is", "are", "was", "were", "been"}
        if token.lower_ in SPEECH_VERBS and not passive:  # "Globex is said to have ..." reports a claim
            before = doc[max(sentence.span.start, token.i - 6) : token.i].text
            if (
                party_ending_before(cast.defendants, before) is not None
                or _role_word_before(doc, token.i) == "defendant"
            ):
                return True
    return False


def _role_word_before(doc: Doc, at: int) -> str | None:
    """ "the defendant says", "the claimant alleges": which side a procedural noun before `at` names."""
    word = doc[at - 1].lower_ if at > 0 else ""
    return ROLE_WORDS.get(word) if at > 1 and doc[at - 2].lower_ in {"the", "its"} else None


def _counterclaimant(sentence: Sentence, cast: Cast) -> PartyDraft | None:
    """The defendant that brings a counterclaim in this sentence ("Globex countersued, alleging ..."), if any."""
    if not any(t.lower_ in COUNTERCLAIM_WORDS for t in sentence.span):
        return None
    named = [p for _, p in occurrences(cast.parties, sentence.span.text) if p in cast.defendants]
    return named[0] if named else None


def _party_says(sentence: Sentence, cast: Cast) -> list[tuple[str, int, int]]:
    """ "Acme says Globex ...": a speech verb right after a party other than a defendant or a court."""
    doc = sentence.span.doc
    found = []
    for token in sentence.span:
        if token.lower_ in SPEECH_VERBS:
            speaker = party_ending_before(cast.parties, doc[max(sentence.span.start, token.i - 6) : token.i].text)
            plaintiff_speaks = _role_word_before(doc, token.i) == "plaintiff"
            if plaintiff_speaks or (
                speaker is not None and speaker not in cast.defendants and speaker.kind is not PartyKind.court
            ):
                found.append(("attribution", token.i, token.i + 1))
        elif token.lower_ in FINDING_VERBS and token.i + 1 < sentence.span.end and doc[token.i + 1].lower_ == "that":
            speaker = party_ending_before(cast.parties, doc[max(sentence.span.start, token.i - 6) : token.i].text)
            third = speaker is not None and speaker is not cast.plaintiff and speaker not in cast.defendants
            if third and speaker is not None and speaker.kind is not PartyKind.court:
                found.append(("attribution", token.i, token.i + 1))
    return found


def _according_to(sentence: Sentence, cast: Cast) -> list[tuple[str, int, int]]:
    """ "According to the authority, ...": a claim the plaintiff (or a third party) makes, named or described by a
    word of its name; never a defendant's account."""
    doc = sentence.span.doc
    for token in sentence.span[:-2]:
        if token.lower_ != "according" or doc[token.i + 1].lower_ != "to":
            continue
        stop = token.i + 2
        while stop < min(token.i + 7, sentence.span.end) and not doc[stop].is_punct:
            stop += 1
        after = doc[token.i + 2 : stop]  # "the authority" in "According to the authority, Globex ..."
        words = [t.lower_ for t in after if t.lower_ not in {"the", "its", "a"}][:1]
        named = [p for _, p in occurrences(cast.parties, after.text)][:1] or [
            p for p in cast.parties if words and words[0] in p.name.casefold().split()
        ]
        if len(named) == 1 and named[0] not in cast.defendants and named[0].kind is not PartyKind.court:
            return [("attribution", token.i, token.i + 2)]
    return []


def _accused_of(clause: Span) -> list[tuple[AllegationCategory, str, int]]:
    """ "accusing Globex of copying ...": a wrong no cue names is still a claim, of the general category."""
    doc = clause.doc
    for token in clause:
        if token.lower_ in {"accuse", "accuses", "accused", "accusing"}:
            of = next((t for t in doc[token.i + 1 : min(token.i + 9, clause.end)] if t.lower_ == "of"), None)
            if of is not None and of.i + 1 < clause.end and doc[of.i + 1].lower_.endswith("ing"):
                return [(AllegationCategory.other, "accused", of.i + 1)]
        # "alleging that the defendant ...": an allegation reported as such, whatever wrong it names
        if token.lower_ in ALLEGING_VERBS and token.i + 2 < clause.end and doc[token.i + 1].lower_ == "that":
            return [(AllegationCategory.other, "alleged", token.i + 2)]
    return []


def _is_bullet(sentence: Sentence) -> bool:
    return sentence.span.text.lstrip()[:1] in BULLET_MARKS


def find_allegations(sentences: list[Sentence], cast: Cast) -> list[AllegationDraft]:
    """Claims attributed to a party, or told in the article's own voice after the complaint is reported."""
    defendant = cast.defendant
    if cast.plaintiff is None or defendant is None:
        return []
    drafts: dict[tuple[str, str, AllegationCategory, str], AllegationDraft] = {}
    complaint_reported = False
    lead_in: list[tuple[str, int, int]] = []  # the attribution of a list's lead-in ("The complaint says Globex:")
    opening = True  # the headline and any deck lines under it, up to the first full sentence
    for sentence in sentences:
        if not _is_bullet(sentence):
            lead_in = []
        opening = opening and not sentence.span.text.rstrip().endswith((".", "”", '"'))
        if opening or _is_headline(sentence) or is_title_case_line(sentence) or _denial()(sentence.span):
            continue
        counter = _counterclaimant(sentence, cast)
        if counter is None and _defendant_speaks(sentence, cast):
            continue
        attributions = (
            _attribution()(sentence.span) or _party_says(sentence, cast) or _according_to(sentence, cast) or lead_in
        )
        if sentence.span.text.rstrip().endswith(":"):
            lead_in = attributions
        claimant = _claimant(sentence, cast, attributions) or cast.plaintiff
        asked = [start for _, start, _ in _relief_trigger()(sentence.span)]
        sentence_named_wrong = bool(_categories()(sentence.span))
        for clause in clauses(sentence):
            if any(t.lower_ in HEDGES for t in clause) and not _attribution()(clause):
                continue
            if asked and clause.end > asked[0] and _remedies()(clause):  # a remedy asked for is not a claim
                continue
            categories = clause_categories(clause) or ([] if sentence_named_wrong else _accused_of(clause))
            if not categories:
                continue
            own_voice = not attributions
            accused = _accused(clause, cast, categories[0][2])
            if own_voice and not (complaint_reported and accused):
                continue
            pairs = [(claimant, a) for a in accused or [defendant]]
            if counter is not None and cast.plaintiff is not None:
                pairs = [(counter, cast.plaintiff)]
            span = sentence.chars(clause.start, clause.end)
            for (by, against), (category, act, _) in product(pairs, categories):
                key = (by.name, against.name, category, act)
                draft = drafts.setdefault(key, AllegationDraft(by, against, category, act, []))
                if span not in draft.evidence:
                    draft.evidence.append(span)
        complaint_reported = complaint_reported or bool(attributions)
    return list(drafts.values())
