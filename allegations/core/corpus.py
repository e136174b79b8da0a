"""Load a corpus folder: `metadata.jsonl` plus `articles/<id>.txt`, checked byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from allegations.core.errors import CorpusError
from allegations.core.files import read_jsonl
from allegations.core.paths import DEFAULT_CORPUS
from allegations.schemas import Article, describe_errors
from allegations.schemas.records import PartialDate

METADATA_FILE = "metadata.jsonl"
ARTICLES_DIR = "articles"


class CorpusEntry(BaseModel):
    """One line of `metadata.jsonl`: an article's metadata and the sha256 of its text file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The article id; its text is `articles/<id>.txt`.")
    title: str = Field(min_length=1, description="The article's headline.")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="sha256 of the text file.")
    outlet: str | None = Field(default=None, description="The publishing outlet, where the text states it.")
    author: str | None = Field(default=None, description="The author, where the text states it.")
    published: PartialDate | None = Field(default=None, description="Publication date, where the text states it.")


def load_corpus(folder: Path = DEFAULT_CORPUS) -> list[Article]:
    """Every article of a corpus folder, in id order; any bad file fails with its path."""
    folder = Path(folder)
    metadata = folder / METADATA_FILE
    if not metadata.is_file():
        raise CorpusError(
            f"no {METADATA_FILE} here",
            hint=f"point --corpus at a folder holding {METADATA_FILE} and {ARTICLES_DIR}/",
            path=folder,
        )
    entries: dict[str, CorpusEntry] = {}
    for line, raw in read_jsonl(metadata):
        try:
            entry = CorpusEntry.model_validate(raw)
        except ValidationError as exc:
            raise CorpusError("; ".join(describe_errors(exc)), path=metadata, line=line) from None
        if entry.id in entries:
            raise CorpusError(f"duplicate article id {entry.id!r}", path=metadata, line=line)
        entries[entry.id] = entry
    unlisted = sorted(p.name for p in (folder / ARTICLES_DIR).glob("*.txt") if p.stem not in entries)
    if unlisted:
        raise CorpusError(
            f"missing from the metadata: {', '.join(unlisted)}",
            hint=f"add a line for each to {metadata}",
            path=folder / ARTICLES_DIR / unlisted[0],
        )
    return [_load_article(folder, entry) for entry in sorted(entries.values(), key=lambda e: e.id)]


def _load_article(folder: Path, entry: CorpusEntry) -> Article:
    path = folder / ARTICLES_DIR / f"{entry.id}.txt"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(
            "article file not found", hint=f"add it or remove {entry.id!r} from the metadata", path=path
        ) from None
    if entry.sha256 is not None and hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise CorpusError("sha256 does not match the metadata", hint="restore the original file", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not UTF-8 (byte {exc.start})", hint="convert the file to UTF-8", path=path) from None
    nul = text.find("\x00")
    if nul != -1:
        raise CorpusError(
            f"looks binary: NUL character at offset {nul}",
            hint="an article must be plain UTF-8 text; convert it or remove it from the metadata",
            path=path,
        )
    if not text.strip():
        raise CorpusError("article is empty", hint="add its text or remove it from the metadata", path=path)
    try:
        return Article(text=text, **entry.model_dump(exclude={"sha256"}))
    except ValidationError as exc:
        raise CorpusError("; ".join(describe_errors(exc)), path=path) from None


def articles_by_id(articles: list[Article]) -> dict[str, Article]:
    """Index articles by id."""
    return {a.id: a for a in articles}
