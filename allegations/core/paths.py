"""Where things live by default: the corpus, its gold and config, and the build folder's files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_CORPUS = Path("datasets/bes_huawei")
DEFAULT_GOLD = DEFAULT_CORPUS / "gold"
DEFAULT_DATASET_CONFIG = DEFAULT_CORPUS / "dataset.yaml"
DEFAULT_BUILD_DIR = Path("build")
DEFAULT_CACHE = DEFAULT_BUILD_DIR / "cache.sqlite"


@dataclass(frozen=True)
class BuildDir:
    """The folder `allegations build` fills and `allegations publish` reads.

    predictions.jsonl  the extractor's output, one ArticleExtraction or ExtractionFailure per line
    eval.json          the eval report of exactly those predictions (matched by sha256)
    eval.md            the report's Markdown table, quoted in the dataset card
    dataset/           the dataset folder: data/<config>/*.parquet and README.md
    """

    root: Path = DEFAULT_BUILD_DIR

    @property
    def predictions(self) -> Path:
        return self.root / "predictions.jsonl"

    @property
    def eval_report(self) -> Path:
        return self.root / "eval.json"

    @property
    def dataset(self) -> Path:
        return self.root / "dataset"
