"""An article, the extraction that holds its records, and the provenance of a predicted extraction."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from allegations.schemas.evidence import normalise_typography
from allegations.schemas.kinds import LINKED_KINDS
from allegations.schemas.records import Allegation, ContractTerm, PartialDate, Party, ReliefSought

ArticleId = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=200, description="Stable article id.")


class Article(BaseModel):
    """A news article as stored in the corpus."""

    model_config = ConfigDict(extra="forbid")

    id: str = ArticleId
    title: str = Field(min_length=1, description="The article's headline.")
    text: str = Field(min_length=1, description="The full article text, exactly as stored; offsets index into it.")
    outlet: str | None = Field(default=None, description="The publishing outlet, where the text states it.")
    author: str | None = Field(default=None, description="The author, where the text states it.")
    published: PartialDate | None = Field(default=None, description="Publication date, where the text states it.")


class DroppedItem(BaseModel):
    """A record the extractor produced but could not ground, so did not keep."""

    model_config = ConfigDict(extra="forbid")

    record_type: str = Field(description="parties, allegations, contract_terms or relief_sought.")
    reason: str = Field(description="Why the record was dropped.")


class Strategy(StrEnum):
    """How records are produced: by the model alone, by rules alone, or rules proposing and the model deciding."""

    llm = "llm"
    rules = "rules"
    hybrid = "hybrid"


class DecidedBy(StrEnum):
    """Where one decision about a record came from."""

    rule = "rule"
    model = "model"


class Decision(BaseModel):
    """Who made one decision about one predicted record: a rule or the model."""

    model_config = ConfigDict(extra="forbid")

    record_type: str = Field(description="parties, allegations, contract_terms or relief_sought.")
    index: int = Field(ge=0, description="The record's position in its list.")
    field: str = Field(description="What was decided: kept, category, kind, summary, claimant, ...")
    by: DecidedBy = Field(description="rule or model.")


class Provenance(BaseModel):
    """How a predicted extraction was made."""

    model_config = ConfigDict(extra="forbid")

    extractor: str = Field(description="Name and version of the extractor.")
    model: str = Field(description="Model name as the server knows it.")
    backend: str = Field(description="embedded, or the base URL's host for another server.")
    mode: str = Field(description="The instructor mode used, e.g. tools.")
    model_sha256: str | None = Field(default=None, description="Embedded only: sha256 of the model's GGUF file.")
    n_ctx: int | None = Field(default=None, description="Embedded only: the server's context size in tokens.")
    threads: int | None = Field(default=None, description="Embedded only: the server's CPU threads.")
    batch_size: int | None = Field(default=None, description="Embedded only: the server's prompt batch size.")
    prompt_hash: str = Field(description="sha256 of the prompt templates.")
    schema_hash: str = Field(description="sha256 of the response schemas.")
    prompt_tokens: int = Field(default=0, ge=0, description="Prompt tokens over all calls for the article.")
    completion_tokens: int = Field(default=0, ge=0, description="Completion tokens over all calls for the article.")
    latency_s: float = Field(default=0.0, ge=0, description="Seconds spent in model calls when first extracted.")
    retries: int = Field(default=0, ge=0, description="Re-asks sent after a failed validation.")
    dropped: list[DroppedItem] = Field(default_factory=list, description="Records dropped as ungrounded.")
    strategy: Strategy = Field(default=Strategy.llm, description="llm, rules or hybrid: what produced the records.")
    decisions: list[Decision] = Field(
        default_factory=list, description="Hybrid only: the decisions the model made; every other one came from rules."
    )
    seed: int | None = Field(default=None, description="Sampling seed sent with every call.")
    temperature: float | None = Field(default=None, description="Sampling temperature; 0 is greedy decoding.")


def _name_key(name: str) -> str:
    return normalise_typography(name).casefold()


class ArticleExtraction(BaseModel):
    """Every party, allegation, contract term and relief that one article states."""

    model_config = ConfigDict(extra="forbid")

    article_id: str = ArticleId
    parties: list[Party] = Field(default_factory=list, description="Every party the dispute involves.")
    allegations: list[Allegation] = Field(default_factory=list, description="Each distinct claim, one per record.")
    contract_terms: list[ContractTerm] = Field(default_factory=list, description="Terms of the parties' agreements.")
    relief_sought: list[ReliefSought] = Field(
        default_factory=list, description="Each remedy asked for, one per record."
    )
    provenance: Provenance | None = Field(
        default=None, description="How a predicted extraction was made; null in gold."
    )

    @model_validator(mode="after")
    def _party_references_resolve(self) -> ArticleExtraction:
        known: dict[str, int] = {}
        for i, party in enumerate(self.parties):
            for name in [party.name, *party.aliases]:
                owner = known.setdefault(_name_key(name), i)
                if owner != i:
                    raise PydanticCustomError(
                        "duplicate_party_name",
                        "parties[{i}]: name {name} is already used by parties[{owner}]",
                        {"i": i, "name": repr(name), "owner": owner},
                    )
        for path, name in self.party_references():
            if _name_key(name) not in known:
                raise PydanticCustomError(
                    "unknown_party",
                    "{path}: {name} is not the name or alias of any party; add it to parties or fix the name",
                    {"path": path, "name": repr(name)},
                )
        return self

    def party_references(self) -> list[tuple[str, str]]:
        """Every (field path, party name) that must resolve to a party."""
        refs: list[tuple[str, str]] = []
        for kind in LINKED_KINDS:
            for i, record in enumerate(getattr(self, kind.name)):
                refs += kind.party_references(record, f"{kind.name}[{i}]")
        return refs

    def resolve_party(self, name: str) -> Party | None:
        """The party whose name or alias is `name`, ignoring case and typography."""
        key = _name_key(name)
        for party in self.parties:
            if key in {_name_key(n) for n in [party.name, *party.aliases]}:
                return party
        return None


class ExtractionFailure(BaseModel):
    """A predictions line for an article the extractor could not process."""

    model_config = ConfigDict(extra="forbid")

    article_id: str = ArticleId
    error: str = Field(min_length=1, description="Why extraction failed for this article.")
    provenance: Provenance | None = Field(default=None, description="How the attempt was made.")


def validation_context(article: Article | str) -> dict[str, Any]:
    """The context validators need: the article text that quotes are aligned against."""
    return {"text": article if isinstance(article, str) else article.text}
