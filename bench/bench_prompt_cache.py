"""Prompt tokens the embedded server really evaluates per article: article-last prompts against article-first ones.

Each layout runs the same corpus articles through its own fresh embedded server (the command line of `allegations
extract`, under `bench.counting_server`, which counts the prompt tokens llama.cpp decodes after its prefix cache).
A loopback proxy in front of it has the server evaluate each request's prompt and generate one token, then answers
the pipeline with a valid scripted answer built from the request's own schema (its first allowed names and
sentences). Both layouts thus send the same sequence of passes, and the server's grammar-bound generation, which
would take hours on a busy two-core machine, is left out: the figures are prompt evaluation only.
Article-last is the message order the passes used before: instructions and example first, so every pass re-read
the whole article.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

import httpx2

from allegations.core.corpus import load_corpus
from allegations.core.paths import DEFAULT_CORPUS
from allegations.extract import passes, prompts
from allegations.extract.models import resolve
from allegations.extract.server import find_gguf, free_port, server_command, stop_process, wait_until_ready
from allegations.extract.settings import BackendSettings
from bench.counting_server import prompt_tokens_evaluated
from bench.fake_openai import completion_for, minimal_instance
from bench.figures import figure
from bench.pipeline import embedded_equivalent_settings, require, timed_extract
from bench.runner import ROOT, write_partial

TARGET_REDUCTION = 0.30  # at least 30% fewer prompt tokens evaluated per article


def article_last_messages(record_type: str, article_text: str, party_names: list[str]) -> list[dict[str, str]]:
    """The message order before prompt-cache reuse: system rules, the worked example, then the article."""

    def user_message(text: str, names: list[str]) -> str:
        parts = [prompts.INSTRUCTIONS[record_type]]
        if record_type != "parties":
            parts.append("Parties: " + "; ".join(names) + ".")
        parts.append(f"{prompts.ARTICLE_OPEN}\n{text}\n{prompts.ARTICLE_CLOSE}")
        return "\n".join(parts)

    example = json.dumps(prompts.EXAMPLE_ANSWERS[record_type], ensure_ascii=False)
    return [
        {"role": "system", "content": prompts.COMMON},
        {"role": "user", "content": user_message(prompts.EXAMPLE_ARTICLE, prompts.EXAMPLE_PARTY_NAMES)},
        {"role": "assistant", "content": example},
        {"role": "user", "content": user_message(article_text, party_names)},
    ]


LAYOUTS = {"article-last": article_last_messages, "article-first": prompts.build_messages}


@contextlib.contextmanager
def counting_server(settings: BackendSettings, log: Path) -> Iterator[str]:
    """The embedded server's command line, run under the counting wrapper; yields its base URL."""
    assert settings.n_ctx and settings.n_threads and settings.n_batch
    port = free_port()
    command = server_command(
        settings.gguf or find_gguf(),
        port,
        model=settings.model,
        n_ctx=settings.n_ctx,
        seed=settings.seed,
        threads=settings.n_threads,
        batch=settings.n_batch,
    )
    command[1:3] = ["-m", "bench.counting_server"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_ready(url, process, log, 120.0)
        yield url
    finally:
        stop_process(process)


def scripted_answer(parameters: dict[str, Any]) -> dict[str, Any]:
    """Two items (at most the schema's maximum), each field its first allowed value shifted by item and position."""
    defs = parameters.get("$defs", {})

    def value(schema: dict[str, Any], index: int) -> Any:
        if "$ref" in schema:
            return value(defs[schema["$ref"].rsplit("/", 1)[-1]], index)
        if "enum" in schema:
            return schema["enum"][index % len(schema["enum"])]
        if any(option.get("type") == "null" for option in schema.get("anyOf", [])):
            return None
        if schema.get("type") == "array":
            return [value(schema.get("items", {}), index + i) for i in range(min(2, schema.get("maxItems", 2)))]
        if schema.get("type") == "object":
            return {name: value(field, index + i) for i, (name, field) in enumerate(schema["properties"].items())}
        if schema.get("type") == "string":
            return "A short summary."
        return minimal_instance(schema, defs)

    return value(parameters, 0)


class _PromptOnlyProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream_root: str) -> None:
        super().__init__(("127.0.0.1", 0), _PromptOnlyHandler)
        self.upstream_root = upstream_root


class _PromptOnlyHandler(BaseHTTPRequestHandler):
    server: _PromptOnlyProxy

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        response = httpx2.get(self.server.upstream_root + self.path, timeout=60)
        self._send(response.status_code, response.json())

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        prompt_only = {k: v for k, v in request.items() if k not in ("tools", "tool_choice")} | {"max_tokens": 1}
        upstream = httpx2.post(self.server.upstream_root + self.path, json=prompt_only, timeout=3600).json()
        tool = request["tools"][0]["function"]
        completion = completion_for(request, {tool["name"]: scripted_answer(tool["parameters"])})
        completion["usage"] = upstream["usage"]
        self._send(200, completion)


@contextlib.contextmanager
def prompt_only_proxy(server_url: str) -> Iterator[str]:
    """A loopback proxy in front of the server: real prompt evaluation, scripted answers; yields its base URL."""
    root = server_url.rsplit("/v1", 1)[0]
    proxy = _PromptOnlyProxy(root)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}/v1"
    finally:
        proxy.shutdown()
        proxy.server_close()


def run_layout(name: str, articles: list[Any], folder: Path) -> dict[str, Any]:
    """One layout over the articles, one at a time, with its own server and cache."""
    settings = resolve(BackendSettings())
    log = folder / f"server-{name}.log"
    rows = []
    with (
        counting_server(settings, log) as server_url,
        prompt_only_proxy(server_url) as url,
        mock.patch.object(passes, "build_messages", LAYOUTS[name]),
    ):
        run_settings = embedded_equivalent_settings(url)
        for article in articles:
            before = len(prompt_tokens_evaluated(log))
            run = timed_extract([article], folder, run_settings, folder / f"cache-{name}.sqlite")
            require(run.summary.from_cache == 0 and run.summary.succeeded == 1, "the run did not extract the article")
            evaluated = prompt_tokens_evaluated(log)[before:]
            rows.append(
                {
                    "article_id": article.id,
                    "seconds": run.seconds,
                    "requests": len(evaluated),
                    "prompt_tokens_sent": run.summary.cost.prompt_tokens,
                    "prompt_tokens_evaluated": sum(evaluated),
                }
            )
    return {"layout": name, "rows": rows}


def run(*, quick: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Both layouts over the corpus (one article when quick, or BENCH_PROMPT_ARTICLES of them)."""
    count = 1 if quick else int(os.environ.get("BENCH_PROMPT_ARTICLES", "0")) or None
    articles = load_corpus(ROOT / DEFAULT_CORPUS)[:count]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-prompt-") as tmp:
        for name in LAYOUTS:
            results[name] = run_layout(name, articles, Path(tmp))
            write_partial(summarise(results))
    return summarise(results)


def summarise(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per-article figures for each layout finished so far, and the reduction once both are."""
    figures: dict[str, Any] = {}
    for name, result in results.items():
        rows = result["rows"]
        figures[f"{name}: prompt tokens evaluated/article"] = figure(
            [r["prompt_tokens_evaluated"] for r in rows], "tok", note="tokens the server decoded, cache hits excluded"
        )
        figures[f"{name}: prompt tokens sent/article"] = figure([r["prompt_tokens_sent"] for r in rows], "tok")
        figures[f"{name}: seconds/article"] = figure(
            [r["seconds"] for r in rows], "s", note="prompt evaluation and one token per pass; no real generation"
        )
    info: dict[str, Any] = {name: result["rows"] for name, result in results.items()}
    if len(results) == len(LAYOUTS):
        before, after = (results[name]["rows"] for name in LAYOUTS)
        pairs = list(zip(before, after, strict=True))
        require([r["article_id"] for r in before] == [r["article_id"] for r in after], "the layouts saw other articles")
        figures["evaluated prompt tokens saved"] = figure(
            [
                1 - a["prompt_tokens_evaluated"] / b["prompt_tokens_evaluated"]
                for b, a in zip(before, after, strict=True)
            ],
            "",
            target=(">=", TARGET_REDUCTION),
            note="per article: 1 - article-first / article-last",
        )
        require([b["requests"] for b, _ in pairs] == [a["requests"] for _, a in pairs], "the layouts sent other passes")
    return {"figures": figures, "info": info}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, default=str))
