"""Atomic writes and line-numbered JSONL reads: a crash never leaves half a file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from allegations.core.errors import OutputError, RecordsError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        raise OutputError(
            f"cannot write: {blocker} is a file, not a folder" if blocker else f"cannot write: {exc.strerror or exc}",
            hint="check that the folder exists, is writable and has free space; the previous file is unchanged",
            path=path,
        ) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def dumps_json(value: Any) -> str:
    """JSON as the project stores it: UTF-8, sorted keys, two-space indent, trailing newline."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def dumps_jsonl_line(value: Any) -> str:
    """One compact, key-sorted JSON line."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_json(path: Path, value: Any) -> None:
    """Write one JSON document atomically."""
    write_atomic(path, dumps_json(value))


def read_text(path: Path) -> str:
    """Read a UTF-8 file, naming the file when it is missing or not UTF-8."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise RecordsError("file not found", path=path) from None
    except UnicodeDecodeError as exc:
        raise RecordsError(f"not UTF-8 (byte {exc.start})", hint="save the file as UTF-8", path=path) from None
    except OSError as exc:
        raise RecordsError(f"cannot read: {exc.strerror or exc}", path=path) from None


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed value) for each non-blank line; bad JSON names its line."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordsError(
                f"not valid JSON: {exc.msg} at column {exc.colno}",
                hint="each line must be one complete JSON object",
                path=path,
                line=number,
            ) from None
