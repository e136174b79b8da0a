"""Rules extractor, contract terms beyond the basics: later clauses of an agreement, payment, bars, termination."""

from __future__ import annotations

from rules_helpers import extract

HEAD = "Depot Dispute\n\nTarrance Freight Ltd has sued Ombra Logistics plc over a haulage deal.\n\n"


def _terms(text: str) -> list[tuple[str, frozenset[str], str | None, str | None]]:
    extraction = extract(HEAD + text + "\n")
    return [
        (t.kind.value, frozenset(t.parties), str(t.amount.value) if t.amount else None, t.date)
        for t in extraction.contract_terms
    ]


BOTH = frozenset({"Tarrance Freight Ltd", "Ombra Logistics plc"})


def test_later_clauses_of_an_agreement_belong_to_its_parties() -> None:
    terms = _terms(
        "Ombra hired Tarrance under a haulage contract signed on 3 May 2021 for €8.2 million. "
        "The contract lasted four years, until it lapsed on June 30, 2025. "
        "It barred Tarrance from hauling for competing depots in the county."
    )
    assert ("scope_or_deliverables", BOTH, None, "2021-05-03") in terms
    assert ("value_or_price", BOTH, "8200000", None) in terms
    assert ("date_or_duration", BOTH, None, "2025-06-30") in terms
    assert ("exclusivity", BOTH, None, None) in terms
    assert "ip_or_confidentiality" not in {kind for kind, _, _, _ in terms}


def test_the_agreements_date_is_not_the_filing_date() -> None:
    terms = _terms(
        "According to the suit, filed in May 2025, Ombra and Tarrance signed a supply agreement in July 2019."
    )
    assert [date for kind, _, _, date in terms if kind == "scope_or_deliverables"] == ["2019-07"]


def test_payment_terms_each_their_own_record() -> None:
    terms = _terms(
        "Ombra hired Tarrance under a haulage contract in 2021. "
        "The contract obliged Ombra to settle every Tarrance bill, payable within 45 days. "
        "It also let Ombra hold 5% of the fees as retention pending the depot's opening."
    )
    assert sum(kind == "payment" for kind, _, _, _ in terms) == 2


def test_termination_on_a_date_and_a_notice_clause() -> None:
    terms = _terms(
        "Ombra hired Tarrance under a haulage contract in 2021. "
        "Ombra terminated the contract on 2 March 2024. "
        "Tarrance says the contract could be ended only after 60 days' written notice."
    )
    termination = [(kind, date) for kind, _, _, date in terms if kind == "termination"]
    assert ("termination", "2024-03-02") in termination and len(termination) == 2


def test_a_non_solicitation_bar_is_an_other_term() -> None:
    terms = _terms(
        "Ombra hired Tarrance under a haulage contract in 2021. "
        "The contract barred Ombra from soliciting Tarrance drivers for a year."
    )
    assert ("other", BOTH, None, None) in terms


def test_a_bar_outside_any_agreement_is_no_term() -> None:
    terms = _terms("A judge barred Ombra from soliciting Tarrance drivers while the case goes on.")
    assert terms == []


def test_the_agency_stands_for_the_one_party_named_agency() -> None:
    terms = _terms(
        "The depot belongs to the Wenlow Port Agency. In 2020 the agency gave Ombra a contract to operate it."
    )
    assert ("scope_or_deliverables", frozenset({"Wenlow Port Agency", "Ombra Logistics plc"}), None, "2020") in terms


def test_the_payee_of_an_agreed_payment_is_a_party_and_the_sum_is_kept() -> None:
    extraction = extract(
        HEAD + "Ombra ran the depots with Kelso Depots Inc. under a lease. "
        "Ombra agreed to pay Kelso Depots Inc. $12,000 for each quarter.\n"
    )
    kelso = extraction.resolve_party("Kelso Depots Inc.")
    assert kelso is not None and kelso.role.value == "other"
    payments = [t for t in extraction.contract_terms if t.kind.value == "payment"]
    assert payments and payments[0].amount is not None and str(payments[0].amount.value) == "12000"


def test_a_company_merely_mentioned_after_pay_is_not_a_party() -> None:
    extraction = extract(HEAD + "Analysts say Ombra may pay Kelso Depots Inc. a visit next year.\n")
    assert extraction.resolve_party("Kelso Depots Inc.") is None


def test_a_stated_term_length_or_end_is_a_duration() -> None:
    terms = _terms("Ombra hired Tarrance under a three-year contract in 2021. That contract expires on 31 March 2024.")
    durations = [date for kind, _, _, date in terms if kind == "date_or_duration"]
    assert len(durations) == 2 and "2024-03-31" in durations


def test_a_duration_outside_any_agreement_is_no_term() -> None:
    terms = _terms("Tarrance has run depots for three years, the suit says.")
    assert "date_or_duration" not in {kind for kind, _, _, _ in terms}


def test_the_suits_own_contract_when_no_agreement_was_told_before() -> None:
    terms = _terms(
        "Under the contract, signed in June 2020, Ombra was obliged to pay within six weeks of each delivery. "
        "Tarrance says Ombra withheld payments for finished work."
    )
    assert ("scope_or_deliverables", BOTH, None, "2020-06") in terms
    assert ("payment", BOTH, None, None) in terms
    assert len(terms) == 2


def test_a_year_naming_the_agreement_is_its_date() -> None:
    terms = _terms("Tarrance claims Ombra broke a 2018 supply agreement it had with Tarrance.")
    assert [date for kind, _, _, date in terms if kind == "scope_or_deliverables"] == ["2018"]
