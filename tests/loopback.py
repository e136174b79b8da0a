"""A threaded HTTP server on 127.0.0.1 that answers each request with whatever a responder returns.

It stands in for an OpenAI-compatible server (GET /models answers by itself) and, through `fake_hub.FakeHub`,
for the Hugging Face Hub; the real clients talk to it over real HTTP.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.fake_openai import models_list


@dataclass
class SeenRequest:
    """One request the fake server received."""

    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    body: dict[str, Any]
    at: float
    raw: bytes = b""

    @property
    def text(self) -> str:
        """Every message's content joined: enough to tell which article a request is about."""
        parts = []
        for message in self.body.get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts += [c.get("text", "") for c in content if isinstance(c, dict)]
        return "\n".join(parts)


@dataclass
class Reply:
    """What the fake server does with one request."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    close_without_reply: bool = False
    raw: bytes | None = None  # sent as is instead of `body` as JSON: a file download
    cut_at: int | None = None  # send only this many bytes of the body, then close the connection


Responder = Callable[[SeenRequest], Reply]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 answering every request with whatever `responder` returns.

    Shaped for the OpenAI API (GET /models answers by itself), it also stands in for the Hugging Face Hub.
    """

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: dict[str, Any], raw: bytes = b"") -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                seen = SeenRequest(self.command, self.path, headers, body, time.monotonic(), raw)
                with server._lock:
                    server.requests.append(seen)
                reply = server.responder(seen)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.close_without_reply:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = reply.raw
                if data is None:
                    data = json.dumps(reply.body if reply.body is not None else {}).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header(
                        "Content-Type", "application/json" if reply.raw is None else "application/octet-stream"
                    )
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    if self.command == "HEAD":
                        return
                    self.wfile.write(data[: reply.cut_at])
                    if reply.cut_at is not None:
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                self._answer(body if isinstance(body, dict) else {"_json": body}, raw)

            do_PUT = do_POST

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    data = json.dumps(models_list(["fake-model"])).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self._answer({})

            do_HEAD = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def completions(self) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
