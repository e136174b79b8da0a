"""Rules extractor, text layer: page furniture out, sentences and clauses in, offsets kept."""

from __future__ import annotations

import pytest

from allegations.extract.rules.text import article_blocks, clauses, is_furniture, split_sentences, tidy


@pytest.mark.parametrize(
    "line",
    [
        "Read Also, Zentrix Unveils Its New Tablet – Specs & Price",
        "Related: Orbis Foods opens a plant in Leeds",
        "Harbour council approves new ferry terminal | The Coastal Gazette",
        "Mayor opens bridge after long delays • Northern Wire",
        "Storm closes airport for a day By Harbor Newswire",
        "Your views matter: post them in the comments section.",
        "For a better experience please update your browser.",
        "Written by: Mira Castellan",
        "Published on March 3, 2022",
        "Image caption Engineers inspect the new turbine",
        "Copyright © 2022 Some Publisher. All Rights Reserved.",
        "• Sports",
        "Newsletter",
        "\\[2\\]: Kessler v. Dorne Holdings, No. 3:19-cv-00123.",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert is_furniture(line, first=False)


@pytest.mark.parametrize(
    "line",
    [
        "Norvane Systems sued Kestrel Labs in a federal court on Monday.",
        "The complaint says the designs were copied.",
        "Is Kestrel spying on its partners?",
        "- Kestrel faces a lawsuit over its sensor designs.",
    ],
)
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert not is_furniture(line, first=False)


def test_the_first_line_is_the_headline_even_when_short() -> None:
    assert not is_furniture("Norvane Sues Kestrel", first=True)


def test_a_feed_headline_glued_to_the_text_is_cut_off() -> None:
    text = "Harbor Daily - Zentrix opens a new storeA robotics firm has sued Kestrel Labs.\n"
    ((start, end),) = article_blocks(text)
    assert text[start:end] == "A robotics firm has sued Kestrel Labs."


def test_a_line_without_a_glued_headline_is_kept_whole() -> None:
    text = "Norvane - the plaintiff - sued Kestrel Labs.\n"
    ((start, end),) = article_blocks(text)
    assert text[start:end] == "Norvane - the plaintiff - sued Kestrel Labs."


@pytest.mark.parametrize("heading", ["## References", "Notes and sources:", "Footnotes & further reading"])
def test_everything_after_a_references_heading_is_furniture(heading: str) -> None:
    text = f"Kestrel Labs sued Norvane.\n\n{heading}\nNorvane v. Kestrel, a case note.\nMore notes here.\n"
    blocks = article_blocks(text)
    assert [text[a:b] for a, b in blocks] == ["Kestrel Labs sued Norvane."]


def test_a_heading_that_only_mentions_notes_ends_nothing() -> None:
    text = "Kestrel Labs sued Norvane.\n\nNotes from the hearing\nThe judge set a date.\n"
    blocks = article_blocks(text)
    assert [text[a:b] for a, b in blocks][-1] == "The judge set a date."


def test_sentences_keep_their_offsets_in_the_article() -> None:
    text = "Headline Of The Day\n\nKestrel Labs Inc. sued Norvane. It wants $5 million.\nSubscribe now\n"
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Headline Of The Day",
        "Kestrel Labs Inc. sued Norvane.",
        "It wants $5 million.",
    ]


def test_clauses_split_at_semicolons_and_clause_conjunctions() -> None:
    text = "Kestrel took the code; it then sold the chips, and it kept the money while Norvane waited."
    (sentence,) = split_sentences(text)
    assert [c.text for c in clauses(sentence)] == [
        "Kestrel took the code",
        "it then sold the chips",
        "it kept the money",
        "Norvane waited",
    ]


def test_a_plain_sentence_is_one_clause() -> None:
    (sentence,) = split_sentences("Kestrel copied the firmware such as the boot loader.")
    assert [c.text for c in clauses(sentence)] == ["Kestrel copied the firmware such as the boot loader"]


def test_tidy_makes_one_clean_sentence() -> None:
    assert tidy("  and kestrel   copied the code ;") == "And kestrel copied the code."
    assert tidy("Norvane asked for damages.") == "Norvane asked for damages."


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by Ilse Marrow; Editing by Bram Toller",
        "Posted in Employment Law, Contracts",
        "Have a tip on a court case? Write to our desk.",
        "The new depot at dusk. Photo: Wenlow Port Agency",
        "This note is for informational purposes only.",
        "Nothing on this page should be taken to constitute legal advice.",
    ],
)
def test_more_furniture_lines(line: str) -> None:
    assert is_furniture(line, first=False)


@pytest.mark.parametrize(
    "line",
    [
        "Tarrance posted in its annual report a loss of $3 million.",
        "The depot's photo archive was copied, Tarrance says.",
    ],
)
def test_text_that_resembles_furniture_is_kept(line: str) -> None:
    assert not is_furniture(line, first=False)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("DUNMORE, Wenl. (Harbor Wire)Tarrance Freight sued Ombra.", "Tarrance Freight sued Ombra."),
        ("(Harbor Wire) DUNMORE — Tarrance Freight sued Ombra.", "Tarrance Freight sued Ombra."),
        ("Tarrance Freight (TF) sued Ombra.", "Tarrance Freight (TF) sued Ombra."),
    ],
)
def test_a_glued_wire_dateline_is_cut_off(line: str, kept: str) -> None:
    (start, end), *_ = article_blocks("Headline Here\n\n" + line + "\n")[1:]
    assert ("Headline Here\n\n" + line + "\n")[start:end] == kept
