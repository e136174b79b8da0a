"""Helpers for the rules tests: run the extractor on an invented article and look records up by kind."""

from __future__ import annotations

from allegations.extract.rules import extract_with_rules
from allegations.schemas import Article, ArticleExtraction, Party


def extract(text: str, article_id: str = "invented") -> ArticleExtraction:
    """The rules extraction of an invented article whose headline is its first line."""
    title = text.strip().splitlines()[0]
    return extract_with_rules(Article(id=article_id, title=title, text=text))


def party(extraction: ArticleExtraction, name: str) -> Party | None:
    """The party called `name` (by name or alias), or None."""
    return extraction.resolve_party(name)


def categories(extraction: ArticleExtraction) -> set[str]:
    return {a.category.value for a in extraction.allegations}


def assert_grounded(extraction: ArticleExtraction, text: str) -> None:
    """Every quote is the exact slice of the text its offsets name."""
    for records in (extraction.parties, extraction.allegations, extraction.contract_terms, extraction.relief_sought):
        for record in records:
            for evidence in record.evidence:
                assert evidence.start is not None and evidence.end is not None
                assert text[evidence.start : evidence.end] == evidence.quote
