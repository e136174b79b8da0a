"""A stand-in for a remote OpenAI-compatible API: canned tool-call completions after a fixed delay.

It runs in its own process (so its work never competes with the client for the GIL), listens on 127.0.0.1 only,
and stops by itself after `max_seconds`, after `idle_seconds` without a request, or when its parent goes away.
`GET /stats` reports how many requests it answered and how many it held at once.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEFAULT_DELAY_S = 0.3
_ROOT = Path(__file__).resolve().parent.parent
MODEL_ID = "fake-model"


def minimal_instance(schema: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> Any:
    """The smallest value a JSON schema accepts, ignoring string patterns: used when no canned answer fits."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        nullable = [o for o in options if o.get("type") == "null"]
        return None if nullable else minimal_instance(options[0], defs)
    if "allOf" in schema:
        return minimal_instance(schema["allOf"][0], defs)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal_instance(props.get(name, {}), defs) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    if kind in ("integer", "number"):
        return schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
    if kind == "boolean":
        return False
    return None


def chat_completion(
    tool: str | None, arguments: Any, *, model: str = MODEL_ID, prompt_tokens: int = 10, completion_tokens: int = 5
) -> dict[str, Any]:
    """The one fake chat.completion: `arguments` (an object or raw text) as a call of `tool`, or as message content
    when no tool was offered. Tests (in-process and over loopback HTTP) and benchmarks all answer with it."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if tool is not None:
        message["tool_calls"] = [{"id": "call_0", "type": "function", "function": {"name": tool, "arguments": text}}]
    else:
        message["content"] = text
    finish = "stop" if tool is None else "tool_calls"
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def models_list(model_ids: list[str]) -> dict[str, Any]:
    """The answer to GET /models."""
    return {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "me"} for m in model_ids]}


def completion_for(request: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """A chat.completion answering `request`: a call of the requested tool, or JSON content without tools."""
    tools = request.get("tools") or []
    choice = request.get("tool_choice")
    name = choice["function"]["name"] if isinstance(choice, dict) and "function" in choice else None
    if name is None and tools:
        name = tools[0]["function"]["name"]
    tool = next((t["function"] for t in tools if t["function"]["name"] == name), None)
    if name is not None and name in answers:
        arguments = answers[name]
    elif "*" in answers:
        arguments = answers["*"]
    else:
        arguments = minimal_instance((tool or {}).get("parameters", {}))
    prompt_chars = sum(len(str(m.get("content") or "")) for m in request.get("messages", []))
    return chat_completion(
        name if tool is not None else None,
        arguments,
        model=request.get("model") or MODEL_ID,
        prompt_tokens=prompt_chars // 4,
        completion_tokens=len(json.dumps(arguments, ensure_ascii=False)) // 4,
    )


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.last_request = time.monotonic()

    def enter(self) -> None:
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.last_request = time.monotonic()

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1
            self.last_request = time.monotonic()

    def snapshot(self, reset: bool = False) -> dict[str, int]:
        """Counts so far; `reset` starts the most-held count afresh (requests keep counting)."""
        with self.lock:
            snap = {"requests": self.requests, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight}
            if reset:
                self.max_in_flight = self.in_flight
            return snap


class FakeOpenAIServer(ThreadingHTTPServer):
    """One thread per connection; keep-alive, so a client pool of N connections costs N threads."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, delay_s: float, answers: Mapping[str, Any]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay_s = delay_s
        self.answers = answers
        self.stats = _Stats()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one segment, at once: else each reply can wait ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # buffered; the base class flushes after each request
    server: FakeOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass

    def _send_json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(200, models_list([MODEL_ID]))
        elif self.path in ("/stats", "/stats?reset=1"):
            self._send_json(200, self.server.stats.snapshot(reset=self.path.endswith("reset=1")))
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            request = json.loads(body)
        except json.JSONDecodeError as exc:
            self._send_json(400, {"error": {"message": f"body is not JSON: {exc}"}})
            return
        stats = self.server.stats
        stats.enter()
        try:
            time.sleep(self.server.delay_s)
            self._send_json(200, completion_for(request, self.server.answers))
        finally:
            stats.leave()


def _stop_when_done(server: FakeOpenAIServer, max_seconds: float, idle_seconds: float) -> None:
    started = time.monotonic()
    while True:
        time.sleep(0.2)
        now = time.monotonic()
        snap = server.stats.snapshot()
        idle = snap["in_flight"] == 0 and now - server.stats.last_request > idle_seconds
        if now - started > max_seconds or idle:
            server.shutdown()
            return


def _stop_when_parent_leaves(server: FakeOpenAIServer) -> None:
    sys.stdin.read()  # returns at EOF: the parent closed the pipe or died
    server.shutdown()


def main(argv: list[str] | None = None) -> None:
    """Serve until stopped; the first stdout line is the base URL."""
    parser = argparse.ArgumentParser(prog="python -m bench.fake_openai", description=__doc__)
    parser.add_argument("--delay", type=float, default=DEFAULT_DELAY_S, help="seconds before each answer")
    parser.add_argument("--answers", type=Path, help="JSON object: tool name (or '*') -> the arguments to return")
    parser.add_argument("--max-seconds", type=float, default=1800.0, help="stop after this long in any case")
    parser.add_argument("--idle-seconds", type=float, default=300.0, help="stop after this long without requests")
    args = parser.parse_args(argv)
    answers = json.loads(args.answers.read_text(encoding="utf-8")) if args.answers else {}
    server = FakeOpenAIServer(args.delay, answers)
    threading.Thread(target=_stop_when_done, args=(server, args.max_seconds, args.idle_seconds), daemon=True).start()
    threading.Thread(target=_stop_when_parent_leaves, args=(server,), daemon=True).start()
    print(server.base_url, flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


@contextmanager
def fake_openai_server(
    delay_s: float = DEFAULT_DELAY_S,
    answers_path: Path | None = None,
    max_seconds: float = 1800.0,
) -> Iterator[str]:
    """Run the fake server in a child process; yields its base URL (`http://127.0.0.1:PORT/v1`)."""
    command = [sys.executable, "-m", "bench.fake_openai", "--delay", str(delay_s), "--max-seconds", str(max_seconds)]
    if answers_path is not None:
        command += ["--answers", str(answers_path)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=_ROOT)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the fake OpenAI server did not start (exit code {proc.poll()})")
        yield base_url
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def server_stats(base_url: str, reset: bool = False) -> dict[str, int]:
    """Requests answered and the most held at once since the last reset, read from a running fake server."""
    import urllib.request

    url = base_url.removesuffix("/v1") + "/stats" + ("?reset=1" if reset else "")
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


if __name__ == "__main__":
    main()
