"""The data contract: articles, the four record types, their evidence, and the validators that ground them."""

from schemas.article import (
    Article,
    ArticleExtraction,
    DroppedItem,
    ExtractionFailure,
    Provenance,
    validation_context,
)
from schemas.evidence import Alignment, Evidence, align_quote, normalise_typography
from schemas.records import (
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
from schemas.validation import describe_errors, field_path, validate_extraction

RECORD_TYPES = ("parties", "allegations", "contract_terms", "relief_sought")

__all__ = [
    "RECORD_TYPES",
    "Alignment",
    "Allegation",
    "AllegationCategory",
    "Article",
    "ArticleExtraction",
    "ContractTerm",
    "ContractTermKind",
    "DroppedItem",
    "Evidence",
    "ExtractionFailure",
    "Money",
    "Party",
    "PartyKind",
    "PartyRole",
    "Provenance",
    "ReliefKind",
    "ReliefSought",
    "align_quote",
    "describe_errors",
    "field_path",
    "normalise_typography",
    "validate_extraction",
    "validation_context",
]
