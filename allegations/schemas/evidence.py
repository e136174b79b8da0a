"""Evidence: a verbatim quote and its [start, end) span in the article, checked against the text."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from allegations.schemas.text import clip

# Typographic variants folded together when a quote does not appear verbatim.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_WHITESPACE = re.compile(r"\s+")


class Alignment(StrEnum):
    """How a quote was found in its article."""

    exact = "exact"
    typographic = "typographic"


@lru_cache(maxsize=16)
def _normalise_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold typography and whitespace runs; return the folded text and each folded char's source index."""
    folded = text.translate(_TYPOGRAPHIC)
    chars: list[str] = []
    index: list[int] = []
    previous_space = False
    for i, char in enumerate(folded):
        if char.isspace():
            if previous_space:
                continue
            chars.append(" ")
            previous_space = True
        else:
            chars.append(char)
            previous_space = False
        index.append(i)
    return "".join(chars), tuple(index)


def normalise_typography(text: str) -> str:
    """Fold curly quotes, dashes and whitespace runs, as quote alignment does."""
    return _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def _nearest(starts: list[int], hint: int | None) -> int:
    if hint is None:
        return starts[0]
    return min(starts, key=lambda s: (abs(s - hint), s))


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def align_quote(text: str, quote: str, hint: int | None = None) -> tuple[int, int, Alignment] | None:
    """Locate `quote` in `text`: verbatim first, then ignoring typographic differences.

    Returns `(start, end, alignment)` with `end` exclusive, choosing the occurrence nearest
    `hint` when the quote occurs more than once, or None when it is not in the text.
    """
    if not quote.strip():
        return None
    starts = _occurrences(text, quote)
    if starts:
        start = _nearest(starts, hint)
        return start, start + len(quote), Alignment.exact
    folded_text, source_index = _normalise_with_map(text)
    folded_quote = normalise_typography(quote)
    starts = _occurrences(folded_text, folded_quote)
    if not starts:
        return None
    candidates = [source_index[s] for s in starts]
    start = _nearest(candidates, hint)
    folded_start = starts[candidates.index(start)]
    end = source_index[folded_start + len(folded_quote) - 1] + 1
    return start, end, Alignment.typographic


def ground(text: str, quote: str, start: int | None = None, end: int | None = None) -> tuple[int, int] | None:
    """Where `quote` stands in `text`: the one test of grounding. The recorded `[start, end)` when the text there is
    the quote, else the occurrence nearest `start` (verbatim, then ignoring typography); None when it is not there."""
    if start is not None and end is not None and text[start:end] == quote and quote.strip():
        return start, end
    span = align_quote(text, quote, hint=start)
    return None if span is None else (span[0], span[1])


class Evidence(BaseModel):
    """A verbatim quote from the article supporting a record, with its character span."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(
        min_length=1,
        description="The shortest span of article text that supports the record, copied verbatim.",
    )
    start: int | None = Field(
        default=None,
        ge=0,
        description="0-based character offset of the quote's first character; computed from the text.",
    )
    end: int | None = Field(
        default=None,
        ge=0,
        description="Character offset one past the quote's last character (exclusive); computed from the text.",
    )
    alignment: Alignment | None = Field(
        default=None,
        description="exact: the quote occurs verbatim; typographic: only after folding quotes, dashes, whitespace.",
    )

    @model_validator(mode="after")
    def _check_against_text(self, info: ValidationInfo) -> Evidence:
        text = _context_text(info)
        if text is None:
            if self.start is not None and self.end is not None and self.end - self.start != len(self.quote):
                raise ValueError("end - start must equal the quote's length")
            return self
        span = align_quote(text, self.quote, hint=self.start)
        if span is None:
            raise ValueError(f"quote not found in the article text: {clip(self.quote, 80)!r}")
        start, end, alignment = span
        # A stored typographic match is the article's slice, which re-aligns exactly: keep what was recorded.
        if self.alignment is Alignment.typographic and (self.start, self.end) == (start, end):
            alignment = Alignment.typographic
        self.start, self.end, self.alignment = start, end, alignment
        self.quote = text[start:end]
        return self


def _context_text(info: ValidationInfo) -> str | None:
    context: Any = info.context
    if isinstance(context, dict):
        text = context.get("text")
        return text if isinstance(text, str) else None
    return None
