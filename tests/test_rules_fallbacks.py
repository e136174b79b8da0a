"""Rules extractor, graceful degradation: litigants and claims kept when the usual cue is far from its party."""

from __future__ import annotations

from rules_helpers import assert_grounded, extract, party

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
