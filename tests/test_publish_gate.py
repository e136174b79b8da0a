"""The quality gate and dataset.yaml: matched by content hash, scores against thresholds, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dataset_fixtures import DATASET_YAML, dataset_config, sha256, write_predictions, write_report

from allegations.publish.config import load_dataset_config
from allegations.publish.errors import ConfigError, GateError
from allegations.publish.gate import check_gate, require_gate


@pytest.fixture
def predictions(tmp_path: Path) -> Path:
    return write_predictions(tmp_path / "predictions.jsonl")


def test_the_shipped_dataset_yaml_is_valid() -> None:
    config = load_dataset_config(DATASET_YAML)
    assert config.thresholds == {"overall.micro.f1": 0.5, "grounding_rate": 0.9}


def test_scores_at_or_above_the_thresholds_pass(predictions: Path, tmp_path: Path) -> None:
    report = write_report(tmp_path / "eval.json", predictions, f1=0.5, grounding=0.9)
    result = check_gate(predictions, report, dataset_config())
    assert result.passed and result.reasons == []
    assert result.scores == {"overall.micro.f1": 0.5, "grounding_rate": 0.9}
    require_gate(result)


def test_a_build_folder_is_accepted_in_place_of_the_predictions(predictions: Path, tmp_path: Path) -> None:
    report = write_report(tmp_path / "eval.json", predictions)
    assert check_gate(tmp_path, report, dataset_config()).passed


def test_below_a_threshold_the_gate_refuses_with_scores_and_thresholds(predictions: Path, tmp_path: Path) -> None:
    report = write_report(tmp_path / "eval.json", predictions, f1=0.21, grounding=0.95)
    result = check_gate(predictions, report, dataset_config())
    assert not result.passed
    assert result.reasons == ["overall.micro.f1 0.210 is below 0.500"]
    with pytest.raises(GateError) as err:
        require_gate(result)
    message = str(err.value)
    assert "overall.micro.f1 0.210 < 0.500; grounding_rate 0.950 >= 0.900" in message
    assert "--allow-below-threshold" in message
    require_gate(result, allow_below_threshold=True)


def test_per_type_thresholds_read_the_report_by_type(predictions: Path, tmp_path: Path) -> None:
    report = write_report(tmp_path / "eval.json", predictions)
    config = dataset_config(thresholds={"by_type.allegations.recall": 0.3, "by_type.relief_sought.f1": 0.1})
    result = check_gate(predictions, report, config)
    assert result.reasons == [
        "by_type.allegations.recall 0.250 is below 0.300",
        "by_type.relief_sought.f1 is not in the eval report",
    ]


def _stale(predictions: Path, report: Path) -> None:
    predictions.write_text(predictions.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _missing(predictions: Path, report: Path) -> None:
    report.unlink()


def _not_json(predictions: Path, report: Path) -> None:
    report.write_text("{not json", encoding="utf-8")


def _no_hash(predictions: Path, report: Path) -> None:
    data = json.loads(report.read_text(encoding="utf-8"))
    del data["predictions_sha256"]
    report.write_text(json.dumps(data), encoding="utf-8")


def _version_1(predictions: Path, report: Path) -> None:
    data = json.loads(report.read_text(encoding="utf-8"))
    for key in ("report_version", "lenient", "floors", "evidence", "confusion", "matching"):
        del data[key]
    report.write_text(json.dumps(data), encoding="utf-8")


def _in_memory(predictions: Path, report: Path) -> None:
    data = json.loads(report.read_text(encoding="utf-8"))
    data["predictions_sha256"] = None
    report.write_text(json.dumps(data), encoding="utf-8")


def _hand_built(predictions: Path, report: Path) -> None:
    data = json.loads(report.read_text(encoding="utf-8"))
    data["overall"]["micro"]["tp"] = 11
    report.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_stale, "eval report is stale: it scored predictions with sha256"),
        (_missing, "eval.json: no eval report here (run the evaluation on these predictions"),
        (_not_json, "eval.json: eval report is not valid JSON"),
        (_no_hash, "eval.json: eval report: predictions_sha256: Field required (regenerate it: allegations eval"),
        (
            _version_1,
            "eval.json: eval report version 1 cannot be read by this version (2): its figures use lenient matching "
            "only (regenerate it: allegations eval PREDICTIONS --json",
        ),
        (_in_memory, "eval report scored predictions held in memory, not a file"),
        (_hand_built, "eval.json: eval report: overall.micro.tp: Extra inputs are not permitted"),
    ],
)
def test_a_stale_or_missing_report_is_an_error_not_a_score(predictions: Path, tmp_path: Path, damage, message) -> None:
    report = write_report(tmp_path / "eval.json", predictions)
    damage(predictions, report)
    with pytest.raises(GateError) as err:
        check_gate(predictions, report, dataset_config())
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("thresholds: [1", "dataset.yaml:1: not valid YAML"),
        (
            DATASET_YAML.read_text(encoding="utf-8").replace("grounding_rate: 0.9", "precision: 0.9"),
            "thresholds: unknown metric 'precision'",
        ),
        (
            DATASET_YAML.read_text(encoding="utf-8").replace("grounding_rate: 0.9", "grounding_rate: 90"),
            "threshold for grounding_rate must be between 0 and 1, not 90.0",
        ),
        (DATASET_YAML.read_text(encoding="utf-8") + "colour: red\n", "colour: Extra inputs are not permitted"),
    ],
)
def test_a_bad_dataset_yaml_names_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dataset.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_dataset_config(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value), str(err.value)


def _real_report(predictions: Path, tmp_path: Path, corpus_dir: Path) -> tuple[Path, dict]:
    from allegations.eval.harness import evaluate_files

    report = evaluate_files(predictions, corpus_dir / "gold", corpus_dir)
    path = tmp_path / "eval.json"
    path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    path.with_suffix(".md").write_text(report.to_markdown(), encoding="utf-8")
    return path, report.to_dict()


def test_the_eval_harness_report_is_read_as_it_is_written(predictions: Path, tmp_path: Path, corpus_dir: Path) -> None:
    path, data = _real_report(predictions, tmp_path, corpus_dir)
    config = dataset_config(thresholds={"overall.micro.f1": 0.0, "by_type.parties.recall": 0.0, "grounding_rate": 0.0})
    result = check_gate(predictions, path, config)
    assert result.passed
    assert result.scores == {
        "overall.micro.f1": data["overall"]["micro"]["f1"],
        "by_type.parties.recall": data["by_type"]["parties"]["recall"],
        "grounding_rate": data["grounding_rate"],
    }


def test_the_gate_reads_strict_scores_not_lenient(predictions: Path, tmp_path: Path) -> None:
    from eval_samples import ARTICLES, extractions, gold, gold_data

    from allegations.eval import evaluate

    data = gold_data()
    data["a1"]["allegations"][0]["category"] = "other"
    scores = evaluate(gold(), extractions(data), ARTICLES).scores()
    assert scores.lenient.by_type["allegations"].f1 == 1.0
    report = scores.model_copy(update={"predictions_sha256": sha256(predictions)})
    path = tmp_path / "eval.json"
    path.write_text(report.model_dump_json(), encoding="utf-8")
    config = dataset_config(thresholds={"by_type.allegations.f1": 0.8, "overall.micro.f1": 0.9})
    result = check_gate(predictions, path, config)
    assert result.scores == {"by_type.allegations.f1": 0.75, "overall.micro.f1": 28 / 30}
    assert result.reasons == ["by_type.allegations.f1 0.750 is below 0.800"]


def test_an_undefined_score_never_passes(tmp_path: Path, corpus_dir: Path) -> None:
    from dataset_fixtures import A2

    predictions = write_predictions(tmp_path / "predictions.jsonl", [{"article_id": A2}])
    path, data = _real_report(predictions, tmp_path, corpus_dir)
    assert data["overall"]["micro"]["precision"] is None  # nothing predicted: precision is undefined
    result = check_gate(predictions, path, dataset_config(thresholds={"overall.micro.precision": 0.0}))
    assert result.reasons == ["overall.micro.precision is undefined (null) in the eval report"]
    assert result.describe() == "overall.micro.precision n/a (needs >= 0.000)"


def test_publish_reads_the_report_through_the_schema_never_through_eval() -> None:
    import ast

    import allegations.publish

    folder = Path(allegations.publish.__file__).parent
    imported = set()
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((module.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((module.name, alias.name) for alias in node.names)
    assert not [pair for pair in imported if pair[1].startswith("allegations.eval")]
    assert ("gate.py", "allegations.schemas.report") in imported
