"""Per-label confusion of every enum field and evidence quality in characters, checked on hand-made cases."""

from __future__ import annotations

from typing import Any

from eval_samples import ARTICLES, FABRICATED, extractions, gold, gold_data

from allegations.eval import evaluate
from allegations.eval.diagnostics import ENUM_FIELDS, NONE


def _report(data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return evaluate(gold(), extractions(data), ARTICLES).to_dict()


def _cell(figures: dict[str, Any], gold_label: str, predicted_label: str) -> int:
    labels = figures["labels"]
    return figures["matrix"][labels.index(gold_label)][labels.index(predicted_label)]


def test_every_enum_field_has_a_square_matrix_ending_in_none() -> None:
    report = _report(gold_data())
    for record_type, fields in ENUM_FIELDS.items():
        for name in fields:
            figures = report["confusion"][record_type][name]
            assert figures["labels"][-1] == NONE
            assert all(len(row) == len(figures["labels"]) for row in figures["matrix"])
            assert all(f["precision"] == f["recall"] == 1.0 for f in figures["per_label"].values())


def test_a_wrong_category_lands_off_the_diagonal_and_costs_both_labels() -> None:
    data = gold_data()
    data["a1"]["allegations"][0]["category"] = "other"
    figures = _report(data)["confusion"]["allegations"]["category"]
    assert _cell(figures, "trade_secret_misappropriation", "other") == 1
    assert _cell(figures, "trade_secret_misappropriation", "trade_secret_misappropriation") == 0
    assert figures["per_label"]["trade_secret_misappropriation"]["recall"] == 0.0
    assert figures["per_label"]["trade_secret_misappropriation"]["precision"] is None  # never predicted
    assert figures["per_label"]["other"] == {
        "gold": 0,
        "predicted": 1,
        "matched": 0,
        "precision": 0.0,
        "recall": None,
        "f1": 0.0,
    }
    assert figures["per_label"]["non_payment"]["recall"] == 1.0


def test_missed_and_fabricated_records_go_to_none() -> None:
    data = gold_data()
    data["a1"]["relief_sought"].pop(1)  # the injunction
    data["a1"]["relief_sought"].append(FABRICATED["relief_sought"])
    figures = _report(data)["confusion"]["relief_sought"]["kind"]
    assert _cell(figures, "injunction", NONE) == 1
    assert _cell(figures, NONE, "reasonable_royalty") == 1
    assert figures["per_label"]["injunction"]["recall"] == 0.0
    assert figures["per_label"]["reasonable_royalty"]["precision"] == 0.0


def test_a_wrong_party_role_shows_in_its_own_matrix() -> None:
    data = gold_data()
    data["b2"]["parties"][1]["role"] = "other"
    report = _report(data)
    assert _cell(report["confusion"]["parties"]["role"], "defendant", "other") == 1
    assert _cell(report["confusion"]["parties"]["kind"], "company", "company") == 4


GOLD_QUOTE = "refused to pay the $4.2 million due under a 2020 licence agreement"


def test_a_shorter_quote_keeps_evidence_precision_and_costs_recall_by_its_missing_characters() -> None:
    whole = _report(gold_data())["evidence"]["characters"]["gold"]
    data = gold_data()
    data["a1"]["allegations"][1]["evidence"] = [{"quote": "refused to pay"}]
    report = _report(data)
    missing = len(GOLD_QUOTE) - len("refused to pay")
    assert report["by_type"]["allegations"]["recall"] == 1.0  # still a strict match: the quotes overlap
    assert report["evidence"]["characters"] == {"shared": whole - missing, "gold": whole, "predicted": whole - missing}
    assert report["evidence"]["precision"] == 1.0
    assert report["evidence"]["recall"] == (whole - missing) / whole
    allegations = report["evidence"]["by_type"]["allegations"]
    assert allegations["recall"] < 1.0 and report["evidence"]["by_type"]["parties"]["recall"] == 1.0


def test_a_longer_quote_costs_evidence_precision_only() -> None:
    data = gold_data()
    longer = "Northwind says Contoso copied its routing software after a pilot project"
    data["a1"]["allegations"][0]["evidence"] = [{"quote": longer}]
    figures = _report(data)["evidence"]["by_type"]["allegations"]
    extra = len("Northwind says ")
    chars = figures["characters"]
    assert chars["shared"] == chars["gold"] and chars["predicted"] == chars["gold"] + extra
    assert figures["recall"] == 1.0 and figures["precision"] == chars["gold"] / (chars["gold"] + extra)


def test_nothing_matched_leaves_evidence_quality_undefined() -> None:
    empty = {key: {"article_id": key} for key in gold_data()}
    report = _report(empty)
    assert report["evidence"]["precision"] is None and report["evidence"]["recall"] is None
    assert report["lenient"]["evidence"]["characters"] == {"shared": 0, "gold": 0, "predicted": 0}


def test_the_markdown_shows_evidence_quality_and_compact_confusion_tables() -> None:
    data = gold_data()
    data["a1"]["allegations"][0]["category"] = "other"
    markdown = evaluate(gold(), extractions(data), ARTICLES).to_markdown()
    assert "Evidence quality, in characters of the quotes: strict pairs precision 1.000" in markdown
    assert "**allegations.category**" in markdown
    assert "| 1 trade_secret_misappropriation | 0 | 0 | 0 | 0 | 1 | 0 | 0.000 |" in markdown
