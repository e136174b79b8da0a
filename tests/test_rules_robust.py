"""Rules extractor, robustness: litigants read from weaker evidence when the usual cue is missing or misleads."""

from __future__ import annotations

from rules_helpers import assert_grounded, extract, party

TENANTS = """Tenants sue Harlow Estates over damp flats

Peverell Housing Trust, a Leeds charity, filed the lawsuit Monday in the Harlow County Court against Harlow Estates Ltd, alleging the landlord ignored repair requests for two years.

The trust says Harlow Estates failed to fix leaking roofs in 40 flats.
"""

ROADS = """Road board takes builders to court over late bypass

The Coastal Roads Board (Kustvegstyret, CRB) filed a claim before the Ardmore District Court on 4 May against the Vellmar–Osk Joint Venture, which it says finished the bypass a year late.

The venture is owned by Fornace Bassi S.p.A. and by Brisk Tooling AS of Trondheim.
"""

STARTUP = """Orrin Games sues VR game start-up Wrenfold over copied levels

Orrin Games said on Friday that Wrenfold Inc. copied 30 of its game levels into Wrenfold Studio, its design tool.
"""

GROWERS = """Growers sue Delphine Foods over late payments

A group of growers from western Montara has sued the food maker over unpaid harvests.

Tollan Growers Cooperative filed the complaint in the Montara Superior Court against Delphine Foods, claiming the company has not paid for two harvests.
"""


def _role(text: str, name: str) -> str | None:
    found = party(extract(text), name)
    return found.role.value if found is not None else None


def test_a_bare_noun_in_the_headline_loses_to_the_name_the_body_gives_the_suit() -> None:
    extraction = extract(TENANTS)
    assert party(extraction, "Tenants") is None
    assert _role(TENANTS, "Peverell Housing Trust") == "plaintiff"
    assert _role(TENANTS, "Harlow Estates Ltd") == "defendant"
    assert_grounded(extraction, TENANTS)


def test_a_filing_told_with_its_court_and_date_first_still_names_the_defendant() -> None:
    assert _role(ROADS, "Coastal Roads Board") == "plaintiff"
    assert _role(ROADS, "Vellmar–Osk Joint Venture") == "defendant"


def test_a_long_parenthesis_after_the_plaintiff_is_skipped() -> None:
    assert _role(ROADS, "CRB") == "plaintiff"


def test_a_legal_suffix_ends_a_name_before_its_town() -> None:
    names = {p.name for p in extract(ROADS).parties}
    assert "Brisk Tooling AS of Trondheim" not in names


def test_dotted_legal_suffixes_stay_whole() -> None:
    extraction = extract(ROADS)
    assert not any(p.name.endswith("S.p") for p in extraction.parties)


def test_a_name_before_a_hyphenated_description_only_describes() -> None:
    extraction = extract(STARTUP)
    assert party(extraction, "VR") is None
    assert _role(STARTUP, "Wrenfold") == "defendant"
    assert _role(STARTUP, "Orrin Games") == "plaintiff"


def test_of_two_forms_as_long_the_one_with_a_legal_suffix_is_the_name() -> None:
    defendant = party(extract(STARTUP), "Wrenfold")
    assert defendant is not None and defendant.name == "Wrenfold Inc."


def test_a_place_in_a_relative_clause_is_not_the_plaintiff() -> None:
    assert party(extract(GROWERS), "Montara") is None
    assert _role(GROWERS, "Tollan Growers Cooperative") == "plaintiff"


def test_a_suit_verb_after_a_name_is_no_description() -> None:
    text = "Orrin Games sues chip maker Dravo Systems over unpaid royalties\n\nOrrin Games says Dravo Systems owes it $2 million.\n"
    assert _role(text, "Orrin Games") == "plaintiff"
    assert _role(text, "Dravo Systems") == "defendant"


def test_of_still_joins_a_name_without_a_legal_suffix() -> None:
    text = "Pellam Trust sues the Bank of Ruritania over a frozen account\n\nPellam Trust filed the suit in the Ardmore High Court against the Bank of Ruritania.\n"
    assert _role(text, "Bank of Ruritania") == "defendant"


BAKERY = """Pell Bakeries sues Norrow Mills over flour contract

Pell Bakeries Ltd sued Norrow Mills in the Ardmore High Court on Monday, alleging the miller missed every delivery deadline in its supply contract.

The complaint says Norrow Mills overstated its milling capacity in its tender documents.

Pell also claims Norrow Mills docked fees from its rebates and underpaid its drivers.

Pell seeks damages for its lost sales and punitive damages for the fraud.
"""


def _claims(text: str) -> set[tuple[str, str]]:
    return {(a.category.value, a.evidence[0].quote) for a in extract(text).allegations}


def test_a_missed_deadline_is_a_breach() -> None:
    assert any(c == "breach_of_contract" and "deadline" in q for c, q in _claims(BAKERY))


def test_overstated_figures_are_a_misrepresentation() -> None:
    assert any(c == "misrepresentation" and "overstated" in q for c, q in _claims(BAKERY))


def test_docked_and_underpaid_sums_are_non_payment() -> None:
    quotes = [q for c, q in _claims(BAKERY) if c == "non_payment"]
    assert any("docked" in q or "underpaid" in q for q in quotes)


def test_a_remedy_asked_for_is_relief_not_a_claim() -> None:
    extraction = extract(BAKERY)
    assert not any("seeks" in e.quote or "punitive" in e.quote for a in extraction.allegations for e in a.evidence)
    assert {r.kind.value for r in extraction.relief_sought} >= {"compensatory_damages", "punitive_or_exemplary_damages"}


def test_seeking_business_is_still_a_claim() -> None:
    text = (
        "Pell Bakeries sues Norrow Mills over a lost client\n\n"
        "Pell Bakeries Ltd sued Norrow Mills on Monday.\n\n"
        "The complaint says Norrow Mills is seeking contracts with Pell's hotel clients without involving Pell.\n"
    )
    assert any(c == "unfair_competition" for c, _ in _claims(text))


def test_overstated_alone_without_figures_is_no_claim() -> None:
    text = (
        "Pell Bakeries sues Norrow Mills over flour\n\n"
        "Pell Bakeries Ltd sued Norrow Mills on Monday.\n\n"
        "Pell says the flour shortage is overstated by analysts.\n"
    )
    assert not any(c == "misrepresentation" for c, _ in _claims(text))


PARTNERS = """Marrow Books and its audio arm sue Tilde Sound over recordings

Marrow Books and its audio arm, Marrow Audio, sued Tilde Sound Ltd and its founder, Ada Quarles, on Tuesday in the Ardmore High Court.
"""


def test_the_first_of_two_plaintiffs_leads_and_the_second_sues_beside_it() -> None:
    extraction = extract(PARTNERS)
    plaintiffs = [p.name for p in extraction.parties if p.role.value == "plaintiff"]
    assert plaintiffs[0] == "Marrow Books"
    assert "Marrow Audio" in plaintiffs


def test_a_titled_co_defendant_after_a_comma_is_a_person_defendant() -> None:
    founder = party(extract(PARTNERS), "Ada Quarles")
    assert founder is not None and founder.role.value == "defendant" and founder.kind.value == "person"


def test_a_single_plaintiff_has_no_co_plaintiff() -> None:
    extraction = extract(STARTUP)
    assert [p.name for p in extraction.parties if p.role.value == "plaintiff"] == ["Orrin Games"]


def test_members_listed_after_a_plural_are_company_defendants() -> None:
    text = (
        "Port board sues ferry venture\n\n"
        "Kelso Port Board sued the Harrow Pact and its two owners, Velk Ferry AS of Narvik and Osmo Haulage Oy, "
        "on Friday over a cancelled route.\n"
    )
    extraction = extract(text)
    for name in ("Harrow Pact", "Velk Ferry AS", "Osmo Haulage Oy"):
        found = party(extraction, name)
        assert found is not None and found.role.value == "defendant" and found.kind.value == "company", name
    assert party(extraction, "Narvik") is None


BOARD = """Harbour board sues dredging firm

The Kelso Harbour Board has sued Anvik Dredging Ltd in the Ardmore High Court over a channel left half dug.

According to the board, Anvik missed the deadline for the outer channel by eight months.

According to Anvik, the storms caused the delay; the firm also missed the deadline for the inner basin, Anvik said.

In 2022 the Ruritanian Maritime Office found that Anvik had not paid its crews for overtime.

The board wants an injunction stopping Anvik from moving its dredgers, and it urges the court to end the contract and to order Anvik to repay the £3 million advance.

It also seeks Anvik's profits on the work, plus a further £1.2 million to hire a new contractor.

Anvik called the suit a demand the board cannot justify.
"""


def _relief(text: str) -> list[tuple[str, str | None]]:
    return [(r.kind.value, str(r.amount.value) if r.amount else None) for r in extract(text).relief_sought]


def test_according_to_a_word_of_the_plaintiffs_name_attributes_the_claim() -> None:
    claims = [a for a in extract(BOARD).allegations if a.category.value == "breach_of_contract"]
    assert any("outer channel" in e.quote for a in claims for e in a.evidence)


def test_according_to_the_defendant_is_no_claim_against_it() -> None:
    assert not any("inner basin" in e.quote for a in extract(BOARD).allegations for e in a.evidence)


def test_a_finding_of_a_third_party_is_its_claim() -> None:
    extraction = extract(BOARD)
    found = [a for a in extraction.allegations if a.claimant == "Ruritanian Maritime Office"]
    assert found and found[0].category.value == "non_payment" and found[0].accused == "Anvik Dredging Ltd"


def test_a_remedy_wanted_is_relief_and_no_claim() -> None:
    assert ("injunction", None) in _relief(BOARD)
    assert not any("injunction" in e.quote for a in extract(BOARD).allegations for e in a.evidence)


def test_each_infinitive_asks_for_its_own_remedy() -> None:
    relief = _relief(BOARD)
    assert ("specific_performance_or_return", "3000000") in relief
    assert ("other", None) not in relief or ("other", "3000000") not in relief


def test_the_defendants_profits_are_unjust_enrichment() -> None:
    assert ("unjust_enrichment", None) in _relief(BOARD)


def test_a_sum_asked_for_with_no_remedy_named_is_damages() -> None:
    assert ("compensatory_damages", "1200000") in _relief(BOARD)


def test_a_demand_as_a_noun_asks_for_nothing() -> None:
    quotes = [e.quote for r in extract(BOARD).relief_sought for e in r.evidence]
    assert not any("justify" in q for q in quotes)


TOOLS = """Loom maker sues mill

Vasska Looms Oy sued the Tamber Spinning Cooperative on Monday, accusing the mill of reselling its loom parts to rival weavers.

In its filing Vasska says the cooperative kept running Vasska's pattern software after the licence had ended.

The cooperative then left the last two loom deliveries unpaid.

Vasska also sued Tamber, accusing it of breaching the service contract.
"""


def _claims_of(text: str) -> list[tuple[str, str, str]]:
    return [(a.accused, a.category.value, a.evidence[0].quote) for a in extract(text).allegations]


def test_an_accusation_no_cue_names_is_a_claim_of_the_general_category() -> None:
    assert any(c == "other" and "reselling" in q for _, c, q in _claims_of(TOOLS))


def test_an_accusation_with_a_named_wrong_takes_its_category_only() -> None:
    claims = [(c, q) for _, c, q in _claims_of(TOOLS) if "service contract" in q]
    assert claims and all(c == "breach_of_contract" for c, _ in claims)


def test_a_described_defendant_is_the_accused() -> None:
    claims = [(a, c) for a, c, q in _claims_of(TOOLS) if "loom deliveries" in q]
    assert claims == [("Tamber Spinning Cooperative", "non_payment")]


def test_use_after_a_licence_ended_is_a_claim() -> None:
    assert any("licence had ended" in q for _, _, q in _claims_of(TOOLS))


def test_an_accusation_of_a_noun_is_no_claim_by_itself() -> None:
    text = (
        "Loom maker sues mill\n\nVasska Looms Oy sued the Tamber Spinning Cooperative on Monday.\n\n"
        "Tamber's chair accused Vasska of bad faith in a letter to members.\n"
    )
    assert not extract(text).allegations


def test_an_epithet_after_a_claim_verb_is_an_alias_of_the_accused() -> None:
    text = (
        "Weaver sues mill\n\nVasska Looms Oy sued Tamber Mills Ltd on Monday, claiming the Ruritanian yarn maker "
        "resold its loom parts.\n"
    )
    accused = party(extract(text), "Tamber Mills Ltd")
    assert accused is not None and "Ruritanian yarn maker" in accused.aliases
    assert party(extract(text), "Vasska Looms Oy") is not accused


def test_an_order_and_a_sum_in_a_list_of_remedies_are_items_of_their_own() -> None:
    text = (
        "Weaver sues mill\n\nVasska Looms Oy sued Tamber Mills Ltd on Monday.\n\n"
        "Vasska wants an injunction stopping Tamber from selling the parts, an order that Tamber destroy each drawing "
        "of the looms, the £90,000 in unpaid service fees, and attorneys’ fees.\n"
    )
    relief = _relief(text)
    assert ("injunction", None) in relief
    assert ("destruction_of_copies", None) in relief
    assert ("compensatory_damages", "90000") in relief
    assert ("fees_and_costs", None) in relief


def test_a_comma_before_a_plain_clause_cuts_no_remedy() -> None:
    text = (
        "Weaver sues mill\n\nVasska Looms Oy sued Tamber Mills Ltd on Monday.\n\n"
        "Vasska seeks damages for its lost sales, the firm said on Tuesday.\n"
    )
    assert _relief(text) == [("compensatory_damages", None)]


def test_a_statement_the_complaint_calls_false_is_a_misrepresentation() -> None:
    text = (
        "Weaver sues mill\n\nVasska Looms Oy sued Tamber Mills Ltd on Monday.\n\n"
        "Tamber told Vasska its yarn was fire-rated. Vasska alleges those assurances were untrue.\n"
    )
    assert any(c == "misrepresentation" for _, c, _ in _claims_of(text))


def test_false_alarm_is_no_misrepresentation() -> None:
    text = (
        "Weaver sues mill\n\nVasska Looms Oy sued Tamber Mills Ltd on Monday.\n\n"
        "The complaint says a false alarm at the mill stopped the looms.\n"
    )
    assert not any(c == "misrepresentation" for _, c, _ in _claims_of(text))
