"""The model backend of a run: the client built on first use, the embedded server started, watched and restarted."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import instructor

from allegations.extract.client import ModelClient, check_backend, choose_mode
from allegations.extract.errors import BackendError
from allegations.extract.models import check_fits_in_memory, embedded_server_for
from allegations.extract.passes import PassFailed
from allegations.extract.settings import BackendSettings

MAX_SERVER_RESTARTS = 2  # then the articles left fail at once instead of each waiting for a dying server


class LazyBackend:
    """The model client, built (and the embedded server started) only when a call misses the cache.

    When the embedded server dies, the article in flight fails with the server's last words and the next call
    starts a new server, at most MAX_SERVER_RESTARTS times a run.
    """

    def __init__(self, settings: BackendSettings, factory: Callable[..., ModelClient]):
        self.settings = settings
        self.model = settings.model
        self.mode = choose_mode(settings)
        self.base_url: str | None = settings.base_url
        self.server = embedded_server_for(settings)
        self._factory = factory
        self._lock = threading.Lock()
        self._client: ModelClient | None = None
        self._generation = 0  # counts server starts; a worker notes the one its calls went to
        self._deaths: dict[int, str] = {}
        self._restarts = 0
        self._given_up: str | None = None
        self._stopping = False
        self._local = threading.local()

    @property
    def client(self) -> instructor.Instructor:
        with self._lock:
            if self._stopping:
                raise BackendError("the run is stopping")
            if self._given_up is not None:
                raise PassFailed(self._given_up)
            if self._client is None:
                url = self.settings.base_url
                if url is None:
                    if self.server.process is None:
                        check_fits_in_memory(self.settings)
                        self.server.start()
                        self._generation += 1
                    url = self.server.base_url
                    self._local.generation = self._generation
                client = self._factory(self.settings, url)
                check_backend(client)
                self.base_url = client.base_url
                self._client = client
            self._local.generation = self._generation
            return self._client.client

    def begin_article(self) -> None:
        """Forget which server this worker's last article used."""
        self._local.generation = None

    def server_death(self, wait_s: float = 0.0) -> str | None:
        """If the embedded server this worker's article used has died: why, and the next call starts a new one."""
        generation = getattr(self._local, "generation", None)
        if self.settings.base_url is not None or generation is None:
            return None
        with self._lock:
            if self._stopping:
                return None
            if generation in self._deaths:  # another worker saw it first
                return self._deaths[generation]
            if generation != self._generation or self.server.process is None:
                return None
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.process.wait(wait_s)  # a dying server may still be closing its sockets
            if self.server.exit_code() is None:
                return None
            notice = self._deaths[generation] = self.server.death_notice()
            self.server.stop()
            self._client = None
            if self._restarts < MAX_SERVER_RESTARTS:
                self._restarts += 1
                print(
                    f"warning: {notice}; restarting it ({self._restarts} of {MAX_SERVER_RESTARTS})",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                self._given_up = f"not extracted: the embedded llama.cpp server died {self._restarts + 1} times"
            return notice

    def close(self) -> None:
        """Stop the embedded server and start no other: calls in flight on it end. Never waits for a worker."""
        self._stopping = True
        self.server.close()


def embedded_params(backend: Any) -> dict[str, Any]:
    """What else decides the embedded server's output: its weights, context, threads and batch size (the seed is per
    call)."""
    server = getattr(backend, "server", None)
    if not backend.settings.embedded or server is None:
        return {}
    params = server.params
    return {
        "model_sha256": backend.settings.model_sha256,
        "n_ctx": params.n_ctx,
        "threads": params.threads,
        "batch_size": params.batch,
    }
