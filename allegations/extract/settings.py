"""Backend settings from options and the environment: options win over the environment, which wins over defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from allegations.extract.errors import SettingsError
from allegations.schemas import describe_errors

EMBEDDED_MODEL = "smollm2-135m-instruct"
PLACEHOLDER_API_KEY = "not-needed"  # local servers ignore the key but the openai client insists on one

ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_API_KEY = "OPENAI_API_KEY"
ENV_MODEL = "ALLEGATIONS_MODEL"
ENV_MODEL_DECIDES = "ALLEGATIONS_MODEL_DECIDES"
ENV_GGUF = "ALLEGATIONS_GGUF"
ENV_HF_REPO = "ALLEGATIONS_HF_REPO"
ENV_HF_FILE = "ALLEGATIONS_HF_FILE"
ENV_CTX_SIZE = "ALLEGATIONS_CTX_SIZE"
ENV_THREADS = "ALLEGATIONS_THREADS"
ENV_BATCH_SIZE = "ALLEGATIONS_BATCH_SIZE"
_ENV_FIELDS = {
    ENV_BASE_URL: "base_url",
    ENV_MODEL: "model",
    ENV_API_KEY: "api_key",
    ENV_GGUF: "gguf",
    ENV_HF_REPO: "hf_repo",
    ENV_HF_FILE: "hf_file",
    ENV_CTX_SIZE: "n_ctx",
    ENV_THREADS: "n_threads",
    ENV_BATCH_SIZE: "n_batch",
}

# What the model may decide in the hybrid strategy: keep or drop a candidate record, its category (or kind), its
# summary, and records the rules missed. The embedded default comes from bench/bench_decisions.py.
MODEL_DECISIONS = ("kept", "category", "summary", "added")
EMBEDDED_MODEL_DECIDES: tuple[str, ...] = ()
STRATEGIES = ("llm", "rules", "hybrid")
# The best measured with the shipped embedded model (bench/bench_ablation.py); other models are unmeasured: llm.
EMBEDDED_STRATEGY = "hybrid"


class BackendSettings(BaseModel):
    """Where and how to call the model: base_url None means the embedded llama.cpp server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = Field(default=None, description="OpenAI-compatible base URL; None starts the embedded one.")
    model: str = Field(default=EMBEDDED_MODEL, min_length=1, description="Model name as the server knows it.")
    api_key: str = Field(default=PLACEHOLDER_API_KEY, min_length=1, description="API key; a placeholder locally.")
    max_retries: int = Field(default=2, ge=0, le=10, description="Re-asks after a failed validation.")
    timeout_s: float = Field(default=600.0, gt=0, description="Seconds before one model call times out.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature; 0 for repeatable runs.")
    seed: int = Field(default=0, description="Sampling seed, for servers that honour it.")
    mode: str | None = Field(default=None, description="instructor mode (tools, json, md_json); None picks one.")
    gguf: Path | None = Field(default=None, description="GGUF file the embedded server serves; None: the shipped one.")
    hf_repo: str | None = Field(
        default=None, pattern=r"^[\w.-]+/[\w.-]+$", description="Hub model repo OWNER/NAME to fetch the GGUF from."
    )
    hf_file: str | None = Field(default=None, min_length=1, description="The .gguf file within hf_repo.")
    model_sha256: str | None = Field(default=None, description="sha256 of the embedded model's GGUF, once resolved.")
    n_ctx: int | None = Field(default=None, ge=512, description="Embedded context size in tokens; None derives it.")
    n_threads: int | None = Field(default=None, ge=1, description="Embedded server threads; None derives them.")
    n_batch: int | None = Field(default=None, ge=1, description="Embedded prompt batch size; None derives it.")
    chunk_chars: int | None = Field(default=None, ge=500, description="Longest chunk sent at once; None derives it.")
    constrain_quotes: bool | None = Field(
        default=None, description="Offer the article's sentences as the only allowed quotes; None: on when embedded."
    )

    model_decides: tuple[str, ...] | None = Field(
        default=None,
        description="Hybrid: what the model decides (kept, category, summary, added); None: the backend's default.",
    )

    @field_validator("model_decides", mode="before")
    @classmethod
    def _known_decisions(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [] if value.strip().lower() in ("", "none") else [v.strip() for v in value.split(",")]
        if value is None:
            return None
        unknown = [v for v in value if v not in MODEL_DECISIONS]
        if unknown:
            raise ValueError(f"unknown decision {unknown[0]!r}: use some of {', '.join(MODEL_DECISIONS)}, or none")
        return tuple(d for d in MODEL_DECISIONS if d in value)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parsed = urlparse(value.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"base URL must look like http://host:port/v1, not {value!r}")
        return value.strip().rstrip("/")

    @property
    def embedded(self) -> bool:
        """True when the run starts its own llama.cpp server."""
        return self.base_url is None

    @property
    def backend_name(self) -> str:
        """embedded, or the host of the base URL (recorded in provenance; never the key)."""
        return "embedded" if self.base_url is None else (urlparse(self.base_url).netloc or self.base_url)

    @property
    def quotes_constrained(self) -> bool:
        """Whether response schemas list the allowed quotes."""
        return self.embedded if self.constrain_quotes is None else self.constrain_quotes

    @property
    def shipped_model(self) -> bool:
        """True when the embedded server runs the shipped SmolLM2, the model the defaults were measured with."""
        return self.embedded and self.gguf is None and self.hf_repo is None

    @property
    def decisions(self) -> tuple[str, ...]:
        """What the model decides in the hybrid strategy: the setting, or the measured default for the model."""
        if self.model_decides is not None:
            return self.model_decides
        return EMBEDDED_MODEL_DECIDES if self.shipped_model else MODEL_DECISIONS

    @property
    def default_strategy(self) -> str:
        """The strategy when none is given: the measured best for the shipped model, llm for any other model."""
        return EMBEDDED_STRATEGY if self.shipped_model else "llm"

    @property
    def scaled_limits(self) -> bool:
        """Whether list limits grow with the text (capable models) or stay small (the embedded model loops)."""
        return not self.embedded

    @property
    def max_chunk_chars(self) -> int:
        """Chunk size: what fits in the context beside the prompt and the answer (about 3 characters a token)."""
        if self.chunk_chars is not None:
            return self.chunk_chars
        return max(500, (self.n_ctx or 8192) // 2) if self.embedded else 12000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> BackendSettings:
        """Settings from the environment, then `overrides` (None values are ignored, so unset options fall through)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            field: env[name].strip() for name, field in _ENV_FIELDS.items() if env.get(name, "").strip()
        }
        if ENV_MODEL_DECIDES in env:  # set but empty means none
            values["model_decides"] = env[ENV_MODEL_DECIDES]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            raise SettingsError(
                "; ".join(describe_errors(exc)),
                hint="fix the option, or its variable in the environment ("
                + " / ".join([*_ENV_FIELDS, ENV_MODEL_DECIDES])
                + ")",
            ) from None
