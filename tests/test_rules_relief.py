"""Rules extractor, relief: one record per remedy asked of the court, amounts and multipliers."""

from __future__ import annotations

from decimal import Decimal

from rules_helpers import extract, party

INTRO = "Norvane Sues Kestrel\n\nNorvane Robotics has sued Kestrel Labs. Norvane alleges Kestrel stole its designs.\n\n"


def test_each_remedy_in_a_list_is_its_own_record() -> None:
    text = INTRO + (
        "Norvane has asked the court to award damages for its lost profits; punitive damages of three times that sum; "
        "an injunction barring Kestrel from selling the chips, or a reasonable royalty; an order that Kestrel "
        "return all copies of the designs and destroy its prototypes; and attorneys' fees.\n"
    )
    extraction = extract(text)
    kinds = [r.kind.value for r in extraction.relief_sought]
    assert kinds == [
        "compensatory_damages",
        "punitive_or_exemplary_damages",
        "injunction",
        "reasonable_royalty",
        "specific_performance_or_return",
        "destruction_of_copies",
        "fees_and_costs",
    ]
    punitive = extraction.relief_sought[1]
    assert punitive.multiplier == Decimal(3) and punitive.amount is None
    for relief in extraction.relief_sought:
        assert party(extraction, relief.requested_by) is party(extraction, "Norvane")
        assert party(extraction, relief.against) is party(extraction, "Kestrel")


def test_a_stated_sum_is_the_amount() -> None:
    (relief,) = extract(INTRO + "Norvane seeks $4 million in damages.\n").relief_sought
    assert relief.kind.value == "compensatory_damages"
    assert relief.amount is not None and relief.amount.value == Decimal(4000000)


def test_unjust_enrichment_joined_by_and_is_separate() -> None:
    text = INTRO + "Norvane seeks damages for its lost sales and Kestrel's unjust enrichment.\n"
    assert [r.kind.value for r in extract(text).relief_sought] == ["compensatory_damages", "unjust_enrichment"]


def test_damages_without_a_request_are_no_relief() -> None:
    assert extract(INTRO + "The leak caused damages to Norvane's reputation.\n").relief_sought == []


def test_a_request_without_a_remedy_is_no_relief() -> None:
    assert extract(INTRO + "Kestrel is seeking new contracts in the region.\n").relief_sought == []


def test_no_relief_without_a_suit() -> None:
    assert extract("Notes\n\nAnalysts say firms often seek damages and injunctions.\n").relief_sought == []


def test_a_comma_list_of_remedies_is_cut_at_each_remedy() -> None:
    text = INTRO + "Norvane seeks $2 million in compensatory damages, punitive damages and an injunction.\n"
    relief = extract(text).relief_sought
    assert [r.kind.value for r in relief] == ["compensatory_damages", "punitive_or_exemplary_damages", "injunction"]
    assert relief[0].amount is not None and relief[1].amount is None


def test_back_pay_is_compensatory() -> None:
    (relief,) = extract(INTRO + "Norvane is seeking back pay.\n").relief_sought
    assert relief.kind.value == "compensatory_damages"


def test_the_same_remedy_asked_twice_is_one_record() -> None:
    text = INTRO + "Norvane seeks an injunction. Its lawyers said Norvane is seeking an injunction within weeks.\n"
    (relief,) = extract(text).relief_sought
    assert relief.kind.value == "injunction" and len(relief.evidence) == 2
