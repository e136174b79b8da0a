"""`allegations build` end to end: the real embedded model, the real eval, a real dataset folder read back."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allegations.extract.server
from allegations.cli import app
from allegations.publish.download import load_published
from allegations.schemas import Article, validate_extraction

pytestmark = pytest.mark.e2e

ARTICLE = Article(
    id="build_e2e",
    title="Orchard grower sues packing firm",
    text=(
        "Bluewater Orchards sued Harlan Packing Inc. in an Oregon court on Tuesday. "
        "Bluewater says Harlan Packing never paid $80,000 for apples delivered in 2023. "
        "Bluewater asks the court for the unpaid sum and interest."
    ),
)

GOLD = {
    "article_id": "build_e2e",
    "parties": [
        {
            "name": "Bluewater Orchards",
            "aliases": ["Bluewater"],
            "kind": "company",
            "role": "plaintiff",
            "evidence": [{"quote": "Bluewater Orchards sued Harlan Packing Inc."}],
        },
        {
            "name": "Harlan Packing Inc.",
            "aliases": ["Harlan Packing"],
            "kind": "company",
            "role": "defendant",
            "evidence": [{"quote": "sued Harlan Packing Inc."}],
        },
    ],
    "allegations": [
        {
            "claimant": "Bluewater",
            "accused": "Harlan Packing",
            "category": "non_payment",
            "summary": "Harlan Packing did not pay for delivered apples.",
            "evidence": [{"quote": "Harlan Packing never paid $80,000 for apples delivered in 2023"}],
        },
    ],
    "contract_terms": [
        {
            "parties": ["Bluewater", "Harlan Packing"],
            "kind": "payment",
            "summary": "Apples worth $80,000.",
            "amount": {"value": "80000", "currency": "USD"},
            "date": "2023",
            "evidence": [{"quote": "$80,000 for apples delivered in 2023"}],
        },
    ],
    "relief_sought": [
        {
            "requested_by": "Bluewater",
            "against": "Harlan Packing",
            "kind": "compensatory_damages",
            "summary": "The unpaid sum.",
            "evidence": [{"quote": "the unpaid sum and interest"}],
        },
    ],
}


@pytest.fixture
def project(tmp_path: Path, corpus_dir: Path) -> Path:
    """A one-article corpus with its gold and the real dataset.yaml."""
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "gold").mkdir()
    raw = ARTICLE.text.encode("utf-8")
    (corpus / "articles" / f"{ARTICLE.id}.txt").write_bytes(raw)
    entry = {"id": ARTICLE.id, "title": ARTICLE.title, "sha256": hashlib.sha256(raw).hexdigest()}
    (corpus / "metadata.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    gold = validate_extraction(GOLD, ARTICLE).model_dump(mode="json")
    (corpus / "gold" / f"{ARTICLE.id}.json").write_text(json.dumps(gold, indent=2), encoding="utf-8")
    shutil.copy(corpus_dir / "dataset.yaml", corpus / "dataset.yaml")
    return corpus


def _build(corpus: Path, build: Path, strategy: str | None) -> tuple[int, str]:
    args = [
        "build",
        *(["--strategy", strategy] if strategy else []),
        "--corpus",
        str(corpus),
        "--gold",
        str(corpus / "gold"),
        "--build-dir",
        str(build),
        "--dataset-config",
        str(corpus / "dataset.yaml"),
        "--built-on",
        "2026-01-01",
    ]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_server(*_: object) -> None:
    raise AssertionError("this build must not start the embedded server")


@pytest.mark.parametrize("strategy", [None, "llm"], ids=["default", "embedded-model"])
def test_build_extracts_scores_and_writes_a_dataset_that_reads_back(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: str | None
) -> None:
    """The default (hybrid, the embedded model asked nothing) starts no server; llm runs the real model."""
    if strategy is None:
        monkeypatch.setattr(allegations.extract.server.EmbeddedServer, "start", _no_server)
    build = tmp_path / "build"
    code, output = _build(project, build, strategy)
    assert code == 0, output  # 3 would mean the model failed the article
    for prefix in ("extraction: 1 articles", "records predicted: ", "eval, micro over all records: ", "gate: "):
        assert any(line.startswith(prefix) for line in output.splitlines()), (prefix, output)
    assert f"publish with: allegations publish --build-dir {build}" in output
    for name in ("predictions.jsonl", "eval.json", "eval.md", "eval.html", "dataset/README.md"):
        assert (build / name).is_file(), name

    published = load_published(build / "dataset")
    assert [a.text for a in published.articles] == [ARTICLE.text]
    assert published.gold[ARTICLE.id] == validate_extraction(GOLD, ARTICLE)
    assert list(published.extractions) == [ARTICLE.id] and published.failures == {}, published.failures
    assert published.extractions[ARTICLE.id].parties, "the model found no party in an article that names two"
    report = json.loads((build / "eval.json").read_text(encoding="utf-8"))
    assert report["predictions_sha256"] == hashlib.sha256((build / "predictions.jsonl").read_bytes()).hexdigest()

    first = _files(build / "dataset") | {"predictions.jsonl": (build / "predictions.jsonl").read_bytes()}

    expected = "hybrid" if strategy is None else strategy
    assert published.extractions[ARTICLE.id].provenance.strategy == expected

    monkeypatch.setattr(allegations.extract.server.EmbeddedServer, "start", _no_server)  # a second build is a replay
    again_code, again_output = _build(project, build, strategy)
    assert again_code == code, again_output
    assert _files(build / "dataset") | {"predictions.jsonl": (build / "predictions.jsonl").read_bytes()} == first
