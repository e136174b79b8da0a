"""llama-cpp-python's server, counting the prompt tokens each completion really evaluates (prompt-cache hits excluded).

Run as `python -m bench.counting_server <the server's usual arguments>`; every completion logs one line
`bench-prompt-eval: <tokens>` to stderr, which `prompt_tokens_evaluated` reads back from the server's log.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MARK = "bench-prompt-eval:"
_LINE = re.compile(rf"^{re.escape(MARK)} (\d+)$", re.MULTILINE)


def prompt_tokens_evaluated(log: Path) -> list[int]:
    """The evaluated prompt tokens of every completion in a counting server's log, in order."""
    return [int(n) for n in _LINE.findall(log.read_text(errors="replace"))]


def _install() -> None:
    from llama_cpp import Llama

    original_generate, original_eval = Llama.generate, Llama.eval
    state = {"prompt": False, "count": 0}

    def evaluate(self: Any, tokens: Any) -> None:
        if state["prompt"]:  # the decode before the first sampled token: the part of the prompt not in the cache
            state["count"] += len(tokens)
        original_eval(self, tokens)

    def generate(self: Any, tokens: Any, *args: Any, **kwargs: Any) -> Iterator[int]:
        state["prompt"], state["count"] = True, 0
        try:
            for token in original_generate(self, tokens, *args, **kwargs):
                if state["prompt"]:
                    state["prompt"] = False
                    print(f"{MARK} {state['count']}", file=sys.stderr, flush=True)
                yield token
        finally:
            state["prompt"] = False

    Llama.eval = evaluate  # type: ignore[method-assign,assignment]
    Llama.generate = generate  # type: ignore[method-assign,assignment]


if __name__ == "__main__":
    _install()
    from llama_cpp.server.__main__ import main

    sys.argv[0] = "llama_cpp.server"
    main()
