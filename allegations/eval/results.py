"""How one gold article was scored: its matchings, evidence overlap and labels, kept for the report and the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from allegations.eval.diagnostics import CharCounts, Labels
from allegations.eval.match import STRICT, Matching
from allegations.eval.metrics import Counts
from allegations.schemas import RECORD_TYPES
from allegations.schemas.report import ArticleStatus


@dataclass(frozen=True)
class ArticleResult:
    """How one gold article was scored: its matchings per record type and the grounding of its predicted quotes.

    `matchings` holds, per matching (strict, lenient), one Matching per record type.
    status is "scored" (a prediction was given), "failed" (the extractor reported a failure) or "missing" (no
    prediction line at all); failed and missing articles are scored as empty predictions.
    """

    article_id: str
    status: ArticleStatus
    matchings: dict[str, dict[str, Matching]]
    quotes: int = 0
    grounded_quotes: int = 0
    dropped: int = 0
    error: str | None = None
    evidence: dict[str, dict[str, CharCounts]] = field(default_factory=dict)
    labels: dict[str, dict[str, Labels]] = field(default_factory=dict)

    def counts(self, record_type: str | None = None, matching: str = STRICT) -> Counts:
        """Matched, predicted and gold record counts for one record type, or all types together."""
        types = RECORD_TYPES if record_type is None else (record_type,)
        total = Counts()
        for name in types:
            m = self.matchings[matching][name]
            total = total + Counts(float(len(m.pairs)), m.predicted_count, m.gold_count)
        return total

    def omissions(self, matching: str = STRICT) -> int:
        return sum(len(m.omitted) for m in self.matchings[matching].values())

    def hallucinations(self, matching: str = STRICT) -> int:
        return sum(len(m.hallucinated) for m in self.matchings[matching].values())
