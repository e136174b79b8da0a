"""The `allegations` command: parses arguments and calls the stage functions, nothing else."""

from __future__ import annotations

import functools
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from allegations.core.corpus import articles_by_id, load_corpus
from allegations.core.errors import AllegationsError
from allegations.core.paths import DEFAULT_BUILD_DIR, DEFAULT_CORPUS, DEFAULT_DATASET_CONFIG, DEFAULT_GOLD
from allegations.core.records import load_records
from allegations.schemas import ArticleExtraction

app = typer.Typer(
    help="Turn news coverage of lawsuits into a structured, evaluated, published dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


CorpusOption = Annotated[
    Path, typer.Option("--corpus", help="Corpus folder holding metadata.jsonl and articles/.", show_default=True)
]
GoldOption = Annotated[Path, typer.Option("--gold", help="Folder of gold <article-id>.json files.")]
BuildDirOption = Annotated[
    Path, typer.Option("--build-dir", help="Build folder: predictions.jsonl, eval.json, eval.md, dataset/.")
]
DatasetConfigOption = Annotated[Path, typer.Option("--dataset-config", help="Card metadata and thresholds.")]
BuiltOnOption = Annotated[
    str | None, typer.Option("--built-on", help="Date on the card, YYYY-MM-DD (default SOURCE_DATE_EPOCH or today).")
]
ConcurrencyOption = Annotated[int, typer.Option("--concurrency", min=1, help="Requests in flight at once.")]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible server; default: $OPENAI_BASE_URL or embedded.")
]
ModelOption = Annotated[str | None, typer.Option("--model", help="Model name; default: $ALLEGATIONS_MODEL.")]
ApiKeyOption = Annotated[str | None, typer.Option("--api-key", help="API key; default: $OPENAI_API_KEY.")]
MaxRetriesOption = Annotated[
    int | None, typer.Option("--max-retries", min=0, help="Re-asks after a failed validation.")
]
StrategyOption = Annotated[
    str | None,
    typer.Option(
        "--strategy",
        help="llm (the model extracts), rules (deterministic, no model) or hybrid (rules propose, the model decides "
        "what --model-decides says); default: hybrid with the shipped model, llm with --base-url, --gguf or --hf-repo.",
    ),
]
ModelDecidesOption = Annotated[
    str | None,
    typer.Option(
        "--model-decides",
        help="Hybrid: comma-separated decisions for the model, of kept, category, summary, added; 'none' for none. "
        "Default: $ALLEGATIONS_MODEL_DECIDES, else none for the shipped embedded model and all for any other model.",
    ),
]


GgufOption = Annotated[
    Path | None, typer.Option("--gguf", help="GGUF file for the embedded server; default: $ALLEGATIONS_GGUF.")
]
HfRepoOption = Annotated[
    str | None, typer.Option("--hf-repo", help="Hub repo OWNER/NAME to fetch the GGUF from ($ALLEGATIONS_HF_REPO).")
]
HfFileOption = Annotated[
    str | None, typer.Option("--hf-file", help="The .gguf file in --hf-repo ($ALLEGATIONS_HF_FILE).")
]
CtxSizeOption = Annotated[
    int | None,
    typer.Option("--ctx-size", min=512, help="Embedded context ($ALLEGATIONS_CTX_SIZE); default: the model's."),
]
ThreadsOption = Annotated[
    int | None,
    typer.Option(
        "--threads",
        min=1,
        help="Embedded server threads ($ALLEGATIONS_THREADS); default: 2, or one a core up to 4 for a chosen GGUF.",
    ),
]
BatchSizeOption = Annotated[
    int | None, typer.Option("--batch-size", min=1, help="Embedded prompt batch ($ALLEGATIONS_BATCH_SIZE); 512.")
]


def _settings_and_strategy(strategy: str | None, **overrides: Any) -> tuple[Any, str]:
    """Backend settings from the options and the environment, and the strategy they run (the settings' default)."""
    from allegations.extract.settings import STRATEGIES, BackendSettings

    settings = BackendSettings.from_env(**overrides)
    if strategy is not None and strategy not in STRATEGIES:
        raise AllegationsError(f"unknown strategy {strategy!r}", hint=f"use one of {', '.join(STRATEGIES)}")
    # Failed calls become failure records; instructor's own log lines would repeat them, server echoes included.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    return settings, strategy or str(settings.default_strategy)


def command(name: str | None = None) -> Callable[[F], F]:
    """Register a subcommand that reports AllegationsError as one line and a non-zero exit."""

    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except AllegationsError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(exc.exit_code) from None

        app.command(name)(run)
        return fn

    return register


@command()
def schema() -> None:
    """Print the JSON Schema of ArticleExtraction, the record of one article."""
    typer.echo(json.dumps(ArticleExtraction.model_json_schema(), indent=2, ensure_ascii=False))


@command()
def validate(
    path: Annotated[Path, typer.Argument(help="A gold JSON file, a folder of them, or a predictions JSONL.")],
    corpus: CorpusOption = DEFAULT_CORPUS,
) -> None:
    """Check records against the schema and their articles; one line per problem."""
    loaded = load_records(path, articles_by_id(load_corpus(corpus)))
    for problem in loaded.problems:
        typer.echo(str(problem), err=True)
    if loaded.problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {len(loaded.extractions)} extractions, {len(loaded.failures)} failures, no problems in {path}")


@command("eval")
def evaluate(
    predictions: Annotated[
        list[Path], typer.Argument(help="Predictions JSONL files; several are compared side by side.")
    ],
    gold: GoldOption = DEFAULT_GOLD,
    corpus: CorpusOption = DEFAULT_CORPUS,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the HTML report here (one page per predictions file when several)."),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the full JSON report here.")] = None,
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Compare on lenient (similarity) matching instead of strict.")
    ] = False,
) -> None:
    """Score predictions against the gold: P/R/F1 per record type and field, strict and lenient, with 95% intervals."""
    from allegations.eval.outputs import report_runs, run_evaluations  # numpy and scipy load only when evaluating

    gold_set, runs = run_evaluations(predictions, gold, corpus)
    report_runs(gold_set, runs, html=html, json=json_out, matching="lenient" if lenient else "strict")


@command()
def extract(
    corpus: CorpusOption = DEFAULT_CORPUS,
    out: Annotated[Path, typer.Option("--out", help="Predictions JSONL to write (atomically).")] = DEFAULT_BUILD_DIR
    / "predictions.jsonl",
    concurrency: ConcurrencyOption = 1,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    api_key: ApiKeyOption = None,
    cache: Annotated[Path, typer.Option("--cache", help="Response cache (sqlite).")] = DEFAULT_BUILD_DIR
    / "cache.sqlite",
    max_retries: MaxRetriesOption = None,
    strategy: StrategyOption = None,
    model_decides: ModelDecidesOption = None,
    gguf: GgufOption = None,
    hf_repo: HfRepoOption = None,
    hf_file: HfFileOption = None,
    ctx_size: CtxSizeOption = None,
    threads: ThreadsOption = None,
    batch_size: BatchSizeOption = None,
) -> None:
    """Extract records from every article by rules, a model, or both; exit 3 when some articles failed."""
    from allegations.extract.errors import SomeArticlesFailed
    from allegations.extract.run import extract_corpus

    settings, chosen = _settings_and_strategy(
        strategy,
        base_url=base_url,
        model=model,
        api_key=api_key,
        max_retries=max_retries,
        model_decides=model_decides,
        **_local_model(gguf, hf_repo, hf_file, ctx_size, threads, batch_size),
    )
    articles = load_corpus(corpus)
    try:
        summary = extract_corpus(
            articles, out, settings=settings, cache_path=cache, concurrency=concurrency, strategy=chosen
        )
    except KeyboardInterrupt as stop:
        _exit_interrupted(f"{out} was not written", cache, stop)
    typer.echo(f"wrote {out}: {summary.describe()}")
    if summary.failed:
        raise SomeArticlesFailed(f"{summary.failed} of {summary.articles} articles failed", hint=f"see {out}")


@command()
def serve(
    port: Annotated[int | None, typer.Option("--port", help="Port on 127.0.0.1; default: a free one.")] = None,
    gguf: GgufOption = None,
    hf_repo: HfRepoOption = None,
    hf_file: HfFileOption = None,
    ctx_size: CtxSizeOption = None,
    threads: ThreadsOption = None,
    batch_size: BatchSizeOption = None,
) -> None:
    """Run the embedded llama.cpp server in the foreground until Ctrl-C (or SIGTERM)."""
    from allegations.extract.models import resolve, serve_embedded
    from allegations.extract.settings import BackendSettings

    local = _local_model(gguf, hf_repo, hf_file, ctx_size, threads, batch_size)
    settings = resolve(BackendSettings.from_env(**local).model_copy(update={"base_url": None}))
    with serve_embedded(settings, port=port) as url:
        typer.echo(f"serving {settings.model} at {url} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            typer.echo("stopped")


def _local_model(
    gguf: Path | None,
    hf_repo: str | None,
    hf_file: str | None,
    ctx_size: int | None,
    threads: int | None,
    batch_size: int | None,
) -> dict[str, Any]:
    """The embedded model's options as settings overrides (unset ones fall through to the environment)."""
    return {
        "gguf": gguf,
        "hf_repo": hf_repo,
        "hf_file": hf_file,
        "n_ctx": ctx_size,
        "n_threads": threads,
        "n_batch": batch_size,
    }


@command()
def models() -> None:
    """List the embedded default and the GGUF files in the Hugging Face cache, with size and sha256."""
    from allegations.extract.models import hub_cache_dir, list_models

    listed = list_models()
    for model in listed:
        typer.echo(f"{model.label}\t{model.size / 2**20:.1f} MiB\tsha256:{model.sha256}\t{model.path}")
    if len(listed) == 1:
        typer.echo(f"no GGUF files in the Hub cache ({hub_cache_dir()}); fetch one with --hf-repo and --hf-file")


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, `docker stop`, systemd), handled like Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _exit_interrupted(what: str, cache: Path, stop: KeyboardInterrupt) -> NoReturn:
    """After Ctrl-C or SIGTERM: say how to resume, then exit without waiting for model calls still in flight."""
    typer.echo(
        f"error: interrupted; {what}, finished calls are kept in {cache}: run the same command again to resume",
        err=True,
    )
    sys.stdout.flush()
    sys.stderr.flush()
    # Calls in flight are not cached and will be asked again; waiting could take their full timeout.
    os._exit(128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT))


@command()
def build(
    corpus: CorpusOption = DEFAULT_CORPUS,
    gold: GoldOption = DEFAULT_GOLD,
    build_dir: BuildDirOption = DEFAULT_BUILD_DIR,
    dataset_config: DatasetConfigOption = DEFAULT_DATASET_CONFIG,
    built_on: BuiltOnOption = None,
    concurrency: ConcurrencyOption = 1,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    api_key: ApiKeyOption = None,
    max_retries: MaxRetriesOption = None,
    strategy: StrategyOption = None,
    model_decides: ModelDecidesOption = None,
    gguf: GgufOption = None,
    hf_repo: HfRepoOption = None,
    hf_file: HfFileOption = None,
    ctx_size: CtxSizeOption = None,
    threads: ThreadsOption = None,
    batch_size: BatchSizeOption = None,
) -> None:
    """Regenerate the whole dataset: extract, evaluate against the gold, build the dataset folder."""
    from allegations.build import build_dataset
    from allegations.extract.errors import SomeArticlesFailed
    from allegations.publish.config import load_dataset_config

    settings, chosen = _settings_and_strategy(
        strategy,
        base_url=base_url,
        model=model,
        api_key=api_key,
        max_retries=max_retries,
        model_decides=model_decides,
        **_local_model(gguf, hf_repo, hf_file, ctx_size, threads, batch_size),
    )
    try:
        result = build_dataset(
            corpus,
            gold,
            build_dir,
            config=load_dataset_config(dataset_config),
            settings=settings,
            concurrency=concurrency,
            built_on=built_on,
            strategy=chosen,
        )
    except KeyboardInterrupt as stop:
        _exit_interrupted(f"the build in {build_dir} did not finish", build_dir / "cache.sqlite", stop)
    for line in result.summary():
        typer.echo(line)
    if result.extraction.failed:
        raise SomeArticlesFailed(
            f"{result.extraction.failed} of {result.extraction.articles} articles failed; the dataset records them",
            hint=f"see the error lines in {result.layout.predictions}",
        )


@command()
def publish(
    repo_id: Annotated[str | None, typer.Option("--repo-id", help="Hub dataset repo to upload to: OWNER/NAME.")] = None,
    to: Annotated[Path | None, typer.Option("--to", help="Write the dataset folder here instead of uploading.")] = None,
    revision: Annotated[str | None, typer.Option("--revision", help="Branch to commit to (created if new).")] = None,
    private: Annotated[bool, typer.Option("--private", help="Create the repo as private.")] = False,
    allow_below_threshold: Annotated[
        bool, typer.Option("--allow-below-threshold", help="Publish even if scores miss the thresholds (card warns).")
    ] = False,
    build_dir: BuildDirOption = DEFAULT_BUILD_DIR,
    corpus: CorpusOption = DEFAULT_CORPUS,
    gold: GoldOption = DEFAULT_GOLD,
    dataset_config: DatasetConfigOption = DEFAULT_DATASET_CONFIG,
    built_on: BuiltOnOption = None,
) -> None:
    """Publish the build as a Hugging Face dataset, gated on its eval report: --repo-id OWNER/NAME or --to DIR."""
    from allegations.publish.config import load_dataset_config  # imported here: `datasets` is slow to import
    from allegations.publish.release import release_build

    release = release_build(
        build_dir,
        config=load_dataset_config(dataset_config),
        repo_id=repo_id,
        to_dir=to,
        revision=revision,
        private=private,
        allow_below_threshold=allow_below_threshold,
        corpus=corpus,
        gold=gold,
        built_on=built_on,
    )
    typer.echo(release.summary())


@command()
def download(
    source: Annotated[str, typer.Argument(help="Hub repo id OWNER/NAME, or a local dataset folder.")],
    config: Annotated[
        list[str] | None, typer.Option("--config", help="Only this config (repeatable): articles, gold, extractions.")
    ] = None,
    revision: Annotated[str | None, typer.Option("--revision", help="Hub branch, tag or commit.")] = None,
) -> None:
    """Load a published dataset and validate every row back into the schemas."""
    from allegations.publish.download import load_published  # imported here: `datasets` is slow to import

    typer.echo(load_published(source, configs=config, revision=revision).summary())


def main() -> None:
    """Console entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    app()
