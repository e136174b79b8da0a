"""Short forms of text for one-line messages."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"
