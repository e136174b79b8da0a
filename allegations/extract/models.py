"""Local models for the embedded server: a GGUF path, a file fetched once from the Hub, or the shipped default.

Resolution turns the settings' `gguf` or `hf_repo`/`hf_file` into a file with its name, sha256 and the server
parameters derived from its metadata and the machine; nothing here loads the model.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegations.extract.errors import ModelError
from allegations.extract.gguf_file import read_metadata, sha256_file
from allegations.extract.server import DEFAULT_BATCH, DEFAULT_THREADS, EmbeddedServer, ServerParams, find_gguf
from allegations.extract.settings import EMBEDDED_MODEL, BackendSettings

DEFAULT_CTX = 8192  # enough for the prompt, a chunk and the answer; more only costs memory and time
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class LocalModel:
    """A GGUF file and what its header says."""

    path: Path
    name: str
    sha256: str
    size: int
    metadata: dict[str, Any]

    @property
    def context_length(self) -> int | None:
        """The context the model was trained for, from `<architecture>.context_length`."""
        value = self.metadata.get(f"{self.metadata.get('general.architecture')}.context_length")
        return int(value) if isinstance(value, int) else None

    def kv_cache_bytes(self, n_ctx: int) -> int:
        """Bytes of the f16 key/value cache at `n_ctx` tokens (0 when the header lacks the shape)."""
        arch = self.metadata.get("general.architecture")
        shape = [self.metadata.get(f"{arch}.{key}") for key in ("block_count", "embedding_length")]
        heads = self.metadata.get(f"{arch}.attention.head_count")
        shape += [heads, self.metadata.get(f"{arch}.attention.head_count_kv", heads)]
        if not all(isinstance(v, int) and v > 0 for v in shape):
            return 0
        layers, embed, heads, kv_heads = (int(v) for v in shape)  # type: ignore[arg-type]
        return 2 * 2 * layers * n_ctx * embed // heads * kv_heads


def load_local_model(path: Path, *, sha256: str | None = None) -> LocalModel:
    """Read a GGUF file's header; it must carry a chat template, which the server then uses."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelError("no such model file", path=path, hint="give the path of a .gguf file")
    metadata = read_metadata(path)
    if not metadata.get("tokenizer.chat_template"):
        raise ModelError(
            "the GGUF has no chat template in its metadata (tokenizer.chat_template)",
            path=path,
            hint="use an instruct or chat model, e.g. a '*-Instruct-GGUF' file",
        )
    name = metadata.get("general.name")
    return LocalModel(
        path=path,
        name=name.strip() if isinstance(name, str) and name.strip() else path.stem,
        sha256=sha256 or sha256_file(path),
        size=path.stat().st_size,
        metadata=metadata,
    )


def resolve(settings: BackendSettings) -> BackendSettings:
    """The settings with the embedded model's file, name, sha256, context, threads and batch filled in.

    Other backends are returned unchanged. The shipped default keeps its short model name, and `gguf` None.
    """
    if settings.model_sha256 is not None:  # resolved already
        return settings
    if not settings.embedded and (settings.gguf is not None or settings.hf_repo is not None):
        raise ModelError(
            f"a local model (--gguf or --hf-repo) and a server ({settings.base_url}) were both given",
            hint="drop --base-url / OPENAI_BASE_URL to serve the local model, or drop the local model",
        )
    if not settings.embedded:
        return settings
    if settings.gguf is not None and settings.hf_repo is not None:
        raise ModelError("--gguf and --hf-repo both name a model", hint="give one of them")
    if settings.hf_repo is not None:
        local = hub_model(settings.hf_repo, settings.hf_file)
    elif settings.gguf is not None:
        local = load_local_model(settings.gguf)
    else:
        local = load_local_model(find_gguf())
    shipped = settings.shipped_model
    n_ctx = settings.n_ctx or min(local.context_length or DEFAULT_CTX, DEFAULT_CTX)
    return settings.model_copy(
        update={
            "gguf": None if shipped else local.path,  # None stays the shipped model, whose defaults were measured
            "model": EMBEDDED_MODEL if shipped else local.name,
            "model_sha256": local.sha256,
            "n_ctx": n_ctx,
            # The shipped model's figures are quoted in the README: fixed threads, so they repeat on any machine.
            "n_threads": settings.n_threads or (DEFAULT_THREADS if shipped else default_threads()),
            "n_batch": settings.n_batch or min(DEFAULT_BATCH, n_ctx),
        }
    )


def embedded_server_for(settings: BackendSettings, port: int | None = None) -> EmbeddedServer:
    """The embedded server (not started yet) for resolved settings' model file, name and parameters."""
    params = ServerParams(
        model=settings.model,
        n_ctx=settings.n_ctx or DEFAULT_CTX,
        seed=settings.seed,
        threads=settings.n_threads or DEFAULT_THREADS,
        batch=settings.n_batch or DEFAULT_BATCH,
    )
    return EmbeddedServer(params, port=port, gguf=settings.gguf)


@contextlib.contextmanager
def serve_embedded(settings: BackendSettings, port: int | None = None) -> Iterator[str]:
    """The embedded server on the resolved settings' model, checked against free memory first; yields its URL."""
    settings = resolve(settings)
    check_fits_in_memory(settings)
    with embedded_server_for(settings, port) as server:
        yield server.base_url


def default_threads() -> int:
    """A chosen model's threads: one a core, at most four (more rarely helps and starves everything else)."""
    return max(1, min(4, os.cpu_count() or 1))


def check_fits_in_memory(settings: BackendSettings, available: int | None = None) -> None:
    """Refuse, before loading, a model whose weights and context cache exceed the memory available now."""
    if not settings.embedded:
        return
    local = load_local_model(settings.gguf or find_gguf(), sha256=settings.model_sha256)
    needed = local.size + local.kv_cache_bytes(settings.n_ctx or DEFAULT_CTX)
    available = available if available is not None else available_memory()
    if available is not None and needed > available:
        raise ModelError(
            f"the model needs about {needed / 2**30:.1f} GiB ({local.size / 2**30:.1f} GiB of weights and the "
            f"context cache at {settings.n_ctx} tokens) but only {available / 2**30:.1f} GiB of memory is available",
            path=local.path,
            hint="pick a smaller model or quantization (e.g. Q4_K_M), or a smaller --ctx-size",
        )


def available_memory() -> int | None:
    """MemAvailable from /proc/meminfo in bytes; None where there is no such file."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def hub_cache_dir() -> Path:
    """huggingface_hub's cache, read from the environment now (its constants are fixed at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    return Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface").expanduser() / "hub"


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def hub_model(repo_id: str, filename: str | None) -> LocalModel:
    """The file from the Hub cache, downloaded first if missing (resumable, with a progress bar), checked by sha256.

    A cached file is used without asking the Hub again, so later runs work offline.
    """
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import (
        EntryNotFoundError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if not filename:
        raise ModelError(f"--hf-repo {repo_id} needs the file to serve", hint="add --hf-file NAME.gguf")
    if not filename.endswith(".gguf"):
        raise ModelError(f"{filename} is not a .gguf file", hint="pick a .gguf file from the repository's files")
    where = f"{repo_id}/{filename}"
    common: dict[str, Any] = {"repo_id": repo_id, "filename": filename, "cache_dir": hub_cache_dir()}
    try:
        path = Path(hf_hub_download(**common, local_files_only=True))
        return load_local_model(path, sha256=_blob_sha256(path))
    except LocalEntryNotFoundError:
        if _offline():
            raise ModelError(
                f"{where} is not in the Hub cache and HF_HUB_OFFLINE is set",
                hint="unset HF_HUB_OFFLINE once to download it, or give a local file with --gguf",
            ) from None
    endpoint = os.environ.get("HF_ENDPOINT") or None
    try:
        path = Path(hf_hub_download(**common, endpoint=endpoint))
    except RepositoryNotFoundError:
        raise ModelError(
            f"no model repository {repo_id} on the Hub", hint="check the OWNER/NAME, and HF_TOKEN if it is private"
        ) from None
    except (EntryNotFoundError, RevisionNotFoundError):
        raise ModelError(
            f"{repo_id} has no file {filename}", hint="check the file name on the repository's page"
        ) from None
    except (HfHubHTTPError, OSError) as exc:
        raise ModelError(
            f"cannot download {where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            hint="check the network or HF_ENDPOINT; run again to resume",
        ) from None
    expected = _blob_sha256(path)
    actual = sha256_file(path)
    if expected is not None and actual != expected:
        for copy in {path.resolve(), path}:  # the blob and the snapshot's link to it
            copy.unlink(missing_ok=True)
        raise ModelError(
            f"{where} does not match the Hub's sha256 ({actual[:12]} != {expected[:12]}); the copy was removed",
            hint="run again to download it afresh",
        )
    return load_local_model(path, sha256=actual)


def _blob_sha256(path: Path) -> str | None:
    """The Hub's sha256 of a cached file: the name of its blob, for files stored with Git LFS (every GGUF is)."""
    blob = path.resolve().name
    return blob if _SHA256.match(blob) else None


@dataclass(frozen=True)
class ListedModel:
    """One line of `allegations models`."""

    label: str
    path: Path
    size: int
    sha256: str


def list_models() -> list[ListedModel]:
    """The shipped default, then every GGUF in the Hub cache (repo/file), in name order."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    default = find_gguf()
    found = [ListedModel(f"{EMBEDDED_MODEL} (default)", default, default.stat().st_size, sha256_file(default))]
    try:
        cache = scan_cache_dir(hub_cache_dir())
    except CacheNotFound:
        return found
    for repo in sorted(cache.repos, key=lambda r: r.repo_id):
        if repo.repo_type != "model":
            continue
        for revision in sorted(repo.revisions, key=lambda r: r.commit_hash):
            for file in sorted(revision.files, key=lambda f: f.file_name):
                if file.file_name.endswith(".gguf"):
                    sha = _blob_sha256(file.file_path) or sha256_file(file.file_path)
                    label = f"{repo.repo_id}/{file.file_path.relative_to(revision.snapshot_path)}"
                    found.append(ListedModel(label, file.file_path, file.size_on_disk, sha))
    return found
