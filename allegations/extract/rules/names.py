"""Proper names in article text: capitalised runs, joined by connectors, with abbreviations in parentheses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from allegations.extract.rules.lexicon_names import (
    CAPITAL_SUFFIXES,
    COURT_HEADS,
    GOVERNMENT_HEADS,
    LEGAL_SUFFIXES,
    LOWER_CASE_SUFFIXES,
    MONTHS,
    NAME_CONNECTORS,
    WEEKDAYS,
)
from allegations.extract.rules.text import Sentence

_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")
_DISCOURSE = frozenset(
    [
        "moreover",
        "furthermore",
        "meanwhile",
        "instead",
        "additionally",
        "specifically",
        "ultimately",
        "subsequently",
        "finally",
        "however",
        "therefore",
        "thus",
        "still",
        "yet",
        "also",
        "allegedly",
        "reportedly",
        "then",
        "now",
        "today",
        "yesterday",
        "second",
        "third",
        "let",
        "here",
    ]
)
COURT_CONTINUATIONS = frozenset({"against", "on", "in", "for", "over", "last", "this", "earlier", "by"})
PLACE_PREPOSITIONS = frozenset({"in", "from", "to", "into", "across", "at", "near", "of", "within", "throughout"})


@dataclass
class Mention:
    """One occurrence of a name: its sentence, its token range in the sentence's document, its article offsets."""

    sentence: Sentence
    start_token: int
    end_token: int
    text: str
    start: int
    end: int
    abbreviation: str | None = None


def is_name_token(token: Token) -> bool:
    """Capitalised words, all-capital abbreviations and alphanumeric codes; never months or weekdays."""
    text = token.text
    if not text or not text[0].isupper() or token.is_punct:
        return False
    return token.lower_.rstrip(".") not in MONTHS and token.lower_ not in WEEKDAYS


def _is_leading_noise(token: Token, sentence_start: int) -> bool:
    lowered = token.lower_
    if token.text.isupper() and len(token.text) > 1:
        return False
    if lowered in STOP_WORDS or lowered in _DISCOURSE:
        return True
    first_word = next((t.i for t in token.doc[sentence_start:] if t.is_alpha), sentence_start)
    return token.i == first_word and lowered.endswith(("ly", "ing"))


def name_runs(sentence: Sentence, standalone: frozenset[str] = frozenset()) -> list[Mention]:
    """Capitalised runs in a sentence, joined by "of", "and", "&", hyphens, legal suffixes after commas and
    an inserted "(ABBR)"; an abbreviation in parentheses right after a run is recorded on it. A name in
    `standalone` (seen on its own elsewhere) is never joined to the next by "and" or a comma."""
    span = sentence.span
    doc = span.doc
    mentions: list[Mention] = []
    i = span.start
    while i < span.end:
        if not is_name_token(doc[i]):
            i += 1
            continue
        start = i
        end = i + 1
        abbreviation: str | None = None
        while end < span.end:
            step, found = _step(doc, start, end, span.end, standalone)
            abbreviation = found or abbreviation
            if not step:
                break
            end += step
        if (
            end < span.end
            and doc[end].text == "."
            and doc[end - 1].lower_ in LEGAL_SUFFIXES
            and doc[end - 1].whitespace_ == ""
            and end + 1 < span.end
        ):
            end += 1  # "INC." split by the tokenizer
        if doc[end - 1].lower_ in COURT_HEADS:
            end = _extend_court(doc, end, span.end)
        while start < end and _is_leading_noise(doc[start], span.start):
            start += 1
        while end > start and (doc[end - 1].lower_ in NAME_CONNECTORS or doc[end - 1].text in {",", "-"}):
            end -= 1
        if end > start:
            first, last = doc[start], doc[end - 1]
            a, b = sentence.offset + first.idx, sentence.offset + last.idx + len(last)
            mentions.append(Mention(sentence, start, end, doc[start:end].text, a, b))
            if abbreviation is None:
                abbreviation = _or_abbreviation(doc, end, span.end)
            mentions[-1].abbreviation = abbreviation
        i = max(end, i + 1)
    return mentions


def _step(doc: Doc, start: int, end: int, limit: int, standalone: frozenset[str]) -> tuple[int, str | None]:
    """How many tokens the name run starting at `start` takes next (0: it ends), and any "(ABBR)" it meets."""
    token = doc[end]
    nxt = doc[end + 1] if end + 1 < limit else None
    left = doc[start:end].text.casefold()
    if is_name_token(token) or token.text in LOWER_CASE_SUFFIXES:
        return 1, None
    if nxt is None:
        return 0, None
    if token.text == "," and nxt.lower_ in LEGAL_SUFFIXES:
        return 1, None
    if is_name_token(nxt) and _joins(doc, end, limit):
        return (0 if token.lower_ in {"and", "&"} and left in standalone else 1), None
    if token.text == "(" and end + 2 < limit and doc[end + 2].text == ")" and _ABBREVIATION.match(nxt.text):
        after = doc[end + 3] if end + 3 < limit else None
        # "Acme Robotics (AR) Inc." keeps its suffix: the run goes on past the parenthesis.
        return (3 if after is not None and after.lower_ in LEGAL_SUFFIXES else 0), nxt.text
    closing = next((j for j in range(end + 2, min(end + 9, limit)) if doc[j].text == ")"), None)
    if token.text == "(" and closing is not None and doc[closing - 2].text == ",":  # "(Acme Robotik, AR)"
        last = doc[closing - 1].text
        return 0, last if _ABBREVIATION.match(last) else None
    oxford = nxt.lower_ == "and" and end + 2 < limit and is_name_token(doc[end + 2])
    if token.text == "," and (is_name_token(nxt) or oxford) and left not in standalone:
        return (1 if _continues_to_head(doc, end, limit) else 0), None
    return 0, None


def _extend_court(doc: Doc, end: int, limit: int) -> int:
    """A court's name runs on: "District Court (West)", "... in Springfield, Ohio", "..., Eastern District of X"."""

    def name_run(at: int) -> int:
        while at < limit and (
            is_name_token(doc[at]) or (doc[at].lower_ == "of" and at + 1 < limit and is_name_token(doc[at + 1]))
        ):
            at += 1
        return at

    if end + 2 < limit and doc[end].text == "(" and doc[end + 2].text == ")" and is_name_token(doc[end + 1]):
        end += 3
    if end + 1 < limit and doc[end].lower_ in {"in", "for", "of"}:
        at = end + 2 if doc[end + 1].lower_ == "the" and end + 2 < limit else end + 1
        if is_name_token(doc[at]):
            end = name_run(at)
    if end + 1 < limit and doc[end].text == "," and is_name_token(doc[end + 1]):
        stop = name_run(end + 1)
        following = doc[stop] if stop < limit else None
        district = any(t.lower_ == "district" for t in doc[end + 1 : stop])
        if (
            following is None
            or following.is_punct
            or district
            or (stop == end + 2 and following.lower_ in COURT_CONTINUATIONS)
        ):
            end = stop
    return end


def _joins(doc: Doc, at: int, limit: int) -> bool:
    """Whether the connector at `at` joins two capitalised words into one name."""
    token = doc[at]
    if token.text in {"-", "–"}:  # "Acme-Globex", "Acme–Globex Consortium"
        return token.whitespace_ == "" and doc[at - 1].whitespace_ == ""
    if token.lower_ in {"of", "de"}:  # "Bank of Ruritania", but "Acme AS of Oslo" ends at its legal suffix
        return doc[at - 1].lower_ not in LEGAL_SUFFIXES and doc[at - 1].text not in CAPITAL_SUFFIXES
    return token.lower_ in NAME_CONNECTORS and _continues_to_head(doc, at, limit)


def _continues_to_head(doc: Doc, comma: int, limit: int) -> bool:
    """A comma inside a name: the capitalised run after it ends in a government or court head word."""
    j = comma + 1
    while j < limit and (is_name_token(doc[j]) or doc[j].lower_ in {"and", "of", ","}):
        j += 1
    last = doc[j - 1].lower_
    return last in GOVERNMENT_HEADS or last in COURT_HEADS


def _or_abbreviation(doc: Doc, end: int, limit: int) -> str | None:
    """ "Acme Robotics LLC, or AR," and "Acme Robotics LLC or AR" introduce an abbreviation."""
    j = end
    if j < limit and doc[j].text == ",":
        j += 1
    if j + 2 < limit and doc[j].text == "(" and doc[j + 2].text == ")":
        return str(doc[j + 1].text) if _ABBREVIATION.match(doc[j + 1].text) else None
    if j + 1 < limit and doc[j].lower_ == "or" and _ABBREVIATION.match(doc[j + 1].text):
        after = doc[j + 2] if j + 2 < limit else None
        if after is None or after.is_punct or not after.text[0].isupper():
            return str(doc[j + 1].text)
    return None
