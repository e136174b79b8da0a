"""The three strategies through the real openai client over httpx2.MockTransport: llm, rules and hybrid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from llm_fakes import (
    ALLEGATIONS,
    ARTICLE_TEXT,
    GOOD_ANSWERS,
    MOCK_URL,
    ScriptedServer,
    article,
    mock_factory,
    mock_settings,
    write_corpus,
)
from typer.testing import CliRunner

import allegations.extract.run
import allegations.extract.server
from allegations.cli import app
from allegations.core.records import load_predictions
from allegations.extract.chunking import Chunk
from allegations.extract.passes import run_pass
from allegations.extract.responses import item_limit
from allegations.extract.run import extract_corpus
from allegations.extract.settings import BackendSettings
from allegations.schemas import Article, ArticleExtraction, kind_of, validate_extraction

runner = CliRunner()

# The rules' candidates for the invented test article: a real claim, a sentence the rules mistook for one, a relief.
CLAIM = "Harbor Mills says Copperfield kept its customer database after their contract ended."
NOT_A_CLAIM = "The two firms signed a $3 million contract in 2020 for data services."
RELIEF_QUOTE = "Harbor Mills seeks $9 million in damages from Copperfield."
PROPOSED = {
    "article_id": "a1",
    "parties": [
        {
            "name": "Harbor Mills Ltd.",
            "aliases": ["Harbor Mills"],
            "kind": "company",
            "role": "plaintiff",
            "evidence": [{"quote": "Harbor Mills Ltd. has sued Copperfield Analytics"}],
        },
        {
            "name": "Copperfield Analytics",
            "aliases": ["Copperfield"],
            "kind": "company",
            "role": "defendant",
            "evidence": [{"quote": "Harbor Mills Ltd. has sued Copperfield Analytics"}],
        },
    ],
    "allegations": [
        {
            "claimant": "Harbor Mills Ltd.",
            "accused": "Copperfield Analytics",
            "category": "other",
            "summary": "Copperfield kept its customer database after their contract ended.",
            "evidence": [{"quote": CLAIM}],
        },
        {
            "claimant": "Harbor Mills Ltd.",
            "accused": "Copperfield Analytics",
            "category": "breach_of_contract",
            "summary": "The two firms signed a $3 million contract in 2020 for data services.",
            "evidence": [{"quote": NOT_A_CLAIM}],
        },
    ],
    "relief_sought": [
        {
            "requested_by": "Harbor Mills Ltd.",
            "against": "Copperfield Analytics",
            "kind": "compensatory_damages",
            "summary": "Harbor Mills seeks $9 million in damages.",
            "amount": {"value": "9000000", "currency": "USD"},
            "evidence": [{"quote": RELIEF_QUOTE}],
        }
    ],
}
KEEP_CLAIM = {"keep": True, "category": "breach_of_contract", "summary": "Copperfield kept the customer database."}
DROP = {"keep": False, "category": "other", "summary": "A contract was signed."}
KEEP_RELIEF = {"keep": True, "kind": "compensatory_damages", "summary": "Harbor Mills wants $9 million."}


@pytest.fixture
def rules_propose(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rules' candidates fixed to PROPOSED, so each test knows what the model was asked about."""
    seen: list[str] = []

    def propose(a: Article) -> ArticleExtraction:
        seen.append(a.id)
        return validate_extraction(PROPOSED, a)

    monkeypatch.setattr(allegations.extract.run, "_rules_extraction", propose)
    return seen


def _no_server(*_: Any, **__: Any) -> Any:
    raise AssertionError("this strategy must not start or call a model server")


def _run(tmp_path: Path, server: Any, strategy: str, **settings: Any) -> tuple[Path, Any]:
    out = tmp_path / "predictions.jsonl"
    factory = _no_server if server is None else mock_factory(server)
    summary = extract_corpus(
        [article()],
        out,
        settings=mock_settings(**settings),
        cache_path=tmp_path / "cache.sqlite",
        progress=False,
        client_factory=factory,
        strategy=strategy,
    )
    return out, summary


def _extraction(out: Path) -> ArticleExtraction:
    loaded = load_predictions(out, {"a1": article()})
    assert loaded.problems == [], loaded.problems
    return loaded.extractions["a1"]


def _decisions(extraction: ArticleExtraction) -> set[tuple[str, int, str, str]]:
    assert extraction.provenance is not None
    return {(d.record_type, d.index, d.field, d.by.value) for d in extraction.provenance.decisions}


def test_hybrid_records_exactly_the_decisions_the_model_made(tmp_path: Path, rules_propose: list[str]) -> None:
    server = ScriptedServer(
        script={"ReviewAllegations": [KEEP_CLAIM, DROP]}, defaults={"ReviewReliefSought": KEEP_RELIEF}
    )
    out, summary = _run(tmp_path, server, "hybrid", model_decides="kept,category,summary")
    extraction = _extraction(out)
    assert [a.evidence[0].quote for a in extraction.allegations] == [CLAIM]  # the model dropped the other one
    assert extraction.allegations[0].category == "breach_of_contract"  # the model's category, not the rules' other
    assert extraction.allegations[0].summary == KEEP_CLAIM["summary"]
    assert extraction.parties[0].name == "Harbor Mills Ltd."  # parties stay the rules'
    assert extraction.provenance.strategy == "hybrid" and extraction.provenance.model == "test-model"
    assert _decisions(extraction) == {
        ("allegations", 0, "kept", "model"),
        ("allegations", 0, "category", "model"),
        ("allegations", 0, "summary", "model"),
        ("relief_sought", 0, "kept", "model"),
        ("relief_sought", 0, "kind", "model"),
        ("relief_sought", 0, "summary", "model"),
    }
    assert any("model: not kept" in d.reason for d in extraction.provenance.dropped)
    assert len(server.calls("ReviewAllegations")) == 2 and len(server.calls("ReviewReliefSought")) == 1
    assert server.calls("Parties") == []  # the model is not asked for parties
    assert (summary.calls, summary.from_cache, summary.cost.prompt_tokens) == (3, 0, 300)
    asked = server.calls("ReviewAllegations")[1]["messages"][-1]["content"]
    assert NOT_A_CLAIM in asked and "Harbor Mills Ltd.; Harbor Mills; Copperfield Analytics" in asked

    first = out.read_bytes()
    replay_out, replay = _run(tmp_path, server, "hybrid", model_decides="kept,category,summary")
    assert (replay.calls, replay.from_cache) == (3, 3) and len(server.requests) == 3
    assert _extraction(replay_out) == _extraction(out) and replay_out.read_bytes() == first


def test_hybrid_asks_only_what_it_is_told_and_the_rest_stays_the_rules(
    tmp_path: Path, rules_propose: list[str]
) -> None:
    summary = {"summary": "A summary by the model."}
    server = ScriptedServer(defaults={"ReviewAllegations": summary, "ReviewReliefSought": summary})
    out, _ = _run(tmp_path, server, "hybrid", model_decides="summary")
    extraction = _extraction(out)
    assert [a.category for a in extraction.allegations] == ["other", "breach_of_contract"]  # the rules' categories
    assert [a.summary for a in extraction.allegations] == ["A summary by the model."] * 2
    assert extraction.relief_sought[0].summary == "A summary by the model."
    schema = server.calls("ReviewAllegations")[0]["tools"][0]["function"]["parameters"]
    assert set(schema["properties"]) == {"summary"}
    assert _decisions(extraction) == {
        ("allegations", 0, "summary", "model"),
        ("allegations", 1, "summary", "model"),
        ("relief_sought", 0, "summary", "model"),
    }


def test_hybrid_with_nothing_for_the_model_starts_no_server(tmp_path: Path, rules_propose: list[str]) -> None:
    out, summary = _run(tmp_path, None, "hybrid", model_decides="none")
    extraction = _extraction(out)
    assert extraction.model_dump(exclude={"provenance"}) == validate_extraction(PROPOSED, article()).model_dump(
        exclude={"provenance"}
    )
    assert extraction.provenance.strategy == "hybrid" and extraction.provenance.decisions == []
    assert extraction.provenance.model == "none" and summary.calls == 0


def test_the_embedded_default_asks_the_model_nothing(tmp_path: Path, rules_propose: list[str]) -> None:
    settings = BackendSettings(base_url=None)
    assert settings.decisions == () and settings.default_strategy == "hybrid"
    assert BackendSettings(base_url=MOCK_URL).decisions == ("kept", "category", "summary", "added")
    assert BackendSettings.from_env({"ALLEGATIONS_MODEL_DECIDES": "summary,kept"}).decisions == ("kept", "summary")


def test_hybrid_adds_what_the_rules_missed_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proposed = {**PROPOSED, "allegations": PROPOSED["allegations"][1:]}  # the rules missed the real claim
    monkeypatch.setattr(allegations.extract.run, "_rules_extraction", lambda a: validate_extraction(proposed, a))
    server = ScriptedServer()  # the passes answer GOOD_ANSWERS
    out, summary = _run(tmp_path, server, "hybrid", model_decides="added")
    extraction = _extraction(out)
    quotes = [a.evidence[0].quote for a in extraction.allegations]
    assert quotes == [NOT_A_CLAIM, ALLEGATIONS["items"][0]["quote"]]
    # The relief and the contract term the passes found overlap a candidate or are new: only new ones are added.
    assert ("allegations", 1, "added", "model") in _decisions(extraction)
    assert ("allegations", 0, "added", "model") not in _decisions(extraction)
    assert [r.evidence[0].quote for r in extraction.relief_sought] == [RELIEF_QUOTE]
    assert server.calls("Parties") == [] and len(server.calls("Allegations")) == 1
    assert "Harbor Mills Ltd." in server.calls("Allegations")[0]["messages"][-1]["content"]
    assert summary.calls == 3


def test_a_server_error_in_hybrid_fails_the_article_not_the_run(tmp_path: Path, rules_propose: list[str]) -> None:
    server = ScriptedServer(script={"ReviewAllegations": [httpx2.Response(500, json={"error": "boom"})] * 4})
    out, summary = _run(tmp_path, server, "hybrid", model_decides="kept")
    line = json.loads(out.read_text(encoding="utf-8"))
    assert summary.failed == 1 and line["error"].startswith("allegations: ") and "500" in line["error"]
    assert line["provenance"]["strategy"] == "hybrid"


def test_rules_strategy_needs_no_server_and_no_cache(tmp_path: Path, rules_propose: list[str]) -> None:
    out, summary = _run(tmp_path, None, "rules")
    extraction = _extraction(out)
    assert extraction.provenance.strategy == "rules" and extraction.provenance.model == "none"
    assert extraction.provenance.decisions == [] and summary.calls == 0 and summary.succeeded == 1
    assert not (tmp_path / "cache.sqlite").exists()


def test_a_rule_that_breaks_fails_only_its_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(a: Article) -> ArticleExtraction:
        raise ValueError("no sentence")

    monkeypatch.setattr(allegations.extract.run, "_rules_extraction", broken)
    out, summary = _run(tmp_path, None, "rules")
    line = json.loads(out.read_text(encoding="utf-8"))
    assert summary.failed == 1 and line["error"] == "rules: ValueError: no sentence"
    assert line["provenance"]["strategy"] == "rules"


def test_llm_strategy_records_its_strategy(tmp_path: Path) -> None:
    out, _ = _run(tmp_path, ScriptedServer(), "llm")
    extraction = _extraction(out)
    assert extraction.provenance.strategy == "llm" and extraction.provenance.decisions == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "magic"], "error: unknown strategy 'magic' (use one of llm, rules, hybrid)"),
        (["--model-decides", "kept,verdict"], "unknown decision 'verdict'"),
    ],
)
def test_bad_strategy_options_exit_1_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    corpus = write_corpus(tmp_path / "corpus", [article()])
    out = tmp_path / "p.jsonl"
    result = runner.invoke(app, ["extract", "--corpus", str(corpus), "--out", str(out), *args])
    assert result.exit_code == 1 and message in result.output, result.output
    assert not out.exists()


def test_cli_rules_and_hybrid_by_default_on_the_embedded_backend(
    tmp_path: Path, rules_propose: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus", [article()])
    monkeypatch.setattr(allegations.extract.run, "build_client", _no_server)
    monkeypatch.setattr(allegations.extract.server.EmbeddedServer, "start", _no_server)
    for args, strategy in (([], "hybrid"), (["--strategy", "rules"], "rules")):
        out = tmp_path / f"{strategy}.jsonl"
        result = runner.invoke(
            app, ["extract", "--corpus", str(corpus), "--out", str(out), "--cache", str(tmp_path / "c"), *args]
        )
        assert result.exit_code == 0, result.output
        assert "0 calls" in result.output
        assert json.loads(out.read_text())["provenance"]["strategy"] == strategy


def test_list_limits_grow_with_the_text_for_capable_models_only() -> None:
    assert item_limit("allegations", 3500, scaled=False) == kind_of("allegations").max_items
    assert item_limit("allegations", 3500, scaled=True) == 18
    assert item_limit("parties", 300, scaled=True) == kind_of("parties").max_items  # never below the small limits
    assert item_limit("allegations", 10**7, scaled=True) == 60


def test_a_capable_model_may_return_more_items_and_the_excess_is_still_dropped(tmp_path: Path) -> None:
    text = " ".join([ARTICLE_TEXT] * 3)
    many = {"items": [ALLEGATIONS["items"][0]] * 30}
    server = ScriptedServer(defaults={**GOOD_ANSWERS, "Allegations": many})
    settings = mock_settings(max_retries=0)
    backend = mock_factory(server)(settings)
    outcome = run_pass(
        backend, settings, None, "allegations", Chunk(0, len(text), text), ["Harbor Mills", "Copperfield"]
    )
    limit = item_limit("allegations", len(text), scaled=True)
    schema = server.calls("Allegations")[0]["tools"][0]["function"]["parameters"]
    assert schema["properties"]["items"]["maxItems"] == limit > kind_of("allegations").max_items
    assert len(outcome.items) == limit and len(outcome.dropped) == 30 - limit
    assert all(f"more than {limit} items" in d for d in outcome.dropped)


def test_the_real_rules_through_the_cli_start_no_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("allegations.extract.rules", reason="the rules extractor is not on this branch")
    corpus = write_corpus(tmp_path / "corpus", [article()])
    monkeypatch.setattr(allegations.extract.run, "build_client", _no_server)
    monkeypatch.setattr(allegations.extract.server.EmbeddedServer, "start", _no_server)
    out = tmp_path / "p.jsonl"
    cache = tmp_path / "c.sqlite"
    args = ["extract", "--strategy", "rules", "--corpus", str(corpus), "--out", str(out), "--cache", str(cache)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    extraction = _extraction(out)
    assert {p.name for p in extraction.parties} >= {"Harbor Mills Ltd.", "Copperfield Analytics"}
    assert extraction.provenance.strategy == "rules" and extraction.provenance.prompt_tokens == 0
    assert not cache.exists()  # no cache either
