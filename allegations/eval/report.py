"""The evaluation report: per-article results, and the typed report (`ScoreReport`) computed from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from allegations.eval.floors import FLOOR_SEED
from allegations.eval.match import LENIENT, STRICT
from allegations.eval.metrics import Counts
from allegations.eval.results import ArticleResult
from allegations.eval.scores import article_scores, confusion_scores, matching_scores, settings
from allegations.schemas.report import REPORT_VERSION, Excluded, Exclusion, FloorSettings, QuoteCounts, ScoreReport

__all__ = ["ArticleResult", "EvalReport"]

UNDEFINED_NOTE = (
    "null means undefined, not zero: precision is undefined where nothing was predicted, recall where there is no "
    "gold; F1 = 2*matched/(predicted+gold) is 0 when gold exists and nothing was predicted."
)


@dataclass(frozen=True)
class EvalReport:
    """Everything one evaluation found; `scores()` is the typed report written to eval.json.

    `floors` holds, per chance floor, matching and record type, the pooled counts of its trivial predictions (see
    eval.floors), scored on `floor_articles` of the articles; the random-label floor pools `floor_draws` draws.
    """

    articles: tuple[ArticleResult, ...]
    predicted_without_gold: tuple[str, ...] = ()
    gold_without_prediction: tuple[str, ...] = ()
    predictions_sha256: str | None = None
    gold_sha256: str | None = None
    predictions_name: str | None = None
    floors: Mapping[str, Mapping[str, Mapping[str, Counts]]] = field(default_factory=dict)
    floor_draws: int = 1
    floor_articles: int = 0
    _cache: dict[str, ScoreReport] = field(default_factory=dict, init=False, compare=False, repr=False)

    def counts(self, record_type: str | None = None, matching: str = STRICT) -> Counts:
        """Micro totals over every scored article."""
        return sum((article.counts(record_type, matching) for article in self.articles), Counts())

    def floor_settings(self) -> FloorSettings:
        """How the floors were drawn: draws, seed, and on how many of the scored articles."""
        return FloorSettings(draws=self.floor_draws, seed=FLOOR_SEED, articles=self.floor_articles)

    def scores(self) -> ScoreReport:
        """The typed report: strict figures at the top level, lenient under `lenient` (see eval.metrics)."""
        if "scores" not in self._cache:
            self._cache["scores"] = self._build()
        return self._cache["scores"]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data; undefined figures are None (null)."""
        return self.scores().model_dump(mode="json")

    def to_markdown(self) -> str:
        """The summary table, ready for a dataset card."""
        from allegations.eval.render import render_markdown

        return render_markdown(self)

    def _build(self) -> ScoreReport:
        strict = matching_scores(self.articles, STRICT, self.floors, self.floor_settings())
        quotes = sum(a.quotes for a in self.articles)
        grounded = sum(a.grounded_quotes for a in self.articles)
        return ScoreReport(
            report_version=REPORT_VERSION,
            predictions=self.predictions_name,
            predictions_sha256=self.predictions_sha256,
            gold_sha256=self.gold_sha256,
            articles_scored=len(self.articles),
            matching="strict",
            overall=strict.overall,
            by_type=strict.by_type,
            floors=strict.floors,
            evidence=strict.evidence,
            omissions=strict.omissions,
            hallucinations=strict.hallucinations,
            lenient=matching_scores(self.articles, LENIENT, self.floors, self.floor_settings()),
            confusion=confusion_scores(self.articles),
            grounding_rate=grounded / quotes if quotes else None,
            quotes=QuoteCounts(predicted=quotes, grounded=grounded),
            dropped_ungrounded=sum(a.dropped for a in self.articles),
            failures={a.article_id: a.error for a in self.articles if a.status == "failed"},
            excluded=Excluded(
                predicted_without_gold=Exclusion(
                    count=len(self.predicted_without_gold),
                    article_ids=list(self.predicted_without_gold),
                    treatment="not scored: there is no gold to compare with",
                ),
                gold_without_prediction=Exclusion(
                    count=len(self.gold_without_prediction),
                    article_ids=list(self.gold_without_prediction),
                    treatment="scored as an empty prediction: every gold record counts as an omission",
                ),
            ),
            per_article={a.article_id: article_scores(a) for a in self.articles},
            settings=settings(self.floor_settings()),
            notes=self._notes(),
        )

    def _notes(self) -> list[str]:
        notes = [UNDEFINED_NOTE]
        if self.predicted_without_gold:
            notes.append(f"{len(self.predicted_without_gold)} predicted article(s) have no gold and were not scored.")
        if self.gold_without_prediction:
            notes.append(
                f"{len(self.gold_without_prediction)} gold article(s) have no prediction; scored as empty predictions."
            )
        failed = sum(1 for a in self.articles if a.status == "failed")
        if failed:
            notes.append(f"{failed} article(s) failed extraction; scored as empty predictions.")
        if len(self.articles) < 30:
            notes.append(f"only {len(self.articles)} article(s): the bootstrap intervals are wide, read them first.")
        return notes
