"""Sentence splitting, chunking with overlap, quote choices, and the merge that removes duplicates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from allegations.extract.chunking import quote_choices, sentence_spans, split_into_chunks
from allegations.extract.merge import dedupe, merge_parties

TEXT = (
    "The U.S. firm Acme Inc. sued Beta Corp. on Aug. 11 in a court in Ohio. "
    "Sen. Jane Roe (D-Ore.) said nothing. “It is over,” a spokesman said.\n"
    "Beta denies it! Will it settle? Nobody knows."
)


def test_sentences_do_not_end_at_abbreviations() -> None:
    sentences = [TEXT[s:e] for s, e in sentence_spans(TEXT)]
    assert sentences == [
        "The U.S. firm Acme Inc. sued Beta Corp. on Aug. 11 in a court in Ohio.",
        "Sen. Jane Roe (D-Ore.) said nothing.",
        "“It is over,” a spokesman said.",
        "Beta denies it!",
        "Will it settle?",
        "Nobody knows.",
    ]


def test_short_text_is_one_chunk() -> None:
    chunks = split_into_chunks(TEXT, max_chars=10_000)
    assert len(chunks) == 1 and chunks[0].text == TEXT and (chunks[0].start, chunks[0].end) == (0, len(TEXT))


def test_chunks_overlap_by_one_sentence_and_cover_the_text() -> None:
    chunks = split_into_chunks(TEXT, max_chars=110)
    assert [c.text[:15] for c in chunks] == ["The U.S. firm A", "Sen. Jane Roe (", "Will it settle?"]
    for chunk in chunks:
        assert TEXT[chunk.start : chunk.end] == chunk.text and len(chunk.text) <= 110
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start < before.end  # the next chunk repeats the end of the previous one
    covered = {i for c in chunks for i in range(c.start, c.end)}
    assert all(i in covered or TEXT[i].isspace() for i in range(len(TEXT)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefgh XYZ", min_size=1, max_size=120), min_size=1, max_size=20),
    st.integers(min_value=40, max_value=400),
)
def test_chunks_never_exceed_the_limit_and_stay_verbatim(sentences: list[str], limit: int) -> None:
    text = ". ".join(s.strip() or "x" for s in sentences) + "."
    for chunk in split_into_chunks(text, max_chars=limit):
        assert len(chunk.text) <= limit and text[chunk.start : chunk.end] == chunk.text


def test_quote_choices_are_verbatim_sentences_and_long_ones_are_cut_at_clauses() -> None:
    long_sentence = "Acme says " + ", ".join(f"item {i} was taken" for i in range(40)) + "."
    choices = quote_choices(TEXT + " " + long_sentence, max_chars=120)
    assert list(choices)[0] == "The U.S. firm Acme Inc. sued Beta Corp. on Aug. 11 in a court in Ohio."
    assert all(len(c) <= 120 for c in choices)
    assert all(c == span and c in TEXT + " " + long_sentence for c, span in choices.items())
    assert sum(c.startswith("item") for c in choices) > 3  # cut at commas, not mid-clause


def test_a_quote_choice_reads_back_as_the_exact_article_span() -> None:
    text = 'Acme said\t"we  will \\ win"\r today 🎉. Beta said nothing.'
    assert quote_choices(text) == {
        "Acme said ”we will / win” today .": 'Acme said\t"we  will \\ win"\r today 🎉.',
        "Beta said nothing.": "Beta said nothing.",
    }


def _party(name: str, aliases: list[str] | None = None) -> dict:
    return {"name": name, "aliases": aliases or [], "kind": "company", "role": "other", "evidence": [{"quote": name}]}


def test_parties_from_overlapping_chunks_merge_by_name_and_alias() -> None:
    merged = merge_parties([_party("Acme Inc.", ["Acme"]), _party("ACME INC."), _party("Acme", ["Acme Labs"])])
    assert len(merged) == 1 and merged[0]["name"] == "Acme Inc." and merged[0]["aliases"] == ["Acme", "Acme Labs"]


def test_an_alias_that_names_another_party_does_not_merge_them() -> None:
    merged = merge_parties(
        [_party("Business Efficiency Solutions", ["Huawei"]), _party("Huawei"), _party("BES"), _party("Acme", ["BES"])]
    )
    assert [(p["name"], p["aliases"]) for p in merged] == [
        ("Business Efficiency Solutions", []),
        ("Huawei", []),
        ("BES", []),
        ("Acme", []),
    ]
    merged = merge_parties([_party("Business Efficiency Solutions", ["BES"]), _party("BES")])
    assert [(p["name"], p["aliases"]) for p in merged] == [("Business Efficiency Solutions", ["BES"])]


def test_small_model_aliases_must_be_short_forms_of_the_name() -> None:
    records = [
        _party("Business Efficiency Solutions", ["BES", "Huawei"]),
        _party("Huawei Technologies", ["Huawei-China"]),
    ]
    merged = merge_parties(records, short_aliases_only=True)
    assert [(p["name"], p["aliases"]) for p in merged] == [
        ("Business Efficiency Solutions", ["BES"]),
        ("Huawei Technologies", ["Huawei-China"]),
    ]
    assert merge_parties(records)[0]["aliases"] == ["BES", "Huawei"]


def test_records_repeated_by_the_overlap_are_kept_once() -> None:
    parties = merge_parties([_party("Acme Inc.", ["Acme"]), _party("Beta Corp.")])
    record = {
        "claimant": "Acme",
        "accused": "Beta Corp.",
        "category": "other",
        "evidence": [{"quote": "q", "start": 5}],
    }
    same_by_alias = {**record, "claimant": "acme inc.", "summary": "worded differently"}
    elsewhere = {**record, "evidence": [{"quote": "q", "start": 90}]}
    assert dedupe("allegations", [record, same_by_alias, elsewhere], parties) == [record, elsewhere]
