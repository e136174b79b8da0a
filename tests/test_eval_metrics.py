"""The harness judges every extractor, so its figures are checked exactly: perfect, empty, dropped, fabricated."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

import numpy as np
import pytest
from eval_samples import ARTICLES, FABRICATED, extractions, gold, gold_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allegations.eval import evaluate, evaluate_callable
from allegations.eval.compare import (
    FIELD_WEIGHTS,
    compare_dates,
    compare_spans,
    compare_text,
    normalise_party_name,
    spans_overlap,
)
from allegations.eval.metrics import bootstrap_ci, prf
from allegations.schemas import RECORD_TYPES, Article, ArticleExtraction, ExtractionFailure


def _report(predicted_data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return evaluate(gold(), extractions(predicted_data), ARTICLES).to_dict()


def _count(data: dict[str, dict[str, Any]], record_type: str) -> int:
    return sum(len(article[record_type]) for article in data.values())


def _all_fields(report: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(t, f, report["by_type"][t]["fields"][f]) for t in RECORD_TYPES for f in FIELD_WEIGHTS[t]]


def test_gold_against_itself_scores_one_everywhere() -> None:
    report = _report(gold_data())
    figures = [report["overall"]["micro"], report["overall"]["macro"], *report["by_type"].values()]
    figures += [f for _, _, f in _all_fields(report)]
    figures += list(report["per_article"].values())
    for figure in figures:
        assert (figure["precision"], figure["recall"], figure["f1"]) == (1.0, 1.0, 1.0), figure
    assert report["by_type"]["allegations"]["ci95"] == {"precision": [1.0, 1.0], "recall": [1.0, 1.0], "f1": [1.0, 1.0]}
    assert (report["omissions"], report["hallucinations"], report["grounding_rate"]) == (0, 0, 1.0)
    assert report["overall"]["micro"]["matched"] == sum(_count(gold_data(), t) for t in RECORD_TYPES) == 15


def test_empty_predictions_score_recall_zero_and_undefined_precision() -> None:
    empty = {key: {"article_id": key} for key in gold_data()}
    report = _report(empty)
    for figure in [report["overall"]["micro"], *report["by_type"].values(), *report["per_article"].values()]:
        assert figure["recall"] == 0.0 and figure["f1"] == 0.0
        assert figure["precision"] is None, "precision with no predictions is undefined, never a number"
    assert report["overall"]["macro"]["precision"] is None
    assert all(f["precision"] is None and f["recall"] == 0.0 for _, _, f in _all_fields(report))
    assert report["omissions"] == 15 and report["hallucinations"] == 0
    assert report["grounding_rate"] is None and report["quotes"]["predicted"] == 0
    assert any("null means undefined" in note for note in report["notes"])
    assert '"precision": null' in json.dumps(report)


def test_no_gold_records_leaves_recall_undefined() -> None:
    assert prf(0, 3, 0) == {"precision": 0.0, "recall": None, "f1": 0.0}
    assert prf(0, 0, 0) == {"precision": None, "recall": None, "f1": None}


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """Everything but record positions and the hash of the gold's bytes, which shuffling changes by design."""
    per_article = {
        key: {k: v for k, v in article.items() if k != "by_type"} for key, article in report["per_article"].items()
    }
    rest = {k: v for k, v in report.items() if k not in ("per_article", "gold_sha256")}
    return {**rest, "per_article": per_article}


def _shuffled(data: dict[str, dict[str, Any]], seed: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    for article in data.values():
        for record_type in RECORD_TYPES:
            rng.shuffle(article[record_type])
    return data


@pytest.mark.parametrize("seed", range(5))
def test_shuffling_record_order_changes_nothing(seed: int) -> None:
    predicted = gold_data()
    predicted["a1"]["allegations"][0]["category"] = "other"
    predicted["a1"]["relief_sought"].pop(1)
    predicted["a1"]["contract_terms"].append(FABRICATED["contract_terms"])
    baseline = _report(predicted)
    reordered = evaluate(
        extractions(_shuffled(gold_data(), seed)), extractions(_shuffled(predicted, seed + 100)), ARTICLES
    ).to_dict()
    assert _comparable(reordered) == _comparable(baseline)
    assert reordered["by_type"]["allegations"]["fields"]["category"]["recall"] == 3 / 4


@pytest.mark.parametrize(
    ("record_type", "index"), [(t, i) for t in RECORD_TYPES for i in range(len(gold_data()["a1"][t]))]
)
def test_dropping_one_of_n_gives_recall_n_minus_one_over_n(record_type: str, index: int) -> None:
    predicted = gold_data()
    removed = predicted["a1"][record_type].pop(index)
    if record_type == "parties":  # records naming the dropped party would no longer validate
        _drop_references(predicted["a1"], removed)
    n = _count(gold_data(), record_type)
    figures = _report(predicted)["by_type"][record_type]
    assert figures["recall"] == (n - 1) / n
    assert figures["precision"] == 1.0
    assert figures["omissions"] == 1 and figures["hallucinations"] == 0


def _drop_references(article: dict[str, Any], party: dict[str, Any]) -> None:
    """Make records that named a dropped party name the other party, so the prediction stays valid."""
    names = {party["name"], *party["aliases"]}
    other = article["parties"][0]["name"]
    for record in article["allegations"]:
        record["claimant"] = other if record["claimant"] in names else record["claimant"]
        record["accused"] = other if record["accused"] in names else record["accused"]
    for record in article["relief_sought"]:
        record["requested_by"] = other if record["requested_by"] in names else record["requested_by"]
        record["against"] = other if record["against"] in names else record["against"]
    for record in article["contract_terms"]:
        record["parties"] = [other if p in names else p for p in record["parties"]]


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_one_fabricated_record_gives_precision_n_over_n_plus_one(record_type: str) -> None:
    predicted = gold_data()
    predicted["a1"][record_type].append(FABRICATED[record_type])
    n = _count(gold_data(), record_type)
    report = _report(predicted)
    figures = report["by_type"][record_type]
    assert figures["precision"] == n / (n + 1)
    assert figures["recall"] == 1.0
    assert figures["hallucinations"] == 1 and figures["omissions"] == 0
    assert report["per_article"]["a1"]["by_type"][record_type]["hallucinated"] == [
        len(predicted["a1"][record_type]) - 1
    ]


def test_an_alias_or_another_corporate_suffix_still_matches() -> None:
    predicted = gold_data()
    parties = predicted["a1"]["parties"]
    parties[0].update(name="NORTHWIND TRADERS, INCORPORATED", aliases=["Northwind"])
    parties[1].update(name="Contoso", aliases=[])  # only the gold alias
    predicted["b2"]["parties"][0].update(name="Fabrikam AG", aliases=[])
    for record in predicted["b2"]["allegations"] + predicted["b2"]["relief_sought"]:
        for key in ("claimant", "requested_by"):
            if key in record:
                record[key] = "Fabrikam AG"
    predicted["b2"]["contract_terms"][0]["parties"] = ["Fabrikam AG", "Tailspin Toys"]
    report = _report(predicted)
    assert report["overall"]["micro"]["f1"] == 1.0
    for record_type, field, figure in _all_fields(report):
        assert figure["f1"] == 1.0, (record_type, field)


def test_a_different_company_does_not_match() -> None:
    predicted = gold_data()
    predicted["a1"]["parties"][1].update(name="Contoso Logistics", aliases=[])
    for record in predicted["a1"]["allegations"] + predicted["a1"]["relief_sought"]:
        for key in ("accused", "against"):
            if key in record:
                record[key] = "Contoso Logistics"
    predicted["a1"]["contract_terms"][0]["parties"] = ["Northwind", "Contoso Logistics"]
    report = _report(predicted)
    assert report["by_type"]["parties"]["recall"] == 3 / 4
    assert report["by_type"]["allegations"]["fields"]["accused"]["recall"] == 1 / 4  # only b2's allegation


@pytest.mark.parametrize(
    ("record_type", "index", "field", "value"),
    [
        ("allegations", 0, "category", "other"),
        ("contract_terms", 0, "kind", "other"),
        ("relief_sought", 2, "kind", "other"),
    ],
)
def test_a_wrong_key_label_is_a_strict_miss_and_only_a_lenient_field_error(
    record_type: str, index: int, field: str, value: str
) -> None:
    predicted = gold_data()
    predicted["a1"][record_type][index][field] = value
    n = _count(gold_data(), record_type)
    report = _report(predicted)
    strict = report["by_type"][record_type]
    assert (strict["precision"], strict["recall"]) == ((n - 1) / n, (n - 1) / n)
    assert (strict["omissions"], strict["hallucinations"]) == (1, 1)
    lenient = report["lenient"]
    assert lenient["overall"]["micro"]["f1"] == 1.0
    for other_type in RECORD_TYPES:
        for other_field in FIELD_WEIGHTS[other_type]:
            figure = lenient["by_type"][other_type]["fields"][other_field]
            expected = (n - 1) / n if (other_type, other_field) == (record_type, field) else 1.0
            assert (figure["precision"], figure["recall"]) == (expected, expected), (other_type, other_field)


@pytest.mark.parametrize(("index", "field", "value"), [(1, "kind", "person"), (0, "role", "other")])
def test_a_wrong_party_kind_or_role_lowers_only_that_field(index: int, field: str, value: str) -> None:
    predicted = gold_data()
    predicted["a1"]["parties"][index][field] = value
    n = _count(gold_data(), "parties")
    report = _report(predicted)
    for section in (report, report["lenient"]):
        assert section["overall"]["micro"]["f1"] == 1.0
        for other_type, other_field, figure in _all_fields(section):
            expected = (n - 1) / n if (other_type, other_field) == ("parties", field) else 1.0
            assert (figure["precision"], figure["recall"]) == (expected, expected), (other_type, other_field)


CATEGORIES = [("a1", 0), ("a1", 1), ("a1", 2), ("b2", 0)]
"""The four gold allegations; their categories are all different."""


@pytest.mark.parametrize("permutation", list(itertools.permutations(range(len(CATEGORIES)))))
def test_permuting_categories_drops_strict_recall_to_the_unchanged_share_and_leaves_lenient(
    permutation: tuple[int, ...],
) -> None:
    predicted = gold_data()
    labels = [gold_data()[key]["allegations"][i]["category"] for key, i in CATEGORIES]
    assert len(set(labels)) == len(labels)
    for (key, i), source in zip(CATEGORIES, permutation, strict=True):
        predicted[key]["allegations"][i]["category"] = labels[source]
    unchanged = sum(1 for position, source in enumerate(permutation) if position == source)
    report = _report(predicted)
    strict = report["by_type"]["allegations"]
    assert strict["recall"] == strict["precision"] == unchanged / len(CATEGORIES)
    lenient = report["lenient"]["by_type"]["allegations"]
    assert lenient["recall"] == lenient["precision"] == 1.0
    assert lenient["fields"]["category"]["recall"] == unchanged / len(CATEGORIES)


@pytest.mark.parametrize(
    ("record_type", "change"),
    [
        ("allegations", {"claimant": "Contoso", "accused": "Northwind"}),
        ("allegations", {"accused": "Northwind"}),
        ("contract_terms", {"parties": ["Northwind"]}),
        ("relief_sought", {"requested_by": "Contoso", "against": "Northwind"}),
        ("relief_sought", {"against": "Northwind"}),
    ],
)
def test_a_wrong_party_reference_is_a_strict_miss(record_type: str, change: dict[str, Any]) -> None:
    predicted = gold_data()
    predicted["a1"][record_type][0].update(change)
    n = _count(gold_data(), record_type)
    report = _report(predicted)
    assert report["by_type"][record_type]["recall"] == (n - 1) / n
    assert report["lenient"]["by_type"][record_type]["recall"] == 1.0


@pytest.mark.parametrize(
    ("quotes", "strict"),
    [
        (["Contoso copied its routing software after a pilot project"], True),  # the gold quote
        (["Northwind says Contoso copied its routing software"], True),  # a shorter, overlapping quote
        (["Northwind says C"], True),  # one character of the gold quote is enough
        (["Northwind says "], False),  # ends exactly where the gold quote starts: touching is not overlapping
        (["Delaware.", "routing software"], True),  # one quote of several overlaps
        (["Delaware."], False),  # another sentence
        (["Contoso copied its routing software after a pilot program"], False),  # not in the article: covers nothing
    ],
)
def test_strict_needs_the_predicted_evidence_to_share_a_character_with_the_gold(
    quotes: list[str], strict: bool
) -> None:
    predicted = gold_data()
    predicted["a1"]["allegations"][0]["evidence"] = [{"quote": q} for q in quotes]
    report = evaluate(gold(), extractions(predicted, check=False), ARTICLES).to_dict()
    assert report["by_type"]["allegations"]["recall"] == (1.0 if strict else 3 / 4)


def test_a_party_matches_strictly_whatever_mention_it_quotes() -> None:
    predicted = gold_data()
    predicted["a1"]["parties"][1]["evidence"] = [{"quote": "Contoso staff logged into Northwind servers"}]
    report = _report(predicted)
    assert report["by_type"]["parties"]["recall"] == 1.0
    assert report["by_type"]["parties"]["fields"]["evidence"]["recall"] < 1.0


def test_spans_overlap_on_shared_characters_only() -> None:
    assert spans_overlap(((0, 10),), ((9, 12),))
    assert not spans_overlap(((0, 10),), ((10, 12),))
    assert not spans_overlap(((5, 10),), ((0, 5),))
    assert spans_overlap(((0, 2), (20, 30)), ((3, 4), (29, 40)))
    assert not spans_overlap((), ((0, 5),))


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Northwind Traders Inc.", "northwind traders"),
        ("NORTHWIND TRADERS, INC", "northwind traders"),
        ("Northwind Traders Co., Ltd.", "northwind traders"),
        ("The Fabrikam GmbH", "fabrikam"),
        ("Tailspin S.A.", "tailspin"),
        ("Proseware & Partners LLC", "proseware and partners"),
        ("Société Générale", "societe generale"),
        ("Inc.", "inc"),
        ("Contoso Logistics", "contoso logistics"),
    ],
)
def test_party_names_normalise_case_punctuation_and_suffixes(name: str, normalised: str) -> None:
    assert normalise_party_name(name) == normalised


@pytest.mark.parametrize(
    ("gold_date", "predicted_date", "score"),
    [("2019", "2019-05", 1.0), ("2019-05-02", "2019-05", 1.0), ("2019-05", "2019-06", 0.0), (None, None, 1.0)],
)
def test_dates_compare_at_the_precision_both_give(gold_date, predicted_date, score) -> None:
    assert compare_dates(gold_date, predicted_date) == score
    assert compare_dates(predicted_date, gold_date) == score


def test_evidence_scores_by_character_overlap() -> None:
    assert compare_spans(((0, 10),), ((0, 10),)) == 1.0
    assert compare_spans(((0, 10),), ((5, 15),)) == 0.5
    assert compare_spans(((0, 10),), ((20, 30),)) == 0.0
    assert compare_spans(((0, 4), (6, 10)), ((0, 10),)) == pytest.approx(16 / 18)


def test_free_text_is_token_set_fuzzy() -> None:
    assert compare_text("Contoso copied the software.", "the software Contoso copied") == 1.0
    assert compare_text("Contoso copied the software.", "Royalties on shipments") < 0.5


def test_a_summary_in_other_words_matches_with_a_lower_summary_score() -> None:
    predicted = gold_data()
    predicted["a1"]["allegations"][0]["summary"] = "Routing software was taken by Contoso."
    report = _report(predicted)
    summary = report["by_type"]["allegations"]["fields"]["summary"]
    assert report["by_type"]["allegations"]["recall"] == 1.0
    assert 3 / 4 < summary["recall"] < 1.0


def test_unaligned_predicted_quotes_lower_the_grounding_rate() -> None:
    predicted = extractions(gold_data())
    relief = predicted["a1"].relief_sought[0].model_copy(deep=True)
    relief.evidence[0].quote, relief.evidence[0].start, relief.evidence[0].end = "a quote from nowhere", None, None
    predicted["a1"].relief_sought[0] = relief
    report = evaluate(gold(), predicted, ARTICLES).to_dict()
    assert report["quotes"] == {"predicted": 16, "grounded": 15}
    assert report["grounding_rate"] == 15 / 16
    assert report["by_type"]["relief_sought"]["fields"]["evidence"]["recall"] == 4 / 5


def test_a_failed_or_missing_article_counts_as_omissions_and_is_listed() -> None:
    predicted = extractions(gold_data())
    del predicted["b2"]
    report = evaluate(gold(), predicted, ARTICLES).to_dict()
    assert report["excluded"]["gold_without_prediction"] == {
        "count": 1,
        "article_ids": ["b2"],
        "treatment": "scored as an empty prediction: every gold record counts as an omission",
    }
    assert report["overall"]["micro"]["recall"] == 9 / 15
    failed = evaluate(
        gold(), predicted, ARTICLES, failures={"b2": ExtractionFailure(article_id="b2", error="server timed out")}
    ).to_dict()
    assert failed["failures"] == {"b2": "server timed out"}
    assert failed["per_article"]["b2"]["status"] == "failed"
    assert failed["excluded"]["gold_without_prediction"]["count"] == 0
    assert failed["overall"]["micro"]["recall"] == 9 / 15


def test_predictions_for_an_article_without_gold_are_excluded_and_counted() -> None:
    other = Article(id="c3", title="Unrelated", text="Adatum Corp. opened a new office.")
    predicted = extractions(gold_data()) | {"c3": ArticleExtraction(article_id="c3")}
    report = evaluate(gold(), predicted, ARTICLES | {"c3": other}).to_dict()
    assert report["excluded"]["predicted_without_gold"]["count"] == 1
    assert report["excluded"]["predicted_without_gold"]["article_ids"] == ["c3"]
    assert "c3" not in report["per_article"] and report["articles_scored"] == 2
    assert report["overall"]["micro"]["f1"] == 1.0
    assert any("1 predicted article(s) have no gold" in note for note in report["notes"])


def test_evaluate_callable_runs_the_extractor_and_records_its_failures() -> None:
    golden = gold()

    def extractor(article: Article) -> ArticleExtraction:
        if article.id == "b2":
            raise RuntimeError("model returned nothing")
        return golden[article.id]

    report = evaluate_callable(extractor, list(ARTICLES.values()), golden).to_dict()
    assert report["failures"] == {"b2": "RuntimeError: model returned nothing"}
    assert report["per_article"]["a1"]["f1"] == 1.0 and report["per_article"]["b2"]["recall"] == 0.0
    wrong = evaluate_callable(lambda article: golden["a1"], ARTICLES, golden).to_dict()
    assert "extractor returned 'a1' instead of an extraction for this article" in wrong["failures"]["b2"]


def test_reports_are_deterministic() -> None:
    predicted = gold_data()
    predicted["a1"]["allegations"].pop(0)
    first = json.dumps(_report(predicted), sort_keys=True)
    assert json.dumps(_report(predicted), sort_keys=True) == first


def test_markdown_shows_the_table_and_marks_undefined_figures() -> None:
    empty = {key: {"article_id": key} for key in gold_data()}
    markdown = evaluate(gold(), extractions(empty), ARTICLES).to_markdown()
    assert markdown.startswith("Strict matching (the headline)")
    header = "| Record type | Gold | Predicted | Matched | Precision | Recall | F1 | F1 95% CI | Lenient F1 |"
    assert header in markdown
    assert "| parties | 4 | 0 | 0 | n/a | 0.000 | 0.000 | 0.00–0.00 | 0.000 |" in markdown
    assert "null means undefined" in markdown


def test_bootstrap_is_seeded_and_brackets_a_known_spread() -> None:
    counts = [[[1.0, 1.0, 1.0]], [[0.0, 1.0, 1.0]]] * 10  # half the articles right
    first = bootstrap_ci(np.array(counts))
    assert first == bootstrap_ci(np.array(counts))
    low, high = first[0]["recall"]
    assert 0.2 <= low < 0.5 < high <= 0.8  # about ±2 standard errors of a proportion over 20 articles


# Property-based: invariants over random subsets, additions and orderings of the records.

RECORDS = [(t, i) for key, article in gold_data().items() for t in RECORD_TYPES for i in range(len(article[t]))]


def _subset(keep: set[tuple[str, str, int]]) -> dict[str, dict[str, Any]]:
    """Gold with only the kept non-party records (parties are all kept so references resolve)."""
    data = gold_data()
    for key, article in data.items():
        for record_type in RECORD_TYPES:
            if record_type != "parties":
                article[record_type] = [r for i, r in enumerate(article[record_type]) if (key, record_type, i) in keep]
    return data


NON_PARTY = [
    (key, t, i)
    for key, article in gold_data().items()
    for t in RECORD_TYPES
    if t != "parties"
    for i in range(len(article[t]))
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keep=st.sets(st.sampled_from(NON_PARTY)),
    fabricated=st.lists(st.sampled_from([t for t in RECORD_TYPES if t != "parties"]), max_size=4),
    seed=st.integers(0, 10_000),
)
def test_counts_follow_exactly_from_what_was_kept_and_added(keep, fabricated, seed) -> None:
    predicted = _subset(keep)
    for record_type in fabricated:
        predicted["a1"][record_type].append(FABRICATED[record_type])
    report = evaluate(gold(), extractions(_shuffled(predicted, seed)), ARTICLES).to_dict()
    for record_type in RECORD_TYPES:
        figures = report["by_type"][record_type]
        n = _count(gold_data(), record_type)
        kept = n if record_type == "parties" else sum(1 for k in keep if k[1] == record_type)
        added = fabricated.count(record_type)
        assert figures["matched"] == kept and figures["hallucinations"] == added
        assert figures["recall"] == kept / n
        assert figures["precision"] == (kept / (kept + added) if kept + added else None)
        for field in FIELD_WEIGHTS[record_type]:
            assert figures["fields"][field]["recall"] == kept / n


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keep=st.sets(st.sampled_from(NON_PARTY)),
    wrong=st.sets(st.sampled_from(NON_PARTY)),
    seed=st.integers(0, 10_000),
)
def test_figures_stay_in_range_and_order_never_matters(keep, wrong, seed) -> None:
    predicted = _subset(keep | wrong)
    for key, record_type, i in wrong:
        position = [j for j in range(i + 1) if (key, record_type, j) in keep | wrong].index(i)
        record = predicted[key][record_type][position]
        record["kind" if "kind" in record else "category"] = "other"
    report = evaluate(gold(), extractions(predicted), ARTICLES).to_dict()
    reordered = evaluate(extractions(_shuffled(gold_data(), seed)), extractions(_shuffled(predicted, seed)), ARTICLES)
    assert reordered.to_dict()["by_type"] == report["by_type"]
    assert reordered.to_dict()["overall"] == report["overall"]
    for figure in [report["overall"]["micro"], *report["by_type"].values(), *(f for _, _, f in _all_fields(report))]:
        values = [figure[k] for k in ("precision", "recall", "f1") if figure[k] is not None]
        assert all(0.0 <= v <= 1.0 for v in values)
        if figure["precision"] is not None and figure["recall"] is not None:
            low, high = sorted((figure["precision"], figure["recall"]))
            assert low - 1e-12 <= figure["f1"] <= high + 1e-12
    micro = report["overall"]["micro"]
    assert micro["matched"] == sum(report["by_type"][t]["matched"] for t in RECORD_TYPES)
    assert report["omissions"] == micro["gold"] - micro["matched"]
    assert report["hallucinations"] == micro["predicted"] - micro["matched"]
