"""Checks shared by every hand-labeled gold set: read a file as stored, list its evidence, find furniture quoted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from allegations.schemas import RECORD_TYPES


def raw_gold(path: Path) -> dict[str, Any]:
    """A gold file as stored, before validation."""
    return json.loads(path.read_text(encoding="utf-8"))


def evidence_of(raw: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every evidence item of a gold file, with its field path."""
    return [
        (f"{kind}[{i}].evidence[{j}]", ev)
        for kind in RECORD_TYPES
        for i, record in enumerate(raw.get(kind, []))
        for j, ev in enumerate(record["evidence"])
    ]


def evidence_in_furniture(raw: dict[str, Any], text: str, furniture: list[str]) -> list[str]:
    """The field paths of evidence overlapping any of the furniture lines (each must be in the text)."""
    spans = []
    for line in furniture:
        start = text.find(line)
        assert start >= 0, f"furniture not in the text: {line!r}"
        spans.append((start, start + len(line)))
    return [where for where, ev in evidence_of(raw) if any(ev["start"] < e and s < ev["end"] for s, e in spans)]
