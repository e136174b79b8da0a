"""The dataset folder: Hub layout, typed parquet that `load_dataset` reads back field by field, a stable build."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from dataset_fixtures import (
    A0,
    A1,
    A2,
    A4,
    BUILT_ON,
    PROVENANCE,
    dataset_config,
    go_offline,
    load_test_gold,
    make_build_dir,
    write_report,
)
from datasets import load_dataset

from allegations.core.errors import OutputError
from allegations.core.records import load_gold, load_predictions
from allegations.publish import dataset as dataset_module
from allegations.publish.dataset import build_dataset_folder, parquet_path
from allegations.publish.errors import GateError, PublishError
from allegations.publish.features import FEATURES
from allegations.schemas import Article, ArticleExtraction

CORPUS_GOLD = Path(__file__).resolve().parent.parent / "datasets" / "bes_huawei" / "gold"


@pytest.fixture
def build(tmp_path: Path, articles_map: dict[str, Article]) -> Path:
    return make_build_dir(tmp_path / "build", articles_map)


@pytest.fixture
def gold(build: Path, articles_map: dict[str, Article]) -> dict[str, ArticleExtraction]:
    return load_test_gold(build / "gold", articles_map)


def _build(
    articles: list[Article], gold: dict[str, ArticleExtraction], build: Path, out: Path, **kwargs: object
) -> Path:
    options = {"config": dataset_config(), "built_on": BUILT_ON, **kwargs}
    return build_dataset_folder(articles, gold, build / "predictions.jsonl", build / "eval.json", out, **options)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_folder_has_the_hub_layout(articles, gold, build, tmp_path) -> None:
    out = _build(articles, gold, build, tmp_path / "dataset")
    assert sorted(_files(out)) == [
        "README.md",
        "data/articles/train-00000-of-00001.parquet",
        "data/extractions/train-00000-of-00001.parquet",
        "data/gold/train-00000-of-00001.parquet",
    ]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")], "staging folders left behind"


def test_two_builds_from_the_same_inputs_are_byte_identical(articles, gold, build, tmp_path) -> None:
    first = _files(_build(articles, gold, build, tmp_path / "one"))
    second = _files(_build(articles, gold, build, tmp_path / "two"))
    assert first == second


def test_only_the_date_changes_between_days(articles, gold, build, tmp_path) -> None:
    first = _files(_build(articles, gold, build, tmp_path / "one"))
    later = _files(_build(articles, gold, build, tmp_path / "two", built_on="2026-03-01"))
    assert {k for k in first if first[k] != later[k]} == {"README.md"}
    assert first["README.md"].decode().replace("2025", "2026").replace("01-31", "03-01") == later["README.md"].decode()


def test_source_date_epoch_pins_the_date(articles, gold, build, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738281600")  # 2025-01-31 00:00 UTC
    pinned = _build(articles, gold, build, tmp_path / "epoch", built_on=None)
    assert _files(pinned) == _files(_build(articles, gold, build, tmp_path / "given"))


@pytest.mark.parametrize("bad", ["31-01-2025", "2025-02-30", "soon"])
def test_a_bad_build_date_is_refused(articles, gold, build, tmp_path, bad) -> None:
    with pytest.raises(PublishError, match="build date"):
        _build(articles, gold, build, tmp_path / "x", built_on=bad)


def test_parquet_carries_the_explicit_features(articles, gold, build, tmp_path) -> None:
    out = _build(articles, gold, build, tmp_path / "dataset")
    for config, features in FEATURES.items():
        metadata = pq.read_schema(out / parquet_path(config)).metadata
        stored = json.loads(metadata[b"huggingface"])["info"]["features"]
        assert stored == features.to_dict(), config


def _load(folder: Path, config: str, cache: Path) -> list[dict]:
    return load_dataset(str(folder), config, split="train", cache_dir=str(cache)).to_list()


def test_load_dataset_returns_every_field_of_the_originals(
    articles, articles_map, gold, build, tmp_path, monkeypatch
) -> None:
    go_offline(monkeypatch)
    out = _build(articles, gold, build, tmp_path / "dataset")
    cache = tmp_path / "cache"

    assert [Article.model_validate(row) for row in _load(out, "articles", cache)] == articles

    gold_rows = _load(out, "gold", cache)
    assert [row["article_id"] for row in gold_rows] == [A0, A4]
    for row in gold_rows:
        again = ArticleExtraction.model_validate(row)
        assert again == gold[row["article_id"]]
    relief = gold_rows[1]["relief_sought"]
    assert relief[1]["amount"] == {"value": "1234567.89", "currency": "USD"}
    assert relief[0]["multiplier"] == "2" and relief[0]["amount"] is None
    assert Decimal(relief[1]["amount"]["value"]) == Decimal("1234567.89")

    predictions = load_predictions(build / "predictions.jsonl", articles_map)
    rows = {row["article_id"]: row for row in _load(out, "extractions", cache)}
    assert list(rows) == [A0, A1, A2]
    first = rows[A0]
    assert first["error"] is None
    assert {k: first[k] for k in PROVENANCE} == PROVENANCE
    original = predictions.extractions[A0]
    records = {k: first[k] for k in ("article_id", "parties", "allegations", "contract_terms", "relief_sought")}
    assert ArticleExtraction.model_validate({**records, "provenance": PROVENANCE}) == original
    typographic = first["allegations"][0]["evidence"][1]
    assert typographic["alignment"] == "typographic" and typographic["quote"] == "create a ‘backdoor’ that enabled it"
    assert articles_map[A0].text[typographic["start"] : typographic["end"]] == typographic["quote"]

    failure = rows[A1]
    assert failure["error"] == "server returned invalid JSON three times"
    assert failure["parties"] == [] and failure["model"] == PROVENANCE["model"]
    bare = rows[A2]
    assert bare["error"] is None and all(bare[k] is None for k in PROVENANCE)


def test_the_real_gold_round_trips(articles, articles_map, build, tmp_path, monkeypatch) -> None:
    go_offline(monkeypatch)
    loaded = load_gold(CORPUS_GOLD, articles_map)
    loaded.raise_for_problems()
    out = _build(articles, loaded.extractions, build, tmp_path / "dataset")
    rows = _load(out, "gold", tmp_path / "cache")
    assert len(rows) == len(loaded.extractions) == 5
    for row in rows:
        assert ArticleExtraction.model_validate(row) == loaded.extractions[row["article_id"]]


def _card(folder: Path) -> tuple[dict, str]:
    text = (folder / "README.md").read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def test_the_card_front_matter_names_the_configs_and_metadata(articles, gold, build, tmp_path) -> None:
    meta, _ = _card(_build(articles, gold, build, tmp_path / "dataset"))
    assert [c["config_name"] for c in meta["configs"]] == ["articles", "gold", "extractions"]
    assert meta["configs"][1]["data_files"] == [{"split": "train", "path": "data/gold/train-*.parquet"}]
    for key in ("license", "language", "task_categories", "pretty_name", "size_categories", "tags"):
        assert meta[key], key
    assert meta["size_categories"] == ["n<1K"] and meta["language"] == ["en"]


def test_the_card_prose_covers_what_a_user_needs(articles, gold, build, tmp_path) -> None:
    _, body = _card(_build(articles, gold, build, tmp_path / "dataset", repo_id="someone/bes"))
    assert body.lstrip().startswith("# BES v. Huawei")
    for needle in [
        "| `parties[].kind` | string: company \\| government_body \\| court \\| person \\| other | What sort of party this is. |",
        "| `relief_sought[].multiplier` | string (exact decimal), nullable |",
        "| `prompt_hash` | string, nullable | sha256 of the prompt templates. |",
        "Model: `SmolLM2-135M-Instruct`",
        f"Model file sha256 (embedded GGUF): `{'c' * 64}`",
        "Backend: `embedded`",
        "Mode: `tools`",
        f"Prompt hash (sha256): `{'a' * 64}`",
        f"Schema hash (sha256): `{'b' * 64}`",
        "Code: `allegations 0.1.0",
        f"Built on: {BUILT_ON}",
        "Quality gate: **passed** (overall.micro.f1 0.620 >= 0.500; grounding_rate 0.950 >= 0.900)",
        "| all | 0.62 |",
        "allegations are unproven claims",
        "page furniture",
        'extractions = load_dataset("someone/bes", "extractions", split="train")',
        "allegations publish --repo-id someone/bes",
        "@misc{bes,",
        "Articles that failed extraction: 1",
    ]:
        assert needle.lower() in body.lower(), needle
    assert "Below the quality thresholds" not in body


def test_below_the_thresholds_the_card_says_so_at_the_top(articles, gold, build, tmp_path) -> None:
    write_report(build / "eval.json", build / "predictions.jsonl", f1=0.12)
    _, body = _card(_build(articles, gold, build, tmp_path / "dataset"))
    first = body.strip().splitlines()[0]
    assert first.startswith("> **Below the quality thresholds.**")
    assert "overall.micro.f1 0.120 < 0.500" in first and "--allow-below-threshold" in first
    assert "Quality gate: **not passed**" in body


def test_without_a_report_the_card_says_it_was_not_evaluated(articles, gold, build, tmp_path) -> None:
    out = build_dataset_folder(
        articles, gold, build / "predictions.jsonl", None, tmp_path / "d", config=dataset_config(), built_on=BUILT_ON
    )
    _, body = _card(out)
    assert body.strip().startswith("> **Not evaluated.**")


def test_without_a_markdown_table_the_card_renders_the_report_scores(articles, gold, build, tmp_path) -> None:
    (build / "eval.md").unlink()
    _, body = _card(_build(articles, gold, build, tmp_path / "dataset"))
    assert "| overall (micro) | 0.700 | 0.550 | 0.620 |" in body
    assert "| allegations | 0.500 | 0.250 | 0.333 |" in body


def test_a_stale_report_fails_before_anything_is_written(articles, gold, build, tmp_path) -> None:
    with (build / "predictions.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(GateError, match="eval report is stale"):
        _build(articles, gold, build, tmp_path / "dataset")
    assert not (tmp_path / "dataset").exists()


def test_a_rebuild_replaces_the_previous_build_whole(articles, gold, build, tmp_path) -> None:
    out = _build(articles, gold, build, tmp_path / "dataset")
    (out / "data" / "gold" / "train-00001-of-00002.parquet").write_bytes(b"left over")
    _build(articles, gold, build, out)
    assert "data/gold/train-00001-of-00002.parquet" not in _files(out)


def test_a_crash_while_writing_keeps_the_previous_build(articles, gold, build, tmp_path, monkeypatch) -> None:
    out = _build(articles, gold, build, tmp_path / "dataset")
    before = _files(out)

    def explode(dicts, folder):
        (folder / "data").mkdir()
        (folder / "data" / "half.parquet").write_bytes(b"PAR1")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dataset_module, "write_parquet", explode)
    with pytest.raises(OutputError, match="No space left on device"):
        _build(articles, gold, build, out, built_on="2026-01-01")
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_with_other_files_is_never_replaced(articles, gold, build, tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty and does not hold a dataset build"):
        _build(articles, gold, build, home)
    assert (home / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_bad_predictions_are_reported_with_file_and_line(articles, gold, build, tmp_path) -> None:
    (build / "predictions.jsonl").write_text('{"article_id": "nope"}\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"predictions.jsonl:1: article_id: 'nope' is not in the corpus"):
        build_dataset_folder(
            articles,
            gold,
            build / "predictions.jsonl",
            None,
            tmp_path / "d",
            config=dataset_config(),
            built_on=BUILT_ON,
        )


def test_the_card_quotes_the_eval_harness_table(articles, gold, build, tmp_path, corpus_dir) -> None:
    from allegations.eval.harness import evaluate_files

    report = evaluate_files(build / "predictions.jsonl", corpus_dir / "gold", corpus_dir)
    (build / "eval.json").write_text(json.dumps(report.to_dict()), encoding="utf-8")
    (build / "eval.md").write_text(report.to_markdown(), encoding="utf-8")
    _, body = _card(_build(articles, gold, build, tmp_path / "dataset"))
    assert report.to_markdown().strip() in body
    micro = report.to_dict()["overall"]["micro"]["f1"]
    assert f"overall.micro.f1 {micro:.3f}" in body


def test_huggingface_hub_parses_the_card_metadata(articles, gold, build, tmp_path) -> None:
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(_build(articles, gold, build, tmp_path / "dataset") / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "other" and data["license_name"] == "cc-by-4.0-records-publisher-texts"
    assert data["license_link"] == "README"
    assert [c["config_name"] for c in data["configs"]] == ["articles", "gold", "extractions"]
    assert card.text.lstrip().startswith("# BES v. Huawei")
