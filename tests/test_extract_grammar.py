"""Every response schema the embedded backend sends becomes a grammar that llama.cpp itself accepts.

llama-cpp-python falls back to unconstrained JSON when its grammar fails to parse, so a bad pattern would only
show as worse output; this checks the grammars with llama.cpp's own parser (vocabulary only, no weights).
"""

from __future__ import annotations

import json

import llama_cpp
import pytest
from llama_cpp import Llama
from llama_cpp.llama_grammar import json_schema_to_gbnf

from allegations.extract.chunking import name_choices, quote_choices
from allegations.extract.responses import ITEM_MODELS, response_model
from allegations.extract.server import find_gguf

TEXT = (
    "Acme Robotics Inc. sued “Beta” Freight in the U.S. District Court on Aug. 11, 2021, saying Beta’s staff "
    'copied its "secret" designs \\ plans. Acme seeks $4.5 million, plus fees; Beta denies it.'
)


@pytest.fixture(scope="module")
def vocab() -> object:
    model = Llama(model_path=str(find_gguf()), vocab_only=True, verbose=False)
    yield llama_cpp.llama_model_get_vocab(model._model.model)
    model.close()


def _accepted(vocab: object, grammar: str) -> bool:
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


def test_the_parser_rejects_what_it_does_not_know(vocab: object) -> None:
    assert _accepted(vocab, 'root ::= "a"') and not _accepted(vocab, 'root ::= "\\d"')


@pytest.mark.parametrize("record_type", list(ITEM_MODELS))
def test_constrained_response_schemas_become_valid_grammars(vocab: object, record_type: str) -> None:
    model = response_model(
        record_type,
        quote_choices=quote_choices(TEXT),
        party_names=None if record_type == "parties" else ["Acme Robotics Inc.", "Beta"],
        name_choices=name_choices(TEXT) if record_type == "parties" else None,
        constrained=True,
    )
    grammar = json_schema_to_gbnf(json.dumps(model.model_json_schema()))
    assert _accepted(vocab, grammar), grammar
