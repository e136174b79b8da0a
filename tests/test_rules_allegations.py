"""Rules extractor, allegations: claim sentences, category cues, claimant and accused."""

from __future__ import annotations

import pytest
from rules_helpers import categories, extract, party

INTRO = "Norvane Sues Kestrel\n\nNorvane Robotics has sued Kestrel Labs in a federal court.\n\n"


@pytest.mark.parametrize(
    ("claim", "category"),
    [
        ("Norvane alleges that Kestrel stole its firmware.", "trade_secret_misappropriation"),
        ("Norvane claims Kestrel refused to return its source files.", "trade_secret_misappropriation"),
        ("Norvane alleges Kestrel planted a backdoor in the routers.", "unauthorized_access_or_espionage"),
        ("Norvane claims Kestrel spied on its customers.", "unauthorized_access_or_espionage"),
        ("Norvane alleges that Kestrel threatened to cancel the order.", "coercion"),
        ("Norvane says in the lawsuit that Kestrel never paid its invoices.", "non_payment"),
        ("Norvane alleges Kestrel breached the supply agreement.", "breach_of_contract"),
        ("Norvane claims Kestrel falsely told it the permit was granted.", "misrepresentation"),
        ("Norvane alleges Kestrel won the port tender without involving Norvane.", "unfair_competition"),
        ("Norvane claims Kestrel defamed its founder.", "other"),
    ],
)
def test_each_category_cue(claim: str, category: str) -> None:
    extraction = extract(INTRO + claim + "\n")
    assert category in categories(extraction)
    allegation = next(a for a in extraction.allegations if a.category.value == category)
    assert party(extraction, allegation.claimant) is party(extraction, "Norvane")
    assert party(extraction, allegation.accused) is party(extraction, "Kestrel")


@pytest.mark.parametrize(
    ("claim", "absent"),
    [
        ("Norvane alleges Kestrel hired its engineers.", "trade_secret_misappropriation"),
        ("Norvane says Kestrel opened a door to the lab.", "unauthorized_access_or_espionage"),
        ("Norvane alleges Kestrel asked politely for the files.", "coercion"),
        ("Norvane claims Kestrel paid late but in full.", "non_payment"),
        ("Norvane alleges Kestrel signed the supply agreement.", "breach_of_contract"),
        ("Norvane claims Kestrel told it the permit was granted.", "misrepresentation"),
        ("Norvane alleges Kestrel won the port tender.", "unfair_competition"),
        ("Norvane claims Kestrel praised its founder.", "other"),
    ],
)
def test_each_category_needs_its_cue(claim: str, absent: str) -> None:
    assert absent not in categories(extract(INTRO + claim + "\n"))


def test_one_sentence_can_hold_two_claims() -> None:
    text = (
        INTRO
        + "Norvane alleges Kestrel forced its engineers to add a backdoor that let Kestrel read hospital records.\n"
    )
    assert {"coercion", "unauthorized_access_or_espionage"} <= categories(extract(text))


def test_the_act_decides_over_the_means() -> None:
    text = INTRO + "Norvane alleges Kestrel exploited its firmware code to slip a backdoor into the gateways.\n"
    assert categories(extract(text)) == {"unauthorized_access_or_espionage"}


def test_the_articles_own_voice_after_the_complaint_is_reported_is_the_plaintiffs_claim() -> None:
    text = INTRO + "The complaint says Kestrel stole the designs.\n\nKestrel then hacked the customer servers.\n"
    assert "unauthorized_access_or_espionage" in categories(extract(text))


def test_own_voice_before_any_complaint_is_background() -> None:
    text = "Tech Notes\n\nKestrel Labs hacked the customer servers.\n\nNorvane Robotics has sued Kestrel Labs.\n"
    assert categories(extract(text)) == set()


def test_denials_are_not_allegations() -> None:
    text = INTRO + "Kestrel denies that it stole any designs.\n"
    assert categories(extract(text)) == set()


def test_a_hedged_warning_is_not_an_allegation() -> None:
    text = INTRO + "Experts warn such chips could expose data to spying.\n"
    assert categories(extract(text)) == set()


def test_no_lawsuit_no_allegations() -> None:
    text = "Chip Report\n\nKestrel Labs stole the designs and spied on its partners, an essay argues.\n"
    assert extract(text).allegations == []


def test_a_third_party_making_a_claim_is_its_claimant() -> None:
    text = (
        INTRO
        + "Norvane alleges Kestrel stole its designs. The Ruritanian Data Authority contends that Kestrel spied on its users.\n"
    )
    extraction = extract(text)
    spying = next(a for a in extraction.allegations if a.category.value == "unauthorized_access_or_espionage")
    assert party(extraction, spying.claimant) is party(extraction, "Ruritanian Data Authority")
    assert party(extraction, spying.accused) is party(extraction, "Kestrel")


def test_distinct_acts_are_distinct_records_and_a_retelling_is_not() -> None:
    text = INTRO + (
        "Norvane alleges Kestrel stole its designs. The complaint says Kestrel stole the designs in 2019. "
        "Norvane also claims Kestrel has failed to return any prototypes.\n"
    )
    secrets = [a for a in extract(text).allegations if a.category.value == "trade_secret_misappropriation"]
    assert len(secrets) == 2


def test_denying_a_payment_is_a_claim_not_a_denial() -> None:
    text = INTRO + "Norvane alleges Kestrel shipped the chips late and afterwards denied paying Norvane anything.\n"
    assert "non_payment" in categories(extract(text))


def test_a_legal_standard_that_sounds_like_a_threat_is_no_coercion() -> None:
    text = INTRO + "Norvane argues in its complaint that it faces threatened misappropriation of its sensor code.\n"
    assert "coercion" not in categories(extract(text))
