"""`allegations build`: extract the corpus, score it against the gold, build the dataset folder, summarise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allegations.core.figures import fmt
from allegations.core.files import write_atomic
from allegations.core.paths import BuildDir
from allegations.eval.harness import evaluate_run, load_gold_set
from allegations.eval.html import write_html
from allegations.eval.render import write_json
from allegations.eval.report import EvalReport
from allegations.extract.run import RunSummary, extract_corpus
from allegations.extract.settings import BackendSettings
from allegations.publish.config import DatasetConfig
from allegations.publish.dataset import build_dataset_folder
from allegations.publish.gate import GateResult, check_gate
from allegations.schemas import RECORD_TYPES


@dataclass(frozen=True)
class BuildResult:
    """What one build made, and whether it may be published as it is."""

    layout: BuildDir
    extraction: RunSummary
    report: EvalReport
    gate: GateResult
    predicted_records: dict[str, int]

    def summary(self) -> list[str]:
        """The lines `allegations build` prints at the end."""
        report = self.report.to_dict()
        micro = report["overall"]["micro"]
        scores = ", ".join(f"{name} {fmt(micro.get(name))}" for name in ("precision", "recall", "f1"))
        records = ", ".join(f"{n} {kind}" for kind, n in self.predicted_records.items())
        root = self.layout.root
        flag = "" if self.gate.passed else " --allow-below-threshold"
        return [
            f"extraction: {self.extraction.describe()}; strategy {self.extraction.strategy}",
            f"records predicted: {records}",
            f"eval, micro over all records: {scores}; grounding rate {fmt(report['grounding_rate'])}",
            f"files: {self.layout.predictions}, {self.layout.eval_report}, {root / 'eval.md'}, "
            f"{root / 'eval.html'}, {self.layout.dataset}/",
            f"gate: {'passes' if self.gate.passed else 'below the thresholds'}: {self.gate.describe()}",
            f"publish with: allegations publish --build-dir {root} --repo-id OWNER/NAME{flag}  (or --to DIR)",
        ]


def build_dataset(
    corpus: Path,
    gold: Path,
    build_dir: Path,
    *,
    config: DatasetConfig,
    settings: BackendSettings | None = None,
    concurrency: int = 1,
    built_on: str | None = None,
    strategy: str | None = None,
) -> BuildResult:
    """Run every stage into `build_dir`; a second run replays the extraction from the cache in seconds."""
    layout = BuildDir(Path(build_dir))
    gold_set = load_gold_set(gold, corpus)
    articles = sorted(gold_set.articles.values(), key=lambda article: article.id)
    extraction = extract_corpus(
        articles,
        layout.predictions,
        settings=settings,
        cache_path=layout.root / "cache.sqlite",
        concurrency=concurrency,
        strategy=strategy or (settings or BackendSettings.from_env()).default_strategy,
    )
    run = evaluate_run(layout.predictions, gold_set)
    write_json(run.report, layout.eval_report)
    write_atomic(layout.root / "eval.md", run.report.to_markdown())
    write_html(run.report, gold_set.gold, run.predicted, gold_set.articles, layout.root / "eval.html")
    build_dataset_folder(
        articles,
        gold_set.gold,
        layout.predictions,
        layout.eval_report,
        layout.dataset,
        config=config,
        built_on=built_on,
    )
    gate = check_gate(layout.predictions, layout.eval_report, config, gold_dir=gold)
    counts = {kind: sum(len(getattr(x, kind)) for x in run.predicted.values()) for kind in RECORD_TYPES}
    return BuildResult(layout, extraction, run.report, gate, counts)
