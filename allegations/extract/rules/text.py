"""Page furniture out, sentences and clauses in: every unit keeps its character offsets in the article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from allegations.extract.rules.lexicon import FURNITURE_PHRASES, FURNITURE_PREFIXES, REFERENCE_HEADINGS
from allegations.extract.rules.patterns import pipeline

SHORT_LINE_WORDS = 5
"""A line of at most this many words with no closing punctuation is a label, menu item or byline."""

_CLOSING = tuple(".!?\"”’'):")
_REFERENCE_MARK = re.compile(r"^\\?\[\d+\\?\]")
_OUTLET_TAIL = re.compile(r"\s(?:\||•|\u2022)\s+\S[^.!?]*$|\sBy\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?$")
# A feed headline glued to the first sentence: "Outlet - Some headline textA sentence starts here".
_GLUED_HEADLINE = re.compile(r"^[^.!?]{3,160}?\s[-–—|]\s[^.!?]*?[a-z](?=[A-Z][\w.]*\s)")
# A wire dateline glued to the first sentence: "LYON, France (Wire Name)Acme ...", "(Wire Name) - Acme ...".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*)?\([A-Z][^()]{1,40}\)\s*"
    r"(?:(?:[A-Z][A-Za-z.' ]{1,30}?\s*)?[-–—]\s*)?(?=[A-Z])"
)
# A headline run into the first sentence with no break at all: "... over late rentThe landlord said ...".
_RUN_ON_HEADLINE = re.compile(
    r"^(?:\S+\s+){2,25}?\S*?[a-z](?=(?:The|A|An|In|On|At|After|Before|For|When|While|Its|Two|Three|Four)\s)"
)
_BULLET = re.compile(r"^[•\-*–]\s")
_HEADING_MARK = re.compile(r"^#+\s*")
_HEADING_JOINS = re.compile(r"\s*(?:,|&|\band\b)\s*")
CLAUSE_BREAK_WORDS = frozenset({"while", "whereas", "because", "but", "although", "though", "however"})
DETERMINERS = frozenset({"the", "a", "an", "it", "they", "he", "she", "its", "their", "his", "her", "this", "that"})


@dataclass(frozen=True)
class Sentence:
    """A sentence of article text: its tokens, where it starts in the article, and its paragraph."""

    span: Span
    offset: int
    paragraph: int
    index: int

    @property
    def start(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        return self.offset + self.span.end_char

    @cached_property
    def clause_spans(self) -> list[Span]:
        return _cut_clauses(self)

    @cached_property
    def title_case(self) -> bool:
        """A headline-style line: most of its words are capitalised (a case caption is not one)."""
        words = [t for t in self.span if t.is_alpha and len(t) > 3]
        if len(words) < 3 or self.span.text.rstrip().endswith(".") or is_caption(self):
            return False
        return sum(t.text[0].isupper() for t in words) / len(words) >= 0.8

    def chars(self, start_token: int, end_token: int) -> tuple[int, int]:
        """Article offsets of tokens [start_token, end_token) of this sentence's document."""
        doc = self.span.doc
        return self.offset + doc[start_token].idx, self.offset + doc[end_token - 1].idx + len(doc[end_token - 1])


def is_title_case_line(sentence: Sentence) -> bool:
    """A headline-style line: most of its words are capitalised."""
    return sentence.title_case


def is_caption(sentence: Sentence) -> bool:
    """A case caption, "Acme Robotics, Inc. v. Globex Corp.": its names are the litigants."""
    return any(t.lower_ in {"v.", "vs.", "versus"} for t in sentence.span)


def is_furniture(line: str, first: bool) -> bool:
    """Whether one stripped line of the article is page furniture rather than article text."""
    lowered = line.casefold()
    if _REFERENCE_MARK.match(line) or lowered.startswith(FURNITURE_PREFIXES):
        return True
    if any(phrase in lowered for phrase in FURNITURE_PHRASES):
        return True
    closed = line.endswith(_CLOSING)
    if not closed and _OUTLET_TAIL.search(line):
        return True
    if _BULLET.match(line) and not closed and len(line.split()) <= 8:
        return True
    return not first and not closed and len(line.split()) <= SHORT_LINE_WORDS


def _is_reference_heading(heading: str) -> bool:
    """ "References", "Notes and sources", "Footnotes & further reading": a heading made of reference headings."""
    parts = [part for part in _HEADING_JOINS.split(heading) if part]
    return bool(parts) and all(part in REFERENCE_HEADINGS for part in parts)


def article_blocks(text: str) -> list[tuple[int, int]]:
    """The [start, end) ranges of article text: one per paragraph line, furniture removed."""
    blocks: list[tuple[int, int]] = []
    position = 0
    in_references = False
    for raw in text.splitlines(keepends=True):
        line_start, position = position, position + len(raw)
        stripped = raw.strip()
        if not stripped or in_references:
            continue
        heading = _HEADING_MARK.sub("", stripped).rstrip(":").casefold()
        if _is_reference_heading(heading):
            in_references = True
            continue
        if is_furniture(stripped, first=not blocks):
            continue
        start = line_start + raw.index(stripped)
        glued = _GLUED_HEADLINE.match(stripped) or _DATELINE.match(stripped)
        run_on = _RUN_ON_HEADLINE.match(stripped) if not blocks and not glued else None
        if run_on is not None and not any(c in run_on.group() for c in ".!?"):
            blocks.append((start, start + run_on.end()))  # the headline and the first sentence, apart
            start += run_on.end()
            stripped = stripped[run_on.end() :]
        blocks.append((start + (glued.end() if glued else 0), start + len(stripped)))
    return blocks


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of article text, in order, with offsets into `text`."""
    blocks = article_blocks(text)
    docs: list[Doc] = list(pipeline().pipe(text[start:end] for start, end in blocks))
    sentences: list[Sentence] = []
    for paragraph, ((start, _), doc) in enumerate(zip(blocks, docs, strict=True)):
        for sent in doc.sents:
            if any(not t.is_space for t in sent):
                sentences.append(Sentence(span=sent, offset=start, paragraph=paragraph, index=len(sentences)))
    return sentences


def clauses(sentence: Sentence) -> list[Span]:
    """The sentence cut at semicolons, colons and clause-opening conjunctions ("while", ", and", "as the")."""
    return sentence.clause_spans


def _cut_clauses(sentence: Sentence) -> list[Span]:
    span = sentence.span
    doc = span.doc
    cuts = [span.start]
    for token in span[1:]:
        previous = doc[token.i - 1]
        lowered = token.lower_
        if lowered in {";", ":"}:
            cuts.append(token.i + 1)
        elif _opens_clause(token, previous):
            cuts.append(token.i)
    cuts.append(span.end)
    pieces = [doc[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return [trim(piece) for piece in pieces if any(t.is_alpha for t in piece)]


def _opens_clause(token: Token, previous: Token) -> bool:
    lowered = token.lower_
    if lowered in CLAUSE_BREAK_WORDS or (previous.text == "," and lowered in {"and", "or"}):
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        lowered == "as"
        and following is not None
        and following.lower_ in DETERMINERS
        and previous.lower_ not in {"such", "as", "so", "same"}
    )


def trim(span: Span) -> Span:
    """Drop leading and trailing punctuation, spaces and joining words from a span."""
    doc = span.doc
    start, end = span.start, span.end
    joiners = {"and", "or", "but", "while", "whereas", "because", "although", "though", "however", "as", "that"}
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in joiners):
        if doc[start].text in {"“", '"', "‘"} and start + 1 < end and doc[start + 1].is_alpha:
            break
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in {"”", '"'}:
        end -= 1
    return doc[start:end]


def tidy(text: str, limit: int = 400) -> str:
    """A clause as one tidy sentence: single spaces, capitalised, closed with a full stop."""
    cleaned = " ".join(text.split()).strip(" ,;:-–—…'\"‘’“”")
    if not cleaned:
        return text.strip()[:limit] or "-"
    cleaned = cleaned[0].upper() + cleaned[1:]
    if not cleaned.endswith((".", "!", "?")):
        cleaned += "."
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
