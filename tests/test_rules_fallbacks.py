"""Rules extractor, graceful degradation: litigants and claims kept when the usual cue is far from its party."""

from __future__ import annotations

from decimal import Decimal

from rules_helpers import assert_grounded, extract, party

from allegations.extract.rules.text import split_sentences

MILLS = """Paper maker takes Corvane Logistics to court over lost rolls

Brannock Paper Group, which runs eleven mills in northern Veldmark and sells most of its paper to Hollis Print, has sued Corvane Logistics Ltd, alleging the haulier lost 400 rolls of newsprint.

The haulier has not answered.
"""

BAKERY = """Ovenrise Bakeries sues Plumtree Mills over spoiled flour

Ovenrise Bakeries, in a complaint filed on Tuesday, sued Plumtree Mills Inc., claiming the miller shipped damp flour.
"""


def _role(text: str, name: str) -> str | None:
    found = party(extract(text), name)
    return found.role.value if found is not None else None


def test_a_relative_clause_between_the_plaintiff_and_the_suit_verb_is_skipped() -> None:
    extraction = extract(MILLS)
    assert _role(MILLS, "Brannock Paper Group") == "plaintiff"
    assert _role(MILLS, "Corvane Logistics Ltd") == "defendant"
    assert _role(MILLS, "Hollis Print") != "plaintiff"
    assert_grounded(extraction, MILLS)


def test_an_inserted_phrase_that_is_no_relative_clause_is_still_read_as_before() -> None:
    assert _role(BAKERY, "Ovenrise Bakeries") == "plaintiff"
    assert _role(BAKERY, "Plumtree Mills Inc.") == "defendant"


RUN_ON = """Quarry owner sues Delmont Haulage over cracked lorriesThe Fenwick Stone Company filed a lawsuit Thursday against its transport contractor, Delmont Haulage Ltd, claiming the firm wrecked 14 lorries.

Delmont Haulage said the lorries were old.
"""

GLUED_WORDS = """Ferrow Mills opens a new site in Castelby.

The new site employs 40 people, the company said on Monday.
"""


def test_a_headline_run_into_the_first_sentence_is_split_from_it() -> None:
    sentences = split_sentences(RUN_ON)
    assert RUN_ON[sentences[0].start : sentences[0].end] == "Quarry owner sues Delmont Haulage over cracked lorries"
    assert RUN_ON[sentences[1].start :].startswith("The Fenwick Stone Company filed")


def test_a_line_with_a_full_stop_is_no_run_on_headline() -> None:
    sentences = split_sentences(GLUED_WORDS)
    assert GLUED_WORDS[sentences[0].start : sentences[0].end] == "Ferrow Mills opens a new site in Castelby."


def test_a_day_between_the_lawsuit_and_against_and_a_name_in_apposition_after_a_description() -> None:
    extraction = extract(RUN_ON)
    assert _role(RUN_ON, "Fenwick Stone Company") == "plaintiff"
    assert _role(RUN_ON, "Delmont Haulage Ltd") == "defendant"
    assert_grounded(extraction, RUN_ON)


ORCHARD = """Orchard owner sues Quillon Sprays over scorched trees

Hathersage Orchards sued Quillon Sprays Inc. on Monday, claiming a faulty pesticide burned 900 apple trees.

Hathersage Orchards asked the judge to order Quillon Sprays to refund the $80,000 it paid, and to order Quillon Sprays to replant every tree.
"""

KILN = """Potter sues Emberfield Kilns over cracked kiln

Mossgate Pottery sued Emberfield Kilns Ltd on Monday, claiming a new kiln cracked within a week.

Mossgate Pottery asked the judge to hear the case quickly.
"""


def test_asking_the_judge_to_order_an_act_is_an_injunction_when_no_other_remedy_is_named() -> None:
    extraction = extract(ORCHARD)
    kinds = {(r.kind.value, r.amount.value if r.amount else None) for r in extraction.relief_sought}
    assert kinds == {("specific_performance_or_return", Decimal("80000")), ("injunction", None)}
    assert_grounded(extraction, ORCHARD)


def test_asking_the_judge_for_no_remedy_is_no_relief() -> None:
    assert extract(KILN).relief_sought == []


DECK = """Bakery chain sues Pellham Ovens over broken fryers
Stourbridge Bakes says Pellham Ovens forced it to shut six shops

Stourbridge Bakes Ltd has sued Pellham Ovens Inc. in Leeds, alleging that the oven maker sold it 40 fryers that overheated within a month.
"""

NO_THAT = """Bakery chain sues Pellham Ovens over broken fryers

Stourbridge Bakes Ltd has sued Pellham Ovens Inc., alleging fryer trouble at six shops.
"""


def test_a_claim_reported_with_alleging_that_is_kept_as_other_when_no_cue_names_its_wrong() -> None:
    extraction = extract(DECK)
    found = {(a.claimant, a.accused, a.category.value) for a in extraction.allegations}
    assert ("Stourbridge Bakes Ltd", "Pellham Ovens Inc.", "other") in found
    assert_grounded(extraction, DECK)


def test_a_deck_line_under_the_headline_is_no_claim() -> None:
    assert "coercion" not in {a.category.value for a in extract(DECK).allegations}


def test_alleging_without_a_clause_after_it_is_no_claim() -> None:
    assert extract(NO_THAT).allegations == []


TOWN = """Brackwell sues Ostler Paving over potholes

The Town of Brackwell sued Ostler Paving Ltd on Friday, claiming the firm breached its road contract.

Brackwell hired Ostler Paving in 2021 under a three-year contract worth $2 million.
"""

TOWN_AS_PLACE = """Town sues Ostler Paving over potholes

The Town of Brackwell sued Ostler Paving Ltd on Friday, claiming the firm breached its road contract.

Ostler Paving runs a depot in Brackwell and another in Marrow.
"""


def test_a_town_named_bare_after_its_full_name_is_one_party() -> None:
    extraction = extract(TOWN)
    assert party(extraction, "Brackwell") is party(extraction, "Town of Brackwell")
    assert [p.name for p in extraction.parties if p.role.value == "plaintiff"] == ["Town of Brackwell"]
    assert all(t.parties[0] != "Brackwell" for t in extraction.contract_terms)


def test_a_bare_town_name_used_as_a_place_stays_apart() -> None:
    extraction = extract(TOWN_AS_PLACE)
    assert _role(TOWN_AS_PLACE, "Town of Brackwell") == "plaintiff"
    assert all(p.name != "Brackwell" or p.role.value != "plaintiff" for p in extraction.parties)


LEASE = """Grocer sues Tamsworth Properties over leaking roof

Pennick Grocers sued Tamsworth Properties Ltd on Monday, claiming the landlord breached their lease.

Pennick Grocers signed a ten-year retail lease with Tamsworth Properties in 2020.
"""

NO_AGREEMENT = """Grocer sues Tamsworth Properties over leaking roof

Pennick Grocers sued Tamsworth Properties Ltd on Monday, claiming the landlord breached their lease.

Pennick Grocers has run a ten-year expansion plan since 2020.
"""


def test_a_duration_before_a_compound_agreement_noun_is_a_duration_term() -> None:
    kinds = {t.kind.value for t in extract(LEASE).contract_terms}
    assert "date_or_duration" in kinds


def test_a_duration_before_no_agreement_noun_is_no_term() -> None:
    assert "date_or_duration" not in {t.kind.value for t in extract(NO_AGREEMENT).contract_terms}
