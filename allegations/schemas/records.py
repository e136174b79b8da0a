"""The four record types extracted from an article, and the small value types they share."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from allegations.schemas.evidence import Evidence

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_partial_date(value: str) -> str:
    if not _PARTIAL_DATE.match(value):
        raise ValueError("date must be ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"not a calendar date: {exc}") from None
    return value


PartialDate = Annotated[
    str,
    Field(pattern=_PARTIAL_DATE.pattern, description="ISO 8601 date, partial allowed: 2016, 2021-08, 2021-08-11."),
    AfterValidator(_check_partial_date),
]

PartyName = Annotated[
    str,
    Field(min_length=1, max_length=200, description="A party's name or one of its aliases, as listed in `parties`."),
]

Summary = Annotated[
    str,
    Field(min_length=1, max_length=400, description="One sentence in your own words."),
]

EvidenceList = Annotated[
    list[Evidence],
    Field(min_length=1, description="One or more verbatim quotes from the article that support this record."),
]


class PartyKind(StrEnum):
    company = "company"
    government_body = "government_body"
    court = "court"
    person = "person"
    other = "other"


class PartyRole(StrEnum):
    plaintiff = "plaintiff"
    defendant = "defendant"
    other = "other"


class AllegationCategory(StrEnum):
    trade_secret_misappropriation = "trade_secret_misappropriation"
    breach_of_contract = "breach_of_contract"
    non_payment = "non_payment"
    unauthorized_access_or_espionage = "unauthorized_access_or_espionage"
    coercion = "coercion"
    misrepresentation = "misrepresentation"
    unfair_competition = "unfair_competition"
    other = "other"


class ContractTermKind(StrEnum):
    value_or_price = "value_or_price"
    scope_or_deliverables = "scope_or_deliverables"
    payment = "payment"
    date_or_duration = "date_or_duration"
    ip_or_confidentiality = "ip_or_confidentiality"
    exclusivity = "exclusivity"
    termination = "termination"
    other = "other"


class ReliefKind(StrEnum):
    compensatory_damages = "compensatory_damages"
    unjust_enrichment = "unjust_enrichment"
    punitive_or_exemplary_damages = "punitive_or_exemplary_damages"
    injunction = "injunction"
    reasonable_royalty = "reasonable_royalty"
    specific_performance_or_return = "specific_performance_or_return"
    destruction_of_copies = "destruction_of_copies"
    fees_and_costs = "fees_and_costs"
    declaratory = "declaratory"
    other = "other"


class Money(BaseModel):
    """An amount of money as the article states it."""

    model_config = ConfigDict(extra="forbid")

    value: Decimal = Field(description="The amount as a plain decimal number: $150 million is 150000000.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, e.g. USD.")


class Party(BaseModel):
    """A person or organisation that takes part in, or matters to, the dispute."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="The fullest form of the name the article uses.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other forms of the name used in the article, e.g. 'BES' or 'Huawei-China'.",
    )
    kind: PartyKind = Field(description="What sort of party this is.")
    role: PartyRole = Field(
        description="plaintiff or defendant in the lawsuit; other for a party that matters but is not a litigant."
    )
    evidence: EvidenceList


class Allegation(BaseModel):
    """A claim that the article attributes to one party against another."""

    model_config = ConfigDict(extra="forbid")

    claimant: PartyName = Field(description="The party making the claim: a name or alias from `parties`.")
    accused: PartyName = Field(description="The party the claim is made against: a name or alias from `parties`.")
    category: AllegationCategory = Field(description="The kind of wrong alleged.")
    summary: Summary = Field(description="One sentence, in your own words, stating what is alleged.")
    evidence: EvidenceList


class ContractTerm(BaseModel):
    """A term of an agreement between parties: its value, scope, payment, dates or conditions."""

    model_config = ConfigDict(extra="forbid")

    parties: list[PartyName] = Field(
        min_length=1, description="The parties bound by the agreement: names or aliases from `parties`."
    )
    kind: ContractTermKind = Field(description="Which aspect of the agreement this term describes.")
    summary: Summary = Field(description="One sentence, in your own words, stating the term.")
    amount: Money | None = Field(default=None, description="The money involved, where the article states it.")
    date: PartialDate | None = Field(default=None, description="When the term applies or was agreed, if stated.")
    evidence: EvidenceList


class ReliefSought(BaseModel):
    """One remedy that a party asks the court for."""

    model_config = ConfigDict(extra="forbid")

    requested_by: PartyName = Field(description="The party asking for the remedy: a name or alias from `parties`.")
    against: PartyName = Field(description="The party the remedy is sought against: a name or alias from `parties`.")
    kind: ReliefKind = Field(description="The kind of remedy.")
    summary: Summary = Field(description="One sentence, in your own words, stating the remedy.")
    amount: Money | None = Field(default=None, description="The amount asked for, where the article states one.")
    multiplier: Decimal | None = Field(
        default=None, gt=0, description="A multiple of another sum, e.g. 3 for 'three times the unpaid royalties'."
    )
    evidence: EvidenceList
