"""Every response schema the embedded backend sends becomes a grammar that llama.cpp itself accepts, for any text.

llama-cpp-python's server dies on a grammar it cannot parse, and a choice whose JSON the grammar spells wrongly
(a raw line break, a lone surrogate) can only be answered with invalid JSON; this checks the grammars with
llama.cpp's own parser and sampler (vocabulary only, no weights).
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterator

import llama_cpp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from llama_cpp import Llama
from llama_cpp.llama_grammar import json_schema_to_gbnf

from allegations.extract.chunking import grammar_safe, name_choices, quote_choices
from allegations.extract.responses import ITEM_MODELS, response_model, to_record
from allegations.extract.server import find_gguf

TEXT = (
    "Acme Robotics Inc. sued “Beta” Freight in the U.S. District Court on Aug. 11, 2021, saying Beta’s staff "
    'copied its "secret" designs \\ plans. Acme seeks $4.5 million, plus fees; Beta denies it.'
)
# Pieces ordinary and damaged articles contain; hypothesis mixes them with arbitrary Unicode.
AWKWARD = [
    '"',
    "“",
    "”",
    "’",
    "\\",
    '\\"',
    "\n",
    "\r\n",
    "\n\n",
    "\t",
    "\x00",
    "\x08",
    "\x0c",
    "\x1b",
    "\x85",
    "\u2028",
    "Â¬â€ ",
    "â€œ",
    "Ã©",
    "🎉",
    "👩‍⚖️",
    ". ",
    ", ",
    "Acme ",
    "Beta Corp",
    "The ",
    "[",
    "]",
    "{",
    "-",
    " ",
]
texts = st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def vocab() -> Iterator[object]:
    model = Llama(model_path=str(find_gguf()), vocab_only=True, verbose=False)
    yield llama_cpp.llama_model_get_vocab(model._model.model)
    model.close()


def _accepted(vocab: object, grammar: str) -> bool:
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


def _allows(sampler: object, token: int) -> bool:
    data = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
    candidates = llama_cpp.llama_token_data_array(data, 1, -1, False)
    llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
    return bool(data[0].logit > float("-inf"))


def _generates(vocab: object, grammar: str, output: str) -> bool:
    """Whether a model held to `grammar` can write exactly `output` and stop there."""
    encoded = output.encode("utf-8")
    tokens = (llama_cpp.llama_token * (len(encoded) + 8))()
    count = llama_cpp.llama_tokenize(vocab, encoded, len(encoded), tokens, len(tokens), False, False)
    assert count >= 0
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    assert sampler, grammar
    try:
        for token in tokens[:count]:
            if not _allows(sampler, token):
                return False
            llama_cpp.llama_sampler_accept(sampler, token)
        return _allows(sampler, llama_cpp.llama_vocab_eos(vocab))
    finally:
        llama_cpp.llama_sampler_free(sampler)


def _enum_grammar(choices: list[str]) -> str:
    """The grammar llama-cpp-python's server makes of a choice field, as `responses._constrain` writes it."""
    return json_schema_to_gbnf(json.dumps({"type": "string", "enum": choices}))


def test_the_parser_rejects_what_it_does_not_know(vocab: object) -> None:
    assert _accepted(vocab, 'root ::= "a"') and not _accepted(vocab, 'root ::= "\\d"')
    assert not _accepted(vocab, _enum_grammar(['say "no"']))  # the converter's own escaping breaks on a quote


def test_the_sampler_check_tells_a_choice_from_its_neighbours(vocab: object) -> None:
    grammar = _enum_grammar(["Acme sued Beta.", "Beta denies it."])
    assert _generates(vocab, grammar, '"Beta denies it."')
    assert not _generates(vocab, grammar, '"Beta denies it"')
    assert not _generates(vocab, grammar, '"Beta denies it."!')
    assert not _generates(vocab, _enum_grammar(["a\nb"]), '"a\\nb"')  # a line break is spelled raw: invalid JSON


@pytest.mark.parametrize("record_type", list(ITEM_MODELS))
def test_constrained_response_schemas_become_valid_grammars(vocab: object, record_type: str) -> None:
    model = response_model(
        record_type,
        quote_choices=list(quote_choices(TEXT)),
        party_names=None if record_type == "parties" else ["Acme Robotics Inc.", "Beta"],
        name_choices=name_choices(TEXT) if record_type == "parties" else None,
        constrained=True,
    )
    schema = model.model_json_schema()
    quotes = schema["$defs"][ITEM_MODELS[record_type].__name__]["properties"]["quote"]["enum"]
    assert any("its ”secret” designs / plans." in quote for quote in quotes), quotes
    grammar = json_schema_to_gbnf(json.dumps(schema))
    assert _accepted(vocab, grammar), grammar


@settings(max_examples=150, deadline=None)
@given(text=texts, parties=st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(min_size=1, max_size=20))))
def test_any_text_gives_grammars_llama_cpp_parses(vocab: object, text: str, parties: list[str]) -> None:
    for record_type in ITEM_MODELS:
        model = response_model(
            record_type,
            quote_choices=list(quote_choices(text)),
            party_names=None if record_type == "parties" else parties,
            name_choices=name_choices(text) if record_type == "parties" else None,
            constrained=True,
        )
        grammar = json_schema_to_gbnf(json.dumps(model.model_json_schema()))
        assert _accepted(vocab, grammar), (record_type, text, grammar)


@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_every_choice_is_written_as_valid_json_and_reads_back_as_its_article_span(vocab: object, text: str) -> None:
    quotes = quote_choices(text)
    choices = [*quotes, *name_choices(text)]
    if not choices:
        return
    grammar = _enum_grammar(choices)
    for choice in choices:
        output = json.dumps(choice, ensure_ascii=False)
        assert output == f'"{choice}"', "a choice that needs escapes in JSON"
        assert _generates(vocab, grammar, output), (choice, grammar)
        assert json.loads(output) == choice
    for choice, span in quotes.items():
        assert span in text and grammar_safe(span) == choice


def test_a_chosen_quote_is_recorded_as_the_exact_article_span() -> None:
    text = 'Acme Inc.\tsaid "Beta  copied\nus" \\ twice.'
    (choice, span), *_ = quote_choices(text).items()
    model = response_model("parties", quote_choices=[choice], name_choices=["Acme Inc."], constrained=True)
    answer = {"items": [{"name": "Acme Inc.", "kind": "company", "role": "plaintiff", "quote": choice}]}
    context = {"text": text, "parties": None, "quote_of": {choice: span}}
    item = model.model_validate(answer, context=context).model_dump(mode="json")["items"][0]
    assert choice != span and item["quote"] == span
    assert to_record("parties", item, text, 10)["evidence"] == [{"quote": span, "start": 10}]
