"""The data contract: articles, the four record types, their evidence, and the validators that ground them."""

from allegations.schemas.article import (
    Article,
    ArticleExtraction,
    DecidedBy,
    Decision,
    DroppedItem,
    ExtractionFailure,
    Provenance,
    Strategy,
    validation_context,
)
from allegations.schemas.evidence import Alignment, Evidence, align_quote, ground, normalise_typography
from allegations.schemas.kinds import KINDS, RECORD_TYPES, RecordKind, kind_of
from allegations.schemas.records import (
    Allegation,
    AllegationCategory,
    ContractTerm,
    ContractTermKind,
    Money,
    Party,
    PartyKind,
    PartyRole,
    ReliefKind,
    ReliefSought,
)
from allegations.schemas.validation import describe_errors, field_path, validate_extraction

__all__ = [
    "KINDS",
    "RECORD_TYPES",
    "Alignment",
    "Allegation",
    "AllegationCategory",
    "Article",
    "ArticleExtraction",
    "ContractTerm",
    "ContractTermKind",
    "DecidedBy",
    "Decision",
    "DroppedItem",
    "Evidence",
    "ExtractionFailure",
    "Money",
    "Party",
    "PartyKind",
    "PartyRole",
    "Provenance",
    "Strategy",
    "ReliefKind",
    "ReliefSought",
    "RecordKind",
    "align_quote",
    "describe_errors",
    "field_path",
    "ground",
    "kind_of",
    "normalise_typography",
    "validate_extraction",
    "validation_context",
]
