"""The one blank English pipeline, and the small pattern language the lexicon's cues are written in."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

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
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("rules_no_split_before_lowercase")
    return nlp


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """Turn "steal|stole ~ trade secret|secrets" into spaCy Matcher token specs on lower-cased text."""
    specs: list[dict[str, Any]] = []
    for word in pattern.split():
        if word.startswith("~"):
            limit = int(word[1:]) if len(word) > 1 else GAP
            specs.append({"IS_PUNCT": False, "OP": f"{{0,{limit}}}"})
            continue
        optional = word.startswith("?")
        choices = word.removeprefix("?").split("|")
        spec: dict[str, Any] = {"LOWER": {"IN": choices}} if len(choices) > 1 else {"LOWER": choices[0]}
        if optional:
            spec["OP"] = "?"
        specs.append(spec)
    return specs


class CueMatcher:
    """Named groups of cue patterns, matched on a span; returns (label, start token, end token) in span order."""

    def __init__(self, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._matcher = Matcher(pipeline().vocab)
        for label, patterns in groups:
            self._matcher.add(label, [compile_pattern(p) for p in patterns])

    def __call__(self, span: Span) -> list[tuple[str, int, int]]:
        vocab = pipeline().vocab
        found = [(vocab.strings[key], span.start + s, span.start + e) for key, s, e in self._matcher(span)]
        # Keep the shortest match at each start: "~" gaps must not swallow a later cue.
        best: dict[tuple[str, int], tuple[str, int, int]] = {}
        for label, start, end in found:
            current = best.get((label, start))
            if current is None or end < current[2]:
                best[(label, start)] = (label, start, end)
        return sorted(best.values(), key=lambda m: (m[1], m[2]))

    def labels(self, span: Span) -> set[str]:
        """The labels that match anywhere in `span`."""
        return {label for label, _, _ in self(span)}
