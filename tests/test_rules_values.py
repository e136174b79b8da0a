"""Rules extractor, values: money, dates and multipliers parsed into the schema's types."""

from __future__ import annotations

from decimal import Decimal

import pytest

from allegations.extract.rules.values import parse_date, parse_money, parse_multiplier


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("a tender of $175 million", "175000000", "USD"),
        ("a €2.5m order", "2500000", "EUR"),
        ("Rs 3 billion in fees", "3000000000", "PKR"),
        ("£40,000 a year", "40000", "GBP"),
        ("US$1.2bn deal", "1200000000", "USD"),
        ("paid 300 euros", "300", "EUR"),
    ],
)
def test_money_is_a_plain_decimal_in_its_currency(text: str, value: str, currency: str) -> None:
    money = parse_money(text)
    assert money is not None
    assert (money.value, money.currency) == (Decimal(value), currency)


@pytest.mark.parametrize("text", ["no sum here", "in 2016 the firm grew", "three engineers left"])
def test_no_money_without_a_currency(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("signed in 2016 in Leeds", "2016"),
        ("in October 2011 the firms met", "2011-10"),
        ("lodged on Aug. 14, 2022, with the clerk", "2022-08-14"),
        ("on 3 March 2020", "2020-03-03"),
        ("since May of 2018", "2018-05"),
    ],
)
def test_dates_are_iso_at_the_stated_precision(text: str, date: str) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["last year", "on Wednesday", "a 2016 model", "for 20 years"])
def test_relative_or_unanchored_dates_are_left_out(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "factor"),
    [("twice the unpaid fees", 2), ("treble damages", 3), ("three times the loss", 3), ("5 times the fee", 5)],
)
def test_multipliers(text: str, factor: int) -> None:
    assert parse_multiplier(text) == Decimal(factor)


@pytest.mark.parametrize("text", ["damages for lost profits", "a time of crisis"])
def test_no_multiplier_without_a_multiple(text: str) -> None:
    assert parse_multiplier(text) is None
