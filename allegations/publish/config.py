"""`dataset.yaml` (card metadata and quality thresholds) and the build folder the publish stage reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from allegations.core.paths import DEFAULT_DATASET_CONFIG
from allegations.publish.errors import ConfigError
from allegations.publish.repo_id import REPO_ID_HINT, is_repo_id
from allegations.schemas import describe_errors

# A threshold names one score of the eval report by its path: overall.micro.f1, by_type.parties.recall, grounding_rate.
_METRIC_PATH = re.compile(
    r"^(overall\.(micro|macro)\.(precision|recall|f1)|by_type\.[a-z_]+\.(precision|recall|f1)|grounding_rate)$"
)


class DatasetConfig(BaseModel):
    """What the dataset card says about the data, and the scores publishing requires."""

    model_config = ConfigDict(extra="forbid")

    repo_id: str = Field(description="Where the dataset is published: OWNER/NAME.")
    pretty_name: str = Field(min_length=1, description="The dataset's display name on the Hub.")
    summary: str = Field(min_length=1, description="What the data is, in a paragraph: the card's opening prose.")
    license: str = Field(min_length=1, description="Hub license id, e.g. cc-by-4.0, or other.")
    license_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9.-]*$", description="An id for the license when license is other."
    )
    license_link: str | None = Field(
        default=None, description="Where the license is stated when license is other: README (the card) or a URL."
    )
    license_details: str | None = Field(default=None, description="What the license covers, in a sentence or two.")
    language: list[str] = Field(min_length=1, description="ISO 639-1 codes of the article texts.")
    task_categories: list[str] = Field(min_length=1, description="Hub task categories.")
    task_ids: list[str] = Field(default_factory=list, description="Hub task ids.")
    tags: list[str] = Field(default_factory=list, description="Free-form Hub tags.")
    authors: str = Field(min_length=1, description="Who to credit in the citation.")
    homepage: str | None = Field(default=None, description="URL of the code that regenerates the dataset.")
    limitations: list[str] = Field(min_length=1, description="What a user must know before relying on the data.")
    thresholds: dict[str, float] = Field(
        min_length=1, description="Minimum eval scores for publishing, by metric path, e.g. overall.micro.f1: 0.5."
    )

    @field_validator("repo_id")
    @classmethod
    def _hub_repo_id(cls, value: str) -> str:
        if not is_repo_id(value):
            raise ValueError(f"not a Hub repo id: {value!r}; {REPO_ID_HINT}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _known_metrics(cls, value: dict[str, float]) -> dict[str, float]:
        for metric, minimum in value.items():
            if not _METRIC_PATH.match(metric):
                raise ValueError(
                    f"unknown metric {metric!r}: use overall.micro.f1, overall.macro.recall, "
                    "by_type.<record type>.f1 or grounding_rate"
                )
            if not 0.0 <= minimum <= 1.0:
                raise ValueError(f"threshold for {metric} must be between 0 and 1, not {minimum}")
        return value


def load_dataset_config(path: Path = DEFAULT_DATASET_CONFIG) -> DatasetConfig:
    """Read and validate dataset.yaml; a bad file fails with its path and the field at fault."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("dataset config not found", hint="pass --dataset-config PATH", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path, line=line) from None
    try:
        return DatasetConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError("; ".join(describe_errors(exc)), path=path) from None
