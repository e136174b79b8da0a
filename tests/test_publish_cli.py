"""`allegations publish` and `allegations download`: the happy paths, and each bad input as one line and exit 1."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from dataset_fixtures import BUILT_ON, DATASET_YAML, go_offline, go_online_to, make_build_dir, write_report
from fake_hub import FakeHub
from typer.testing import CliRunner

from allegations.cli import app
from allegations.publish.dataset import parquet_path

runner = CliRunner()
TOKEN = "hf_cliSecretToken0987654321"


@pytest.fixture
def build(tmp_path: Path, articles_map) -> Path:
    return make_build_dir(tmp_path / "build", articles_map)


def _publish_args(build: Path, corpus_dir: Path, *destination: str) -> list[str]:
    return [
        "publish",
        *destination,
        "--build-dir",
        str(build),
        "--corpus",
        str(corpus_dir),
        "--gold",
        str(build / "gold"),
        "--dataset-config",
        str(DATASET_YAML),
        "--built-on",
        BUILT_ON,
    ]


def test_publish_to_a_folder_then_download_it(build: Path, corpus_dir: Path, tmp_path: Path, monkeypatch) -> None:
    go_offline(monkeypatch)
    out = tmp_path / "published"
    result = runner.invoke(app, _publish_args(build, corpus_dir, "--to", str(out)))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"published to {out}; gate passed: overall.micro.f1 0.620 >= 0.500")
    assert (out / "README.md").is_file() and (out / parquet_path("gold")).is_file()

    result = runner.invoke(app, ["download", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"ok: 5 articles, 2 gold, 2 extractions, 1 failures; every row validated from {out}"

    result = runner.invoke(app, ["download", str(out), "--config", "extractions"])
    assert result.output.strip().startswith("ok: 0 articles, 0 gold, 2 extractions, 1 failures")


def test_publish_to_the_hub_is_one_commit_and_never_shows_the_token(
    build: Path, corpus_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    with FakeHub() as hub:
        go_online_to(monkeypatch, hub.url, tmp_path, TOKEN)
        result = runner.invoke(
            app, _publish_args(build, corpus_dir, "--repo-id", "someone/bes", "--revision", "v1", "--private")
        )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"published to {hub.url}/datasets/someone/bes/commit/")
    assert TOKEN not in result.output
    assert len(hub.calls("commit")) == 1 and hub.calls("commit")[0].path.endswith("/commit/v1")
    card = hub.repos["someone/bes"]["v1"]["README.md"].decode()
    assert 'load_dataset("someone/bes", "gold", split="train")' in card


def test_below_the_thresholds_publish_refuses_unless_allowed(
    build: Path, corpus_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    go_offline(monkeypatch)
    write_report(build / "eval.json", build / "predictions.jsonl", f1=0.31, gold_dir=build / "gold")
    out = tmp_path / "published"
    refused = runner.invoke(app, _publish_args(build, corpus_dir, "--to", str(out)))
    assert refused.exit_code == 1
    assert refused.output.strip().startswith(
        "error: scores below the thresholds in dataset.yaml: overall.micro.f1 0.310 < 0.500; grounding_rate 0.950 >= 0.900"
    )
    assert not out.exists()

    allowed = runner.invoke(app, [*_publish_args(build, corpus_dir, "--to", str(out)), "--allow-below-threshold"])
    assert allowed.exit_code == 0, allowed.output
    assert "gate BELOW THRESHOLD" in allowed.output
    body = (out / "README.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.strip().startswith("> **Below the quality thresholds.**")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stale(build: Path) -> None:
    with (build / "predictions.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("\n")


def _edit_gold(build: Path) -> None:
    path = sorted((build / "gold").glob("*.json"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _tamper(folder: Path) -> None:
    path = folder / parquet_path("gold")
    path.write_bytes(path.read_bytes()[:200])


# (arguments after the build options, setup of the build folder, endpoint kind, token, expected line start)
BAD_INPUTS: list[tuple[str, list[str], Callable[[Path], None] | None, str, str | None, str]] = [
    ("invalid repo id", ["--repo-id", "not a repo"], None, "hub", TOKEN, "error: invalid repo id 'not a repo' (use"),
    (
        "missing token",
        ["--repo-id", "someone/bes"],
        None,
        "hub",
        None,
        "error: no Hugging Face token found (set HF_TOKEN",
    ),
    ("network failure", ["--repo-id", "someone/bes"], None, "closed", TOKEN, "error: cannot reach the Hub at http://"),
    ("stale report", ["--to", "{tmp}/out"], _stale, "hub", TOKEN, "error: {build}/eval.json: eval report is stale"),
    (
        "report of other gold",
        ["--to", "{tmp}/out"],
        _edit_gold,
        "hub",
        TOKEN,
        "error: {build}/eval.json: eval report is stale: it scored gold with sha256",
    ),
    (
        "missing report",
        ["--to", "{tmp}/out"],
        lambda build: (build / "eval.json").unlink(),
        "hub",
        TOKEN,
        "error: {build}/eval.json: no eval report here",
    ),
    (
        "no destination",
        [],
        None,
        "hub",
        TOKEN,
        "error: give exactly one destination (--repo-id OWNER/NAME or --to DIR)",
    ),
    (
        "two destinations",
        ["--to", "{tmp}/out", "--repo-id", "someone/bes"],
        None,
        "hub",
        TOKEN,
        "error: give exactly one destination",
    ),
]


@pytest.mark.parametrize(
    ("extra", "setup", "endpoint", "token", "expected"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_publish_input_is_one_line_and_exit_1(
    build: Path, corpus_dir: Path, tmp_path: Path, monkeypatch, extra, setup, endpoint, token, expected
) -> None:
    if setup is not None:
        setup(build)
    with FakeHub() as hub:
        url = hub.url if endpoint == "hub" else f"http://127.0.0.1:{_closed_port()}"
        go_online_to(monkeypatch, url, tmp_path, token)
        args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
        result = runner.invoke(app, _publish_args(build, corpus_dir, *args))
        assert hub.calls("commit") == []
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.replace("{build}", str(build))), result.output
    assert TOKEN not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("source", "damage", "expected"),
    [
        ("{out}", _tamper, "error: {out}: config gold, split train: cannot load: "),
        ("{out}", None, "error: unknown config 'golden' (choose from articles, gold, extractions)"),
        ("{tmp}/nowhere/at/all", None, "error: '{tmp}/nowhere/at/all' is neither a dataset folder nor a Hub repo id"),
    ],
)
def test_bad_download_input_is_one_line_and_exit_1(
    build: Path, corpus_dir: Path, tmp_path: Path, monkeypatch, source: str, damage, expected: str
) -> None:
    go_offline(monkeypatch)
    out = tmp_path / "published"
    assert runner.invoke(app, _publish_args(build, corpus_dir, "--to", str(out))).exit_code == 0
    if damage is not None:
        damage(out)
    args = ["download", source.format(out=out, tmp=tmp_path)]
    if "golden" in expected:
        args += ["--config", "golden"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.format(out=out, tmp=tmp_path)), result.output
