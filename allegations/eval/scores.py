"""The typed report (`allegations.schemas.report.ScoreReport`) built from per-article results.

Definitions of the figures are in `eval.metrics`; the strict and lenient rules in `eval.compare`; the floors in
`eval.floors`; confusion and evidence quality in `eval.diagnostics`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from allegations.eval.compare import EVIDENCE_IS_KEY, FIELD_WEIGHTS, KEY_FIELDS, MIN_SIMILARITY
from allegations.eval.diagnostics import ENUM_FIELDS, CharCounts, confusion
from allegations.eval.floors import floor_description
from allegations.eval.match import LENIENT, STRICT, Matching
from allegations.eval.metrics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, Counts, bootstrap_ci, macro_average, prf
from allegations.eval.results import ArticleResult
from allegations.schemas import RECORD_TYPES
from allegations.schemas.report import (
    ArticleScores,
    BootstrapSettings,
    CharacterCounts,
    Confusion,
    EvidenceQuality,
    EvidenceScores,
    FieldScores,
    FloorScores,
    FloorSettings,
    Intervals,
    MacroScores,
    MatchingDetail,
    MatchingScores,
    MicroScores,
    OverallScores,
    PairDetail,
    Rates,
    Settings,
    TypeScores,
)


def matching_scores(
    articles: Sequence[ArticleResult],
    matching: str,
    floors: Mapping[str, Mapping[str, Mapping[str, Counts]]],
    floor_settings: FloorSettings,
) -> MatchingScores:
    """Every figure of one matching: overall, per type with field credit and intervals, floors, evidence quality."""
    count_array = np.zeros((len(articles), 1 + len(RECORD_TYPES), 3))
    for row, article in enumerate(articles):
        for column, record_type in enumerate(RECORD_TYPES, start=1):
            m = article.matchings[matching][record_type]
            count_array[row, column] = (len(m.pairs), m.predicted_count, m.gold_count)
    count_array[:, 0] = count_array[:, 1:].sum(axis=1)
    intervals = [_intervals(interval) for interval in bootstrap_ci(count_array)]
    by_type = {
        record_type: _type_scores(record_type, [a.matchings[matching][record_type] for a in articles], intervals[i])
        for i, record_type in enumerate(RECORD_TYPES, start=1)
    }
    overall = sum((a.counts(matching=matching) for a in articles), Counts())
    macro = macro_average([a.counts(matching=matching).rates() for a in articles])
    return MatchingScores(
        overall=OverallScores(
            micro=MicroScores(
                gold=overall.gold,
                predicted=overall.predicted,
                matched=int(overall.matched),
                **overall.rates(),
                ci95=intervals[0],
            ),
            macro=MacroScores(**macro, articles=len(articles)),
        ),
        by_type=by_type,
        floors={
            name: _floor_scores(name, counts[matching], floor_settings, len(articles))
            for name, counts in floors.items()
        },
        evidence=_evidence_scores(articles, matching),
        omissions=sum(t.omissions for t in by_type.values()),
        hallucinations=sum(t.hallucinations for t in by_type.values()),
    )


def _intervals(interval: Mapping[str, list[float] | None]) -> Intervals:
    def pair(name: str) -> tuple[float, float] | None:
        found = interval[name]
        return None if found is None else (found[0], found[1])

    return Intervals(precision=pair("precision"), recall=pair("recall"), f1=pair("f1"))


def _type_scores(record_type: str, matchings: Sequence[Matching], ci95: Intervals) -> TypeScores:
    counts = sum((Counts(float(len(m.pairs)), m.predicted_count, m.gold_count) for m in matchings), Counts())
    credit = dict.fromkeys(FIELD_WEIGHTS[record_type], 0.0)
    for m in matchings:
        for pair in m.pairs:
            for name, score in pair.fields.items():
                credit[name] += score
    matched = int(counts.matched)
    return TypeScores(
        gold=counts.gold,
        predicted=counts.predicted,
        matched=matched,
        **counts.rates(),
        ci95=ci95,
        omissions=sum(len(m.omitted) for m in matchings),
        hallucinations=sum(len(m.hallucinated) for m in matchings),
        fields={
            name: FieldScores(
                **prf(score, counts.predicted, counts.gold), matched_mean=score / matched if matched else None
            )
            for name, score in credit.items()
        },
    )


def _evidence_quality(counts: CharCounts) -> EvidenceQuality:
    characters = CharacterCounts(shared=counts.shared, gold=counts.gold, predicted=counts.predicted)
    return EvidenceQuality(**counts.rates(), characters=characters)


def _evidence_scores(articles: Sequence[ArticleResult], matching: str) -> EvidenceScores:
    by_type = {t: sum((a.evidence[matching][t] for a in articles), CharCounts()) for t in RECORD_TYPES}
    overall = _evidence_quality(sum(by_type.values(), CharCounts()))
    return EvidenceScores(
        precision=overall.precision,
        recall=overall.recall,
        characters=overall.characters,
        by_type={t: _evidence_quality(c) for t, c in by_type.items()},
    )


def _floor_scores(name: str, counts: Mapping[str, Counts], how: FloorSettings, of: int) -> FloorScores:
    return FloorScores(
        description=floor_description(name, how.draws, how.articles, of),
        overall=Rates(**sum(counts.values(), Counts()).rates()),
        by_type={record_type: Rates(**counts[record_type].rates()) for record_type in RECORD_TYPES},
    )


def confusion_scores(articles: Sequence[ArticleResult]) -> dict[str, dict[str, Confusion]]:
    """Every enum field's confusion over the lenient pairs of all articles."""
    return {
        record_type: {
            name: confusion(((a.matchings[LENIENT][record_type], a.labels[record_type][name]) for a in articles), enum)
            for name, enum in fields.items()
        }
        for record_type, fields in ENUM_FIELDS.items()
    }


# Per-article details are many and computed here from checked counts: built without re-validation, for speed.


def _matching_detail(m: Matching) -> MatchingDetail:
    return MatchingDetail.model_construct(
        gold=m.gold_count,
        predicted=m.predicted_count,
        matched=len(m.pairs),
        pairs=[
            PairDetail.model_construct(gold=p.gold, predicted=p.predicted, similarity=p.similarity, fields=p.fields)
            for p in m.pairs
        ],
        omitted=list(m.omitted),
        hallucinated=list(m.hallucinated),
    )


def article_scores(article: ArticleResult) -> ArticleScores:
    """One article's strict figures and pairs, with its lenient figures beside."""
    return ArticleScores.model_construct(
        None,
        **article.counts().rates(),
        status=article.status,
        error=article.error,
        omissions=article.omissions(),
        hallucinations=article.hallucinations(),
        grounding_rate=article.grounded_quotes / article.quotes if article.quotes else None,
        by_type={name: _matching_detail(m) for name, m in article.matchings[STRICT].items()},
        lenient=Rates.model_construct(None, **article.counts(matching=LENIENT).rates()),
    )


def settings(floors: FloorSettings) -> Settings:
    """The constants a report was computed with."""
    return Settings(
        min_similarity=MIN_SIMILARITY,
        field_weights=FIELD_WEIGHTS,
        key_fields={t: list(names) for t, names in KEY_FIELDS.items()},
        evidence_is_key=sorted(EVIDENCE_IS_KEY),
        bootstrap=BootstrapSettings(resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED, unit="article"),
        floors=floors,
    )
