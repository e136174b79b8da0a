"""A response cache on disk: sqlite in WAL mode, keyed by what an answer depends on (see `cache_key`).

Only completed passes are stored; a call that raised (server error, timeout, unparseable output) is never cached,
so the next run tries it again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from allegations.extract.errors import ExtractError

SCHEMA = "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
KEY_VERSION = 3
"""The layout of the key material; bump it when `cache_key` hashes something new."""


def cache_key(
    *,
    model: str,
    mode: str,
    messages: list[dict[str, Any]],
    schema: dict[str, Any],
    decoding: dict[str, Any],
    rules_version: int,
    weights: str | None,
) -> str:
    """sha256 over what decides a cached pass: the model (and the sha256 of its weights, when served here), the prompt
    (messages), the response schema, the decoding parameters and the version of the rules that validated and salvaged
    the answer. Never source bytes."""
    material = {
        "key_version": KEY_VERSION,
        "model": model,
        "mode": mode,
        "messages": messages,
        "schema": schema,
        "decoding": decoding,
        "rules_version": rules_version,
        "weights": weights,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class ResponseCache:
    """Thread-safe get/put of JSON values by key."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._warned = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                self._set_aside(str(exc))
                self._db = self._open()
        except (OSError, sqlite3.Error) as exc:
            raise ExtractError(
                f"cannot open the response cache: {exc}", hint="pass another --cache path or delete it", path=self.path
            ) from None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(SCHEMA)
            problem = db.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {problem}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _set_aside(self, reason: str) -> None:
        """Move a damaged cache file out of the way so a new one can be built; its calls are made again."""
        aside = self.path.with_name(self.path.name + ".damaged")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        print(
            f"warning: {self.path}: the response cache is damaged ({reason}); "
            f"moved it to {aside} and started a new one",
            file=sys.stderr,
        )

    def warn_damaged(self, reason: str) -> None:
        """Say once that some entries cannot be used; the calls behind them are made again."""
        if not self._warned:
            self._warned = True
            print(
                f"warning: {self.path}: the response cache is damaged ({reason}); asking the model again",
                file=sys.stderr,
            )

    def get(self, key: str) -> Any | None:
        try:
            with self._lock:
                row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
            return None if row is None else json.loads(row[0])
        except (sqlite3.DatabaseError, ValueError) as exc:
            self.warn_damaged(str(exc))
            return None

    def put(self, key: str, value: Any) -> None:
        payload = json.dumps(value, sort_keys=True, ensure_ascii=False)
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO responses (key, value) VALUES (?, ?)", (key, payload))
        except sqlite3.DatabaseError as exc:
            self.warn_damaged(str(exc))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for a file that is not sqlite or whose pages are corrupt, not for a permission or disk problem."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "malformed" in str(exc)
