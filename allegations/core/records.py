"""Load gold files and predictions JSONL through the schema validators, collecting every problem."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from allegations.core.errors import AllegationsError
from allegations.core.files import read_text
from allegations.schemas import (
    RECORD_TYPES,
    Article,
    ArticleExtraction,
    ExtractionFailure,
    describe_errors,
    validate_extraction,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a records file, located by path, line and field."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


@dataclass
class LoadedRecords:
    """Extractions and failures by article id, and every problem met while loading."""

    extractions: dict[str, ArticleExtraction] = field(default_factory=dict)
    failures: dict[str, ExtractionFailure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def raise_for_problems(self) -> None:
        """Raise the first problem as a user-facing error, counting the rest."""
        if self.problems:
            first, more = self.problems[0], len(self.problems) - 1
            suffix = f" (and {more} more problem{'s' if more > 1 else ''}; run 'allegations validate' to list them)"
            raise AllegationsError(str(first) + (suffix if more else ""))


def _check_one(
    raw: Any,
    articles: Mapping[str, Article],
    path: Path,
    line: int | None,
    loaded: LoadedRecords,
    *,
    gold: bool = False,
) -> None:
    if not isinstance(raw, dict):
        loaded.problems.append(Problem(path, "expected a JSON object", line))
        return
    article_id = raw.get("article_id")
    if not isinstance(article_id, str):
        loaded.problems.append(Problem(path, "article_id: missing or not a string", line))
        return
    if article_id in loaded.extractions or article_id in loaded.failures:
        loaded.problems.append(Problem(path, f"article_id: duplicate article id {article_id!r}", line))
        return
    article = articles.get(article_id)
    if article is None:
        loaded.problems.append(Problem(path, f"article_id: {article_id!r} is not in the corpus", line))
        return
    if gold and raw.get("provenance") is not None:
        message = "provenance: gold is labeled by hand and carries no provenance; remove the field"
        loaded.problems.append(Problem(path, f"article {article_id}: {message}", line))
        return
    try:
        if "error" in raw and not gold:
            loaded.failures[article_id] = ExtractionFailure.model_validate(raw)
            return
        extraction = validate_extraction(raw, article)
    except ValidationError as exc:
        loaded.problems += [Problem(path, f"article {article_id}: {msg}", line) for msg in describe_errors(exc)]
        return
    stale = _stale_offsets(raw, extraction, len(article.text)) if gold else []
    if stale:
        loaded.problems += [Problem(path, f"article {article_id}: {msg}", line) for msg in stale]
        return
    loaded.extractions[article_id] = extraction


def _stale_offsets(raw: dict[str, Any], extraction: ArticleExtraction, text_length: int) -> list[str]:
    """Stored gold offsets that disagree with where the validators found each quote."""
    problems = []
    for record_type in RECORD_TYPES:
        records = zip(raw.get(record_type) or [], getattr(extraction, record_type), strict=True)
        for i, (raw_record, record) in enumerate(records):
            for j, (raw_evidence, evidence) in enumerate(zip(raw_record["evidence"], record.evidence, strict=True)):
                for name in ("start", "end"):
                    stored, found = raw_evidence.get(name), getattr(evidence, name)
                    if stored is None or stored == found:
                        continue
                    if stored > text_length:
                        wrong = f"{stored} is past the end of the text ({text_length} characters)"
                    else:
                        wrong = f"{stored} does not match the quote, which is at {found}"
                    problems.append(f"{record_type}[{i}].evidence[{j}].{name}: {wrong}; fix or remove start and end")
    return problems


def load_predictions(path: Path, articles: Mapping[str, Article]) -> LoadedRecords:
    """Read a predictions JSONL: one extraction or failure per line."""
    loaded = LoadedRecords()
    path = Path(path)
    try:
        lines = read_text(path).splitlines()
    except AllegationsError as exc:
        return LoadedRecords(problems=[Problem(path, exc.message)])
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            loaded.problems.append(Problem(path, f"not valid JSON: {exc.msg} at column {exc.colno}", number))
            continue
        _check_one(raw, articles, path, number, loaded)
    return loaded


def load_gold(path: Path, articles: Mapping[str, Article]) -> LoadedRecords:
    """Read one gold JSON file or every `*.json` file in a folder."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    loaded = LoadedRecords()
    if path.is_dir() and not files:
        loaded.problems.append(Problem(path, "no *.json gold files in this folder"))
    for file in files:
        try:
            raw = json.loads(read_text(file))
        except json.JSONDecodeError as exc:
            loaded.problems.append(Problem(file, f"not valid JSON: {exc.msg} at column {exc.colno}", exc.lineno))
            continue
        except AllegationsError as exc:
            loaded.problems.append(Problem(file, exc.message))
            continue
        _check_one(raw, articles, file, None, loaded, gold=True)
    return loaded


def load_records(path: Path, articles: Mapping[str, Article]) -> LoadedRecords:
    """Gold file, gold folder or predictions JSONL, chosen by the path."""
    path = Path(path)
    if not path.exists():
        return LoadedRecords(problems=[Problem(path, "no such file or folder")])
    if path.suffix == ".jsonl":
        return load_predictions(path, articles)
    return load_gold(path, articles)


def hash_gold_files(path: Path) -> str:
    """sha256 over the gold files: each file's name and the sha256 of its bytes, in name order."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.name}\0{hashlib.sha256(file.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()
