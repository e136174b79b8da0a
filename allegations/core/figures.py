"""How a score is written for people: three decimals, or n/a where it is undefined."""

from __future__ import annotations

UNDEFINED = "n/a"


def fmt(value: float | None) -> str:
    """A figure to three decimals; `n/a` where it is undefined (never a made-up number)."""
    return UNDEFINED if value is None else f"{value:.3f}"
