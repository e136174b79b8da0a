"""Test doubles for the model server: canned tool-call completions behind httpx2.MockTransport, and a queued fake."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2

from allegations.extract.client import ModelClient, build_client
from allegations.extract.settings import BackendSettings
from allegations.schemas import Article
from bench.fake_openai import chat_completion, models_list

MOCK_URL = "http://127.0.0.1:9/v1"
MODEL = "test-model"

ARTICLE_TEXT = (
    "Harbor Mills Ltd. has sued Copperfield Analytics in a federal court in Maine. "
    "Harbor Mills says Copperfield kept its customer database after their contract ended. "
    "The two firms signed a $3 million contract in 2020 for data services. "
    "Harbor Mills seeks $9 million in damages from Copperfield."
)

PARTIES = {
    "items": [
        {
            "name": "Harbor Mills Ltd.",
            "alias": "Harbor Mills",
            "kind": "company",
            "role": "plaintiff",
            "quote": "Harbor Mills Ltd. has sued Copperfield Analytics in a federal court in Maine.",
        },
        {
            "name": "Copperfield Analytics",
            "alias": "Copperfield",
            "kind": "company",
            "role": "defendant",
            "quote": "Harbor Mills Ltd. has sued Copperfield Analytics in a federal court in Maine.",
        },
    ]
}
ALLEGATIONS = {
    "items": [
        {
            "claimant": "Harbor Mills",
            "accused": "Copperfield",
            "category": "breach_of_contract",
            "summary": "Copperfield kept the customer database after the contract ended.",
            "quote": "Harbor Mills says Copperfield kept its customer database after their contract ended.",
        }
    ]
}
CONTRACT_TERMS = {
    "items": [
        {
            "parties": ["Harbor Mills Ltd.", "Copperfield Analytics"],
            "kind": "value_or_price",
            "summary": "A data services contract worth $3 million.",
            "amount": {"value": 3000000, "currency": "USD"},
            "date": "2020",
            "quote": "The two firms signed a $3 million contract in 2020 for data services.",
        }
    ]
}
RELIEF = {
    "items": [
        {
            "requested_by": "Harbor Mills",
            "against": "Copperfield",
            "kind": "compensatory_damages",
            "summary": "Harbor Mills wants $9 million in damages.",
            "amount": {"value": 9000000, "currency": "USD"},
            "quote": "Harbor Mills seeks $9 million in damages from Copperfield.",
        }
    ]
}
GOOD_ANSWERS = {"Parties": PARTIES, "Allegations": ALLEGATIONS, "ContractTerms": CONTRACT_TERMS, "ReliefSought": RELIEF}


def article(article_id: str = "a1", text: str = ARTICLE_TEXT) -> Article:
    return Article(id=article_id, title="A test article", text=text)


def completion_json(tool: str, arguments: Any, *, prompt_tokens: int = 100, completion_tokens: int = 20) -> dict:
    """A chat completion carrying one tool call, as an OpenAI-compatible server returns it."""
    return chat_completion(
        tool, arguments, model=MODEL, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
    )


class ScriptedServer:
    """An OpenAI-compatible server in a function: answers each tool with queued arguments, then a default."""

    def __init__(
        self,
        script: dict[str, list[Any]] | None = None,
        defaults: dict[str, Any] | None = None,
        models: list[str] | None = None,
        delay_s: float = 0.0,
        die_after: int | None = None,
    ) -> None:
        self.die_after = die_after
        self.script = defaultdict(list, {k: list(v) for k, v in (script or {}).items()})
        self.defaults = GOOD_ANSWERS if defaults is None else defaults
        self.models = [MODEL] if models is None else models
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and request.url.path.endswith("/models"):
            return httpx2.Response(200, json=models_list(self.models))
        body = json.loads(request.content)
        if self.die_after is not None and len(self.requests) >= self.die_after:
            raise httpx2.ConnectError("connection refused", request=request)
        with self._lock:
            self.requests.append(body)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            tool = body["tool_choice"]["function"]["name"]
            with self._lock:
                queued = self.script[tool]
                arguments = queued.pop(0) if queued else self.defaults.get(tool, {"items": []})
            if isinstance(arguments, httpx2.Response):
                return arguments
            if isinstance(arguments, Exception):
                raise arguments
            return httpx2.Response(200, json=completion_json(tool, arguments))
        finally:
            with self._lock:
                self.in_flight -= 1

    def calls(self, tool: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.requests if tool is None or r["tool_choice"]["function"]["name"] == tool]


def mock_settings(**overrides: Any) -> BackendSettings:
    values: dict[str, Any] = {"base_url": MOCK_URL, "model": MODEL, "api_key": "test-key", "max_retries": 2}
    values.update(overrides)
    return BackendSettings(**values)


def mock_factory(server: Callable[[httpx2.Request], httpx2.Response]) -> Callable[..., ModelClient]:
    """A client factory whose openai client talks to `server` through httpx2.MockTransport."""

    def factory(settings: BackendSettings, base_url: str | None = None) -> ModelClient:
        return build_client(settings, base_url, http_client=httpx2.Client(transport=httpx2.MockTransport(server)))

    return factory


class QueuedCompletions:
    """The lowest-level fake: `create_with_completion` returns queued answers, validated like instructor would."""

    def __init__(self, answers: dict[str, list[dict[str, Any]]]) -> None:
        self.answers = {k: list(v) for k, v in answers.items()}
        self.calls: list[dict[str, Any]] = []
        self.chat = SimpleNamespace(completions=self)

    def create_with_completion(self, *, response_model: Any, context: Any, **kwargs: Any) -> tuple[Any, Any]:
        self.calls.append({"response_model": response_model.__name__, **kwargs})
        data = self.answers[response_model.__name__].pop(0)
        usage = SimpleNamespace(prompt_tokens=50, completion_tokens=10)
        return response_model.model_validate(data, context=context), SimpleNamespace(usage=usage)


class FakeBackend:
    """What the passes need from a backend: a model name, a mode, a URL and an instructor-like client."""

    def __init__(self, client: Any, settings: BackendSettings) -> None:
        self.client = client
        self.settings = settings
        self.model = settings.model
        self.mode = "tools"
        self.base_url = settings.base_url or "embedded"


def write_corpus(folder: Path, articles: list[Article]) -> Path:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    lines = []
    for a in articles:
        (folder / "articles" / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
        lines.append(json.dumps({"id": a.id, "title": a.title}))
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
