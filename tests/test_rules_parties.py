"""Rules extractor, parties: names, abbreviations, suffix variants, epithets, litigant roles, courts, governments."""

from __future__ import annotations

from rules_helpers import extract, party

SUIT = """Norvane Sues Kestrel Over Sensor Designs

A Danish robotics company has sued Kestrel Labs in the Superior District Court of Alder County over the alleged theft of its sensor designs.

Norvane Robotics (NR) Inc. contends Kestrel copied the designs. Norvane wants them back. The Ruritanian chip maker denies wrongdoing, the Harbor Ledger reported.

The complaint also says Kestrel later sold the chips to the Ruritanian government.
"""


def test_litigants_get_their_roles_from_how_the_suit_is_reported() -> None:
    extraction = extract(SUIT)
    plaintiff, defendant = party(extraction, "Norvane"), party(extraction, "Kestrel")
    assert plaintiff is not None and plaintiff.role.value == "plaintiff"
    assert defendant is not None and defendant.role.value == "defendant"


def test_the_name_drops_an_inserted_abbreviation_which_becomes_an_alias() -> None:
    plaintiff = party(extract(SUIT), "NR")
    assert plaintiff is not None
    assert plaintiff.name == "Norvane Robotics Inc."
    assert "NR" in plaintiff.aliases


def test_short_name_and_legal_suffix_variants_are_one_party() -> None:
    extraction = extract(SUIT)
    assert party(extraction, "Kestrel") is party(extraction, "Kestrel Labs")
    assert len([p for p in extraction.parties if p.role.value == "defendant"]) == 1


def test_an_epithet_with_a_nationality_in_place_of_the_name_is_an_alias() -> None:
    extraction = extract(SUIT)
    assert party(extraction, "Danish robotics company") is party(extraction, "Norvane")


def test_a_generic_noun_is_not_an_alias() -> None:
    text = "Norvane Sues Kestrel\n\nThe company has sued Kestrel Labs. Norvane claims Kestrel stole its code.\n"
    extraction = extract(text)
    names = {n.casefold() for p in extraction.parties for n in [p.name, *p.aliases]}
    assert "company" not in names and "the company" not in names


def test_a_named_court_is_a_party_and_a_described_one_is_not() -> None:
    named = party(extract(SUIT), "Superior District Court of Alder County")
    assert named is not None and named.kind.value == "court" and named.role.value == "other"
    bare = extract("Suit Filed\n\nNorvane Robotics sued Kestrel Labs in a federal court in Ohio.\n")
    assert [p for p in bare.parties if p.kind.value == "court"] == []


def test_a_government_named_by_its_nationality_is_a_government_body() -> None:
    government = party(extract(SUIT), "Ruritanian government")
    assert government is not None and government.kind.value == "government_body"


def test_a_news_outlet_cited_as_a_source_is_not_a_party() -> None:
    assert party(extract(SUIT), "Harbor Ledger") is None


def test_versus_in_a_caption_names_plaintiff_then_defendant() -> None:
    extraction = extract("ORBIS FOODS, INC. v. TALLOW MILLS, LIMITED\n\nThe court found for Orbis on its claims.\n")
    assert party(extraction, "Orbis").role.value == "plaintiff"  # type: ignore[union-attr]
    assert party(extraction, "TALLOW MILLS, LIMITED").role.value == "defendant"  # type: ignore[union-attr]


def test_a_subsidiary_sued_alongside_its_parent_is_its_own_defendant() -> None:
    extraction = extract(
        "Suit Filed\n\nNorvane Robotics has sued Kestrel and its sales subsidiary in Ruritania. Norvane claims Kestrel stole its designs.\n"
    )
    subsidiary = party(extraction, "Kestrel's sales subsidiary in Ruritania")
    assert subsidiary is not None and subsidiary.role.value == "defendant"


def test_without_a_suit_nobody_is_plaintiff_or_defendant() -> None:
    text = "Market Notes\n\nKestrel Labs engaged Norvane Robotics in 2019 to build sensors. Kestrel Labs later hired Orbis.\n"
    extraction = extract(text)
    assert all(p.role.value == "other" for p in extraction.parties)
    assert party(extraction, "Norvane Robotics") is not None


def test_a_company_told_to_act_is_not_taken_for_a_news_source() -> None:
    text = "Suit Filed\n\nNorvane Robotics has sued Kestrel Labs. The regulator told Kestrel to remove the chips.\n"
    assert party(extract(text), "Kestrel Labs") is not None


def test_a_company_filing_for_arbitration_is_a_party_but_no_litigant_of_the_reported_suit() -> None:
    text = (
        "Suit Filed\n\nNorvane Robotics has sued Kestrel Labs. Norvane claims Kestrel stole its designs. "
        "In 2019 Kestrel Ruritania launched arbitration against Norvane in Ruritania.\n"
    )
    subsidiary = party(extract(text), "Kestrel Ruritania")
    assert subsidiary is not None and subsidiary.role.value == "other"


def test_a_passive_suit_names_the_plaintiff_after_by() -> None:
    extraction = extract("Suit Filed\n\nKestrel Labs was sued by Norvane Robotics on Monday over its sensors.\n")
    assert party(extraction, "Norvane Robotics").role.value == "plaintiff"  # type: ignore[union-attr]
    assert party(extraction, "Kestrel Labs").role.value == "defendant"  # type: ignore[union-attr]


def test_a_suit_filed_by_one_against_another() -> None:
    extraction = extract("Suit Filed\n\nA lawsuit filed by Norvane Robotics against Kestrel Labs seeks damages.\n")
    assert party(extraction, "Norvane Robotics").role.value == "plaintiff"  # type: ignore[union-attr]
    assert party(extraction, "Kestrel Labs").role.value == "defendant"  # type: ignore[union-attr]


def test_a_government_body_suing_keeps_its_kind() -> None:
    extraction = extract("Suit Filed\n\nThe Ruritanian Trade Commission sued Kestrel Labs over its pricing.\n")
    commission = party(extraction, "Ruritanian Trade Commission")
    assert commission is not None and commission.role.value == "plaintiff"
    assert commission.kind.value == "government_body"


def test_a_court_for_a_named_district_keeps_the_district() -> None:
    text = "Suit Filed\n\nNorvane Robotics sued Kestrel Labs in the U.S. Bankruptcy Court for the Western District of Alder.\n"
    court = party(extract(text), "U.S. Bankruptcy Court for the Western District of Alder")
    assert court is not None and court.kind.value == "court"


def test_an_epithet_with_a_business_noun_and_a_place_is_an_alias() -> None:
    text = "Suit Filed\n\nNorvane Robotics sued Kestrel Labs. The Leeds-based retailer alleges Kestrel stole its designs.\n"
    extraction = extract(text)
    assert party(extraction, "Leeds-based retailer") is party(extraction, "Norvane Robotics")


def test_a_surname_used_alone_makes_a_person() -> None:
    text = "Suit Filed\n\nMira Castellan sued Kestrel Labs in 2021. Castellan claims Kestrel defamed her.\n"
    plaintiff = party(extract(text), "Castellan")
    assert plaintiff is not None and plaintiff.name == "Mira Castellan" and plaintiff.kind.value == "person"


def test_a_company_with_a_place_after_its_name_is_no_person() -> None:
    text = "Suit Filed\n\nNorvane Robotics sued Kestrel Labs. Kestrel Ruritania launched arbitration in Ruritania.\n"
    branch = party(extract(text), "Kestrel Ruritania")
    assert branch is not None and branch.kind.value == "company"
