"""Read the metadata of a GGUF file (its header's key-value pairs) without loading the model."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import Any, BinaryIO

from allegations.extract.errors import ModelError

MAGIC = b"GGUF"

# GGUF value types: struct format of each fixed-size one; 8 is a string, 9 an array.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_STRING = 64 << 20  # a longer string means a damaged header, not a real chat template


class _Header:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def read(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        data = self.stream.read(size)
        if len(data) != size:
            raise ValueError("the header ends early")
        return struct.unpack(fmt, data)[0]

    def string(self) -> str:
        length = self.read("<Q")
        if length > _MAX_STRING:
            raise ValueError(f"a string of {length} bytes")
        data = self.stream.read(length)
        if len(data) != length:
            raise ValueError("the header ends early")
        return data.decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool = True) -> Any:
        if kind in _SCALARS:
            return self.read(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item_kind, count = self.read("<I"), self.read("<Q")
            if item_kind in _SCALARS and not keep:  # skip fixed-size items without decoding them
                self.stream.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
                return None
            items = [self.value(item_kind, keep) for _ in range(count)]
            return items if keep else None
        raise ValueError(f"unknown value type {kind}")


def read_metadata(path: Path) -> dict[str, Any]:
    """Every key of the GGUF header; arrays (the vocabulary, mostly) are left out as None to stay fast."""
    try:
        with path.open("rb") as stream:
            if stream.read(4) != MAGIC:
                raise ModelError(
                    "not a GGUF file (it does not start with 'GGUF')",
                    path=path,
                    hint="give a .gguf model file, e.g. one of the files of a '-GGUF' repository on the Hub",
                )
            header = _Header(stream)
            version = header.read("<I")
            if version < 2:
                raise ModelError(f"GGUF version {version} is too old to read", path=path, hint="convert it again")
            header.read("<Q")  # tensor count
            metadata: dict[str, Any] = {"GGUF.version": version}
            for _ in range(header.read("<Q")):
                key = header.string()
                kind = header.read("<I")
                metadata[key] = header.value(kind, keep=kind != _ARRAY)
            return metadata
    except OSError as exc:
        raise ModelError(f"cannot read the model file: {exc.strerror or exc}", path=path) from None
    except (ValueError, struct.error) as exc:
        raise ModelError(f"a damaged GGUF header: {exc}", path=path, hint="download the file again") from None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
