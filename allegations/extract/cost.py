"""What model calls cost: tokens, seconds spent in calls and re-asks; one value that adds up from call to run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Cost:
    """Tokens, latency and re-asks of one call or of many (costs add with `+`)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    retries: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.latency_s + other.latency_s,
            self.retries + other.retries,
        )

    @classmethod
    def of_usage(cls, usage: Any, *, latency_s: float = 0.0, retries: int = 0) -> Cost:
        """The cost of a completion from its `usage` (an object or a dict; missing counts are 0)."""

        def count(name: str) -> int:
            value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, 0)
            return int(value or 0)

        return cls(count("prompt_tokens"), count("completion_tokens"), latency_s, retries)

    def as_dict(self) -> dict[str, Any]:
        """The four counts by name, as the cache and provenance store them (latency to the millisecond)."""
        return {**asdict(self), "latency_s": round(self.latency_s, 3)}
