"""Public entry points: score predictions against gold from objects, from an extractor callable, or from files.

How records are compared, field by field and with which weights, is in `eval.compare`; how they are paired, in
`eval.match`; how the figures are defined (undefined precision included), in `eval.metrics`.

Beside every figure the report gives the chance floors of `eval.floors`, scored the same way from the same gold.

Articles: every gold article is scored. One with no prediction, or whose extraction failed, is scored as an empty
prediction, so its gold records count as omissions; predictions for articles with no gold are not scored. Both are
listed in the report's `excluded` section, with counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from allegations.core.corpus import articles_by_id, load_corpus
from allegations.core.records import LoadedRecords, hash_gold_files, load_gold, load_predictions
from allegations.eval.compare import PartyResolver, RecordView, record_view
from allegations.eval.diagnostics import CharCounts, Labels, evidence_chars, field_labels
from allegations.eval.errors import EvalError
from allegations.eval.floors import floor_articles, floor_draws, floor_predictions
from allegations.eval.html import write_html
from allegations.eval.match import MATCHINGS, Matching, match_all
from allegations.eval.metrics import Counts
from allegations.eval.render import write_json
from allegations.eval.report import EvalReport
from allegations.eval.results import ArticleResult
from allegations.schemas import RECORD_TYPES, Article, ArticleExtraction, ExtractionFailure, align_quote

__all__ = [
    "ArticleScorer",
    "EvalReport",
    "GoldSet",
    "PredictionRun",
    "evaluate",
    "evaluate_callable",
    "evaluate_files",
    "evaluate_run",
    "hash_gold_files",
    "load_gold_set",
    "score_article",
    "write_html",
    "write_json",
]


def evaluate(
    gold: Mapping[str, ArticleExtraction],
    predicted: Mapping[str, ArticleExtraction],
    articles: Mapping[str, Article],
    *,
    failures: Mapping[str, ExtractionFailure] | None = None,
) -> EvalReport:
    """Score predicted extractions against gold, both keyed by article id; `articles` supplies the texts."""
    failures = failures or {}
    for source, mapping in (("gold", gold), ("predictions", predicted)):
        for key, extraction in mapping.items():
            if extraction.article_id != key:
                raise EvalError(
                    f"{source} keyed {key!r} holds an extraction for {extraction.article_id!r}",
                    hint="key each extraction by its own article_id",
                    article_id=key,
                )
    results = []
    scorers: dict[str, ArticleScorer] = {}  # kept for the articles the floors are scored on
    floor_ids = set(floor_articles(gold))
    for article_id in sorted(gold):
        article = articles.get(article_id)
        if article is None:
            raise EvalError(
                "gold for an article that is not in the corpus",
                hint="point --corpus at the corpus the gold was labeled on, or remove the gold file",
                article_id=article_id,
            )
        scorer = ArticleScorer(gold[article_id], article)
        if article_id in floor_ids:
            scorers[article_id] = scorer
        if article_id in predicted:
            results.append(scorer.score(predicted[article_id]))
        else:
            failure = failures.get(article_id)
            result = scorer.score(ArticleExtraction(article_id=article_id))
            if failure is not None:
                results.append(replace(result, status="failed", error=failure.error))
            else:
                results.append(replace(result, status="missing"))
    draws = floor_draws(gold)
    floors: dict[str, dict[str, dict[str, Counts]]] = {}
    for floor, samples in floor_predictions(gold, articles, draws).items():
        # Only the pooled counts are kept: the floors' pairs would weigh on memory for nothing.
        pooled = floors[floor] = {m: dict.fromkeys(RECORD_TYPES, Counts()) for m in MATCHINGS}
        for sample in samples:
            for key in sorted(sample):
                result = scorers[key].score(sample[key], diagnostics=False)
                for matching, by_type in pooled.items():
                    for record_type in RECORD_TYPES:
                        by_type[record_type] += result.counts(record_type, matching)
    return EvalReport(
        articles=tuple(results),
        floors=floors,
        floor_draws=draws,
        floor_articles=len(floor_ids),
        predicted_without_gold=tuple(sorted((set(predicted) | set(failures)) - set(gold))),
        gold_without_prediction=tuple(sorted(set(gold) - set(predicted) - set(failures))),
        gold_sha256=hash_records(gold),
    )


def score_article(gold: ArticleExtraction, predicted: ArticleExtraction, article: Article) -> ArticleResult:
    """Match one article's predicted records to its gold, record type by record type, strictly and leniently."""
    return ArticleScorer(gold, article).score(predicted)


class ArticleScorer:
    """One gold article with its party resolver and record views built once, to score any number of predictions."""

    def __init__(self, gold: ArticleExtraction, article: Article) -> None:
        self.article = article
        self.resolver = PartyResolver(gold)
        self.views = {
            record_type: [record_view(record_type, r, gold, self.resolver, article) for r in getattr(gold, record_type)]
            for record_type in RECORD_TYPES
        }

    def score(self, predicted: ArticleExtraction, *, diagnostics: bool = True) -> ArticleResult:
        """Match `predicted` to the gold; without `diagnostics`, only the matchings (no grounding, labels, evidence)."""
        article = self.article
        matchings: dict[str, dict[str, Matching]] = {matching: {} for matching in MATCHINGS}
        characters: dict[str, dict[str, CharCounts]] = {matching: {} for matching in MATCHINGS}
        labels: dict[str, dict[str, Labels]] = {}
        quotes = grounded = 0
        for record_type in RECORD_TYPES:
            gold_views = self.views[record_type]
            predicted_views: list[RecordView] = []
            for record in getattr(predicted, record_type):
                predicted_views.append(record_view(record_type, record, predicted, self.resolver, article))
                if diagnostics:
                    for evidence in record.evidence:
                        quotes += 1
                        grounded += align_quote(article.text, evidence.quote, hint=evidence.start) is not None
            for matching, found in match_all(record_type, gold_views, predicted_views).items():
                matchings[matching][record_type] = found
                if diagnostics:
                    characters[matching][record_type] = evidence_chars(found, gold_views, predicted_views)
            if diagnostics:
                labels[record_type] = field_labels(record_type, gold_views, predicted_views)
        dropped = len(predicted.provenance.dropped) if predicted.provenance is not None else 0
        return ArticleResult(
            article.id, "scored", matchings, quotes, grounded, dropped, evidence=characters, labels=labels
        )


def evaluate_callable(
    extractor: Callable[[Article], ArticleExtraction],
    articles: Mapping[str, Article] | Iterable[Article],
    gold: Mapping[str, ArticleExtraction],
) -> EvalReport:
    """Run `extractor` over every article that has gold and score what it returns.

    An article on which the extractor raises, or returns an extraction for another article, is recorded as a
    failure with the reason and scored as an empty prediction.
    """
    by_id = dict(articles) if isinstance(articles, Mapping) else articles_by_id(list(articles))
    predicted: dict[str, ArticleExtraction] = {}
    failures: dict[str, ExtractionFailure] = {}
    for article_id in sorted(gold):
        article = by_id.get(article_id)
        if article is None:
            continue  # evaluate() names the missing article
        try:
            extraction = extractor(article)
        except Exception as exc:  # the extractor is the user's code: record the failure and score the rest
            failures[article_id] = ExtractionFailure(article_id=article_id, error=f"{type(exc).__name__}: {exc}")
            continue
        if not isinstance(extraction, ArticleExtraction) or extraction.article_id != article_id:
            got = getattr(extraction, "article_id", type(extraction).__name__)
            failures[article_id] = ExtractionFailure(
                article_id=article_id, error=f"extractor returned {got!r} instead of an extraction for this article"
            )
            continue
        predicted[article_id] = extraction
    return evaluate(gold, predicted, by_id, failures=failures)


@dataclass(frozen=True)
class GoldSet:
    """A corpus and its gold, loaded and checked once so several prediction files can be scored against them."""

    articles: dict[str, Article]
    gold: dict[str, ArticleExtraction]
    gold_sha256: str


@dataclass(frozen=True)
class PredictionRun:
    """One predictions file, loaded and checked, and its report."""

    path: Path
    predicted: dict[str, ArticleExtraction]
    failures: dict[str, ExtractionFailure]
    report: EvalReport


def load_gold_set(gold_dir: Path, corpus_dir: Path) -> GoldSet:
    """Load the corpus and the gold folder (or file); the first bad file fails with its path and line."""
    gold_dir = Path(gold_dir)
    articles = articles_by_id(load_corpus(corpus_dir))
    if not gold_dir.exists():
        raise EvalError("no such gold folder", hint="point --gold at a folder of <article-id>.json", path=gold_dir)
    gold = _checked(load_gold(gold_dir, articles))
    return GoldSet(articles, gold.extractions, hash_gold_files(gold_dir))


def evaluate_run(predictions: Path, gold_set: GoldSet) -> PredictionRun:
    """Load a predictions JSONL against a loaded gold set and score it."""
    predictions = Path(predictions)
    if not predictions.is_file():
        raise EvalError("no such predictions file", hint="give the JSONL an extractor wrote", path=predictions)
    loaded = _checked(load_predictions(predictions, gold_set.articles))
    report = evaluate(gold_set.gold, loaded.extractions, gold_set.articles, failures=loaded.failures)
    report = replace(
        report,
        predictions_sha256=hashlib.sha256(predictions.read_bytes()).hexdigest(),
        gold_sha256=gold_set.gold_sha256,
        predictions_name=str(predictions),
    )
    return PredictionRun(predictions, loaded.extractions, loaded.failures, report)


def evaluate_files(predictions: Path, gold_dir: Path, corpus_dir: Path) -> EvalReport:
    """Score a predictions JSONL against a gold folder (or file) on a corpus; bad files fail with file and line."""
    return evaluate_run(predictions, load_gold_set(gold_dir, corpus_dir)).report


def _checked(loaded: LoadedRecords) -> LoadedRecords:
    if loaded.problems:
        first, more = loaded.problems[0], len(loaded.problems) - 1
        hint = "fix the line, or run 'allegations validate' on the file to list every problem"
        if more:
            hint = f"and {more} more problem{'s' if more > 1 else ''}; run 'allegations validate' to list them"
        raise EvalError(first.message, hint=hint, path=first.path, line=first.line)
    return loaded


def hash_records(gold: Mapping[str, ArticleExtraction]) -> str:
    """sha256 over gold held in memory: each extraction's JSON (fields in schema order), in article id order."""
    digest = hashlib.sha256()
    for article_id in sorted(gold):
        digest.update(gold[article_id].model_dump_json().encode() + b"\n")
    return digest.hexdigest()
