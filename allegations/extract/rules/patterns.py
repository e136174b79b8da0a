"""The one blank English pipeline, and the small pattern language the lexicon's cues are written in.

A pattern is words separated by spaces: "a|b" is any of them, a leading "?" makes a word optional, "~" skips up
to three words (never punctuation), "~5" up to five, and "#num" is any number written in digits ("10", "1,500").
Words are matched on lower-cased spaCy tokens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from allegations.extract.rules.lexicon_names import DOTTED_SUFFIXES

GAP = 3
"""How many words a bare "~" in a pattern may skip."""


@Language.component("rules_no_split_before_lowercase")
def _no_split_before_lowercase(doc: Doc) -> Doc:
    """A full stop before a lower-case word ("Acme Inc. v. Globex", "Corp. said") ends no sentence."""
    for token in doc[1:]:
        if token.is_sent_start and token.text[:1].islower():
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """A blank English tokenizer with the rule-based sentencizer: nothing to download."""
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    for suffix in DOTTED_SUFFIXES:
        tokenizer.add_special_case(suffix, [{ORTH: suffix}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("rules_no_split_before_lowercase")
    return nlp


@dataclass(frozen=True)
class Slot:
    """One position of a pattern: a set of words (maybe optional), or a gap of up to `gap` non-punctuation tokens."""

    words: frozenset[str] = frozenset()
    optional: bool = False
    gap: int = 0


def compile_pattern(pattern: str) -> tuple[Slot, ...]:
    """ "steal|stole ~ trade secret|secrets" as slots; the first slot must be a required word."""
    slots: list[Slot] = []
    for word in pattern.split():
        if word.startswith("~"):
            slots.append(Slot(gap=int(word[1:]) if len(word) > 1 else GAP))
        else:
            slots.append(Slot(words=frozenset(word.removeprefix("?").split("|")), optional=word.startswith("?")))
    if not slots or not slots[0].words or slots[0].optional:
        raise ValueError(f"a cue pattern must start with a required word: {pattern!r}")
    return tuple(slots)


def _match_from(slots: tuple[Slot, ...], lowers: list[str], punct: list[bool], at: int, limit: int) -> int | None:
    """The end of the shortest match of `slots` starting at token `at`, or None."""
    if not slots:
        return at
    slot, rest = slots[0], slots[1:]
    if slot.gap:
        for skipped in range(slot.gap + 1):
            if skipped and (at + skipped > limit or punct[at + skipped - 1]):
                break
            end = _match_from(rest, lowers, punct, at + skipped, limit)
            if end is not None:
                return end
        return None
    if at < limit and (lowers[at] in slot.words or ("#num" in slot.words and _is_number(lowers[at]))):
        end = _match_from(rest, lowers, punct, at + 1, limit)
        if end is not None:
            return end
    return _match_from(rest, lowers, punct, at, limit) if slot.optional else None


def _is_number(word: str) -> bool:
    return word[:1].isdigit() and word.replace(",", "").replace(".", "").isdigit()


def lowered_tokens(doc: Doc) -> tuple[list[str], list[bool]]:
    """Each token's lower-cased text and whether it is punctuation, computed once per document."""
    cached = doc.user_data.get("rules-lowered")
    if cached is None:
        cached = ([token.lower_ for token in doc], [token.is_punct for token in doc])
        doc.user_data["rules-lowered"] = cached
    return cached  # type: ignore[no-any-return]


class CueMatcher:
    """Named groups of cue patterns, indexed by their first word; returns (label, start, end) token matches.

    Each document is matched once (the result is kept in `doc.user_data`); a span gets the matches inside it.
    """

    def __init__(self, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._by_first_word: dict[str, list[tuple[str, tuple[Slot, ...]]]] = defaultdict(list)
        for label, patterns in groups:
            for pattern in patterns:
                slots = compile_pattern(pattern)
                for word in slots[0].words:
                    self._by_first_word[word].append((label, slots[1:]))

    def __call__(self, span: Span) -> list[tuple[str, int, int]]:
        doc = span.doc
        key = f"rules-cues-{id(self)}"
        found = doc.user_data.get(key)
        if found is None:
            found = self._match(doc)
            doc.user_data[key] = found
        return [m for m in found if m[1] >= span.start and m[2] <= span.end]

    def labels(self, span: Span) -> set[str]:
        """The labels that match anywhere in `span`."""
        return {label for label, _, _ in self(span)}

    def _match(self, doc: Doc) -> list[tuple[str, int, int]]:
        lowers, punct = lowered_tokens(doc)
        best: dict[tuple[str, int], int] = {}
        numbered = self._by_first_word.get("#num", [])
        for start, word in enumerate(lowers):
            candidates = self._by_first_word.get(word, [])
            for label, rest in [*candidates, *numbered] if numbered and _is_number(word) else candidates:
                end = _match_from(rest, lowers, punct, start + 1, len(lowers))
                # Keep the shortest match at each start: a gap must not swallow a later cue.
                if end is not None and end < best.get((label, start), len(lowers) + 1):
                    best[(label, start)] = end
        return sorted(((label, start, end) for (label, start), end in best.items()), key=lambda m: (m[1], m[2]))
