"""Explicit `datasets.Features` and column descriptions, both derived from the Pydantic schemas.

Encoding, chosen once for every config: enums are plain strings (their values, readable in any parquet
reader and stable when a category is added, unlike `ClassLabel` integers); `Decimal` money and multipliers
are strings holding the exact decimal (`"150000000"`, `"2.5"`), so no amount passes through a float;
partial dates stay ISO 8601 strings; optional fields are nullable columns; lists of models are lists of structs.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from datasets import Features, List, Value
from pydantic import BaseModel

from allegations.schemas import RECORD_TYPES, Article, ArticleExtraction, Provenance

CONFIGS = ("articles", "gold", "extractions")
SPLIT = "train"
RECORD_FIELDS = RECORD_TYPES
PROVENANCE_FIELDS = tuple(Provenance.model_fields)
ERROR_DESCRIPTION = "Why extraction failed for this article; null when it succeeded (its records are then empty)."


@dataclass(frozen=True)
class Column:
    """One column or nested field of a config, for the dataset card's schema table."""

    path: str
    type: str
    description: str


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip `Annotated` and `X | None`; return the inner type and whether None was allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"cannot map a union of {args} to one column type")
            optional, annotation = True, args[0]
        else:
            return annotation, optional


def feature_for(annotation: Any) -> Any:
    """The `datasets` feature for one Pydantic field annotation."""
    inner, _ = _unwrap(annotation)
    if get_origin(inner) is list:
        return List(feature_for(get_args(inner)[0]))
    if isinstance(inner, type):
        if issubclass(inner, BaseModel):
            return {name: feature_for(field.annotation) for name, field in inner.model_fields.items()}
        if issubclass(inner, Enum | str | Decimal):
            return Value("string")
        if issubclass(inner, bool):
            return Value("bool")
        if issubclass(inner, int):
            return Value("int64")
        if issubclass(inner, float):
            return Value("float64")
    raise TypeError(f"no column type for {annotation!r}; extend publish.features.feature_for")


def _type_label(annotation: Any) -> str:
    inner, optional = _unwrap(annotation)
    if get_origin(inner) is list:
        label = f"list of {_type_label(get_args(inner)[0])}"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        label = "struct"
    elif isinstance(inner, type) and issubclass(inner, Enum):
        label = "string: " + " \\| ".join(str(member.value) for member in inner)
    elif isinstance(inner, type) and issubclass(inner, Decimal):
        label = "string (exact decimal)"
    else:
        label = feature_for(inner).dtype
    return label + (", nullable" if optional else "")


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    inner, _ = _unwrap(annotation)
    if get_origin(inner) is list:
        inner, _ = _unwrap(get_args(inner)[0])
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def describe_fields(model: type[BaseModel], names: tuple[str, ...] | None = None, prefix: str = "") -> list[Column]:
    """Every field of `model` (or only `names`), nested fields included, with type and description."""
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        if names is not None and name not in names:
            continue
        path = prefix + name
        columns.append(Column(path, _type_label(field.annotation), field.description or ""))
        nested = _list_item_model(field.annotation)
        if nested is not None:
            is_list = get_origin(_unwrap(field.annotation)[0]) is list
            columns += describe_fields(nested, prefix=f"{path}{'[]' if is_list else ''}.")
    return columns


def _fields(model: type[BaseModel], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: feature_for(model.model_fields[name].annotation) for name in names}


ARTICLE_FEATURES = Features(_fields(Article, tuple(Article.model_fields)))
GOLD_FEATURES = Features(_fields(ArticleExtraction, ("article_id", *RECORD_FIELDS)))
EXTRACTION_FEATURES = Features(
    {
        **_fields(ArticleExtraction, ("article_id",)),
        "error": Value("string"),
        **_fields(ArticleExtraction, RECORD_FIELDS),
        **_fields(Provenance, PROVENANCE_FIELDS),
    }
)
FEATURES: dict[str, Features] = {
    "articles": ARTICLE_FEATURES,
    "gold": GOLD_FEATURES,
    "extractions": EXTRACTION_FEATURES,
}


def config_columns(config: str) -> list[Column]:
    """The schema table of one config, generated from the field descriptions."""
    if config == "articles":
        return describe_fields(Article)
    columns = describe_fields(ArticleExtraction, ("article_id", *RECORD_FIELDS))
    if config == "gold":
        return columns
    error = Column("error", "string, nullable", ERROR_DESCRIPTION)
    provenance = [
        Column(c.path, c.type if "." in c.path else f"{c.type}, nullable", c.description)
        for c in describe_fields(Provenance)
    ]
    return [columns[0], error, *columns[1:], *provenance]
