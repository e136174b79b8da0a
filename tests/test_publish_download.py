"""Download: `load_dataset` on a published folder, every row validated back into the schemas, damage named."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dataset_fixtures import (
    A0,
    A1,
    A2,
    build_test_dataset,
    go_offline,
    load_test_gold,
)

from allegations.core.records import load_predictions
from allegations.publish.dataset import parquet_path
from allegations.publish.download import load_published
from allegations.publish.errors import DownloadError


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, articles, articles_map) -> Path:
    return build_test_dataset(tmp_path_factory.mktemp("published"), articles, articles_map)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    go_offline(monkeypatch)


@pytest.fixture
def copy(published: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(published, tmp_path / "copy"))


def test_every_row_comes_back_as_the_typed_records(published, articles, articles_map) -> None:
    loaded = load_published(published)
    assert loaded.articles == articles
    build = published.parent / "build"
    assert loaded.gold == load_test_gold(build / "gold", articles_map)
    predictions = load_predictions(build / "predictions.jsonl", articles_map)
    assert loaded.extractions == predictions.extractions and list(loaded.extractions) == [A0, A2]
    assert loaded.failures == predictions.failures and list(loaded.failures) == [A1]
    assert (
        loaded.summary() == f"ok: 5 articles, 2 gold, 2 extractions, 1 failures; every row validated from {published}"
    )


def test_one_config_loads_with_the_articles_it_is_checked_against(published) -> None:
    loaded = load_published(published, configs=["gold"])
    assert loaded.articles == [] and len(loaded.gold) == 2 and loaded.extractions == {}


def _rewrite(folder: Path, config: str, change: Callable[[list[dict]], None]) -> None:
    path = folder / parquet_path(config)
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def _garbage(folder: Path) -> None:
    (folder / parquet_path("gold")).write_bytes(b"this is not parquet at all")


def _truncated(folder: Path) -> None:
    path = folder / parquet_path("extractions")
    path.write_bytes(path.read_bytes()[:-100])


def _bad_enum(folder: Path) -> None:
    _rewrite(folder, "gold", lambda rows: rows[1]["parties"][0].update(kind="corporation"))


def _moved_quote(folder: Path) -> None:
    def edit(rows: list[dict]) -> None:
        evidence = rows[0]["allegations"][0]["evidence"][0]
        evidence["quote"] = evidence["quote"].upper()  # same length, so only the text check can catch it

    _rewrite(folder, "extractions", edit)


def _shifted_offsets(folder: Path) -> None:
    def shift(rows: list[dict]) -> None:
        evidence = rows[0]["contract_terms"][0]["evidence"][0]
        evidence.update(start=evidence["start"] + 1, end=evidence["end"] + 1)

    _rewrite(folder, "gold", shift)


def _failure_with_records(folder: Path) -> None:
    _rewrite(folder, "extractions", lambda rows: rows[1].update(parties=rows[0]["parties"]))


def _unknown_article(folder: Path) -> None:
    _rewrite(folder, "gold", lambda rows: rows[0].update(article_id="999_gone"))


def _dropped_column(folder: Path) -> None:
    path = folder / parquet_path("articles")
    pq.write_table(pq.read_table(path).drop_columns(["author"]).replace_schema_metadata(None), path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_garbage, "config gold, split train: cannot load: "),
        (_truncated, "config extractions, split train: cannot load: "),
        (
            _bad_enum,
            "config gold, split train, row 1 (article 004_aae4ea1fc6e51db2): parties[0].kind: Input should be 'company'",
        ),
        (
            _moved_quote,
            "config extractions, split train, row 0 (article 000_4aff3854fce7c81f): "
            "allegations[0].evidence[0]: quote 'ALLEGEDLY STEALING ITS TRADE SECRETS' is not at [",
        ),
        (
            _shifted_offsets,
            "config gold, split train, row 0 (article 000_4aff3854fce7c81f): contract_terms[0].evidence[0]: "
            "quote 'subcontracted with BES in 2016 for a $150 million bid' is not at [",
        ),
        (_failure_with_records, "config extractions, split train, row 1 (article 001_5ab154d679b99905): a failed"),
        (_unknown_article, "config gold, split train, row 0 (article 999_gone): article_id '999_gone' is not in"),
        (_dropped_column, "config articles, split train: columns ['id', 'title', 'text', 'outlet', 'published']"),
    ],
)
def test_a_damaged_dataset_is_one_clear_error(copy: Path, damage, message: str) -> None:
    damage(copy)
    with pytest.raises(DownloadError) as err:
        load_published(copy)
    assert message in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("source", "configs", "message"),
    [
        ("no/such/thing", None, "'no/such/thing' is neither a dataset folder nor a Hub repo id"),
        ("owner/name", ["golden"], "unknown config 'golden' (choose from articles, gold, extractions)"),
    ],
)
def test_bad_requests_are_refused_before_loading(source: str, configs, message: str) -> None:
    with pytest.raises(DownloadError) as err:
        load_published(source, configs=configs)
    assert message in str(err.value)


def test_a_repo_id_offline_is_one_line_naming_the_repo() -> None:
    with pytest.raises(DownloadError) as err:
        load_published("someone/not-cached-here")
    assert str(err.value).startswith("someone/not-cached-here: config articles, split train: cannot load: ")
    assert "\n" not in str(err.value)
