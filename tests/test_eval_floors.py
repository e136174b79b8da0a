"""Chance floors: trivial extractors built from the gold's evidence sentences, scored like any prediction."""

from __future__ import annotations

import json

import pytest
from eval_samples import ARTICLES, TEXT_A, gold

from allegations.eval import evaluate
from allegations.eval.floors import (
    FLOOR_DRAWS,
    MOST_FREQUENT_LABEL,
    RANDOM_LABEL,
    floor_predictions,
    most_frequent_labels,
    sentence_spans,
)


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_tile_the_text_and_skip_abbreviations() -> None:
    text = "Adatum Inc. sued Mr. Blue in the U.S. District Court. He denies it!\nA new line starts here"
    assert _sentences(text) == [
        "Adatum Inc. sued Mr. Blue in the U.S. District Court. ",
        "He denies it!\n",
        "A new line starts here",
    ]
    assert "".join(_sentences(TEXT_A)) == TEXT_A
    assert len(_sentences(TEXT_A)) == 4


def test_one_floor_record_per_gold_evidence_sentence() -> None:
    floors = floor_predictions(gold(), ARTICLES)
    assert len(floors[RANDOM_LABEL]) == FLOOR_DRAWS and len(floors[MOST_FREQUENT_LABEL]) == 1
    a1, b2 = floors[MOST_FREQUENT_LABEL][0]["a1"], floors[MOST_FREQUENT_LABEL][0]["b2"]
    # a1's allegations sit in its second and third sentences, b2's one allegation spans both of its sentences.
    assert [r.evidence[0].quote[:20] for r in a1.allegations] == ["Northwind says Conto", "The suit also claims"]
    assert len(b2.allegations) == 2
    assert {(r.claimant, r.accused) for r in a1.allegations} == {("Northwind Traders Inc.", "Contoso Ltd.")}
    assert all(ARTICLES["a1"].text[e.start : e.end] == e.quote for r in a1.allegations for e in r.evidence)


def test_the_most_frequent_label_floor_is_scored_exactly() -> None:
    # Every gold category occurs once, so the first one met wins: trade secrets, a1's first allegation.
    assert most_frequent_labels(gold())["allegations"] == "trade_secret_misappropriation"
    report = evaluate(gold(), gold(), ARTICLES).to_dict()
    floor = report["floors"][MOST_FREQUENT_LABEL]["by_type"]["allegations"]
    assert (floor["precision"], floor["recall"], floor["f1"]) == (1 / 4, 1 / 4, 1 / 4)


def test_the_random_label_floor_is_reproducible_for_a_fixed_seed() -> None:
    first = evaluate(gold(), gold(), ARTICLES).to_dict()
    second = evaluate(gold(), gold(), ARTICLES).to_dict()
    for section in (first, first["lenient"]):
        assert 0.0 < section["floors"][RANDOM_LABEL]["overall"]["f1"] < 1.0
    assert json.dumps(first["floors"]) == json.dumps(second["floors"])
    assert json.dumps(first["lenient"]["floors"]) == json.dumps(second["lenient"]["floors"])
    labels = [
        [r.category for d in floor_predictions(gold(), ARTICLES, seed)[RANDOM_LABEL] for r in d["a1"].allegations]
        for seed in (1, 1, 2)
    ]
    assert labels[0] == labels[1] != labels[2]


def test_floors_sit_beside_every_headline_score() -> None:
    report = evaluate(gold(), gold(), ARTICLES)
    markdown = report.to_markdown()
    assert "Floor F1, random label | Floor F1, most frequent label |" in markdown
    assert "| allegations | 4 | 4 | 4 | 1.000 | 1.000 | 1.000 | 1.00–1.00 | 1.000 |" in markdown
    data = report.to_dict()
    for floor in (RANDOM_LABEL, MOST_FREQUENT_LABEL):
        assert set(data["floors"][floor]["by_type"]) == set(data["by_type"])
        assert data["floors"][floor]["description"]


@pytest.mark.parametrize("floor", [RANDOM_LABEL, MOST_FREQUENT_LABEL])
def test_lenient_forgives_the_floor_more_than_strict(floor: str) -> None:
    data = evaluate(gold(), gold(), ARTICLES).to_dict()
    assert data["lenient"]["floors"][floor]["overall"]["f1"] >= data["floors"][floor]["overall"]["f1"]


def test_a_large_gold_set_has_its_floors_estimated_on_a_stated_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    import allegations.eval.floors

    monkeypatch.setattr(allegations.eval.floors, "FLOOR_ARTICLES", 1)
    data = evaluate(gold(), gold(), ARTICLES).to_dict()
    assert data["settings"]["floors"]["articles"] == 1
    assert "on 1 of 2 gold articles drawn with seed" in data["floors"][RANDOM_LABEL]["description"]
    assert data["overall"]["micro"]["f1"] == 1.0  # the scores themselves are over every article
