"""Rules extractor, contract terms: agreements, bids, payments, clauses, deliverables; money and dates parsed."""

from __future__ import annotations

from decimal import Decimal

from rules_helpers import extract, party

INTRO = "Norvane Sues Kestrel\n\nNorvane Robotics has sued Kestrel Labs. Norvane alleges Kestrel stole its designs.\n\n"


def _kinds(text: str) -> list[str]:
    return [t.kind.value for t in extract(INTRO + text + "\n").contract_terms]


def test_an_agreement_with_its_date_and_both_parties() -> None:
    extraction = extract(INTRO + "Kestrel subcontracted with Norvane in 2017 to build the sensors.\n")
    (term,) = extraction.contract_terms
    assert term.kind.value == "scope_or_deliverables" and term.date == "2017"
    named = {party(extraction, n).name for n in term.parties}  # type: ignore[union-attr]
    assert named == {party(extraction, "Norvane").name, party(extraction, "Kestrel").name}  # type: ignore[union-attr]


def test_a_bid_value_is_parsed_into_money() -> None:
    extraction = extract(INTRO + "Kestrel and Norvane submitted a joint bid of $12 million.\n")
    values = [t for t in extraction.contract_terms if t.kind.value == "value_or_price"]
    assert len(values) == 1 and values[0].amount is not None
    assert (values[0].amount.value, values[0].amount.currency) == (Decimal(12000000), "USD")


def test_a_stated_payment_obligation_is_a_payment_term() -> None:
    assert "payment" in _kinds("Kestrel still holds back the fees owed to Norvane.")


def test_a_confidentiality_clause() -> None:
    assert "ip_or_confidentiality" in _kinds(
        "The agreement between Kestrel and Norvane barred Kestrel from any disclosure of Norvane's data."
    )


def test_a_deliverable_under_the_agreement() -> None:
    assert "scope_or_deliverables" in _kinds("Norvane delivered twelve prototypes to Kestrel.")


def test_a_sentence_naming_one_party_is_no_contract_term() -> None:
    assert _kinds("Kestrel hired hundreds of engineers in 2018.") == []


def test_a_sum_without_an_agreement_word_is_no_value_term() -> None:
    assert "value_or_price" not in _kinds("Kestrel and Norvane each lost $3 million in the storm.")


def test_no_contract_term_without_a_cue() -> None:
    assert _kinds("Kestrel and Norvane both exhibit at the spring fair.") == []


def test_a_clause_barring_use_of_the_others_technology_is_confidentiality() -> None:
    assert "ip_or_confidentiality" in _kinds(
        "The agreement prevented Kestrel from putting Norvane's designs into rival drones."
    )


def test_an_agreement_ties_the_nearest_party_before_its_cue_to_the_nearest_after() -> None:
    extraction = extract(INTRO + "Kestrel hired Norvane to build the sensors for the Ruritanian government.\n")
    (term,) = [t for t in extraction.contract_terms if t.kind.value == "scope_or_deliverables"]
    assert {party(extraction, n).name for n in term.parties} == {  # type: ignore[union-attr]
        party(extraction, "Kestrel").name,  # type: ignore[union-attr]
        party(extraction, "Norvane").name,  # type: ignore[union-attr]
    }


def test_the_two_working_together_are_the_litigants() -> None:
    extraction = extract(INTRO + "The two worked together on a port project in 2015.\n")
    (term,) = extraction.contract_terms
    assert term.date == "2015" and len(term.parties) == 2


def test_a_sum_far_from_any_value_word_is_no_price() -> None:
    text = "Kestrel breached the 2019 supply agreement with Norvane and left $4 million of invoices unpaid."
    assert "value_or_price" not in _kinds(text)


def test_an_agreement_to_do_something_with_its_month_and_its_duration() -> None:
    extraction = extract(INTRO + "Kestrel agreed in May 2019 to carry Norvane's parts for five years.\n")
    kinds = {t.kind.value: t for t in extraction.contract_terms}
    assert kinds["scope_or_deliverables"].date == "2019-05"
    assert "date_or_duration" in kinds
