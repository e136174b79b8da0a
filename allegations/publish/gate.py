"""The quality gate: an eval report of exactly these predictions, with scores at or above dataset.yaml's thresholds.

The report is the typed `ScoreReport` the evaluation writes; thresholds read its strict (headline) figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from allegations.core.paths import BuildDir
from allegations.core.records import hash_gold_files
from allegations.publish.config import DatasetConfig
from allegations.publish.errors import GateError
from allegations.schemas import describe_errors
from allegations.schemas.report import ReportVersionError, ScoreReport, parse_score_report

ALLOW_FLAG = "--allow-below-threshold"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_eval_report(path: Path) -> ScoreReport:
    """Read an eval report JSON; a missing, malformed or outdated report fails with the path and how to remake it."""
    path = Path(path)
    make_one = "run the evaluation on these predictions (allegations build does both)"
    regenerate = f"regenerate it: allegations eval PREDICTIONS --json {path}, or allegations build"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError("no eval report here", hint=make_one, path=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GateError(f"eval report is not valid JSON: {exc}", hint=make_one, path=path) from None
    try:
        return parse_score_report(raw)
    except ReportVersionError as exc:
        raise GateError(str(exc), hint=regenerate, path=path) from None
    except ValidationError as exc:
        problems = describe_errors(exc)
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        message = "eval report: " + "; ".join(problems[:3]) + more
        raise GateError(message, hint=regenerate, path=path) from None


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
    if report.predictions_sha256 is None:
        raise GateError(
            "eval report scored predictions held in memory, not a file",
            hint=f"run allegations eval {predictions} --json {eval_report_path}",
            path=eval_report_path,
        )
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
                f"eval report is stale: it scored gold with sha256 {(report.gold_sha256 or 'none')[:12]}…, "
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
