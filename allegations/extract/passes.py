"""One pass per record type over one chunk, parties first; re-ask what fails validation, drop and count the rest."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from allegations.extract.cache import ResponseCache, cache_key
from allegations.extract.chunking import Chunk, name_choices, quote_choices
from allegations.extract.client import ExtractorBackend, describe_api_error
from allegations.extract.cost import Cost
from allegations.extract.prompts import build_messages
from allegations.extract.responses import (
    ITEM_MODELS,
    VALIDATOR_RULES_VERSION,
    item_limit,
    response_model,
    response_schema,
    to_record,
)
from allegations.extract.settings import BackendSettings
from allegations.schemas import describe_errors, kind_of

MAX_TOKENS = 1024


class PassFailed(Exception):
    """A pass produced no usable answer (server error, timeout, unparseable output); the article fails."""

    def __init__(self, reason: str, *, cost: Cost | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cost = cost or Cost()


@dataclass
class PassOutcome:
    """What one pass over one chunk kept and dropped, with its cost; cached as a whole."""

    record_type: str
    items: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    cost: Cost = field(default_factory=Cost)
    from_cache: bool = False

    def to_cache(self) -> dict[str, Any]:
        return {"record_type": self.record_type, "items": self.items, "dropped": self.dropped, **self.cost.as_dict()}

    @classmethod
    def from_cache_value(cls, value: dict[str, Any]) -> PassOutcome:
        value = dict(value)
        cost = Cost(*(value.pop(name) for name in ("prompt_tokens", "completion_tokens", "latency_s", "retries")))
        return cls(**value, cost=cost, from_cache=True)


def decoding_params(settings: BackendSettings) -> dict[str, Any]:
    """The sampling parameters sent with every call (also part of the cache key)."""
    return {
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": MAX_TOKENS,
        "max_retries": settings.max_retries,
    }


def run_pass(
    backend: ExtractorBackend,
    settings: BackendSettings,
    cache: ResponseCache | None,
    record_type: str,
    chunk: Chunk,
    party_names: list[str],
    party_of: dict[str, str] | None = None,
) -> PassOutcome:
    """Ask for one record type in one chunk, from the cache when the same call was answered before.

    `party_of` maps each name's key to its party, so two names of one party count as the same party. The item
    limit grows with the chunk's length for capable models and stays small for the embedded one.
    """
    links_parties = bool(kind_of(record_type).party_fields)
    names = party_names if links_parties else []
    messages = build_messages(record_type, chunk.text, names)
    constrained = settings.quotes_constrained
    quote_of = quote_choices(chunk.text) if constrained else {}
    limit = item_limit(record_type, len(chunk.text), scaled=settings.scaled_limits)
    model = response_model(
        record_type,
        quote_choices=list(quote_of) or None,
        party_names=names or None,
        name_choices=name_choices(chunk.text) if constrained and not links_parties else None,
        constrained=constrained,
        max_items=limit,
    )
    context: dict[str, Any] = {
        "text": chunk.text,
        "parties": names if links_parties else None,
        "party_of": party_of or {},
        "quote_of": quote_of,
        "max_items": limit,
    }
    return cached_call(backend, settings, cache, record_type, messages, model, context)


def cached_call(
    backend: ExtractorBackend,
    settings: BackendSettings,
    cache: ResponseCache | None,
    record_type: str,
    messages: list[dict[str, str]],
    model: type[BaseModel],
    context: dict[str, Any],
) -> PassOutcome:
    """One instructor call with re-asks, answered from the cache when the same call was answered before."""
    decoding = decoding_params(settings)
    key = cache_key(
        model=backend.model,
        mode=backend.mode,
        messages=messages,
        schema=response_schema(model),
        decoding=decoding,
        rules_version=VALIDATOR_RULES_VERSION,
        weights=settings.model_sha256,
    )
    if cache is not None and (cached := cache.get(key)) is not None:
        try:
            return PassOutcome.from_cache_value(cached)
        except (TypeError, ValueError, KeyError):
            cache.warn_damaged(f"an entry is not a cached pass: {str(cached)[:40]}")
    outcome = _call(backend, settings, record_type, messages, model, context, decoding)
    if cache is not None:
        cache.put(key, outcome.to_cache())
    return outcome


def _call(
    backend: ExtractorBackend,
    settings: BackendSettings,
    record_type: str,
    messages: list[dict[str, str]],
    model: type[BaseModel],
    context: dict[str, Any],
    decoding: dict[str, Any],
) -> PassOutcome:
    attempts = 0

    def count_attempt(*_: Any, **__: Any) -> None:
        nonlocal attempts
        attempts += 1

    hooks = Hooks()
    hooks.on("completion:kwargs", count_attempt)
    started = time.perf_counter()
    try:
        parsed, completion = backend.client.chat.completions.create_with_completion(
            model=backend.model,
            messages=messages,  # type: ignore[arg-type]
            response_model=model,
            max_retries=settings.max_retries,  # re-asks after the first attempt
            context=context,
            strict=False,
            hooks=hooks,
            temperature=decoding["temperature"],
            seed=decoding["seed"],
            max_tokens=decoding["max_tokens"],
        )
    except InstructorRetryException as exc:
        stop = describe_api_error(exc, backend.base_url)
        if stop is not None:
            raise stop from None
        outcome = _salvage(record_type, exc, context, salvage_items="items" in model.model_fields)
        outcome.cost += Cost(latency_s=round(time.perf_counter() - started, 3))
        return outcome
    except IncompleteOutputException:
        raise PassFailed(
            f"{record_type}: the answer was cut off at {decoding['max_tokens']} tokens",
            cost=Cost(retries=max(0, attempts - 1)),
        ) from None
    except openai.OpenAIError as exc:
        stop = describe_api_error(exc, backend.base_url)
        if stop is not None:
            raise stop from None
        raise PassFailed(f"{record_type}: {type(exc).__name__}: {exc}") from None
    # A list answer gives its items; a single answer (one decision about one record) is one item.
    answer = parsed.model_dump(mode="json")
    return PassOutcome(
        record_type=record_type,
        items=answer["items"] if "items" in type(parsed).model_fields else [answer],
        cost=Cost.of_usage(
            getattr(completion, "usage", None),
            latency_s=round(time.perf_counter() - started, 3),
            retries=max(0, attempts - 1),
        ),
    )


def _salvage(
    record_type: str, exc: InstructorRetryException, context: dict[str, Any], *, salvage_items: bool = True
) -> PassOutcome:
    """After the last re-ask: keep the items of the last answer that validate on their own, drop the rest.

    A single answer (`salvage_items` False) has no items to keep: it fails.
    """
    outcome = PassOutcome(
        record_type=record_type, cost=Cost.of_usage(exc.total_usage, retries=max(0, int(exc.n_attempts or 1) - 1))
    )
    cause = exc.__cause__ or exc
    raw = raw_answer(exc.last_completion)
    if raw is None or not salvage_items or not isinstance(raw.get("items"), list):
        raise PassFailed(
            f"{record_type}: no valid answer after {exc.n_attempts} attempts: {_first_line(cause)}",
            cost=outcome.cost,
        )
    item_model = ITEM_MODELS[record_type]
    limit = context.get("max_items") or kind_of(record_type).max_items
    for index, item in enumerate(raw["items"]):
        if index >= limit:
            outcome.dropped.append(f"{record_type}[{index}]: more than {limit} items")
            continue
        try:
            outcome.items.append(item_model.model_validate(item, context=context).model_dump(mode="json"))
        except ValidationError as error:
            outcome.dropped.append(f"{record_type}[{index}] {_label(item)}: {describe_errors(error)[0]}")
    return outcome


def _label(item: Any) -> str:
    """A short name for a dropped item: its name or summary."""
    if isinstance(item, dict):
        for field in ("name", "summary"):
            if isinstance(item.get(field), str):
                return repr(item[field][:60])
    return "(unreadable item)"


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return describe_errors(exc)[0]
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def raw_answer(completion: Any) -> dict[str, Any] | None:
    """The JSON object a completion carries, from its tool call or its content; None if there is none."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    tool_calls = getattr(message, "tool_calls", None) or []
    text = tool_calls[0].function.arguments if tool_calls else (message.content or "")
    try:
        value = json.loads(_FENCE.sub("", text.strip()))
    except (json.JSONDecodeError, TypeError):
        return None
    return value if isinstance(value, dict) else None


def to_records(outcome: PassOutcome, chunk: Chunk) -> list[dict[str, Any]]:
    """The pass's items as schema-shaped records whose evidence hints point into the whole article."""
    return [to_record(outcome.record_type, item, chunk.text, chunk.start) for item in outcome.items]
