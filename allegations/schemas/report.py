"""The eval report (eval.json): written by the evaluation, read by the quality gate and the dataset card.

Figures follow `allegations.eval.metrics`: None (JSON null) means undefined, never zero. The top-level `overall`,
`by_type`, `floors` and `evidence` are the strict matching (the headline); `lenient` holds the same figures under
lenient matching, the diagnostic view. micro pools every record; macro averages the per-article figures over the
articles where they are defined.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_VERSION: Literal[2] = 2
"""2: strict matching is the headline. 1 (before): only lenient figures, under the same keys."""

_SHA256 = r"^[0-9a-f]{64}$"
_METRIC = re.compile(r"^(?:overall\.(micro|macro)|by_type\.([a-z_]+))\.(precision|recall|f1)$")


class ReportVersionError(ValueError):
    """An eval report written by another version of the evaluation: regenerate it, its figures mean other things."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rates(_Model):
    """Precision, recall and F1; None where undefined."""

    precision: float | None = Field(ge=0, le=1, description="Matched over predicted; null with no predictions.")
    recall: float | None = Field(ge=0, le=1, description="Matched over gold; null with no gold.")
    f1: float | None = Field(ge=0, le=1, description="2·matched / (predicted + gold); null when both are 0.")

    def rate(self, name: str) -> float | None:
        """One of precision, recall, f1 by name (threshold paths end in one)."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}[name]


class Intervals(_Model):
    """95% percentile bootstrap intervals over articles; None where no resample defines the figure."""

    precision: tuple[float, float] | None = Field(description="Interval of precision.")
    recall: tuple[float, float] | None = Field(description="Interval of recall.")
    f1: tuple[float, float] | None = Field(description="Interval of F1.")


class CountedRates(Rates):
    gold: int = Field(ge=0, description="Gold records.")
    predicted: int = Field(ge=0, description="Predicted records.")
    matched: int = Field(ge=0, description="Matched pairs (true positives).")


class MicroScores(CountedRates):
    ci95: Intervals = Field(description="Bootstrap intervals of the micro figures.")


class MacroScores(Rates):
    articles: int = Field(ge=0, description="Articles averaged over.")


class OverallScores(_Model):
    micro: MicroScores = Field(description="Pooled over every record of every article.")
    macro: MacroScores = Field(description="The mean of the per-article figures, over articles where defined.")


class FieldScores(Rates):
    matched_mean: float | None = Field(description="Mean field score over matched pairs; null with none matched.")


class TypeScores(CountedRates):
    ci95: Intervals = Field(description="Bootstrap intervals over articles.")
    omissions: int = Field(ge=0, description="Gold records left unmatched.")
    hallucinations: int = Field(ge=0, description="Predicted records left unmatched.")
    fields: dict[str, FieldScores] = Field(description="Field credit: the field's scores summed over matched pairs.")


class FloorScores(_Model):
    """What a trivial extractor scores under the same matching."""

    description: str = Field(description="How the trivial extractor builds its records.")
    overall: Rates = Field(description="Micro figures over every record.")
    by_type: dict[str, Rates] = Field(description="Figures per record type.")


class CharacterCounts(_Model):
    shared: int = Field(ge=0, description="Characters both the gold and the predicted quotes cover.")
    gold: int = Field(ge=0, description="Characters the gold quotes cover.")
    predicted: int = Field(ge=0, description="Characters the predicted quotes cover.")


class EvidenceQuality(_Model):
    """Character precision and recall of predicted quotes against the gold's, on matched pairs."""

    precision: float | None = Field(ge=0, le=1, description="Shared over predicted characters.")
    recall: float | None = Field(ge=0, le=1, description="Shared over gold characters.")
    characters: CharacterCounts = Field(description="The character counts behind the figures.")


class EvidenceScores(EvidenceQuality):
    by_type: dict[str, EvidenceQuality] = Field(description="Per record type.")


class MatchingScores(_Model):
    """Every figure of one matching."""

    overall: OverallScores = Field(description="Over all record types.")
    by_type: dict[str, TypeScores] = Field(description="Per record type.")
    floors: dict[str, FloorScores] = Field(description="Chance floors: random_label, most_frequent_label.")
    evidence: EvidenceScores = Field(description="Evidence quality on this matching's pairs.")
    omissions: int = Field(ge=0, description="Gold records left unmatched.")
    hallucinations: int = Field(ge=0, description="Predicted records left unmatched.")


class LabelScores(CountedRates):
    """One label of an enum field: how often gold and predictions carry it, and agree on it."""


class Confusion(_Model):
    """Rows are gold labels, columns predicted labels, both in `labels` order; `none` is an unpaired record."""

    labels: list[str] = Field(description="The labels that occur, then none.")
    matrix: list[list[int]] = Field(description="matrix[gold][predicted] counts over lenient pairs.")
    per_label: dict[str, LabelScores] = Field(description="Per label: diagonal over column (precision) and row.")


class PairDetail(_Model):
    gold: int = Field(ge=0, description="Index of the gold record.")
    predicted: int = Field(ge=0, description="Index of the predicted record.")
    similarity: float = Field(ge=0, le=1, description="Weighted field similarity.")
    fields: dict[str, float] = Field(description="Score of each field.")


class MatchingDetail(_Model):
    gold: int = Field(ge=0, description="Gold records.")
    predicted: int = Field(ge=0, description="Predicted records.")
    matched: int = Field(ge=0, description="Matched pairs.")
    pairs: list[PairDetail] = Field(description="The pairs, by gold index.")
    omitted: list[int] = Field(description="Indexes of unmatched gold records.")
    hallucinated: list[int] = Field(description="Indexes of unmatched predicted records.")


ArticleStatus = Literal["scored", "failed", "missing"]
"""scored: a prediction was given; failed: the extractor reported a failure; missing: no prediction line."""


class ArticleScores(Rates):
    status: ArticleStatus = Field(description="Whether a prediction was given.")
    error: str | None = Field(description="The extractor's error for a failed article.")
    omissions: int = Field(ge=0, description="Gold records left unmatched (strict).")
    hallucinations: int = Field(ge=0, description="Predicted records left unmatched (strict).")
    grounding_rate: float | None = Field(ge=0, le=1, description="Share of predicted quotes found in the text.")
    by_type: dict[str, MatchingDetail] = Field(description="Strict pairs per record type.")
    lenient: Rates = Field(description="The article's figures under lenient matching.")


class QuoteCounts(_Model):
    predicted: int = Field(ge=0, description="Predicted quotes.")
    grounded: int = Field(ge=0, description="Predicted quotes found in the article text.")


class Exclusion(_Model):
    count: int = Field(ge=0, description="How many articles.")
    article_ids: list[str] = Field(description="Which articles.")
    treatment: str = Field(description="What the evaluation did with them.")


class Excluded(_Model):
    predicted_without_gold: Exclusion = Field(description="Predictions for articles that have no gold.")
    gold_without_prediction: Exclusion = Field(description="Gold articles with no prediction line.")


class BootstrapSettings(_Model):
    resamples: int = Field(ge=1, description="Bootstrap resamples.")
    seed: int = Field(description="Seed of the resampling.")
    unit: Literal["article"] = Field(description="What is resampled.")


class FloorSettings(_Model):
    draws: int = Field(ge=1, description="Draws pooled for the random-label floor.")
    seed: int = Field(description="Seed of the draws and of the article sample.")
    articles: int = Field(ge=0, description="Gold articles the floors were scored on (a sample of large sets).")


class Settings(_Model):
    min_similarity: float = Field(ge=0, le=1, description="Lenient: the least similarity of a pair.")
    field_weights: dict[str, dict[str, float]] = Field(description="Lenient: field weights per record type.")
    key_fields: dict[str, list[str]] = Field(description="Strict: the fields a match must get exactly right.")
    evidence_is_key: list[str] = Field(description="Strict: record types whose evidence must overlap the gold's.")
    bootstrap: BootstrapSettings = Field(description="How the intervals were drawn.")
    floors: FloorSettings = Field(description="How the chance floors were drawn.")


class ScoreReport(_Model):
    """One evaluation of a predictions file against gold; strict at the top level, lenient under `lenient`."""

    report_version: Literal[2] = Field(description="The layout and meaning of this report.")
    predictions: str | None = Field(description="The predictions file scored; null when scored in memory.")
    predictions_sha256: str | None = Field(pattern=_SHA256, description="sha256 of the predictions JSONL.")
    gold_sha256: str | None = Field(pattern=_SHA256, description="sha256 of the gold it was scored against.")
    articles_scored: int = Field(ge=0, description="Gold articles scored.")
    matching: Literal["strict"] = Field(description="The matching of the top-level figures.")
    overall: OverallScores = Field(description="Strict figures over all record types.")
    by_type: dict[str, TypeScores] = Field(description="Strict figures per record type.")
    floors: dict[str, FloorScores] = Field(description="Chance floors under strict matching.")
    evidence: EvidenceScores = Field(description="Evidence quality on strict pairs.")
    omissions: int = Field(ge=0, description="Gold records left unmatched (strict).")
    hallucinations: int = Field(ge=0, description="Predicted records left unmatched (strict).")
    lenient: MatchingScores = Field(description="Every figure again under lenient matching, the diagnostic view.")
    confusion: dict[str, dict[str, Confusion]] = Field(description="Per record type and enum field.")
    grounding_rate: float | None = Field(ge=0, le=1, description="Share of predicted quotes found in the text.")
    quotes: QuoteCounts = Field(description="Predicted and grounded quotes.")
    dropped_ungrounded: int = Field(ge=0, description="Records the extractor dropped for ungrounded quotes.")
    failures: dict[str, str | None] = Field(description="Articles whose extraction failed, with the error.")
    excluded: Excluded = Field(description="Articles left out of, or scored empty in, the figures.")
    per_article: dict[str, ArticleScores] = Field(description="Every scored article.")
    settings: Settings = Field(description="How the report was computed.")
    notes: list[str] = Field(description="What a reader must know to read the figures.")

    def _rates_at(self, path: str) -> Rates | None:
        found = _METRIC.match(path)
        if found is None:
            return None
        slice_name, record_type, _ = found.groups()
        if slice_name == "micro":
            return self.overall.micro
        if slice_name == "macro":
            return self.overall.macro
        return self.by_type.get(record_type)

    def has_metric(self, path: str) -> bool:
        """Whether a threshold path (overall.micro.f1, by_type.parties.recall, grounding_rate) names a figure here."""
        return path == "grounding_rate" or self._rates_at(path) is not None

    def metric(self, path: str) -> float | None:
        """The strict figure at a threshold path; None when absent or undefined."""
        if path == "grounding_rate":
            return self.grounding_rate
        rates = self._rates_at(path)
        return None if rates is None else rates.rate(path.rsplit(".", 1)[1])


def parse_score_report(raw: Any) -> ScoreReport:
    """Validate a decoded eval.json; another version raises ReportVersionError, other problems ValidationError."""
    version = raw.get("report_version", 1) if isinstance(raw, dict) else None
    if version is not None and version != REPORT_VERSION:
        raise ReportVersionError(
            f"eval report version {version} cannot be read by this version ({REPORT_VERSION}): "
            + ("its figures use lenient matching only" if version == 1 else "it was written by another release")
        )
    return ScoreReport.model_validate(raw)
