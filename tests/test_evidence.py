"""Quote alignment: verbatim, typographic, nearest occurrence, and refusal of ungrounded quotes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from allegations.schemas import Alignment, Evidence, align_quote, describe_errors, ground

TEXT = "He said “it was a ‘backdoor’”  to  spy.\nBES sued. BES won."


@pytest.mark.parametrize(
    ("quote", "expected", "alignment"),
    [
        ("BES sued", "BES sued", Alignment.exact),
        ("\"it was a 'backdoor'\"", "“it was a ‘backdoor’”", Alignment.typographic),
        ("backdoor’” to spy", "backdoor’”  to  spy", Alignment.typographic),
        ("to spy. BES", "to  spy.\nBES", Alignment.typographic),
    ],
)
def test_align_quote_finds_the_span(quote: str, expected: str, alignment: Alignment) -> None:
    span = align_quote(TEXT, quote)
    assert span is not None
    start, end, found = span
    assert TEXT[start:end] == expected
    assert found is alignment


@pytest.mark.parametrize("quote", ["bes sued", "BES lost", "", "   ", "spy!"])
def test_align_quote_refuses_what_is_not_there(quote: str) -> None:
    assert align_quote(TEXT, quote) is None


def test_align_quote_prefers_the_occurrence_nearest_the_hint() -> None:
    second = TEXT.rindex("BES")
    assert align_quote(TEXT, "BES", hint=second - 2)[0] == second
    assert align_quote(TEXT, "BES")[0] == TEXT.index("BES")


def test_evidence_offsets_are_computed_not_trusted() -> None:
    ev = Evidence.model_validate({"quote": "BES won", "start": 0, "end": 7}, context={"text": TEXT})
    assert (ev.start, ev.end, ev.alignment) == (TEXT.index("BES won"), TEXT.index("BES won") + 7, Alignment.exact)


def test_evidence_stores_the_article_span_for_typographic_matches() -> None:
    ev = Evidence.model_validate({"quote": "'backdoor'"}, context={"text": TEXT})
    assert ev.quote == "‘backdoor’" and TEXT[ev.start : ev.end] == ev.quote
    assert ev.alignment is Alignment.typographic


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"quote": "not in the text"}, None, "quote not found in the article text: 'not in the text'"),
        ({"quote": ""}, "quote", "string_too_short"),
        ({"quote": "BES", "start": -1}, "start", "greater_than_equal"),
        ({"quote": "BES", "extra": 1}, "extra", "extra_forbidden"),
    ],
)
def test_bad_evidence_fails_with_a_reason(data: dict, field: str | None, reason: str) -> None:
    """The project's own message word for word; for pydantic's checks, the field and the check (not its wording)."""
    with pytest.raises(ValidationError) as err:
        Evidence.model_validate(data, context={"text": TEXT})
    (error,) = err.value.errors()
    if field is None:
        assert describe_errors(err.value) == [reason]
    else:
        assert (error["loc"], error["type"]) == ((field,), reason)


def test_evidence_without_context_checks_its_own_span() -> None:
    Evidence.model_validate({"quote": "abc", "start": 3, "end": 6})
    with pytest.raises(ValidationError, match="end - start must equal"):
        Evidence.model_validate({"quote": "abc", "start": 3, "end": 9})


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_aligns_exactly_to_itself(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    span = align_quote(text, quote, hint=start)
    assert span is not None
    assert text[span[0] : span[1]] == quote
    assert span[2] is Alignment.exact


@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "“", '"', "—", "-", "’"]), min_size=1, max_size=60), st.data())
def test_typographic_alignment_always_returns_a_real_span(chars: list[str], data: st.DataObject) -> None:
    text = "".join(chars)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end].replace("“", '"').replace("—", "-").replace("’", "'")
    span = align_quote(text, quote)
    if span is not None:
        found = text[span[0] : span[1]]
        from allegations.schemas import normalise_typography

        assert normalise_typography(found) == normalise_typography(quote)


def test_validating_a_typographic_match_again_changes_nothing() -> None:
    first = Evidence.model_validate({"quote": "'backdoor'"}, context={"text": TEXT})
    again = Evidence.model_validate(first.model_dump(), context={"text": TEXT})
    assert again == first and again.alignment is Alignment.typographic


def test_ground_is_the_one_test_of_a_quote_in_its_text() -> None:
    text = "Acme sued. Beta paid. Acme sued."
    assert ground(text, "Acme sued.", 22, 32) == (22, 32)  # the recorded span, when the text there is the quote
    assert ground(text, "Acme sued.", 3, 13) == (0, 10)  # else the occurrence nearest the recorded start
    assert ground(text, "Acme sued.") == (0, 10)
    assert ground("Acme “sued”.", 'Acme "sued".') == (0, 12)  # typography folded, as the validators fold it
    assert ground(text, "Gamma sued.") is None and ground(text, " ", 4, 5) is None
