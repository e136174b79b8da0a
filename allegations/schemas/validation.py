"""Validate records against their article and report problems one line each, with the field's path."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from allegations.schemas.article import Article, ArticleExtraction, validation_context


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as `allegations[2].category`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def describe_errors(error: ValidationError) -> list[str]:
    """One `path: message` line per problem in a pydantic ValidationError."""
    lines = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        path = field_path(loc)
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{path}: {message}" if path else message)
    return lines


def validate_extraction(data: Any, article: Article) -> ArticleExtraction:
    """Validate raw extraction data against its article; raises ValidationError."""
    return ArticleExtraction.model_validate(data, context=validation_context(article))
