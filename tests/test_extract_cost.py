"""Cost: one value for tokens, latency and re-asks that adds up from call to article to run."""

from __future__ import annotations

from types import SimpleNamespace

from allegations.extract.cost import Cost
from allegations.extract.passes import PassOutcome


def test_costs_add_field_by_field() -> None:
    total = Cost(10, 2, 0.5, 1) + Cost(5, 3, 0.25, 0) + Cost()
    assert total == Cost(prompt_tokens=15, completion_tokens=5, latency_s=0.75, retries=1)


def test_usage_reads_from_objects_and_dicts_and_missing_counts_are_zero() -> None:
    assert Cost.of_usage(SimpleNamespace(prompt_tokens=7, completion_tokens=None), retries=2) == Cost(7, 0, 0.0, 2)
    assert Cost.of_usage({"completion_tokens": 4}, latency_s=1.5) == Cost(0, 4, 1.5, 0)
    assert Cost.of_usage(None) == Cost()


def test_a_cached_pass_keeps_its_flat_format_and_its_cost() -> None:
    outcome = PassOutcome("parties", items=[{"name": "x"}], dropped=["d"], cost=Cost(3, 4, 0.1234, 1))
    value = outcome.to_cache()
    assert value == {
        "record_type": "parties",
        "items": [{"name": "x"}],
        "dropped": ["d"],
        "prompt_tokens": 3,
        "completion_tokens": 4,
        "latency_s": 0.123,
        "retries": 1,
    }
    again = PassOutcome.from_cache_value(value)
    assert again.from_cache and again.cost == Cost(3, 4, 0.123, 1) and again.items == outcome.items
