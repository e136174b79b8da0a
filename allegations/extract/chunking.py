"""Split long articles on sentence boundaries with overlap; list the sentences a quote may be copied from."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? or … (optionally followed by closing quotes or brackets) before whitespace and a capital,
# digit or opening quote, or at a newline.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*[ \t]+(?=[\"“‘(\[]?[A-Z0-9])|\s*\n\s*")
# Abbreviations that end in a full stop without ending the sentence: U.S., Sen., Inc., Aug., No.
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Inc|Corp|Co|Ltd|Jr|Sr|St|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|Fla|Ore|Calif)\.)$"
)
MAX_CHOICE_CHARS = 300


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences: `text` is `article[start:end]`."""

    start: int
    end: int
    text: str


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, trailing whitespace excluded."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if "\n" not in match.group(0) and _ABBREVIATION.search(text[position : match.start()]):
            continue
        if text[position:end].strip():
            spans.append(_trim(text, position, end))
        position = match.end()
    if text[position:].strip():
        spans.append(_trim(text, position, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_into_chunks(text: str, max_chars: int, overlap_sentences: int = 1) -> list[Chunk]:
    """Chunks of whole sentences up to `max_chars`, each repeating the previous chunk's last sentences.

    A single sentence longer than `max_chars` is cut at whitespace so no chunk exceeds the limit.
    """
    if len(text) <= max_chars:
        return [Chunk(0, len(text), text)]
    spans = [piece for span in sentence_spans(text) for piece in _cut_long(text, span, max_chars)]
    chunks: list[Chunk] = []
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= max_chars:
            last += 1
        start, end = spans[first][0], spans[last][1]
        chunks.append(Chunk(start, end, text[start:end]))
        if last + 1 >= len(spans):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks


def _cut_long(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    start, end = span
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append(_trim(text, start, cut))
        start = cut
    pieces.append(_trim(text, start, end))
    return [p for p in pieces if p[1] > p[0]]


# What a grammar literal cannot carry as JSON: a straight quote or backslash (llama-cpp-python's schema converter
# escapes neither correctly), control characters and whitespace runs (raw in a JSON string they make it invalid),
# and characters beyond U+FFFF (escaped as surrogate pairs, which no token ever produces).
_UNSAFE_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_UNSAFE_DROP = re.compile(r"[\U00010000-\U0010ffff\ud800-\udfff]")


def grammar_safe(text: str) -> str:
    """`text` as a choice any grammar can list and any JSON parser reads back: one space for each run of whitespace
    or control characters, ” for ", / for \\, characters beyond U+FFFF dropped; ends trimmed."""
    text = _UNSAFE_DROP.sub("", text).replace('"', "”").replace("\\", "/")
    return _UNSAFE_SPACE.sub(" ", text).strip()


def quote_choices(text: str, max_chars: int = MAX_CHOICE_CHARS) -> dict[str, str]:
    """The quotes a model may copy, each mapped to the exact article span it stands for, in order.

    One per sentence (long ones cut at clause boundaries), in its `grammar_safe` form; the span is the verbatim text,
    so an answer maps back to the article exactly.
    """
    choices: dict[str, str] = {}
    for start, end in sentence_spans(text):
        for piece in _clauses(text[start:end], max_chars):
            choice = grammar_safe(piece)
            if choice and choice not in choices:
                choices[choice] = piece
    return choices


def _clauses(sentence: str, max_chars: int) -> list[str]:
    """Verbatim pieces of `sentence` of at most `max_chars`, cut after , ; or : where possible."""
    if len(sentence) <= max_chars:
        return [sentence]
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[,;:])\s+", sentence)), len(sentence)]
    pieces: list[str] = []
    start = 0
    for previous, cut in zip(cuts, cuts[1:], strict=False):
        if cut - start > max_chars and previous > start:
            pieces.append(sentence[start:previous])
            start = previous
    pieces.append(sentence[start:])
    return [piece[:max_chars].strip() for piece in pieces if piece[:max_chars].strip()]


# A run of capitalised words, allowing short joiners inside ("Bank of America", "Procter & Gamble").
_WORD = r"[A-Z](?:[\w’'&-]|\.(?=\w))*"
_NAME_RUN = re.compile(rf"(?<![\w’'.])(?:{_WORD})(?:[ ](?:(?:of|for|the|de|du|von|&)[ ])?{_WORD})*")
_TRAILING = ".,’'-"
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "That",
    "This",
    "These",
    "Those",
    "But",
    "And",
    "Or",
    "If",
    "As",
    "By",
    "For",
    "From",
    "How",
    "What",
    "When",
    "Where",
    "Why",
    "Who",
    "After",
    "Before",
    "However",
    "According",
    "Last",
    "Next",
    "Not",
    "Is",
    "Are",
    "Was",
    "Read",
    "Share",
    "Also",
    "Let’s",
    "Then",
    "There",
}


_NOT_PARTIES = re.compile(
    r"^(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|[A-Z][a-z]+(?:ese|ian|ians|ans|istani|ish|ch)|(?:[A-Z]\.)+[A-Z]?|Sens?|Reps?|Gov|Gen|Mrs?|Ms|Dr)$"
)


def name_choices(text: str, limit: int = 80) -> list[str]:
    """Capitalised word runs in `text`, most mentioned first: the names a small model may pick a party from.

    Months, weekdays, nationalities and short abbreviations are left out.
    """
    found: list[str] = []
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).rstrip(_TRAILING).split(" ")
        while words and (words[0] in _NOT_NAMES or words[0].endswith("-based")):
            words = words[1:]
        name = re.sub(r"[’']s$", "", " ".join(words)).rstrip(_TRAILING)
        usable = 2 <= len(name) <= limit and grammar_safe(name) == name and not _NOT_PARTIES.match(name)
        if usable and name not in found:
            found.append(name)
    return sorted(found, key=lambda name: -text.count(name))
