"""The corpus run: passes per article, concurrency, progress, totals, provenance, failure records, atomic JSONL."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from allegations import __version__
from allegations.core.files import dumps_jsonl_line, write_atomic
from allegations.core.paths import DEFAULT_CACHE
from allegations.extract.backend import LazyBackend, embedded_params
from allegations.extract.cache import ResponseCache
from allegations.extract.chunking import split_into_chunks
from allegations.extract.client import ExtractorBackend, ModelClient, build_client
from allegations.extract.cost import Cost
from allegations.extract.errors import BackendError
from allegations.extract.hybrid import decide
from allegations.extract.merge import assemble, dedupe, merge_parties, party_names
from allegations.extract.models import resolve
from allegations.extract.passes import PassFailed, PassOutcome, run_pass, to_records
from allegations.extract.prompts import prompt_hash
from allegations.extract.responses import name_key, schema_hash
from allegations.extract.settings import PLACEHOLDER_API_KEY, BackendSettings
from allegations.schemas import (
    Article,
    ArticleExtraction,
    Decision,
    DroppedItem,
    ExtractionFailure,
    Provenance,
    Strategy,
    describe_errors,
)
from allegations.schemas.kinds import LINKED_KINDS, PARTIES

log = logging.getLogger(__name__)

EXTRACTOR = f"allegations-extract {__version__}"


@dataclass
class ArticleResult:
    """One predictions line and what it cost."""

    line: ArticleExtraction | ExtractionFailure
    cost: Cost = field(default_factory=Cost)
    dropped: list[DroppedItem] = field(default_factory=list)
    calls: int = 0
    cached_calls: int = 0

    def add(self, outcome: PassOutcome | PassFailed) -> None:
        self.cost += outcome.cost
        if isinstance(outcome, PassOutcome):
            self.calls += 1
            self.cached_calls += int(outcome.from_cache)
            self.dropped += [DroppedItem(record_type=outcome.record_type, reason=r) for r in outcome.dropped]


@dataclass
class RunSummary:
    """Totals of a corpus run."""

    articles: int = 0
    succeeded: int = 0
    failed: int = 0
    cost: Cost = field(default_factory=Cost)
    seconds: float = 0.0
    dropped: int = 0
    calls: int = 0
    from_cache: int = 0
    strategy: str = "llm"

    def describe(self) -> str:
        return (
            f"{self.articles} articles: {self.succeeded} extracted, {self.failed} failed; "
            f"{self.cost.prompt_tokens} prompt + {self.cost.completion_tokens} completion tokens; "
            f"{self.cost.retries} re-asks, {self.dropped} dropped records; "
            f"{self.calls} calls ({self.from_cache} from cache); {self.seconds:.1f}s"
        )


def extract_with_server_watch(
    article: Article,
    backend: LazyBackend,
    settings: BackendSettings,
    cache: ResponseCache | None,
    strategy: Strategy = Strategy.llm,
) -> ArticleResult:
    """extract_article, where a server death costs this article (with the server's last words) instead of the run."""
    backend.begin_article()
    try:
        result = extract_article(article, backend, settings, cache, strategy)
    except BackendError:
        notice = backend.server_death(wait_s=2.0)
        if notice is None:
            raise
        result = ArticleResult(line=ExtractionFailure(article_id=article.id, error=notice))
        result.line.provenance = _provenance(backend, settings, result, strategy)
        return result
    if isinstance(result.line, ExtractionFailure) and (notice := backend.server_death()) is not None:
        result.line = result.line.model_copy(update={"error": notice})
    return result


def extract_article(
    article: Article,
    backend: ExtractorBackend,
    settings: BackendSettings,
    cache: ResponseCache | None,
    strategy: Strategy = Strategy.llm,
) -> ArticleResult:
    """One article by the chosen strategy: a predictions line and what it cost."""
    if strategy is Strategy.rules:
        return extract_by_rules(article, backend, settings)
    if strategy is Strategy.hybrid:
        return extract_hybrid(article, backend, settings, cache)
    return extract_by_model(article, backend, settings, cache)


def _rules_extraction(article: Article) -> ArticleExtraction:
    from allegations.extract.rules import extract_with_rules  # spaCy loads only when rules are used

    return extract_with_rules(article)


def extract_by_rules(article: Article, backend: ExtractorBackend, settings: BackendSettings) -> ArticleResult:
    """The deterministic rules alone: no server, no model call."""
    result = ArticleResult(line=ExtractionFailure(article_id=article.id, error="not run"))
    provenance = _provenance(backend, settings, result, Strategy.rules)
    try:
        extraction = _rules_extraction(article)
    except Exception as exc:  # a rule that breaks on one article fails that article, not the run
        error = f"rules: {type(exc).__name__}: {exc}"
        result.line = ExtractionFailure(article_id=article.id, error=error, provenance=provenance)
        return result
    dropped = extraction.provenance.dropped if extraction.provenance else []
    result.line = extraction.model_copy(update={"provenance": provenance.model_copy(update={"dropped": dropped})})
    return result


def extract_hybrid(
    article: Article, backend: ExtractorBackend, settings: BackendSettings, cache: ResponseCache | None
) -> ArticleResult:
    """The rules' candidates, then the model's decisions about them (only those in settings.decisions)."""
    result = ArticleResult(line=ExtractionFailure(article_id=article.id, error="not run"))
    try:
        proposed = _rules_extraction(article)
    except Exception as exc:
        result.line = ExtractionFailure(
            article_id=article.id,
            error=f"rules: {type(exc).__name__}: {exc}",
            provenance=_provenance(backend, settings, result, Strategy.hybrid),
        )
        return result
    if proposed.provenance:
        result.dropped += proposed.provenance.dropped
    try:
        decided = decide(article.text, proposed, backend, settings, cache, result.add)
        result.dropped += decided.dropped
        extraction = assemble(article, decided.records, result.dropped)
        provenance = _provenance(backend, settings, result, Strategy.hybrid, decided.decisions)
        result.line = extraction.model_copy(update={"provenance": provenance})
    except PassFailed as exc:
        result.add(exc)
        result.line = ExtractionFailure(
            article_id=article.id,
            error=redact(exc.reason, settings.api_key),
            provenance=_provenance(backend, settings, result, Strategy.hybrid),
        )
    return result


def extract_by_model(
    article: Article, backend: ExtractorBackend, settings: BackendSettings, cache: ResponseCache | None
) -> ArticleResult:
    """Parties first in every chunk, then the other record types linked to them; merged and grounded."""
    result = ArticleResult(line=ExtractionFailure(article_id=article.id, error="not run"))
    chunks = split_into_chunks(article.text, settings.max_chunk_chars)
    records: dict[str, list[dict[str, Any]]] = {}
    try:
        found: list[dict[str, Any]] = []
        for chunk in chunks:
            outcome = run_pass(backend, settings, cache, PARTIES.name, chunk, [])
            result.add(outcome)
            found += to_records(outcome, chunk)
        parties = records[PARTIES.name] = merge_parties(found, short_aliases_only=settings.quotes_constrained)
        names = party_names(parties)
        party_of = {name_key(n): p["name"] for p in parties for n in [p["name"], *p["aliases"]]}
        for kind in LINKED_KINDS:
            found = []
            for chunk in chunks if len(parties) > 1 else []:  # every record links two parties
                outcome = run_pass(backend, settings, cache, kind.name, chunk, names, party_of)
                result.add(outcome)
                found += to_records(outcome, chunk)
            records[kind.name] = dedupe(kind.name, found, parties)
        extraction = assemble(article, records, result.dropped)
        result.line = extraction.model_copy(update={"provenance": _provenance(backend, settings, result)})
    except PassFailed as exc:
        result.add(exc)
        result.line = ExtractionFailure(
            article_id=article.id,
            error=redact(exc.reason, settings.api_key),
            provenance=_provenance(backend, settings, result),
        )
    except ValidationError as exc:
        result.line = ExtractionFailure(
            article_id=article.id,
            error="records do not fit together: " + "; ".join(describe_errors(exc)[:3]),
            provenance=_provenance(backend, settings, result),
        )
    return result


def redact(text: str, secret: str) -> str:
    """`text` with `secret` masked: a server may echo the key in an error that ends up in a failure record."""
    return text.replace(secret, "***") if secret and secret != PLACEHOLDER_API_KEY else text


def _provenance(
    backend: ExtractorBackend,
    settings: BackendSettings,
    result: ArticleResult,
    strategy: Strategy = Strategy.llm,
    decisions: list[Decision] | None = None,
) -> Provenance:
    model_used = strategy is Strategy.llm or bool(decisions) or result.calls > 0
    return Provenance(
        extractor=EXTRACTOR,
        model=backend.model if model_used else "none",
        backend=settings.backend_name if model_used else "none",
        mode=backend.mode if model_used else "none",
        **(embedded_params(backend) if model_used else {}),
        prompt_hash=prompt_hash(),
        schema_hash=schema_hash(),
        **result.cost.as_dict(),
        dropped=result.dropped,
        seed=settings.seed,
        temperature=settings.temperature,
        strategy=strategy,
        decisions=decisions or [],
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
                f"({result.calls} calls, {result.cached_calls} cached, {result.cost.retries} re-asks, "
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
    strategy: Strategy | str = Strategy.llm,
) -> RunSummary:
    """Extract every article by `strategy` and write the predictions JSONL atomically, sorted by article id.

    The embedded server is started only if some call misses the cache, and stopped at the end; if it dies, the
    article in flight fails and the server is restarted (bounded). The rules strategy opens neither server nor
    cache. A BackendError (server unreachable, bad key, unknown model) stops the run before anything is written.
    """
    strategy = Strategy(strategy)
    settings = settings or BackendSettings.from_env()
    if strategy is Strategy.llm or (strategy is Strategy.hybrid and settings.decisions):
        settings = resolve(settings)  # the model's file, name, sha256 and server parameters, before any cache key
    started = time.perf_counter()
    results: dict[str, ArticleResult] = {}
    bar = Progress(len(articles), progress)
    cache = None if strategy is Strategy.rules else ResponseCache(cache_path)
    backend = LazyBackend(settings, client_factory)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    interrupted = False
    try:
        futures = {
            pool.submit(extract_with_server_watch, a, backend, settings, cache, strategy): a.id for a in articles
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=futures.__getitem__):
                result = future.result()
                results[futures[future]] = result
                bar.update(result)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # no article starts from here on
        backend.close()  # calls in flight on the embedded server end with it
        if not interrupted:  # on Ctrl-C the process exits now; the cache stays open under the abandoned calls
            pool.shutdown(wait=True)
            if cache is not None:
                cache.close()  # only once every worker has stopped
        bar.close()
    lines = [results[a].line for a in sorted(results)]
    write_atomic(Path(out), "".join(dumps_jsonl_line(line.model_dump(mode="json")) for line in lines))
    summary = RunSummary(articles=len(lines), seconds=round(time.perf_counter() - started, 3), strategy=strategy)
    for result in results.values():
        summary.succeeded += int(isinstance(result.line, ArticleExtraction))
        summary.failed += int(isinstance(result.line, ExtractionFailure))
        summary.cost += result.cost
        summary.dropped += len(result.dropped)
        summary.calls += result.calls
        summary.from_cache += result.cached_calls
    return summary
