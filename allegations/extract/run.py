"""The corpus run: passes per article, concurrency, progress, totals, provenance, failure records, atomic JSONL."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import instructor
from pydantic import ValidationError

from allegations import __version__
from allegations.core.files import dumps_jsonl_line, write_atomic
from allegations.core.paths import DEFAULT_CACHE
from allegations.extract.cache import ResponseCache
from allegations.extract.chunking import split_into_chunks
from allegations.extract.client import ModelClient, build_client, check_backend, choose_mode
from allegations.extract.merge import assemble, dedupe, merge_parties, party_names
from allegations.extract.models import resolve, serve_embedded
from allegations.extract.passes import PassFailed, PassOutcome, run_pass, to_records
from allegations.extract.prompts import prompt_hash
from allegations.extract.responses import name_key, schema_hash
from allegations.extract.settings import PLACEHOLDER_API_KEY, BackendSettings
from allegations.schemas import (
    RECORD_TYPES,
    Article,
    ArticleExtraction,
    DroppedItem,
    ExtractionFailure,
    Provenance,
    describe_errors,
)

log = logging.getLogger(__name__)

EXTRACTOR = f"allegations-extract {__version__}"


class LazyBackend:
    """The model client, built (and the embedded server started) only when a call misses the cache."""

    def __init__(self, settings: BackendSettings, stack: contextlib.ExitStack, factory: Callable[..., ModelClient]):
        self.settings = settings
        self.model = settings.model
        self.mode = choose_mode(settings)
        self.base_url = settings.base_url or "the embedded llama.cpp server"
        self._stack = stack
        self._factory = factory
        self._lock = threading.Lock()
        self._client: ModelClient | None = None

    @property
    def client(self) -> instructor.Instructor:
        with self._lock:
            if self._client is None:
                url = self.settings.base_url
                if url is None:
                    url = self._stack.enter_context(serve_embedded(self.settings))
                client = self._factory(self.settings, url)
                check_backend(client)
                self.base_url = client.base_url
                self._client = client
            return self._client.client


@dataclass
class ArticleResult:
    """One predictions line and what it cost."""

    line: ArticleExtraction | ExtractionFailure
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    retries: int = 0
    dropped: list[DroppedItem] = field(default_factory=list)
    calls: int = 0
    cached_calls: int = 0

    def add(self, outcome: PassOutcome | PassFailed) -> None:
        self.prompt_tokens += outcome.prompt_tokens
        self.completion_tokens += outcome.completion_tokens
        self.retries += outcome.retries
        if isinstance(outcome, PassOutcome):
            self.latency_s += outcome.latency_s
            self.calls += 1
            self.cached_calls += int(outcome.from_cache)
            self.dropped += [DroppedItem(record_type=outcome.record_type, reason=r) for r in outcome.dropped]


@dataclass
class RunSummary:
    """Totals of a corpus run."""

    articles: int = 0
    succeeded: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    retries: int = 0
    dropped: int = 0
    calls: int = 0
    from_cache: int = 0

    def describe(self) -> str:
        return (
            f"{self.articles} articles: {self.succeeded} extracted, {self.failed} failed; "
            f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens; "
            f"{self.retries} re-asks, {self.dropped} dropped records; "
            f"{self.calls} calls ({self.from_cache} from cache); {self.seconds:.1f}s"
        )


def extract_article(
    article: Article, backend: Any, settings: BackendSettings, cache: ResponseCache | None
) -> ArticleResult:
    """Parties first in every chunk, then the other record types linked to them; merged and grounded."""
    result = ArticleResult(line=ExtractionFailure(article_id=article.id, error="not run"))
    chunks = split_into_chunks(article.text, settings.max_chunk_chars)
    records: dict[str, list[dict[str, Any]]] = {}
    try:
        found: list[dict[str, Any]] = []
        for chunk in chunks:
            outcome = run_pass(backend, settings, cache, "parties", chunk, [])
            result.add(outcome)
            found += to_records(outcome, chunk)
        records["parties"] = merge_parties(found, short_aliases_only=settings.quotes_constrained)
        names = party_names(records["parties"])
        party_of = {name_key(n): p["name"] for p in records["parties"] for n in [p["name"], *p["aliases"]]}
        for record_type in RECORD_TYPES[1:]:
            found = []
            for chunk in chunks if len(records["parties"]) > 1 else []:  # every record links two parties
                outcome = run_pass(backend, settings, cache, record_type, chunk, names, party_of)
                result.add(outcome)
                found += to_records(outcome, chunk)
            records[record_type] = dedupe(record_type, found, records["parties"])
        extraction = assemble(article, records, result.dropped)
        result.line = extraction.model_copy(update={"provenance": _provenance(backend, result)})
    except PassFailed as exc:
        result.add(exc)
        result.line = ExtractionFailure(
            article_id=article.id, error=redact(exc.reason, settings.api_key), provenance=_provenance(backend, result)
        )
    except ValidationError as exc:
        result.line = ExtractionFailure(
            article_id=article.id,
            error="records do not fit together: " + "; ".join(describe_errors(exc)[:3]),
            provenance=_provenance(backend, result),
        )
    return result


def redact(text: str, secret: str) -> str:
    """`text` with `secret` masked: a server may echo the key in an error that ends up in a failure record."""
    return text.replace(secret, "***") if secret and secret != PLACEHOLDER_API_KEY else text


def _provenance(backend: Any, result: ArticleResult) -> Provenance:
    return Provenance(
        extractor=EXTRACTOR,
        model=backend.model,
        backend=backend.settings.backend_name,
        mode=backend.mode,
        model_sha256=backend.settings.model_sha256,
        n_ctx=backend.settings.n_ctx if backend.settings.embedded else None,
        threads=backend.settings.n_threads,
        batch_size=backend.settings.n_batch,
        prompt_hash=prompt_hash(),
        schema_hash=schema_hash(),
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        latency_s=round(result.latency_s, 3),
        retries=result.retries,
        dropped=result.dropped,
    )


class Progress:
    """A rich progress bar with ETA on a terminal, plain log lines otherwise."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        self.total, self.done = total, 0
        self.bar: Any = None
        if enabled if enabled is not None else sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(
                TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
            )
            self.task = self.bar.add_task("extract", total=total)
            self.bar.start()

    def update(self, result: ArticleResult) -> None:
        self.done += 1
        line = result.line
        status = "failed: " + line.error if isinstance(line, ExtractionFailure) else "ok"
        if self.bar is not None:
            self.bar.advance(self.task)
        else:
            print(
                f"[{self.done}/{self.total}] {line.article_id}: {status} "
                f"({result.calls} calls, {result.cached_calls} cached, {result.retries} re-asks, "
                f"{len(result.dropped)} dropped)",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def extract_corpus(
    articles: list[Article],
    out: Path,
    *,
    settings: BackendSettings | None = None,
    cache_path: Path = DEFAULT_CACHE,
    concurrency: int = 1,
    progress: bool | None = None,
    client_factory: Callable[..., ModelClient] = build_client,
) -> RunSummary:
    """Extract every article and write the predictions JSONL atomically, sorted by article id.

    The embedded server is started only if some call misses the cache, and stopped at the end. A BackendError
    (server unreachable, bad key, unknown model) stops the run before anything is written.
    """
    settings = resolve(settings or BackendSettings.from_env())
    started = time.perf_counter()
    results: dict[str, ArticleResult] = {}
    bar = Progress(len(articles), progress)
    try:
        with contextlib.ExitStack() as stack, ResponseCache(cache_path) as cache:
            backend = LazyBackend(settings, stack, client_factory)
            # Not a `with` block: on Ctrl-C or a stopping error, leave in-flight calls behind instead of waiting
            # for them; stopping the server (the ExitStack) then ends them.
            pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
            try:
                futures = {pool.submit(extract_article, a, backend, settings, cache): a.id for a in articles}
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=futures.__getitem__):
                        result = future.result()
                        results[futures[future]] = result
                        bar.update(result)
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
    finally:
        bar.close()
    lines = [results[a].line for a in sorted(results)]
    write_atomic(Path(out), "".join(dumps_jsonl_line(line.model_dump(mode="json")) for line in lines))
    summary = RunSummary(articles=len(lines), seconds=round(time.perf_counter() - started, 3))
    for result in results.values():
        summary.succeeded += int(isinstance(result.line, ArticleExtraction))
        summary.failed += int(isinstance(result.line, ExtractionFailure))
        summary.prompt_tokens += result.prompt_tokens
        summary.completion_tokens += result.completion_tokens
        summary.retries += result.retries
        summary.dropped += len(result.dropped)
        summary.calls += result.calls
        summary.from_cache += result.cached_calls
    return summary
