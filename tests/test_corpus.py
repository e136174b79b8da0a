"""The seed corpus: byte for byte, hashed, and loaded into Article objects; bad folders fail with their path."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus
from allegations.core.errors import CorpusError

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_corpus_loads_five_articles(articles) -> None:
    assert [a.id for a in articles] == [
        "000_4aff3854fce7c81f",
        "001_5ab154d679b99905",
        "002_af99730eb2206861",
        "003_813323a210c53a5c",
        "004_aae4ea1fc6e51db2",
    ]
    assert all(a.title and a.text.strip() for a in articles)


def test_each_article_matches_its_recorded_sha256(corpus_dir: Path) -> None:
    for line in (corpus_dir / "metadata.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        raw = (corpus_dir / "articles" / f"{entry['id']}.txt").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], entry["id"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_articles_are_the_seeds_byte_for_byte(corpus_dir: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [p.name for p in seeds] == sorted(p.name for p in (corpus_dir / "articles").glob("*.txt"))
    for seed in seeds:
        assert (corpus_dir / "articles" / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_metadata_states_only_what_the_text_states(articles) -> None:
    for article in articles:
        for value in (article.author, article.outlet):
            if value is not None:
                assert value in article.text, (article.id, value)


@pytest.fixture
def corpus_copy(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target, ignore=shutil.ignore_patterns("gold", "*.md", "*.yaml"))
    return target


def _first_article(folder: Path) -> Path:
    return sorted((folder / "articles").glob("*.txt"))[0]


def _tamper(folder: Path) -> None:
    _first_article(folder).write_bytes(_first_article(folder).read_bytes() + b" ")


def _not_utf8(folder: Path) -> None:
    lines = (folder / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    entry["sha256"] = None
    lines[0] = json.dumps(entry)
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _first_article(folder).write_bytes(b"caf\xe9 au lait")


def _empty(folder: Path) -> None:
    _not_utf8(folder)
    _first_article(folder).write_bytes(b"  \n")


def _unlisted(folder: Path) -> None:
    (folder / "articles" / "999_extra.txt").write_text("An extra article.", encoding="utf-8")


def _missing_file(folder: Path) -> None:
    _first_article(folder).unlink()


def _bad_metadata_line(folder: Path) -> None:
    with (folder / "metadata.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "x", "title": "t", "colour": "red"}\n')


@pytest.mark.parametrize(
    ("damage", "where", "message"),
    [
        (
            _tamper,
            "articles/000_4aff3854fce7c81f.txt: ",
            "sha256 does not match the metadata (restore the original file)",
        ),
        (_not_utf8, "articles/000_4aff3854fce7c81f.txt: ", "not UTF-8 (byte 3) (convert the file to UTF-8)"),
        (_empty, "articles/000_4aff3854fce7c81f.txt: ", "article is empty"),
        (_unlisted, "articles/999_extra.txt: ", "missing from the metadata: 999_extra.txt"),
        (_missing_file, "articles/000_4aff3854fce7c81f.txt: ", "article file not found"),
        (_bad_metadata_line, "metadata.jsonl:6: ", "colour: Extra inputs are not permitted"),
    ],
)
def test_a_bad_corpus_fails_with_the_path_at_fault(corpus_copy: Path, damage, where: str, message: str) -> None:
    damage(corpus_copy)
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert str(err.value).startswith(str(corpus_copy / where.rstrip(": ")) + where[where.rindex(":") :])
    assert message in str(err.value)


def test_a_folder_without_metadata_says_what_to_point_at(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="point --corpus at a folder holding metadata.jsonl"):
        load_corpus(tmp_path)
