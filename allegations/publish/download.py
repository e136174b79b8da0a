"""Load a published dataset (Hub repo or local folder) with `datasets` and validate every row into the schemas."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets import Dataset, load_dataset
from pydantic import ValidationError

from allegations.publish.dataset import quiet_progress_bars
from allegations.publish.errors import DownloadError
from allegations.publish.features import CONFIGS, FEATURES, PROVENANCE_FIELDS, RECORD_FIELDS, SPLIT
from allegations.publish.repo_id import is_repo_id
from allegations.schemas import RECORD_TYPES, Article, ArticleExtraction, ExtractionFailure, describe_errors, ground
from allegations.schemas.text import clip


@dataclass
class PublishedDataset:
    """Every row of a published dataset, back as the typed records."""

    source: str
    articles: list[Article] = field(default_factory=list)
    gold: dict[str, ArticleExtraction] = field(default_factory=dict)
    extractions: dict[str, ArticleExtraction] = field(default_factory=dict)
    failures: dict[str, ExtractionFailure] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: what was loaded and that it validated."""
        return (
            f"ok: {len(self.articles)} articles, {len(self.gold)} gold, {len(self.extractions)} extractions, "
            f"{len(self.failures)} failures; every row validated from {self.source}"
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _load_split(source: str, config: str, *, local: bool, revision: str | None, cache_dir: str | None) -> Dataset:
    where = f"config {config}, split {SPLIT}"
    try:
        loaded = load_dataset(source, config, split=SPLIT, revision=revision, cache_dir=cache_dir)
    except Exception as exc:  # the datasets/pyarrow/hub boundary raises many types; each becomes one line
        hint = (
            "the parquet files may be damaged or not from this dataset; rebuild or copy the folder again"
            if local
            else "check the repo id, your network, and HF_TOKEN for a private repo"
        )
        raise DownloadError(f"{where}: cannot load: {_first_line(exc)}", hint=hint, path=source) from exc
    if not isinstance(loaded, Dataset):
        raise DownloadError(f"{where}: expected one split, got {type(loaded).__name__}", path=source)
    expected = FEATURES[config]
    if loaded.features != expected:
        got, want = list(loaded.features), list(expected)
        detail = f"columns {got}, expected {want}" if got != want else "column types differ from the schema"
        raise DownloadError(f"{where}: {detail}", hint="was it built by this version of allegations?", path=source)
    return loaded


def _row_error(config: str, index: int, row: dict[str, Any], problems: Sequence[str]) -> DownloadError:
    article = row.get("article_id") or row.get("id")
    return DownloadError(
        f"config {config}, split {SPLIT}, row {index}" + (f" (article {article})" if article else "") + ": "
        f"{'; '.join(problems)}"
    )


def _provenance(row: dict[str, Any]) -> dict[str, Any] | None:
    values = {name: row[name] for name in PROVENANCE_FIELDS}
    return None if all(v is None for v in values.values()) else values


def grounded_extraction(data: dict[str, Any], article: Article) -> ArticleExtraction:
    """Validate stored records as they are, then check every quote sits exactly at its offsets in the article.

    Unlike validating with the article as context, this keeps the stored offsets and alignment (a quote stored
    as the article's own slice would otherwise be re-labelled exact) and catches offsets that were edited.
    """
    extraction = ArticleExtraction.model_validate(data)
    for record_type in RECORD_TYPES:
        for i, record in enumerate(getattr(extraction, record_type)):
            for j, evidence in enumerate(record.evidence):
                start, end = evidence.start, evidence.end
                if ground(article.text, evidence.quote, start, end) != (start, end):
                    raise ValueError(
                        f"{record_type}[{i}].evidence[{j}]: quote {clip(evidence.quote, 60)!r} is not at "
                        f"[{start}, {end}) in the article text"
                    )
    return extraction


def _extraction(row: dict[str, Any], article: Article) -> ArticleExtraction | ExtractionFailure:
    provenance = _provenance(row)
    if row["error"] is not None:
        filled = [name for name in RECORD_FIELDS if row[name]]
        if filled:
            raise ValueError(f"a failed extraction holds no records, but {', '.join(filled)} are not empty")
        return ExtractionFailure.model_validate(
            {"article_id": row["article_id"], "error": row["error"], "provenance": provenance}
        )
    data = {name: row[name] for name in ("article_id", *RECORD_FIELDS)}
    return grounded_extraction({**data, "provenance": provenance}, article)


def validate_rows(config: str, rows: Sequence[dict[str, Any]], published: PublishedDataset) -> None:
    """Validate one config's rows into `published`; the first bad row fails with config, split and index."""
    articles = {a.id: a for a in published.articles}
    for index, row in enumerate(rows):
        try:
            if config == "articles":
                published.articles.append(Article.model_validate(row))
                continue
            article = articles.get(row["article_id"])
            if article is None:
                raise ValueError(f"article_id {row['article_id']!r} is not in the articles config")
            if config == "gold":
                published.gold[row["article_id"]] = grounded_extraction(row, article)
                continue
            record = _extraction(row, article)
            if isinstance(record, ExtractionFailure):
                published.failures[record.article_id] = record
            else:
                published.extractions[record.article_id] = record
        except ValidationError as exc:
            raise _row_error(config, index, row, describe_errors(exc)) from None
        except ValueError as exc:
            raise _row_error(config, index, row, [str(exc)]) from None


def load_published(
    source: str | Path, *, configs: Sequence[str] | None = None, revision: str | None = None
) -> PublishedDataset:
    """Load a Hub repo id or a local dataset folder and validate every row back into the schemas.

    The `articles` config is always loaded: the records' quotes are checked against its texts.
    """
    wanted = list(configs) if configs else list(CONFIGS)
    unknown = [c for c in wanted if c not in CONFIGS]
    if unknown:
        raise DownloadError(f"unknown config {unknown[0]!r}", hint=f"choose from {', '.join(CONFIGS)}")
    local = Path(source).is_dir()
    if not local and not is_repo_id(str(source)):
        raise DownloadError(
            f"{source!r} is neither a dataset folder nor a Hub repo id",
            hint="give a folder holding README.md and data/, or OWNER/NAME",
        )
    published = PublishedDataset(source=str(source))
    order = [c for c in CONFIGS if c == "articles" or c in wanted]
    with tempfile.TemporaryDirectory(prefix="allegations-download-") as scratch, quiet_progress_bars():
        # A local folder gets a fresh cache, so an edited parquet is never answered from an older cached copy.
        cache_dir = scratch if local else None
        for config in order:
            split = _load_split(str(source), config, local=local, revision=revision, cache_dir=cache_dir)
            validate_rows(config, split.to_list(), published)
    if "articles" not in wanted:
        published.articles = []
    return published
