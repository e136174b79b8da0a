"""Local models: GGUF metadata, the Hub download through the loopback Hub, derived settings, one-line errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import gguf
import httpx2
import pytest
from fake_hub import FakeHub
from llm_fakes import article, write_corpus
from typer.testing import CliRunner

from allegations.cli import app
from allegations.extract.errors import ModelError
from allegations.extract.gguf_file import read_metadata
from allegations.extract.models import (
    check_fits_in_memory,
    default_threads,
    list_models,
    load_local_model,
    resolve,
    serve_embedded,
)
from allegations.extract.server import DEFAULT_THREADS, find_gguf
from allegations.extract.settings import (
    EMBEDDED_MODEL,
    EMBEDDED_MODEL_DECIDES,
    EMBEDDED_STRATEGY,
    MODEL_DECISIONS,
    BackendSettings,
)
from allegations.schemas import Provenance

runner = CliRunner()
TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}<|assistant|>"
REPO, FILE = "acme-labs/Tiny-Chat-GGUF", "tiny-chat.Q8_0.gguf"


def write_gguf(path: Path, *, name: str | None = "Tiny Chat 1M", template: str | None = TEMPLATE) -> Path:
    """A small GGUF written by the reference writer: metadata only (a llama-shaped header and a vocabulary)."""
    writer = gguf.GGUFWriter(str(path), "llama")
    if name is not None:
        writer.add_name(name)
    writer.add_context_length(2048)
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_token_list(["<s>", "</s>", "hello", "world"])
    writer.add_token_scores([0.0, 0.0, -1.0, -2.0])
    if template is not None:
        writer.add_chat_template(template)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def hub_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty Hub cache of this test's own; online, without any token."""
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return cache


def test_the_header_written_by_the_reference_writer_reads_back(tmp_path: Path) -> None:
    metadata = read_metadata(write_gguf(tmp_path / "m.gguf"))
    assert metadata["general.name"] == "Tiny Chat 1M" and metadata["general.architecture"] == "llama"
    assert metadata["llama.context_length"] == 2048 and metadata["tokenizer.chat_template"] == TEMPLATE
    assert metadata["tokenizer.ggml.tokens"] is None  # arrays are skipped, not decoded


def test_the_shipped_model_names_itself_and_carries_a_chat_template() -> None:
    local = load_local_model(find_gguf())
    assert local.context_length == 8192 and "im_start" in local.metadata["tokenizer.chat_template"]
    assert local.kv_cache_bytes(8192) == 2 * 2 * 30 * 8192 * 576 // 9 * 3  # f16 keys and values, 30 layers


def test_a_gguf_path_serves_under_its_own_name_and_sha256_with_derived_settings(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf")
    settings = resolve(BackendSettings.from_env({}, gguf=path))
    assert settings.model == "Tiny Chat 1M" and settings.gguf == path
    assert settings.model_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (settings.n_ctx, settings.n_threads, settings.n_batch) == (2048, default_threads(), 512)


def test_options_win_over_derived_settings_and_a_nameless_file_is_named_by_its_stem(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "nameless.gguf", name=None)
    env = {"ALLEGATIONS_GGUF": str(path), "ALLEGATIONS_THREADS": "3"}
    settings = resolve(BackendSettings.from_env(env, n_ctx=1024, n_batch=64))
    assert settings.model == "nameless"
    assert (settings.n_ctx, settings.n_threads, settings.n_batch) == (1024, 3, 64)


def test_the_default_keeps_its_short_name_and_records_the_shipped_file() -> None:
    settings = resolve(BackendSettings.from_env({}))
    assert settings.model == EMBEDDED_MODEL and settings.gguf is None and settings.shipped_model
    assert settings.model_sha256 == load_local_model(find_gguf()).sha256 and settings.n_ctx == 8192
    assert (settings.n_threads, settings.n_batch) == (DEFAULT_THREADS, 512)  # fixed, whatever the machine


def test_a_chosen_model_is_unmeasured_so_it_runs_llm_and_makes_every_hybrid_decision(tmp_path: Path) -> None:
    chosen = BackendSettings.from_env({}, gguf=write_gguf(tmp_path / "m.gguf"))
    assert (chosen.default_strategy, chosen.decisions) == ("llm", MODEL_DECISIONS)
    assert resolve(chosen).default_strategy == "llm" and not resolve(chosen).shipped_model
    shipped = resolve(BackendSettings.from_env({}))
    assert (shipped.default_strategy, shipped.decisions) == (EMBEDDED_STRATEGY, EMBEDDED_MODEL_DECIDES)


def test_another_server_is_left_alone_but_not_mixed_with_a_local_model(tmp_path: Path) -> None:
    remote = BackendSettings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert resolve(remote) == remote
    with pytest.raises(ModelError, match="were both given"):
        resolve(remote.model_copy(update={"gguf": write_gguf(tmp_path / "m.gguf")}))


def test_a_model_larger_than_the_free_memory_is_refused_before_loading(tmp_path: Path) -> None:
    settings = resolve(BackendSettings.from_env({}, gguf=write_gguf(tmp_path / "m.gguf")))
    check_fits_in_memory(settings, available=1 << 30)
    with pytest.raises(ModelError, match=r"needs about .* GiB.*only 0\.0 GiB .*smaller model or quantization"):
        check_fits_in_memory(settings, available=1000)


def _extract(tmp_path: Path, *options: str) -> tuple[int, str]:
    corpus = write_corpus(tmp_path / "corpus", [article()])
    out = tmp_path / "p.jsonl"
    cache = tmp_path / "cache.sqlite"
    result = runner.invoke(
        app, ["extract", "--corpus", str(corpus), "--out", str(out), "--cache", str(cache), *options]
    )
    assert not out.exists()
    return result.exit_code, result.output.strip()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a model"), "not a GGUF file (it does not start with 'GGUF') (give a .gguf"),
        (
            lambda p: p.write_bytes(b"GGUF\x03\x00\x00\x00\x01"),
            "a damaged GGUF header: the header ends early (download the file again)",
        ),
        (
            lambda p: write_gguf(p, template=None),
            "no chat template in its metadata (tokenizer.chat_template) (use an instruct",
        ),
        (lambda p: None, "no such model file (give the path of a .gguf file)"),
    ],
)
def test_a_bad_gguf_is_one_line_with_the_fix(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "model.gguf"
    make(path)
    code, output = _extract(tmp_path, "--gguf", str(path))
    assert code == 1 and len(output.splitlines()) == 1
    assert output.startswith(f"error: {path}: ") and message in output


def test_the_hub_file_is_downloaded_once_then_served_from_the_cache_even_offline(
    tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_gguf(tmp_path / "upload.gguf").read_bytes()
    with FakeHub(models={REPO: {FILE: data}}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        first = resolve(BackendSettings.from_env({}, hf_repo=REPO, hf_file=FILE))
        downloads = [r for r in hub.calls("resolve") if r.method == "GET"]
        assert len(downloads) == 1 and first.gguf is not None and first.gguf.read_bytes() == data
        assert hub_cache in first.gguf.parents and first.model_sha256 == hashlib.sha256(data).hexdigest()
        assert first.model == "Tiny Chat 1M"
        hub.requests.clear()
        second = resolve(BackendSettings.from_env({"ALLEGATIONS_HF_REPO": REPO, "ALLEGATIONS_HF_FILE": FILE}))
        assert hub.requests == [] and second == first
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    assert resolve(BackendSettings.from_env({}, hf_repo=REPO, hf_file=FILE)) == first
    listed = {m.label: m for m in list_models()}
    assert listed[f"{REPO}/{FILE}"].sha256 == first.model_sha256 and listed[f"{REPO}/{FILE}"].size == len(data)


def test_models_lists_the_default_and_the_cached_ggufs_with_size_and_sha256(
    tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = runner.invoke(app, ["models"])
    assert empty.exit_code == 0 and empty.output.startswith(f"{EMBEDDED_MODEL} (default)\t93.8 MiB\tsha256:")
    assert "no GGUF files in the Hub cache" in empty.output
    data = write_gguf(tmp_path / "upload.gguf").read_bytes()
    with FakeHub(models={REPO: {FILE: data}}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        resolve(BackendSettings.from_env({}, hf_repo=REPO, hf_file=FILE))
    lines = runner.invoke(app, ["models"]).output.splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"{REPO}/{FILE}\t0.0 MiB\tsha256:{hashlib.sha256(data).hexdigest()}")


@pytest.mark.parametrize(
    ("models", "claimed", "options", "message"),
    [
        ({}, {}, ["--hf-repo", REPO, "--hf-file", FILE], f"no model repository {REPO} on the Hub"),
        ({REPO: {}}, {}, ["--hf-repo", REPO, "--hf-file", FILE], f"{REPO} has no file {FILE}"),
        ({}, {}, ["--hf-repo", REPO], f"--hf-repo {REPO} needs the file to serve (add --hf-file NAME.gguf)"),
        ({}, {}, ["--hf-repo", REPO, "--hf-file", "README.md"], "README.md is not a .gguf file"),
        ({}, {}, ["--hf-repo", "not a repo", "--hf-file", FILE], "hf_repo: String should match pattern"),
        ({}, {}, ["--gguf", "x.gguf", "--hf-repo", REPO, "--hf-file", FILE], "--gguf and --hf-repo both name a model"),
        (
            {REPO: {FILE: b"GGUF"}},
            {f"{REPO}/{FILE}": "0" * 64},
            ["--hf-repo", REPO, "--hf-file", FILE],
            f"{REPO}/{FILE} does not match the Hub's sha256",
        ),
    ],
)
def test_hub_problems_are_one_line_with_the_fix(
    tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch, models, claimed, options, message: str
) -> None:
    with FakeHub(models=models, claimed_sha256=claimed) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        code, output = _extract(tmp_path, *options)
    assert code == 1 and len(output.splitlines()) == 1 and output.startswith("error: ") and message in output
    assert not list(hub_cache.rglob("*.gguf"))  # nothing half-downloaded or unverified is left to be served


def test_offline_without_the_file_in_the_cache_says_so(hub_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="not in the Hub cache and HF_HUB_OFFLINE is set"):
        resolve(BackendSettings.from_env({}, hf_repo=REPO, hf_file=FILE))


@pytest.mark.e2e
def test_a_model_fetched_from_the_hub_is_served_under_its_gguf_name(
    tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = find_gguf()
    with FakeHub(models={"acme-labs/SmolLM2-GGUF": {shipped.name: shipped.read_bytes()}}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        settings = resolve(BackendSettings.from_env({}, hf_repo="acme-labs/SmolLM2-GGUF", hf_file=shipped.name))
    assert settings.model == load_local_model(shipped).name != EMBEDDED_MODEL
    with serve_embedded(settings) as url:
        served = httpx2.get(f"{url}/models", timeout=10).json()
    assert [m["id"] for m in served["data"]] == [settings.model]


def test_a_download_cut_off_midway_resumes_where_it_stopped(
    tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "DOWNLOAD_CHUNK_SIZE", 64)  # keep what arrived before the cut
    data = write_gguf(tmp_path / "upload.gguf").read_bytes()
    with FakeHub(models={REPO: {FILE: data}}, cut_download_at=128) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        settings = resolve(BackendSettings.from_env({}, hf_repo=REPO, hf_file=FILE))
        ranges = [r.headers.get("range") for r in hub.calls("resolve") if r.method == "GET"]
    assert ranges == [None, "bytes=128-"] and settings.gguf is not None and settings.gguf.read_bytes() == data


def test_provenance_written_before_these_fields_existed_still_loads() -> None:
    older = {
        "extractor": "x",
        "model": "m",
        "backend": "embedded",
        "mode": "tools",
        "prompt_hash": "a",
        "schema_hash": "b",
    }
    provenance = Provenance.model_validate(older)
    assert (provenance.model_sha256, provenance.n_ctx, provenance.threads, provenance.batch_size) == (None,) * 4
