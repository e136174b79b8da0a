"""The quality gate: an eval report of exactly these predictions, with scores at or above dataset.yaml's thresholds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from allegations.core.paths import BuildDir
from allegations.eval.harness import hash_gold_files
from allegations.publish.config import DatasetConfig
from allegations.publish.errors import GateError
from allegations.schemas import describe_errors

_SHA256 = r"^[0-9a-f]{64}$"
ALLOW_FLAG = "--allow-below-threshold"


class Scores(BaseModel):
    """Precision, recall and F1 of one slice of the report."""

    # The report is another stage's output with more keys than the gate reads; unknown keys are ignored.
    model_config = ConfigDict(extra="ignore")

    # None where the figure is undefined, e.g. precision with no predictions; the gate never passes on None.
    precision: float | None = Field(ge=0, le=1, description="Matched predictions over predictions.")
    recall: float | None = Field(ge=0, le=1, description="Matched gold records over gold records.")
    f1: float | None = Field(ge=0, le=1, description="Harmonic mean of precision and recall.")


class OverallScores(BaseModel):
    model_config = ConfigDict(extra="ignore")

    micro: Scores = Field(description="Scores pooled over every record.")
    macro: Scores = Field(description="Scores averaged over record types.")


class EvalReportSummary(BaseModel):
    """The keys of an eval report that the gate and the dataset card read."""

    model_config = ConfigDict(extra="ignore")

    predictions_sha256: str = Field(pattern=_SHA256, description="sha256 of the predictions JSONL that was scored.")
    gold_sha256: str = Field(pattern=_SHA256, description="sha256 of the gold it was scored against.")
    overall: OverallScores = Field(description="Scores over all record types.")
    by_type: dict[str, Scores] = Field(description="Scores per record type.")
    grounding_rate: float | None = Field(default=None, ge=0, le=1, description="Share of evidence that is grounded.")

    def has_metric(self, path: str) -> bool:
        """Whether the report has a figure at this threshold path (it may still be null: undefined)."""
        node: Any = self.model_dump()
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return node is None or isinstance(node, int | float)

    def metric(self, path: str) -> float | None:
        """The score at a threshold path such as overall.micro.f1; None when absent or undefined."""
        node: Any = self.model_dump()
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return float(node) if isinstance(node, int | float) else None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_eval_report(path: Path) -> EvalReportSummary:
    """Read an eval report JSON; missing or malformed reports fail with the path and how to make one."""
    path = Path(path)
    make_one = "run the evaluation on these predictions (allegations build does both)"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError("no eval report here", hint=make_one, path=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GateError(f"eval report is not valid JSON: {exc}", hint=make_one, path=path) from None
    try:
        return EvalReportSummary.model_validate(raw)
    except ValidationError as exc:
        raise GateError("eval report: " + "; ".join(describe_errors(exc)), hint=make_one, path=path) from None


def eval_markdown(report_path: Path) -> str | None:
    """The harness's Markdown table stored beside the report (eval.json -> eval.md), if there is one."""
    table = Path(report_path).with_suffix(".md")
    return table.read_text(encoding="utf-8") if table.is_file() else None


@dataclass(frozen=True)
class GateResult:
    """Whether the predictions may be published, with every score compared and why not."""

    passed: bool
    scores: dict[str, float | None]
    thresholds: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    predictions_sha256: str = ""

    def describe(self) -> str:
        """Scores against thresholds on one line: `overall.micro.f1 0.123 < 0.500; grounding_rate 0.950 >= 0.900`."""
        parts = []
        for metric, minimum in self.thresholds.items():
            value = self.scores.get(metric)
            if value is None:
                parts.append(f"{metric} n/a (needs >= {minimum:.3f})")
            else:
                parts.append(f"{metric} {value:.3f} {'>=' if value >= minimum else '<'} {minimum:.3f}")
        return "; ".join(parts)


def _predictions_path(predictions_or_build_dir: Path) -> Path:
    path = Path(predictions_or_build_dir)
    return BuildDir(path).predictions if path.is_dir() else path


def check_gate(
    predictions_or_build_dir: Path, eval_report_path: Path, config: DatasetConfig, *, gold_dir: Path | None = None
) -> GateResult:
    """Compare the report's scores with the thresholds; a missing or stale report raises GateError.

    With `gold_dir`, the report must also have scored exactly those gold files.
    """
    predictions = _predictions_path(predictions_or_build_dir)
    if not predictions.is_file():
        raise GateError("no predictions here", hint="run allegations build first", path=predictions)
    report = load_eval_report(eval_report_path)
    actual = sha256_file(predictions)
    if report.predictions_sha256 != actual:
        raise GateError(
            f"eval report is stale: it scored predictions with sha256 {report.predictions_sha256[:12]}…, "
            f"but {predictions} has sha256 {actual[:12]}…",
            hint="re-run the evaluation on these predictions",
            path=eval_report_path,
        )
    if gold_dir is not None:
        gold_hash = hash_gold_files(Path(gold_dir))
        if report.gold_sha256 != gold_hash:
            raise GateError(
                f"eval report is stale: it scored gold with sha256 {report.gold_sha256[:12]}…, "
                f"but {gold_dir} has sha256 {gold_hash[:12]}…",
                hint="re-run the evaluation against this gold",
                path=eval_report_path,
            )
    scores = {metric: report.metric(metric) for metric in config.thresholds}
    reasons = []
    for metric, minimum in config.thresholds.items():
        value = scores[metric]
        if value is None and not report.has_metric(metric):
            reasons.append(f"{metric} is not in the eval report")
        elif value is None:
            reasons.append(f"{metric} is undefined (null) in the eval report")
        elif value < minimum:
            reasons.append(f"{metric} {value:.3f} is below {minimum:.3f}")
    return GateResult(not reasons, scores, dict(config.thresholds), reasons, actual)


def require_gate(result: GateResult, *, allow_below_threshold: bool = False) -> None:
    """Refuse to publish below the thresholds unless explicitly allowed."""
    if not result.passed and not allow_below_threshold:
        raise GateError(
            f"scores below the thresholds in dataset.yaml: {result.describe()}",
            hint=f"improve the extractions, or pass {ALLOW_FLAG} to publish with a warning at the top of the card",
        )
