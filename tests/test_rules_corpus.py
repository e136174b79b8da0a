"""Rules extractor on real articles: quotes grounded, provenance says rules, no claims where no suit is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_helpers import assert_grounded

from allegations.core.corpus import load_corpus
from allegations.extract.rules import extract_with_rules
from allegations.schemas import Article, ArticleExtraction, validation_context

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def test_every_quote_on_the_corpus_is_an_exact_span(articles: list[Article]) -> None:
    assert len(articles) == 5
    for article in articles:
        extraction = extract_with_rules(article)
        assert extraction.parties, article.id
        assert_grounded(extraction, article.text)
        # Round trip through the validators with the text: offsets and names still check out.
        ArticleExtraction.model_validate(extraction.model_dump(mode="json"), context=validation_context(article))


def test_provenance_names_the_rules_strategy(articles: list[Article]) -> None:
    provenance = extract_with_rules(articles[0]).provenance
    assert provenance is not None
    assert (provenance.strategy.value, provenance.model, provenance.backend) == ("rules", "rules", "rules")
    assert provenance.prompt_tokens == provenance.completion_tokens == 0


def test_the_same_article_gives_the_same_extraction(articles: list[Article]) -> None:
    assert extract_with_rules(articles[1]) == extract_with_rules(articles[1])


@pytest.mark.skipif(not DEVSET.is_dir(), reason="../shared/devset is not beside this checkout")
def test_on_the_dev_set_quotes_are_grounded_and_articles_without_a_suit_have_no_allegations() -> None:
    without_suit = 0
    for article in load_corpus(DEVSET):
        extraction = extract_with_rules(article)
        assert_grounded(extraction, article.text)
        gold = ArticleExtraction.model_validate_json((DEVSET / "gold" / f"{article.id}.json").read_text())
        if all(p.role.value == "other" for p in gold.parties):
            without_suit += 1
            assert extraction.allegations == [], article.id
    assert without_suit >= 1


@pytest.mark.parametrize(
    "text",
    ["x", "Read Also, nothing to see here", "\n\n   \n", "A" * 5000],
)
def test_text_without_a_suit_or_names_gives_an_empty_extraction(text: str) -> None:
    extraction = extract_with_rules(Article(id="odd", title="odd", text=text))
    assert (extraction.parties, extraction.allegations, extraction.contract_terms, extraction.relief_sought) == (
        [],
        [],
        [],
        [],
    )


def test_windows_line_ends_and_non_breaking_spaces_keep_quotes_exact() -> None:
    text = "Norvane Sues Kestrel\r\n\r\nNorvane Robotics sued Kestrel Labs.\r\nNorvane alleges Kestrel stole its\u00a0designs.\r\n"
    extraction = extract_with_rules(Article(id="crlf", title="Norvane Sues Kestrel", text=text))
    assert [a.category.value for a in extraction.allegations] == ["trade_secret_misappropriation"]
    assert_grounded(extraction, text)
