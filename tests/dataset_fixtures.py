"""Small hand-made records, predictions and eval reports over the seed corpus, for the publish tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from allegations.core.records import load_gold
from allegations.publish.config import DatasetConfig, load_dataset_config
from allegations.schemas import Article, ArticleExtraction

ROOT = Path(__file__).resolve().parent.parent
DATASET_YAML = ROOT / "datasets" / "bes_huawei" / "dataset.yaml"
A0, A1, A2, A4 = "000_4aff3854fce7c81f", "001_5ab154d679b99905", "002_af99730eb2206861", "004_aae4ea1fc6e51db2"
BUILT_ON = "2025-01-31"

PROVENANCE = {
    "extractor": "allegations-extract 0.1.0",
    "model": "SmolLM2-135M-Instruct",
    "backend": "embedded",
    "mode": "tools",
    "model_sha256": "c" * 64,
    "n_ctx": 8192,
    "threads": 2,
    "batch_size": 512,
    "prompt_hash": "a" * 64,
    "schema_hash": "b" * 64,
    "prompt_tokens": 1234,
    "completion_tokens": 321,
    "latency_s": 4.25,
    "retries": 1,
    "dropped": [{"record_type": "allegations", "reason": "quote not found in the article text: 'made up'"}],
}


def _parties() -> list[dict[str, Any]]:
    return [
        {
            "name": "Business Efficiency Solutions (BES) LLC",
            "aliases": ["BES"],
            "kind": "company",
            "role": "plaintiff",
            "evidence": [{"quote": "Business Efficiency Solutions (BES) LLC"}],
        },
        {
            "name": "Huawei",
            "kind": "company",
            "role": "defendant",
            "evidence": [{"quote": "has sued Huawei in a U.S. federal court"}],
        },
    ]


def gold_record_a0() -> dict[str, Any]:
    return {
        "article_id": A0,
        "parties": _parties(),
        "allegations": [
            {
                "claimant": "BES",
                "accused": "Huawei",
                "category": "trade_secret_misappropriation",
                "summary": "Huawei stole BES's trade secrets.",
                "evidence": [{"quote": "allegedly stealing its trade secrets"}],
            }
        ],
        "contract_terms": [
            {
                "parties": ["Huawei", "BES"],
                "kind": "value_or_price",
                "summary": "Huawei subcontracted BES in 2016 for a $150 million bid.",
                "amount": {"value": "150000000", "currency": "USD"},
                "date": "2016",
                "evidence": [{"quote": "subcontracted with BES in 2016 for a $150 million bid"}],
            }
        ],
    }


def gold_record_a4() -> dict[str, Any]:
    return {
        "article_id": A4,
        "parties": [
            {"name": "BES", "kind": "company", "role": "plaintiff", "evidence": [{"quote": "BES is asking the court"}]},
            {
                "name": "Huawei Technologies Co.",
                "aliases": ["Huawei"],
                "kind": "company",
                "role": "defendant",
                "evidence": [{"quote": "Huawei Technologies Co."}],
            },
        ],
        "relief_sought": [
            {
                "requested_by": "BES",
                "against": "Huawei",
                "kind": "punitive_or_exemplary_damages",
                "summary": "Twice the actual losses and unjust enrichment.",
                "multiplier": "2",
                "evidence": [{"quote": "exemplary and punitive damages amounting to twice the sum"}],
            },
            {
                "requested_by": "BES",
                "against": "Huawei",
                "kind": "compensatory_damages",
                "summary": "Damages of a stated amount, to test exact decimals.",
                "amount": {"value": "1234567.89", "currency": "USD"},
                "evidence": [{"quote": "damages in the amount of BES’s actual losses"}],
            },
        ],
    }


def prediction_lines() -> list[dict[str, Any]]:
    """An extraction with provenance (one quote only typographically aligned), a failure, and one without provenance."""
    first = gold_record_a0()
    first["allegations"][0]["evidence"].append({"quote": "create a 'backdoor' that enabled it"})
    first["provenance"] = PROVENANCE
    return [
        first,
        {"article_id": A1, "error": "server returned invalid JSON three times", "provenance": PROVENANCE},
        {"article_id": A2, "parties": [], "allegations": []},
    ]


def write_predictions(path: Path, lines: list[dict[str, Any]] | None = None) -> Path:
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in (lines or prediction_lines())), encoding="utf-8"
    )
    return path


def write_gold(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in (gold_record_a0(), gold_record_a4()):
        (folder / f"{record['article_id']}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder


def load_test_gold(folder: Path, articles_map: dict[str, Article]) -> dict[str, ArticleExtraction]:
    loaded = load_gold(write_gold(folder), articles_map)
    loaded.raise_for_problems()
    return loaded.extractions


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_report(
    path: Path,
    predictions: Path,
    *,
    f1: float = 0.62,
    grounding: float = 0.95,
    markdown: str | None = None,
    gold_dir: Path | None = None,
) -> Path:
    """An eval report as the evaluation writes it, with the figures the gate reads set by hand, and its table."""
    from eval_samples import ARTICLES, gold

    from allegations.core.records import hash_gold_files
    from allegations.eval import evaluate

    base = evaluate(gold(), gold(), ARTICLES).scores()
    rates = {"precision": 0.7, "recall": 0.55, "f1": f1}
    overall = base.overall.model_copy(
        update={
            "micro": base.overall.micro.model_copy(update=rates),
            "macro": base.overall.macro.model_copy(update={"precision": 0.6, "recall": 0.5, "f1": 0.54}),
        }
    )
    by_type = {
        "parties": base.by_type["parties"].model_copy(update=rates),
        "allegations": base.by_type["allegations"].model_copy(update={"precision": 0.5, "recall": 0.25, "f1": 0.333}),
    }
    report = base.model_copy(
        update={
            "predictions_sha256": sha256(predictions),
            "gold_sha256": hash_gold_files(gold_dir) if gold_dir is not None else "c" * 64,
            "overall": overall,
            "by_type": by_type,
            "grounding_rate": grounding,
        }
    )
    path.write_text(report.model_dump_json(), encoding="utf-8")
    if markdown is not None:
        path.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return path


def dataset_config(**overrides: Any) -> DatasetConfig:
    return load_dataset_config(DATASET_YAML).model_copy(update=overrides)


def make_build_dir(root: Path, articles_map: dict[str, Article], *, f1: float = 0.62) -> Path:
    """A build folder as `allegations build` leaves it: predictions, eval report and its table."""
    root.mkdir(parents=True, exist_ok=True)
    predictions = write_predictions(root / "predictions.jsonl")
    gold = write_gold(root / "gold")
    table = "| type | F1 |\n| --- | ---: |\n| all | 0.62 |\n"
    write_report(root / "eval.json", predictions, f1=f1, markdown=table, gold_dir=gold)
    return root


def go_offline(monkeypatch: Any) -> None:
    """Make `datasets` and `huggingface_hub` refuse the network, as a user with HF_HUB_OFFLINE=1 would."""
    import datasets.config
    import huggingface_hub.constants

    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)


def go_online_to(monkeypatch: Any, endpoint: str, tmp_path: Path, token: str | None) -> None:
    """Point `huggingface_hub` at a loopback endpoint, with `token` as HF_TOKEN and no login cache."""
    import huggingface_hub.constants

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(tmp_path / "no-login-cache" / "token"))
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    for name in ("HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)
    if token is None:
        monkeypatch.delenv("HF_TOKEN", raising=False)
    else:
        monkeypatch.setenv("HF_TOKEN", token)


def build_test_dataset(root: Path, articles: list[Article], articles_map: dict[str, Article]) -> Path:
    """A dataset folder built under `root` from the test build dir and gold."""
    from allegations.publish.dataset import build_dataset_folder

    build = make_build_dir(root / "build", articles_map)
    gold = load_test_gold(build / "gold", articles_map)
    return build_dataset_folder(
        articles,
        gold,
        build / "predictions.jsonl",
        build / "eval.json",
        root / "dataset",
        config=dataset_config(),
        built_on=BUILT_ON,
    )
