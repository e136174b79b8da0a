"""The few Hub endpoints a dataset upload uses, served by the loopback server, recording every request.

No Hub-compatible server installs from PyPI and runs alone on loopback, so the real `huggingface_hub` client
talks to this one over real HTTP: the test sees each request the client sends, its headers included.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from loopback import LoopbackServer, Reply, SeenRequest

_REPO = r"(?P<repo>[^/]+/[^/]+)"
_ROUTES = [
    ("POST", re.compile(r"^/api/repos/create$"), "create"),
    ("POST", re.compile(r"^/api/validate-yaml$"), "validate"),
    ("POST", re.compile(rf"^/api/datasets/{_REPO}/branch/(?P<rev>[^/]+)$"), "branch"),
    ("GET", re.compile(rf"^/api/datasets/{_REPO}/tree/(?P<rev>[^/]+)(/.*)?$"), "tree"),
    ("POST", re.compile(rf"^/api/datasets/{_REPO}/preupload/(?P<rev>[^/]+)$"), "preupload"),
    ("POST", re.compile(rf"^/api/datasets/{_REPO}/commit/(?P<rev>[^/]+)$"), "commit"),
]


def _route(method: str, path: str) -> tuple[str, re.Match[str] | None]:
    for route_method, pattern, name in _ROUTES:
        match = pattern.match(path) if route_method == method else None
        if match:
            return name, match
    return "unknown", None


@dataclass
class Recorded:
    method: str
    path: str
    endpoint: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeHub:
    """Repos as {repo_id: {revision: {path: bytes}}}; `fail` maps an endpoint name to the status it answers."""

    fail: dict[str, int] = field(default_factory=dict)
    repos: dict[str, dict[str, dict[str, bytes]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    _server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    def calls(self, endpoint: str) -> list[Recorded]:
        return [r for r in self.requests if r.endpoint == endpoint]

    def __enter__(self) -> FakeHub:
        self._server = LoopbackServer(self._respond).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.__exit__(*exc)

    def _respond(self, seen: SeenRequest) -> Reply:
        path = unquote(urlsplit(seen.path).path)
        name, match = _route(seen.method, path)
        self.requests.append(Recorded(seen.method, seen.path, name, seen.headers, seen.raw))
        if match is None:
            return Reply(404, {"error": f"no route for {seen.method} {path}"})
        if name in self.fail:
            return Reply(self.fail[name], {"error": f"{name} failed on purpose"})
        return Reply(200, getattr(self, f"_{name}")(match, seen.raw))

    def _create(self, match: re.Match[str], body: bytes) -> Any:
        request = json.loads(body)
        repo_id = f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
        self.created.append(request)
        self.repos.setdefault(repo_id, {"main": {}})
        return {"url": f"{self.url}/datasets/{repo_id}", "name": repo_id}

    def _validate(self, match: re.Match[str], body: bytes) -> Any:
        return {"errors": [], "warnings": []}

    def _branch(self, match: re.Match[str], body: bytes) -> Any:
        revisions = self.repos[match["repo"]]
        revisions.setdefault(match["rev"], dict(revisions["main"]))
        return {}

    def _tree(self, match: re.Match[str], body: bytes) -> Any:
        files = self.repos.get(match["repo"], {}).get(match["rev"], {})
        return [
            {"type": "file", "path": p, "size": len(b), "oid": hashlib.sha1(b).hexdigest()}
            for p, b in sorted(files.items())
        ]

    def _preupload(self, match: re.Match[str], body: bytes) -> Any:
        files = json.loads(body)["files"]
        return {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]}

    def _commit(self, match: re.Match[str], body: bytes) -> Any:
        files = dict(self.repos[match["repo"]][match["rev"]])
        for line in body.splitlines():
            item = json.loads(line)
            if item["key"] == "file":
                files[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
            elif item["key"] == "deletedFile":
                files.pop(item["value"]["path"])
        self.repos[match["repo"]][match["rev"]] = files
        oid = hashlib.sha1(body).hexdigest()
        return {"commitUrl": f"{self.url}/datasets/{match['repo']}/commit/{oid}", "commitOid": oid}
