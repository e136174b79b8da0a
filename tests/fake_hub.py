"""The few Hub endpoints a dataset upload and a model file download use, served by the loopback server.

Every request is recorded.

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


_RESOLVE = re.compile(rf"^/{_REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")


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
    models: dict[str, dict[str, bytes]] = field(default_factory=dict)  # model repo -> path -> bytes, at main
    claimed_sha256: dict[str, str] = field(default_factory=dict)  # "repo/path" -> the sha256 the Hub claims instead
    cut_download_at: int | None = None  # the first file download stops after this many bytes, connection closed
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
        if seen.method in ("GET", "HEAD") and (resolve := _RESOLVE.match(path)):
            self.requests.append(Recorded(seen.method, seen.path, "resolve", seen.headers, seen.raw))
            return self._resolve(seen, resolve)
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

    def _resolve(self, seen: SeenRequest, match: re.Match[str]) -> Reply:
        """A model file, as the Hub serves one stored with Git LFS: its sha256 as the linked etag; Range resumes."""
        files = self.models.get(match["repo"])
        data = None if files is None else files.get(match["path"])
        if files is None or data is None or "resolve" in self.fail:
            code = "RepoNotFound" if files is None else "EntryNotFound"
            return Reply(self.fail.get("resolve", 404), {"error": code}, headers={"X-Error-Code": code})
        sha256 = self.claimed_sha256.get(f"{match['repo']}/{match['path']}") or hashlib.sha256(data).hexdigest()
        commit = hashlib.sha1(json.dumps(sorted(files), ensure_ascii=False).encode()).hexdigest()
        start = 0
        if (ranged := re.match(r"bytes=(\d+)-", seen.headers.get("range") or "")) and seen.method == "GET":
            start = int(ranged[1])
        cut_at = None
        if seen.method == "GET" and self.cut_download_at is not None:
            cut_at, self.cut_download_at = self.cut_download_at, None
        headers = {
            "X-Repo-Commit": commit,
            "ETag": f'"{sha256}"',
            "X-Linked-Etag": f'"{sha256}"',
            "X-Linked-Size": str(len(data)),
        }
        return Reply(206 if start else 200, raw=data[start:], headers=headers, cut_at=cut_at)
