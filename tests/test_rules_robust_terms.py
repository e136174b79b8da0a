"""Rules extractor, contract terms from general evidence: any agreement noun, numbers in digits, clause verbs."""

from __future__ import annotations

from rules_helpers import assert_grounded, extract

HEAD = "Gallery sues printer\n\nOsterby Gallery Ltd has sued Pardoe Print Works over an art-book deal.\n\n"
BOTH = frozenset({"Osterby Gallery Ltd", "Pardoe Print Works"})


def _terms(text: str) -> list[tuple[str, frozenset[str], str | None, str | None]]:
    extraction = extract(HEAD + text + "\n")
    assert_grounded(extraction, HEAD + text + "\n")
    return [
        (t.kind.value, frozenset(t.parties), str(t.amount.value) if t.amount else None, t.date)
        for t in extraction.contract_terms
    ]


def _kinds(text: str) -> list[str]:
    return [kind for kind, _, _, _ in _terms(text)]


def test_licensing_to_a_party_is_an_agreement() -> None:
    terms = _terms("In May 2022, Osterby Gallery licensed its print archive to Pardoe Print Works for five books.")
    assert ("scope_or_deliverables", BOTH, None, "2022-05") in terms


def test_a_duration_in_digits_is_a_duration() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. The contract runs for 12 years."
    assert "date_or_duration" in _kinds(text)


def test_a_completion_deadline_under_a_contract_is_a_date() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. The contract said the books were to be delivered by 1 March 2023."
    assert any(kind == "date_or_duration" and date == "2023-03-01" for kind, _, _, date in _terms(text))


def test_a_licence_is_an_agreement_noun_for_its_later_clauses() -> None:
    text = "Osterby signed a printing licence with Pardoe in 2021. Under the licence, Pardoe must pay a fee per book."
    assert any(kind == "payment" and parties == BOTH for kind, parties, _, _ in _terms(text))


def test_a_penalty_per_week_of_delay_is_a_payment() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. The contract made Pardoe liable for £900 per week of delay."
    assert "payment" in _kinds(text)


def test_a_right_to_terminate_and_the_act_of_terminating_are_two_records() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. "
        "The contract allows Osterby to terminate after two missed print runs. "
        "Osterby ended the contract on 2 June 2024. "
        "Osterby said it ended the contract because the proofs were late."
    )
    terminations = [t for t in _terms(text) if t[0] == "termination"]
    assert len(terminations) == 2
    assert any(date == "2024-06-02" for _, _, _, date in terminations)


def test_a_bond_and_an_arbitration_clause_are_other_terms() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. Pardoe lodged a £40,000 performance bond. "
        "The contract sends disputes to arbitration in Geneva."
    )
    others = [t for t in _terms(text) if t[0] == "other"]
    assert any(amount == "40000" for _, _, amount, _ in others)
    assert len(others) == 2


def test_what_is_asked_of_the_court_is_no_term() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. Osterby wants the judge to end the contract and award damages of £2 million."
    assert not any(amount == "2000000" for _, _, amount, _ in _terms(text))


def test_a_restriction_for_a_period_is_not_a_duration_of_its_own() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. The contract bars Pardoe from printing for rival galleries for 3 years."
    assert "date_or_duration" not in _kinds(text)


def test_numbers_in_digits_without_a_unit_are_no_duration() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. The contract covered 12 titles."
    assert "date_or_duration" not in _kinds(text)


def test_filing_for_arbitration_is_no_contract_term() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. In 2024 Pardoe began arbitration over the contract in Geneva."
    assert "other" not in _kinds(text)


def test_a_clause_told_again_joins_its_first_telling() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. Pardoe lodged a £40,000 performance bond. "
        "The contract sends disputes to arbitration in Geneva. "
        "Osterby drew on the performance bond in May. Osterby says the arbitration clause of the contract does not cover "
        "late delivery."
    )
    others = [t for t in extract(HEAD + text + "\n").contract_terms if t.kind.value == "other"]
    assert len(others) == 2
    assert all(len(t.evidence) == 2 for t in others)


def test_a_disclosure_document_is_no_confidentiality_clause() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. Pardoe sent a disclosure document with the contract."
    )
    assert "ip_or_confidentiality" not in _kinds(text)


def test_a_duty_of_disclosure_kept_secret_is_still_confidentiality() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. The contract bars any disclosure of the print files."
    )
    assert "ip_or_confidentiality" in _kinds(text)


def test_a_fee_per_unit_is_a_price() -> None:
    text = "Osterby signed a printing contract with Pardoe in 2021. It paid a setup fee of £900 for each title under the contract."
    assert ("value_or_price", BOTH, "900", None) in _terms(text)


def test_a_sum_someone_must_pay_is_a_payment_not_also_a_price() -> None:
    text = (
        "Osterby signed a printing contract with Pardoe in 2021. Osterby agreed to pay Pardoe a fee of £900 per title."
    )
    kinds = [kind for kind, _, amount, _ in _terms(text) if amount == "900"]
    assert kinds == ["payment"]
