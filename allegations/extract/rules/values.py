"""Money, dates and multipliers parsed from a clause into the schema's types."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from allegations.extract.rules.lexicon_names import MONTHS
from allegations.extract.rules.lexicon_terms import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MULTIPLIERS,
    NUMBER_WORDS,
    SCALE_WORDS,
)
from allegations.schemas import Money

_SYMBOLS = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_SCALES = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY_SYMBOL = re.compile(
    rf"(?<![\w$])(?P<cur>{_SYMBOLS})\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALES})\b)?", re.IGNORECASE
)
_MONEY_WORD = re.compile(
    rf"\b(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALES}))?\s+(?P<word>{'|'.join(CURRENCY_WORDS)})\b", re.IGNORECASE
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH_NAMES})\.?,?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)
_YEAR = re.compile(
    r"\b(?:in|since|from|during|by|until|of|early|late|mid-?)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*\w*\s*(?:million|billion))",
    re.I,
)
# "a 2021 supply agreement": the year an agreement is named by.
_YEAR_OF_AGREEMENT = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)\s+(?:[a-z-]+\s+){0,2}(?:agreement|contract|deal|subcontract|lease|licen[cs]e)\b"
)
_TIMES = re.compile(r"\b(?P<n>\w+)\s+times\b", re.I)


def parse_money(text: str) -> Money | None:
    """The first sum of money stated in `text`: "$150 million" is 150000000 USD."""
    found = [m for m in (_MONEY_SYMBOL.search(text), _MONEY_WORD.search(text)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    try:
        value = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation:
        return None
    scale = match.group("scale")
    if scale:
        value *= SCALE_WORDS[scale.casefold()]
    if "cur" in match.groupdict() and match.group("cur"):
        currency = CURRENCY_SYMBOLS[match.group("cur").casefold()]
    else:
        currency = CURRENCY_WORDS[match.group("word").casefold()]
    return Money(value=_normal(value), currency=currency)


def _normal(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def parse_date(text: str) -> str | None:
    """The most precise calendar date stated in `text`, as ISO 8601 at that precision; None for relative dates."""
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.search(text)
        if match:
            month = MONTHS[match.group("month").casefold()]
            return f"{match.group('year')}-{month:02d}-{int(match.group('day')):02d}"
    match = _MONTH_YEAR.search(text)
    if match:
        return f"{match.group('year')}-{MONTHS[match.group('month').casefold()]:02d}"
    match = _YEAR.search(text) or _YEAR_OF_AGREEMENT.search(text)
    return match.group("year") if match else None


def parse_multiplier(text: str) -> Decimal | None:
    """A multiple of another sum: "twice the fee" is 2, "treble damages" 3, "three times the loss" 3."""
    lowered = text.casefold()
    for word, factor in MULTIPLIERS.items():
        if re.search(rf"\b{word}\b", lowered):
            return Decimal(factor)
    match = _TIMES.search(lowered)
    if match:
        n = match.group("n")
        if n.isdigit():
            return Decimal(n)
        if n in NUMBER_WORDS:
            return Decimal(NUMBER_WORDS[n])
    return None
