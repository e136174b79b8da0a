"""Rules extractor on the many ways news reports a suit: litigant forms, several defendants, courts, attributions."""

from __future__ import annotations

import pytest
from rules_helpers import categories, extract, party

HEAD = "Dispute Over Pumps\n\n"


def _roles(text: str) -> dict[str, str]:
    extraction = extract(HEAD + text + "\n")
    return {p.name: p.role.value for p in extraction.parties}


@pytest.mark.parametrize(
    "sentence",
    [
        "Tarrance Freight Ltd issued a claim against Ombra Logistics plc over haulage fees.",
        "Tarrance Freight Ltd brought an action against Ombra Logistics plc last week.",
        "Tarrance Freight Ltd lodged proceedings against Ombra Logistics plc in March.",
        "Tarrance Freight Ltd is suing Ombra Logistics plc over unpaid haulage.",
        "Ombra Logistics plc was sued by Tarrance Freight Ltd over unpaid haulage.",
    ],
)
def test_suit_forms_give_plaintiff_and_defendant(sentence: str) -> None:
    roles = _roles(sentence)
    assert roles.get("Tarrance Freight Ltd") == "plaintiff"
    assert roles.get("Ombra Logistics plc") == "defendant"


def test_a_court_named_before_an_alleging_clause_is_never_the_plaintiff() -> None:
    roles = _roles(
        "Tarrance Freight Ltd issued a claim against Ombra Logistics plc in the High Court of Wenlow, "
        "alleging that Ombra never paid for its haulage since 2022."
    )
    assert roles.get("High Court of Wenlow") == "other"
    assert roles.get("Tarrance Freight Ltd") == "plaintiff"


def test_the_filer_of_a_complaint_in_a_court_is_the_plaintiff() -> None:
    roles = _roles(
        "The Marsden County Board of Fair Trading filed the complaint in the Marsden Circuit Court on Tuesday. "
        "The complaint accuses Pellucid Loans Inc. of hiding its fees."
    )
    assert roles.get("Marsden County Board of Fair Trading") == "plaintiff"
    assert roles.get("Marsden Circuit Court") == "other"


def test_filing_a_motion_makes_no_plaintiff() -> None:
    roles = _roles("Pellucid Loans Inc. filed a motion in the Marsden Circuit Court on Tuesday.")
    assert "plaintiff" not in roles.values()


def test_several_defendants_and_a_person_named_after_its_employer() -> None:
    extraction = extract(
        HEAD + "Tarrance Freight Ltd sued Ombra Logistics plc and its former dispatcher Nadia Keel on Monday. "
        "Tarrance claims Nadia Keel copied its route files before she left. "
        "Tarrance also alleges Ombra poached its drivers.\n"
    )
    keel, ombra = party(extraction, "Nadia Keel"), party(extraction, "Ombra")
    assert keel is not None and keel.role.value == "defendant" and keel.kind.value == "person"
    accused = {(a.category.value, a.accused) for a in extraction.allegations}
    assert ("trade_secret_misappropriation", "Nadia Keel") in accused
    assert ("unfair_competition", ombra.name if ombra else "") in accused


def test_a_lone_defendant_is_accused_whoever_the_sentence_names_first() -> None:
    extraction = extract(
        HEAD + "Tarrance Freight Ltd sued Ombra Logistics plc. Tarrance alleges Ombra stole its maps.\n"
    )
    assert {a.accused for a in extraction.allegations} == {"Ombra Logistics plc"}


INTRO = HEAD + "Tarrance Freight Ltd has sued Ombra Logistics plc in a state court.\n\n"


@pytest.mark.parametrize(
    ("claim", "category"),
    [
        ("Tarrance argues that Ombra broke its promise to keep the routes exclusive.", "breach_of_contract"),
        ("Tarrance contends that ending the lease early was a wrongful termination.", "breach_of_contract"),
        ("The claim says Ombra steered Tarrance's customers to its own depots.", "unfair_competition"),
        ("Tarrance alleges Ombra committed fraud on the fuel invoices.", "misrepresentation"),
        (
            "Tarrance alleges Ombra tracked the phones of its drivers without their consent.",
            "unauthorized_access_or_espionage",
        ),
        ("Tarrance alleges Ombra operated depots without any permit.", "other"),
        ("Tarrance alleges Ombra joined a cartel to fix haulage rates.", "other"),
    ],
)
def test_general_category_cues(claim: str, category: str) -> None:
    assert category in categories(extract(INTRO + claim + "\n"))


@pytest.mark.parametrize(
    ("claim", "absent"),
    [
        ("Tarrance alleges Ombra sold a pressure-relief valve it had stolen.", "coercion"),
        ("Tarrance alleges Ombra copied the layout of its website.", "trade_secret_misappropriation"),
        ("Tarrance argues the contract ended when the term ran out.", "breach_of_contract"),
    ],
)
def test_near_miss_category_cues(claim: str, absent: str) -> None:
    assert absent not in categories(extract(INTRO + claim + "\n"))


RELIEF_INTRO = HEAD + "Tarrance Freight Ltd has sued Ombra Logistics plc. Tarrance alleges Ombra stole its maps.\n\n"


def _relief(sentence: str) -> list[tuple[str, str | None, str | None]]:
    extraction = extract(RELIEF_INTRO + sentence + "\n")
    return [
        (r.kind.value, str(r.amount.value) if r.amount else None, str(r.multiplier) if r.multiplier else None)
        for r in extraction.relief_sought
    ]


def test_treble_damages_keep_their_multiplier_and_a_listed_sum_is_its_own_item() -> None:
    found = _relief(
        "Tarrance urges the judge to grant it €3 million for outstanding fees, €1.5 million in lost profits, "
        "treble damages, and interest plus legal costs."
    )
    assert ("compensatory_damages", "3000000", None) in found
    assert ("compensatory_damages", "1500000", None) in found
    assert ("punitive_or_exemplary_damages", None, "3") in found
    assert {"other", "fees_and_costs"} <= {kind for kind, _, _ in found}


def test_restitution_and_civil_penalties() -> None:
    kinds = {kind for kind, _, _ in _relief("Tarrance seeks civil penalties and restitution to every shipper.")}
    assert kinds == {"specific_performance_or_return", "punitive_or_exemplary_damages"}


def test_interest_outside_a_request_is_no_relief() -> None:
    assert _relief("Ombra bought a 40 percent interest in a rival depot, Tarrance says.") == []


def test_a_public_office_suing_is_a_government_body_and_its_described_form_an_alias() -> None:
    extraction = extract(
        HEAD + "Marsden's consumer finance regulator sued Pellucid Loans Inc. over hidden fees. "
        "The Marsden Office of Credit Oversight filed the complaint in a state court.\n"
    )
    office = party(extraction, "Marsden Office of Credit Oversight")
    assert office is not None and office.role.value == "plaintiff" and office.kind.value == "government_body"
    assert party(extraction, "Marsden's consumer finance regulator") is office


def test_claims_listed_after_an_attributed_lead_in_are_allegations() -> None:
    text = INTRO + (
        "The lawsuit says that Ombra:\n\n"
        "• tracked the phones of Tarrance drivers without their consent for two years;\n\n"
        "• ran three depots in the county with no licence from the port board.\n"
    )
    extraction = extract(text)
    quotes = [a.evidence[0].quote for a in extraction.allegations]
    assert any(q.startswith("• tracked") or "tracked the phones of Tarrance" in q for q in quotes)
    assert any("no licence" in q for q in quotes)


def test_a_list_without_an_attributed_lead_in_is_not_a_claim() -> None:
    text = INTRO + (
        "Ombra runs these services:\n\n"
        "• it tracked the phones of its drivers without their consent during a pilot;\n\n"
        "• it ran three depots in the county with no licence from the port board.\n"
    )
    assert extract(text).allegations == []


def test_a_defendants_statement_is_not_an_allegation() -> None:
    extraction = extract(
        INTRO + "Tarrance alleges Ombra stole its maps. "
        "Ombra said its drivers give dispatchers access to the maps only with consent.\n"
    )
    assert "unauthorized_access_or_espionage" not in categories(extraction)
    assert "trade_secret_misappropriation" in categories(extraction)


def test_a_bare_argues_attributes_the_claim() -> None:
    extraction = extract(INTRO + "Tarrance argues the scheme let Ombra evade the tonnage limits.\n")
    assert "other" in categories(extraction)


def test_illegally_is_a_wrong_only_when_no_other_cue_names_it() -> None:
    assert categories(extract(INTRO + "Tarrance alleges Ombra illegally dumped fuel at the depot.\n")) == {"other"}
    found = categories(extract(INTRO + "Tarrance alleges Ombra illegally stole its route maps.\n"))
    assert found == {"trade_secret_misappropriation"}


def test_a_regulator_described_as_suing_is_the_most_mentioned_public_body() -> None:
    roles = _roles(
        "The county's haulage regulator is suing Ombra Logistics plc over its fees. "
        "The Wenlow Office of Fair Haulage says Ombra overcharged shippers for two years."
    )
    assert roles.get("Wenlow Office of Fair Haulage") == "plaintiff"
    assert roles.get("Ombra Logistics plc") == "defendant"


def test_a_counterclaim_is_the_defendants_claim_against_the_plaintiff() -> None:
    extraction = extract(
        INTRO + "Tarrance alleges Ombra stole its maps. "
        "In a counterclaim, Ombra alleges Tarrance breached the depot lease.\n"
    )
    claims = {(a.claimant, a.accused, a.category.value) for a in extraction.allegations}
    assert ("Ombra Logistics plc", "Tarrance Freight Ltd", "breach_of_contract") in claims
    assert ("Tarrance Freight Ltd", "Ombra Logistics plc", "trade_secret_misappropriation") in claims
    roles = {p.name: p.role.value for p in extraction.parties}
    assert roles["Tarrance Freight Ltd"] == "plaintiff"


def test_two_different_other_wrongs_are_two_claims_and_one_told_twice_is_one() -> None:
    two = extract(
        INTRO + "Tarrance alleges Ombra defamed its founder. Tarrance also says Ombra ran depots unlicensed.\n"
    )
    assert [a.category.value for a in two.allegations].count("other") == 2
    once = extract(INTRO + "Tarrance alleges Ombra defamed its founder. The suit says Ombra libelled him twice.\n")
    assert [a.category.value for a in once.allegations].count("other") == 1


def test_an_unnamed_former_insider_sued_is_the_person_later_named_as_such() -> None:
    text = HEAD + (
        "Tarrance Freight Ltd sued Ombra Logistics plc and two of its former managers on Friday. "
        "The suit says Ilse Marrow, Tarrance's former route manager, stole the depot plans. "
        "Bram Toller, Ombra's former driver, is a witness.\n"
    )
    extraction = extract(text)
    marrow, toller = party(extraction, "Ilse Marrow"), party(extraction, "Bram Toller")
    assert marrow is not None and marrow.role.value == "defendant" and marrow.kind.value == "person"
    assert toller is None or toller.role.value != "defendant"
    assert any(a.accused == "Ilse Marrow" for a in extraction.allegations)


def test_a_former_insider_is_no_defendant_when_the_suit_names_none() -> None:
    text = HEAD + (
        "Tarrance Freight Ltd sued Ombra Logistics plc on Friday. "
        "The suit says Ilse Marrow, Tarrance's former route manager, took the depot plans.\n"
    )
    marrow = party(extract(text), "Ilse Marrow")
    assert marrow is None or marrow.role.value != "defendant"


def test_a_plaintiff_that_says_a_wrong_makes_a_claim_and_a_defendant_that_says_one_does_not() -> None:
    said = extract(INTRO + "Tarrance says Ombra stole its route maps.\n")
    assert categories(said) == {"trade_secret_misappropriation"}
    denied = extract(INTRO + "Ombra says Tarrance stole its route maps.\n")
    assert denied.allegations == []


def test_a_plural_after_two_defendants_accuses_both_and_a_single_name_only_one() -> None:
    lead = HEAD + "Tarrance Freight Ltd sued Ombra Logistics plc and Kelso Depots Inc. on Friday, "
    both = extract(lead + "accusing the two of colluding to fix haulage rates.\n")
    assert {a.accused for a in both.allegations} == {"Ombra Logistics plc", "Kelso Depots Inc."}
    assert categories(both) == {"other"}
    one = extract(lead + "and Tarrance alleges Kelso stole its maps.\n")
    assert {a.accused for a in one.allegations} == {"Kelso Depots Inc."}


@pytest.mark.parametrize(
    "claim",
    [
        "Tarrance alleges Ombra rigged bids for the port contract.",
        "Tarrance alleges Ombra agreed with rivals to divide customers by county.",
        "Tarrance alleges Ombra fixed prices with two rivals.",
    ],
)
def test_antitrust_cues_are_other(claim: str) -> None:
    assert categories(extract(INTRO + claim + "\n")) == {"other"}


def test_fixing_a_truck_is_no_wrong() -> None:
    assert extract(INTRO + "Tarrance alleges Ombra fixed a truck for a client in May.\n").allegations == []


def test_a_news_outlet_that_is_sued_is_a_party_and_one_cited_is_not() -> None:
    roles = _roles(
        "Mira Castellan has sued the Wenlow Courier for libel over a story about her bakery. "
        "Castellan alleges the Courier falsely reported a fire. The suit was first reported by the Harbor Ledger."
    )
    assert roles.get("Wenlow Courier") == "defendant" and roles.get("Mira Castellan") == "plaintiff"
    assert "Harbor Ledger" not in roles


def test_a_described_plaintiff_is_the_one_who_makes_the_claims_against_the_defendant() -> None:
    roles = _roles(
        "A former dispatcher is suing Ombra Logistics plc over her dismissal. "
        "Nadia Keel says Ombra fired her for reporting unsafe trucks."
    )
    assert roles.get("Nadia Keel") == "plaintiff" and roles.get("Ombra Logistics plc") == "defendant"


def test_no_claims_maker_no_plaintiff() -> None:
    roles = _roles("A former dispatcher is suing Ombra Logistics plc over her dismissal. Ombra declined to comment.")
    assert "plaintiff" not in roles.values()


def test_compensatory_and_punitive_damages_are_two_remedies() -> None:
    kinds = {kind for kind, _, _ in _relief("Tarrance seeks compensatory and punitive damages.")}
    assert kinds == {"compensatory_damages", "punitive_or_exemplary_damages"}
    assert {kind for kind, _, _ in _relief("Tarrance seeks punitive damages.")} == {"punitive_or_exemplary_damages"}


def test_rescission_is_relief_of_another_kind_and_wrongly_terminated_a_breach() -> None:
    assert {kind for kind, _, _ in _relief("Tarrance seeks rescission of the lease.")} == {"other"}
    assert categories(extract(INTRO + "Tarrance claims Ombra wrongly terminated the lease.\n")) == {
        "breach_of_contract"
    }


def test_the_claimant_says_is_a_claim_and_the_defendant_says_is_not() -> None:
    said = extract(INTRO + "The claimant says Ombra stole its route maps.\n")
    assert categories(said) == {"trade_secret_misappropriation"}
    denied = extract(INTRO + "The defendant says Tarrance stole the route maps in 2023, according to the filing.\n")
    assert denied.allegations == []
