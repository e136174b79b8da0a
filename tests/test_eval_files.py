"""Evaluating from files and through `allegations eval`: reports written, bad input named by file and line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from eval_samples import ARTICLES, gold_data
from typer.testing import CliRunner

from allegations.cli import app
from allegations.eval import evaluate_files
from allegations.eval.errors import EvalError

runner = CliRunner()

EXTRA = "An unrelated notice: Adatum Corp. opened a new office in Lisbon."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus of the invented articles plus one with no gold."""
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    lines = []
    for article in [*ARTICLES.values(), ARTICLES["a1"].model_copy(update={"id": "c3", "text": EXTRA})]:
        (folder / "articles" / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
        lines.append(json.dumps({"id": article.id, "title": article.title}))
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for key, record in gold_data().items():
        (folder / f"{key}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return folder


def _jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def _perfect(tmp_path: Path, name: str = "perfect.jsonl") -> Path:
    return _jsonl(tmp_path / name, list(gold_data().values()))


def _weaker(tmp_path: Path) -> Path:
    data = gold_data()
    data["a1"]["allegations"].pop(0)
    return _jsonl(tmp_path / "weaker.jsonl", list(data.values()))


def test_evaluate_files_scores_and_hashes_its_inputs(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    predictions = _perfect(tmp_path)
    report = evaluate_files(predictions, gold_dir, corpus).to_dict()
    assert report["overall"]["micro"]["f1"] == 1.0
    assert report["predictions_sha256"] == hashlib.sha256(predictions.read_bytes()).hexdigest()
    assert len(report["gold_sha256"]) == 64
    (gold_dir / "b2.json").write_text((gold_dir / "b2.json").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert evaluate_files(predictions, gold_dir, corpus).to_dict()["gold_sha256"] != report["gold_sha256"]


def test_predictions_for_an_article_without_gold_are_reported_and_excluded(
    tmp_path: Path, gold_dir: Path, corpus: Path
) -> None:
    predictions = _jsonl(tmp_path / "p.jsonl", [*gold_data().values(), {"article_id": "c3"}])
    report = evaluate_files(predictions, gold_dir, corpus).to_dict()
    assert report["excluded"]["predicted_without_gold"]["count"] == 1
    assert report["excluded"]["predicted_without_gold"]["article_ids"] == ["c3"]
    assert sorted(report["per_article"]) == ["a1", "b2"]
    assert report["overall"]["micro"]["f1"] == 1.0


def test_gold_without_a_prediction_is_reported_and_scored_as_empty(
    tmp_path: Path, gold_dir: Path, corpus: Path
) -> None:
    predictions = _jsonl(tmp_path / "p.jsonl", [gold_data()["a1"], {"article_id": "c3", "error": "timed out"}])
    report = evaluate_files(predictions, gold_dir, corpus).to_dict()
    assert report["excluded"]["gold_without_prediction"]["article_ids"] == ["b2"]
    assert report["excluded"]["predicted_without_gold"]["article_ids"] == ["c3"]
    assert report["per_article"]["b2"]["status"] == "missing"
    assert report["overall"]["micro"]["recall"] == 9 / 15


BAD_PREDICTIONS = [
    (['{"article_id": "a1"', "{}"], ":1: not valid JSON: Expecting ',' delimiter at column 20"),
    ([{**gold_data()["a1"], "parties": [{"name": "X"}]}], ":1: article a1: parties[0].kind: Field required"),
    (
        ["", {**gold_data()["b2"], "relief_sought": [{**gold_data()["b2"]["relief_sought"][0], "kind": "money"}]}],
        ":2: article b2: relief_sought[0].kind: Input should be",
    ),
    ([{"article_id": "zz"}], ":1: article_id: 'zz' is not in the corpus"),
    ([{"article_id": "a1"}, {"article_id": "a1"}], ":2: article_id: duplicate article id 'a1'"),
]


@pytest.mark.parametrize(("lines", "message"), BAD_PREDICTIONS)
def test_bad_predictions_fail_with_file_and_line(
    tmp_path: Path, gold_dir: Path, corpus: Path, lines: list[Any], message: str
) -> None:
    predictions = _jsonl(tmp_path / "p.jsonl", lines)
    with pytest.raises(EvalError) as err:
        evaluate_files(predictions, gold_dir, corpus)
    assert str(err.value).startswith(str(predictions) + message), str(err.value)
    result = runner.invoke(app, ["eval", str(predictions), "--gold", str(gold_dir), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {predictions}{message}"), result.output
    assert "Traceback" not in result.output


def test_a_bad_gold_file_is_named(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    (gold_dir / "b2.json").write_text('{"article_id": "b2", "parties": [}', encoding="utf-8")
    with pytest.raises(EvalError, match=r"gold/b2.json:1: not valid JSON"):
        evaluate_files(_perfect(tmp_path), gold_dir, corpus)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "missing.jsonl: no such predictions file"),
        (["perfect.jsonl", "--gold", "nowhere"], "nowhere: no such gold folder"),
        (["perfect.jsonl", "--corpus", "nowhere"], "nowhere: no metadata.jsonl here"),
    ],
)
def test_missing_inputs_are_one_line_errors(
    tmp_path: Path, gold_dir: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    _perfect(tmp_path)
    monkeypatch.chdir(tmp_path)
    defaults = ["--gold", str(gold_dir), "--corpus", str(corpus)]
    result = runner.invoke(app, ["eval", *defaults, *args])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and message in result.output, result.output


def test_cli_prints_the_table_and_writes_json_and_html(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    out_json, out_html = tmp_path / "out" / "report.json", tmp_path / "out" / "report.html"
    args = ["eval", str(_weaker(tmp_path)), "--gold", str(gold_dir), "--corpus", str(corpus)]
    result = runner.invoke(app, [*args, "--json", str(out_json), "--html", str(out_html)])
    assert result.exit_code == 0, result.output
    assert "allegations" in result.output and "0.750" in result.output  # recall of allegations, 3 of 4
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert report["by_type"]["allegations"]["recall"] == 0.75
    page = out_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'class="g-missed"' in page
    assert not list(out_json.parent.glob("*.tmp"))


def test_several_prediction_files_give_a_leaderboard_with_deltas(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    perfect, weaker = _perfect(tmp_path), _weaker(tmp_path)
    out_json, out_html = tmp_path / "board.json", tmp_path / "board.html"
    result = runner.invoke(
        app,
        ["eval", str(perfect), str(weaker), "--gold", str(gold_dir), "--corpus", str(corpus)]
        + ["--json", str(out_json), "--html", str(out_html)],
    )
    assert result.exit_code == 0, result.output
    assert "leaderboard" in result.output and "-0.034" in result.output, result.output
    board = json.loads(out_json.read_text(encoding="utf-8"))
    assert [entry["delta_f1"] for entry in board["leaderboard"]] == [0.0, pytest.approx(28 / 29 - 1)]
    assert board["leaderboard"][1]["delta_f1_by_type"]["allegations"] == pytest.approx(6 / 7 - 1)
    assert [r["predictions"] for r in board["reports"]] == [str(perfect), str(weaker)]
    assert (tmp_path / "board-perfect.html").is_file() and (tmp_path / "board-weaker.html").is_file()


def test_markdown_of_a_file_report_carries_the_hashes(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    predictions = _perfect(tmp_path)
    markdown = evaluate_files(predictions, gold_dir, corpus).to_markdown()
    assert hashlib.sha256(predictions.read_bytes()).hexdigest() in markdown
    assert "| micro | 15 | 15 | 15 | 1.000 | 1.000 | 1.000 | 1.00–1.00 |" in markdown


def test_the_cli_compares_on_strict_unless_told_lenient(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    data = gold_data()
    data["a1"]["allegations"][0]["category"] = "other"
    wrong_label = _jsonl(tmp_path / "wrong-label.jsonl", list(data.values()))
    args = ["eval", str(_perfect(tmp_path)), str(wrong_label), "--gold", str(gold_dir), "--corpus", str(corpus)]
    strict = runner.invoke(app, [*args, "--json", str(tmp_path / "strict.json")])
    lenient = runner.invoke(app, [*args, "--lenient", "--json", str(tmp_path / "lenient.json")])
    assert strict.exit_code == lenient.exit_code == 0, strict.output + lenient.output
    assert "strict matching" in strict.output and "lenient matching" in lenient.output
    strict_board = json.loads((tmp_path / "strict.json").read_text(encoding="utf-8"))["leaderboard"]
    lenient_board = json.loads((tmp_path / "lenient.json").read_text(encoding="utf-8"))["leaderboard"]
    assert strict_board[1]["f1_by_type"]["allegations"] == 3 / 4
    assert strict_board[1]["matching"] == "strict" and lenient_board[1]["matching"] == "lenient"
    assert lenient_board[1]["f1_by_type"]["allegations"] == 1.0


def test_the_json_report_reads_back_as_the_typed_report(tmp_path: Path, gold_dir: Path, corpus: Path) -> None:
    from allegations.eval import write_json
    from allegations.schemas.report import parse_score_report

    report = evaluate_files(_weaker(tmp_path), gold_dir, corpus)
    write_json(report, tmp_path / "eval.json")
    loaded = parse_score_report(json.loads((tmp_path / "eval.json").read_text(encoding="utf-8")))
    assert loaded == report.scores()
    assert loaded.metric("by_type.allegations.recall") == 0.75 and loaded.metric("overall.macro.f1") is not None
    assert not loaded.has_metric("by_type.claims.f1") and loaded.metric("by_type.claims.f1") is None
