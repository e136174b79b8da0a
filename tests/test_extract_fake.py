"""Level 1: the passes over a fake that returns queued answers (no HTTP, no instructor)."""

from __future__ import annotations

from llm_fakes import (
    ALLEGATIONS,
    CONTRACT_TERMS,
    PARTIES,
    RELIEF,
    FakeBackend,
    QueuedCompletions,
    article,
    mock_settings,
)

from allegations.extract.run import extract_article
from allegations.schemas import ArticleExtraction, ExtractionFailure


def test_passes_run_parties_first_and_build_a_grounded_extraction() -> None:
    fake = QueuedCompletions(
        {
            "Parties": [PARTIES],
            "Allegations": [ALLEGATIONS],
            "ContractTerms": [CONTRACT_TERMS],
            "ReliefSought": [RELIEF],
        }
    )
    settings = mock_settings()
    result = extract_article(article(), FakeBackend(fake, settings), settings, cache=None)
    assert [c["response_model"] for c in fake.calls] == ["Parties", "Allegations", "ContractTerms", "ReliefSought"]
    line = result.line
    assert isinstance(line, ArticleExtraction), line
    assert [p.name for p in line.parties] == ["Harbor Mills Ltd.", "Copperfield Analytics"]
    assert line.parties[0].aliases == ["Harbor Mills"]
    text = article().text
    for record in [*line.parties, *line.allegations, *line.contract_terms, *line.relief_sought]:
        evidence = record.evidence[0]
        assert text[evidence.start : evidence.end] == evidence.quote
    assert line.allegations[0].claimant == "Harbor Mills"
    assert str(line.relief_sought[0].amount.value) == "9000000"
    assert line.provenance is not None
    assert (line.provenance.prompt_tokens, line.provenance.completion_tokens) == (200, 40)
    assert line.provenance.retries == 0 and line.provenance.dropped == []


def test_later_passes_see_the_party_names_and_are_skipped_without_parties() -> None:
    fake = QueuedCompletions({"Parties": [{"items": []}]})
    settings = mock_settings()
    result = extract_article(article(), FakeBackend(fake, settings), settings, cache=None)
    assert [c["response_model"] for c in fake.calls] == ["Parties"]
    assert isinstance(result.line, ArticleExtraction) and result.line.parties == []


def test_the_prompt_lists_the_parties_found_first() -> None:
    fake = QueuedCompletions(
        {"Parties": [PARTIES], "Allegations": [ALLEGATIONS], "ContractTerms": [{"items": []}], "ReliefSought": [RELIEF]}
    )
    settings = mock_settings()
    extract_article(article(), FakeBackend(fake, settings), settings, cache=None)
    user = fake.calls[1]["messages"][-1]["content"]
    assert "Parties: Harbor Mills Ltd.; Harbor Mills; Copperfield Analytics; Copperfield." in user


def test_a_pass_that_raises_makes_a_failure_record() -> None:
    class Broken(QueuedCompletions):
        def create_with_completion(self, **kwargs):  # type: ignore[override]
            import openai

            raise openai.APITimeoutError(request=__import__("httpx2").Request("POST", "http://127.0.0.1/v1"))

    settings = mock_settings()
    result = extract_article(article(), FakeBackend(Broken({}), settings), settings, cache=None)
    assert isinstance(result.line, ExtractionFailure)
    assert "APITimeoutError" in result.line.error
