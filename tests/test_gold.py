"""The hand-labeled gold: every file loads through the extractor's validators, and a broken copy is reported."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gold_checks import evidence_in_furniture, evidence_of, raw_gold
from typer.testing import CliRunner

from allegations.cli import app
from allegations.core.files import dumps_json
from allegations.core.records import load_gold
from allegations.schemas import Article, validate_extraction

runner = CliRunner()
GOLD = Path(__file__).resolve().parent.parent / "datasets" / "bes_huawei" / "gold"
GOLD_FILES = sorted(GOLD.glob("*.json"))
SAMPLE = GOLD / "004_aae4ea1fc6e51db2.json"

# Page furniture per article (GUIDELINES.md, section 1): no evidence may fall inside it.
FURNITURE = {
    "000_4aff3854fce7c81f": [
        "Telecom Review - Huawei strengthens brand with launch of second flagship store",
        "Huawei stole our tech and created a 'backdoor' to spy on Pakistan, claims IT biz • The Register",
        "US accuses Huawei of stealing technology from six companies | Financial Times",
        "Canadian officer in Huawei CFO's arrest says he did not ask for phone passcodes By Reuters",
        "What are your views on this? Share with us in the comments below.",
        "Featured Content",
    ],
    "001_5ab154d679b99905": [
        "What do you guys think of Huawei spying in Pakistan? Share your thoughts in the comments below.",
        "Read Also, Honor Magic 3 Series Launched",
    ],
    "002_af99730eb2206861": [
        "Published on August 13, 2021\nWritten by:\nBill Toulas\nBill Toulas\nCybersecurity Journalist",
        "For a better user experience we recommend using a more modern browser.",
    ],
    "003_813323a210c53a5c": ["By Frank Fang"],
    "004_aae4ea1fc6e51db2": [],
}


def test_there_is_one_gold_file_per_article(articles: list[Article]) -> None:
    assert [p.stem for p in GOLD_FILES] == [a.id for a in articles]


def test_every_gold_file_loads_through_the_validators(articles_map: dict[str, Article]) -> None:
    loaded = load_gold(GOLD, articles_map)
    assert [str(p) for p in loaded.problems] == []
    assert sorted(loaded.extractions) == sorted(articles_map)
    assert loaded.failures == {}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_article_id_matches_the_file_name_and_the_corpus(path: Path, articles_map: dict[str, Article]) -> None:
    raw = raw_gold(path)
    assert raw["article_id"] == path.stem
    assert raw["article_id"] in articles_map


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_carries_no_provenance(path: Path) -> None:
    assert "provenance" not in raw_gold(path)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_stored_quote_is_the_text_between_its_offsets(path: Path, articles_map: dict[str, Article]) -> None:
    raw = raw_gold(path)
    text = articles_map[raw["article_id"]].text
    for where, ev in evidence_of(raw):
        assert 0 <= ev["start"] < ev["end"] <= len(text), where
        assert text[ev["start"] : ev["end"]] == ev["quote"], where
        assert ev["alignment"] in {"exact", "typographic"}, where


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_no_evidence_falls_in_page_furniture(path: Path, articles_map: dict[str, Article]) -> None:
    raw = raw_gold(path)
    text = articles_map[raw["article_id"]].text
    assert evidence_in_furniture(raw, text, FURNITURE[raw["article_id"]]) == []


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_is_stored_as_its_validated_records(path: Path, articles_map: dict[str, Article]) -> None:
    raw = raw_gold(path)
    extraction = validate_extraction(raw, articles_map[raw["article_id"]])
    assert path.read_text(encoding="utf-8") == dumps_json(extraction.model_dump(mode="json", exclude={"provenance"}))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_party_reference_resolves_and_every_party_has_a_part(
    path: Path, articles_map: dict[str, Article]
) -> None:
    raw = raw_gold(path)
    extraction = validate_extraction(raw, articles_map[raw["article_id"]])
    referenced = {extraction.resolve_party(name).name for _, name in extraction.party_references()}  # type: ignore[union-attr]
    roles = {p.role for p in extraction.parties}
    assert {"plaintiff", "defendant"} <= roles
    for party in extraction.parties:
        # A non-litigant is in the gold because a record involves it, or it is a named court or government body.
        assert party.role != "other" or party.name in referenced or party.kind in {"court", "government_body"}


def test_money_and_multipliers_follow_the_guidelines(articles_map: dict[str, Article]) -> None:
    loaded = load_gold(GOLD, articles_map)
    amounts = {
        (t.amount.value, t.amount.currency)
        for e in loaded.extractions.values()
        for t in e.contract_terms
        if t.amount is not None
    }
    assert amounts == {(150000000, "USD")}
    relief = loaded.extractions["004_aae4ea1fc6e51db2"].relief_sought
    assert len({r.kind for r in relief}) == len(relief) == 7
    assert [r.multiplier for r in relief if r.multiplier is not None] == [2]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets `record_type.index.field...` in the raw gold."""

    def mutate(raw: dict[str, Any]) -> None:
        target: Any = raw
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


BAD_GOLD = [
    pytest.param(
        _set("allegations.0.category", "spying"),
        "article 004_aae4ea1fc6e51db2: allegations[0].category: Input should be 'trade_secret_misappropriation'",
        id="wrong-enum",
    ),
    pytest.param(
        _set("relief_sought.2.evidence.1.quote", "three times the sum"),
        "relief_sought[2].evidence[1]: quote not found in the article text: 'three times the sum'",
        id="quote-not-in-text",
    ),
    pytest.param(
        _set("allegations.1.accused", "Initech"),
        "allegations[1].accused: 'Initech' is not the name or alias of any party",
        id="unknown-party",
    ),
    pytest.param(
        _set("parties.0.evidence.0.start", 1_000_000),
        "parties[0].evidence[0].start: 1000000 is past the end of the text (2378 characters)",
        id="offset-past-end",
    ),
    pytest.param(
        _set("contract_terms.0.evidence.0.end", 10),
        "contract_terms[0].evidence[0].end: 10 does not match the quote, which is at",
        id="offset-elsewhere",
    ),
    pytest.param(
        _set(
            "provenance",
            {"extractor": "x", "model": "m", "backend": "b", "mode": "tools", "prompt_hash": "p", "schema_hash": "s"},
        ),
        "provenance: gold is labeled by hand and carries no provenance",
        id="provenance",
    ),
    pytest.param(
        _set("relief_sought.0.multiplier", -2),
        "relief_sought[0].multiplier: Input should be greater than 0",
        id="bad-multiplier",
    ),
    pytest.param(
        _set("error", "model timed out"),
        "error: Extra inputs are not permitted",
        id="failure-record-as-gold",
    ),
    pytest.param(
        _set("article_id", "005_missing"),
        "article_id: '005_missing' is not in the corpus",
        id="unknown-article",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), BAD_GOLD)
def test_a_broken_gold_file_is_reported_with_its_path_and_field(
    tmp_path: Path, corpus_dir: Path, mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    raw = raw_gold(SAMPLE)
    mutate(raw)
    bad = tmp_path / SAMPLE.name
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{bad}: ") and expected in lines[0], lines[0]


def test_truncated_gold_json_names_the_file_and_line(tmp_path: Path, corpus_dir: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / SAMPLE.name
    bad.write_text(text[: len(text) // 2], encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}:") and "not valid JSON" in result.output


def test_a_gold_folder_with_one_broken_copy_names_only_that_file(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "gold"
    shutil.copytree(GOLD, folder)
    raw = raw_gold(SAMPLE)
    raw["parties"][1]["kind"] = "firm"
    (folder / SAMPLE.name).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{folder / SAMPLE.name}: article 004_aae4ea1fc6e51db2: parties[1].kind: "
        "Input should be 'company', 'government_body', 'court', 'person' or 'other'"
    )


def test_the_gold_folder_validates_from_the_command_line(corpus_dir: Path) -> None:
    result = runner.invoke(app, ["validate", str(GOLD), "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "ok: 5 extractions, 0 failures" in result.output


def test_predictions_keep_offsets_recomputed_from_the_text(tmp_path: Path, corpus_dir: Path) -> None:
    raw = raw_gold(SAMPLE)
    raw["parties"][0]["evidence"][0]["start"] = 1_000_000
    raw["parties"][0]["evidence"][0]["end"] = 1_000_005
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps(raw, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(predictions), "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
