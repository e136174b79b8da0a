"""Shared helpers for the fault catalogue: throwaway corpora, the CLI, planted secrets, a fake OpenAI server."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, Reply, Responder, SeenRequest
from typer.testing import CliRunner

from allegations.cli import app
from bench.fake_openai import chat_completion

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "datasets" / "bes_huawei"

# Recognisable fake secrets: planted in the environment and options, then searched for in every output.
CANARY_API_KEY = "sk-FAKE-allegations-canary-123"
CANARY_HF_TOKEN = "hf_FAKEcanaryAllegations0123456789abcdefXYZ"
# Distinctive fragments too, so a half-masked key ("sk-FAKE...-123") still counts as a leak.
CANARY_FRAGMENTS = (CANARY_API_KEY, CANARY_HF_TOKEN, "allegations-canary", "FAKEcanary", "0123456789abcdefXYZ")


# ---------------------------------------------------------------- corpora


def make_corpus(folder: Path, articles: dict[str, str | bytes], *, titles: dict[str, str] | None = None) -> Path:
    """Write a corpus folder: `metadata.jsonl` plus one `articles/<id>.txt` per entry, bytes kept as given."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    lines = []
    for article_id, body in articles.items():
        path = folder / "articles" / f"{article_id}.txt"
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8", newline="")
        title = (titles or {}).get(article_id, f"Title of {article_id}")
        lines.append(json.dumps({"id": article_id, "title": title}, ensure_ascii=False))
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def copy_seed_corpus(folder: Path, ids: list[str] | None = None) -> Path:
    """Copy the seed corpus (or some of its articles) into `folder`, metadata lines included."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    kept = []
    for line in (CORPUS / "metadata.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if ids is None or entry["id"] in ids:
            kept.append(line)
            name = f"{entry['id']}.txt"
            (folder / "articles" / name).write_bytes((CORPUS / "articles" / name).read_bytes())
    (folder / "metadata.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- the command line


@dataclass
class CliResult:
    """What a user sees from one command: exit code, stdout, stderr."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> CliResult:
    """Run the real typer app in process, with stdout and stderr kept apart."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised instead of reporting an error: {result.exception!r}\n{result.output}")
    return CliResult(result.exit_code, result.stdout, result.stderr)


def cli_command() -> list[str]:
    """The console command as a subprocess argv, using this interpreter."""
    return [sys.executable, "-c", "from allegations.cli import main; main()"]


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: this one, minus any real keys, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in {"OPENAI_API_KEY", "HF_TOKEN", "OPENAI_BASE_URL"}}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli_subprocess(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the console command in a fresh process; a hang fails the test instead of stalling it."""
    return subprocess.run(
        [*cli_command(), *[str(a) for a in args]],
        env=env or subprocess_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# ---------------------------------------------------------------- secrets


def find_secrets(*sources: Path | str | bytes) -> list[str]:
    """Every planted secret fragment found in the given texts, files, or folders (searched recursively, as bytes)."""
    found = []
    for source in sources:
        if isinstance(source, Path):
            files = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
            blobs = [(str(p), p.read_bytes()) for p in files if p.exists()]
        else:
            blobs = [("<text>", source.encode("utf-8") if isinstance(source, str) else source)]
        for name, blob in blobs:
            found += [f"{name}: {frag}" for frag in CANARY_FRAGMENTS if frag.encode("utf-8") in blob]
    return found


def assert_no_secrets(*sources: Path | str | bytes) -> None:
    """Fail listing each place a planted secret turned up."""
    leaks = find_secrets(*sources)
    assert not leaks, "planted secret leaked:\n" + "\n".join(leaks)


@pytest.fixture
def planted_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Put the fake key and token in the environment, as a user would."""
    monkeypatch.setenv("OPENAI_API_KEY", CANARY_API_KEY)
    monkeypatch.setenv("HF_TOKEN", CANARY_HF_TOKEN)
    return {"OPENAI_API_KEY": CANARY_API_KEY, "HF_TOKEN": CANARY_HF_TOKEN}


# ---------------------------------------------------------------- output files


def leftover_temp_files(folder: Path) -> list[Path]:
    """Temporary files an atomic write would leave behind if it failed to clean up."""
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".") and p.is_file())


@contextlib.contextmanager
def mounted_tmpfs(mountpoint: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. 64k): writes past it fail with ENOSPC for real. Skips where mounting is not allowed."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'}); ENOSPC is simulated")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB filesystem of its own."""
    with mounted_tmpfs(tmp_path / "tiny-disk", "64k") as mountpoint:
        yield mountpoint


def fill_disk(mountpoint: Path, keep_free: int = 0) -> None:
    """Fill a small filesystem until at most `keep_free` bytes remain."""
    with open(mountpoint / "ballast", "wb") as ballast:
        try:
            while True:
                free = os.statvfs(mountpoint).f_bavail * os.statvfs(mountpoint).f_frsize
                if free <= keep_free:
                    break
                ballast.write(b"\0" * min(4096, free - keep_free))
                ballast.flush()
        except OSError:
            pass


# ---------------------------------------------------------------- a fake OpenAI-compatible server on loopback


def completion(request: SeenRequest, arguments: dict[str, Any] | str, *, model: str = "fake-model") -> Reply:
    """A chat completion carrying `arguments` as a tool call when tools were offered, else as message content."""
    tools = request.body.get("tools") or []
    return Reply(body=chat_completion(tools[0]["function"]["name"] if tools else None, arguments, model=model))


@pytest.fixture
def fake_openai() -> Iterator[Callable[[Responder], LoopbackServer]]:
    """Start fake OpenAI servers with a given responder; each is stopped at the end of the test."""
    started: list[LoopbackServer] = []

    def start(responder: Responder) -> LoopbackServer:
        server = LoopbackServer(responder).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


# ---------------------------------------------------------------- a scripted model behind the fake server

PASS_OF_TOOL = {"Parties": "parties", "Allegations": "allegations", "ContractTerms": "contract_terms"}
PASS_OF_TOOL["ReliefSought"] = "relief_sought"
KNOWN_PARTIES = {"Acme Corp": "plaintiff", "Widget Ltd": "defendant"}


def article_in(request: SeenRequest) -> str:
    """The article text of an extraction request: what sits between the last <article> and </article>."""
    text = request.text
    start = text.rfind("<article>\n")
    end = text.rfind("\n</article>")
    return text[start + len("<article>\n") : end] if start != -1 and end > start else ""


def pass_of(request: SeenRequest) -> str:
    """Which record type a request asks for, from the offered tool's name."""
    tools = request.body.get("tools") or []
    return PASS_OF_TOOL.get(tools[0]["function"]["name"], "?") if tools else "?"


def sentence_with(text: str, words: str) -> str:
    """The first sentence of `text` containing `words`, as a verbatim quote."""
    for sentence in text.replace("\n", " ").split(". "):
        if words in sentence:
            return sentence.strip().rstrip(".")
    raise AssertionError(f"{words!r} not in the article")


def grounded_answer(record_type: str, article: str) -> dict[str, Any]:
    """What a perfect model says about the test articles: Acme Corp sues Widget Ltd, with verbatim quotes."""
    present = [name for name in KNOWN_PARTIES if name in article]
    if record_type == "parties":
        items = [
            {"name": n, "alias": None, "kind": "company", "role": KNOWN_PARTIES[n], "quote": sentence_with(article, n)}
            for n in present
        ]
        return {"items": items}
    if record_type == "allegations" and len(present) == 2 and "alleg" in article:
        quote = sentence_with(article, "alleg")
        item = {"claimant": "Acme Corp", "accused": "Widget Ltd", "category": "breach_of_contract"}
        return {"items": [{**item, "summary": "Acme says Widget broke the contract.", "quote": quote}]}
    return {"items": []}


def lawsuit_article(number: int) -> str:
    """A short test article naming both parties and one allegation; `number` makes each text distinct."""
    return (
        f"Report number {number}. Acme Corp sued Widget Ltd in a district court. "
        f"Acme Corp alleges that Widget Ltd broke the supply contract signed in 20{10 + number}. "
        "Neither company commented on the case."
    )


def scripted_model(
    fault: Callable[[SeenRequest, str, str, int], Reply | None] | None = None,
) -> Callable[[SeenRequest], Reply]:
    """A responder that answers like a perfect model unless `fault(request, article, pass, attempt)` says otherwise.

    `attempt` counts requests for the same article and pass, from 1.
    """
    attempts: dict[tuple[str, str], int] = {}
    lock = threading.Lock()

    def respond(request: SeenRequest) -> Reply:
        article, record_type = article_in(request), pass_of(request)
        with lock:
            attempts[(article, record_type)] = attempt = attempts.get((article, record_type), 0) + 1
        if fault is not None:
            reply = fault(request, article, record_type, attempt)
            if reply is not None:
                return reply
        return completion(request, grounded_answer(record_type, article))

    return respond


def requests_by_article(server: LoopbackServer, articles: dict[str, str]) -> dict[str, list[str]]:
    """For each article id, the passes requested for it, in order."""
    by_text = {text: article_id for article_id, text in articles.items()}
    seen: dict[str, list[str]] = {article_id: [] for article_id in articles}
    for request in server.completions():
        seen[by_text[article_in(request)]].append(pass_of(request))
    return seen


def read_jsonl_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def without_timings(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Predictions with the measured latency blanked: the only field two identical runs may differ in."""
    blanked = json.loads(json.dumps(lines))
    for line in blanked:
        if line.get("provenance"):
            line["provenance"]["latency_s"] = None
    return blanked
