"""A stand-in for `python -m llama_cpp.server` that dies like the real one when a request contains a trigger word.

Run as a module with the real server's options (only --port is read). It answers GET /v1/models, answers chat
completions with an empty list, and on a request containing FAKE_LLAMA_DIE_ON prints an error line and exits 1, as
llama-cpp-python does when llama.cpp rejects a grammar.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

DIE_ON = os.environ.get("FAKE_LLAMA_DIE_ON", "\0")
LAST_WORDS = "llama_grammar_init_impl: failed to parse grammar"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send({"object": "list", "data": [{"id": sys.argv[sys.argv.index("--model_alias") + 1]}]})

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if DIE_ON in json.dumps(request, ensure_ascii=False):
            print(LAST_WORDS, flush=True)
            os._exit(1)
        name = request["tools"][0]["function"]["name"]
        call = {"id": "call_0", "type": "function", "function": {"name": name, "arguments": '{"items": []}'}}
        self._send(
            {
                "id": "fake",
                "object": "chat.completion",
                "created": 0,
                "model": request.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                        "finish_reason": "tool_calls",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )


if __name__ == "__main__":
    port = int(sys.argv[sys.argv.index("--port") + 1])
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
