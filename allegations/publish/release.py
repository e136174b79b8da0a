"""Release a build: check the gate, rebuild the dataset folder from the gated inputs, upload it or write it out."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from allegations.core.corpus import articles_by_id, load_corpus
from allegations.core.paths import DEFAULT_CORPUS, DEFAULT_GOLD, BuildDir
from allegations.core.records import load_gold
from allegations.publish.config import DatasetConfig
from allegations.publish.dataset import build_dataset_folder
from allegations.publish.errors import PublishError
from allegations.publish.gate import GateResult, check_gate, require_gate
from allegations.publish.hub import check_repo_id, resolve_token, upload_dataset_folder


@dataclass(frozen=True)
class Release:
    """Where the dataset went and the gate it passed (or was allowed past)."""

    destination: str
    gate: GateResult
    commit_url: str | None = None

    def summary(self) -> str:
        status = "passed" if self.gate.passed else "BELOW THRESHOLD (allowed; the card says so at the top)"
        where = self.commit_url or self.destination
        return f"published to {where}; gate {status}: {self.gate.describe()}"


def release_build(
    build_dir: Path,
    *,
    config: DatasetConfig,
    repo_id: str | None = None,
    to_dir: Path | None = None,
    revision: str | None = None,
    private: bool = False,
    allow_below_threshold: bool = False,
    corpus: Path = DEFAULT_CORPUS,
    gold: Path = DEFAULT_GOLD,
    built_on: str | None = None,
    token: str | None = None,
    endpoint: str | None = None,
) -> Release:
    """Publish the build in `build_dir` to a Hub repo or a local folder, gated on its eval report.

    The folder is rebuilt from the build's predictions and report, so what is published is exactly what
    the gate checked.
    """
    if (repo_id is None) == (to_dir is None):
        raise PublishError("give exactly one destination", hint="--repo-id OWNER/NAME or --to DIR")
    if repo_id is not None:
        check_repo_id(repo_id)
        token = resolve_token(token)
    layout = BuildDir(Path(build_dir))
    gate = check_gate(layout.predictions, layout.eval_report, config, gold_dir=gold)
    require_gate(gate, allow_below_threshold=allow_below_threshold)
    articles = load_corpus(corpus)
    loaded_gold = load_gold(gold, articles_by_id(articles))
    loaded_gold.raise_for_problems()
    if to_dir is not None:
        folder = build_dataset_folder(
            articles,
            loaded_gold.extractions,
            layout.predictions,
            layout.eval_report,
            to_dir,
            config=config,
            built_on=built_on,
        )
        return Release(str(folder), gate)
    assert repo_id is not None
    with tempfile.TemporaryDirectory(prefix="allegations-publish-") as scratch:
        folder = build_dataset_folder(
            articles,
            loaded_gold.extractions,
            layout.predictions,
            layout.eval_report,
            Path(scratch) / "dataset",
            config=config,
            built_on=built_on,
            repo_id=repo_id,
        )
        url = upload_dataset_folder(
            folder,
            repo_id,
            revision=revision,
            private=private,
            token=token,
            endpoint=endpoint,
            commit_message=f"Publish the dataset (predictions sha256 {gate.predictions_sha256[:12]})",
        )
    return Release(repo_id, gate, url)
