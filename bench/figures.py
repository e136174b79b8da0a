"""Figures as benchmarks report them: raw samples, a unit and an optional target, summarised as median and range."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def figure(
    samples: Sequence[float],
    unit: str,
    target: tuple[str, float] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One figure: every measured sample (one per repeat), its unit, and the target its median must meet."""
    out: dict[str, Any] = {"unit": unit, "samples": [float(s) for s in samples]}
    if target is not None:
        op, value = target
        if op not in _OPS:
            raise ValueError(f"target operator must be one of {sorted(_OPS)}, not {op!r}")
        out["target"] = {"op": op, "value": float(value)}
    if note:
        out["note"] = note
    return out


def summarise(fig: dict[str, Any], *, judge: bool = True) -> dict[str, Any]:
    """Add median, min, max and whether the median meets the target (None without a target or when not judged).

    A figure from elsewhere may bring its own median, min and max instead of samples; they are kept as given.
    """
    samples = fig.get("samples") or []
    out = dict(fig)
    if samples:
        out.update(median=statistics.median(samples), min=min(samples), max=max(samples))
    elif out.get("median") is None:
        out.update(median=None, min=None, max=None)
    target = fig.get("target")
    if judge and target is not None and out["median"] is not None:
        out["met"] = bool(_OPS[target["op"]](out["median"], target["value"]))
    else:
        out["met"] = None
    return out


def format_number(value: float | None) -> str:
    """Three significant figures, without scientific notation for everyday magnitudes."""
    if value is None:
        return "-"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.01:
        return f"{value:.3g}"
    return f"{value:.2e}"


def format_target(target: dict[str, Any] | None, unit: str) -> str:
    """`<= 1 s`, or `-` when the figure has no target."""
    if not target:
        return "-"
    return f"{target['op']} {format_number(target['value'])} {unit}".rstrip()
