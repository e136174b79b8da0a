"""Which parties a span of text mentions, by any of their names, aliases or epithets."""

from __future__ import annotations

import re
from functools import lru_cache

from allegations.extract.rules.parties import PartyDraft


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    flags = 0 if len(name) <= 4 or name.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flags)


def mentioned(parties: list[PartyDraft], text: str) -> list[tuple[int, PartyDraft]]:
    """(first position, party) for every party whose name or alias occurs in `text`, in order of position."""
    found: list[tuple[int, PartyDraft]] = []
    for party in parties:
        positions = [m.start() for name in party.all_names if (m := _name_pattern(name).search(text))]
        if positions:
            found.append((min(positions), party))
    return sorted(found, key=lambda pair: pair[0])


def occurrences(parties: list[PartyDraft], text: str) -> list[tuple[int, PartyDraft]]:
    """Every (position, party) where a name or alias of a party occurs in `text`, longest name first at a place."""
    found: dict[int, tuple[int, PartyDraft]] = {}
    for party in parties:
        for name in party.all_names:
            for match in _name_pattern(name).finditer(text):
                current = found.get(match.start())
                if current is None or len(name) > current[0]:
                    found[match.start()] = (len(name), party)
    return sorted(((at, party) for at, (_, party) in found.items()), key=lambda pair: pair[0])


def party_ending_before(parties: list[PartyDraft], text: str) -> PartyDraft | None:
    """The party whose name ends `text` (ignoring a trailing auxiliary), e.g. "Ruritanian regulators have"."""
    trimmed = re.sub(r"(?:\s+(?:has|have|had|is|are|was|were|also|now|later|then|,))+\s*$", "", text.rstrip())
    best: tuple[int, PartyDraft] | None = None
    for party in parties:
        for name in party.all_names:
            if re.search(rf"(?<![\w-]){re.escape(name)}\s*$", trimmed, re.IGNORECASE) and (
                best is None or len(name) > best[0]
            ):
                best = (len(name), party)
    return best[1] if best else None
