"""Shared fixtures: the corpus, and a guard that blocks any connection beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus
from allegations.schemas import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "datasets" / "bes_huawei"


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths stay on this machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _block_remote_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than loopback (except live `hub` tests, skipped by default)."""
    if request.node.get_closest_marker("hub") is not None:
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(sock: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may only reach loopback, not {address!r}")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may only reach loopback, not {address!r}")
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def articles_map(articles: list[Article]) -> dict[str, Article]:
    return {a.id: a for a in articles}
