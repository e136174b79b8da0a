"""Shared fixtures: the corpus, and a guard that blocks any connection beyond loopback."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from allegations.core.corpus import load_corpus
from allegations.schemas import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "datasets" / "bes_huawei"
# Property tests judge what code does, never how fast: a busy machine must not fail them on a deadline.
settings.register_profile("any-load", deadline=None)
settings.load_profile("any-load")

SESSION_MARK = "ALLEGATIONS_TEST_SESSION"  # inherited by every process the tests start, however deep


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


def _llama_servers_of(session: str) -> list[int]:
    """Live llama.cpp server processes started (directly or not) by this test session, orphans included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"llama_cpp.server" not in (entry / "cmdline").read_bytes():
                continue
            if f"{SESSION_MARK}={session}".encode() not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="session", autouse=True)
def _no_llama_server_left_behind() -> Iterator[None]:
    """After the session (the embedded tests above all), no llama.cpp server it started may still run."""
    session = os.environ[SESSION_MARK] = uuid.uuid4().hex
    yield
    deadline = time.monotonic() + 10
    while (left := _llama_servers_of(session)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"llama.cpp servers left running after the tests (now killed): {left}"
