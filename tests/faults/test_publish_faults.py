"""Publishing faults: no token, a bad token, an illegal repo id, the Hub down or hanging, a stale eval report.

Each must end in one clear line and a non-zero exit, publish nothing, and never show the token. The Hub is a
loopback server started here (HF_ENDPOINT); the real `huggingface_hub` client talks to it.
"""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from .conftest import (
    CANARY_API_KEY,
    CANARY_HF_TOKEN,
    CORPUS,
    Reply,
    assert_no_secrets,
    fill_disk,
    mounted_tmpfs,
    run_cli,
    run_cli_subprocess,
    subprocess_env,
)

NOTHING_PUBLISHED = "nothing was published"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder as `allegations build` leaves it: the gold as predictions, and their real eval report."""
    folder = tmp_path_factory.mktemp("build")
    lines = [
        json.dumps(json.loads(p.read_text(encoding="utf-8")), ensure_ascii=False)
        for p in sorted((CORPUS / "gold").glob("*.json"))
    ]
    (folder / "predictions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("eval", folder / "predictions.jsonl", "--json", folder / "eval.json")
    assert result.exit_code == 0, result.output
    return folder


def _hub_env(tmp_path: Path, *, token: str | None, endpoint: str | None = None) -> dict[str, str]:
    """A clean Hugging Face environment: its own empty home (no cached login), the token given, the endpoint."""
    env = subprocess_env(HF_HOME=str(tmp_path / "hf-home"), OPENAI_API_KEY=CANARY_API_KEY, HF_HUB_DISABLE_TELEMETRY="1")
    if token is not None:
        env["HF_TOKEN"] = token
    if endpoint is not None:
        env["HF_ENDPOINT"] = endpoint
    return env


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assert_one_line_error(proc, *fragments: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr
    assert_no_secrets(proc.stdout, proc.stderr)


def test_no_token_says_how_to_set_one(tmp_path: Path, build_dir: Path) -> None:
    proc = run_cli_subprocess(
        "publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=_hub_env(tmp_path, token=None)
    )
    _assert_one_line_error(proc, "no Hugging Face token found", "HF_TOKEN", NOTHING_PUBLISHED)


def test_a_bad_token_is_refused_without_being_shown(tmp_path: Path, build_dir: Path, fake_openai) -> None:
    hub = fake_openai(lambda request: Reply(401, {"error": "Invalid credentials in Authorization header"}))
    env = _hub_env(tmp_path, token=CANARY_HF_TOKEN, endpoint=hub.base_url.removesuffix("/v1"))
    proc = run_cli_subprocess("publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=env)
    _assert_one_line_error(proc, "the Hub refused the token (401)", NOTHING_PUBLISHED)
    assert hub.requests, "the token was never tried against the Hub"
    assert hub.requests[0].headers.get("authorization") == f"Bearer {CANARY_HF_TOKEN}"
    assert not any("commit" in r.path for r in hub.requests), "a commit was attempted after the refusal"


def test_a_hub_error_that_echoes_the_token_is_scrubbed(tmp_path: Path, build_dir: Path, fake_openai) -> None:
    hub = fake_openai(lambda request: Reply(500, {"error": f"internal error for token {CANARY_HF_TOKEN}"}))
    env = _hub_env(tmp_path, token=CANARY_HF_TOKEN, endpoint=hub.base_url.removesuffix("/v1"))
    proc = run_cli_subprocess(
        "publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=env, timeout=300
    )
    _assert_one_line_error(proc, "500", NOTHING_PUBLISHED)


@pytest.mark.parametrize(
    "repo_id",
    [
        "no-slash",
        "a/b/c",
        "own er/name",
        "owner/na..me",
        "owner/name.git",
        "../etc/passwd",
        "-owner/name",
        "o/" + "n" * 97,
    ],
)
def test_an_illegal_repo_id_is_refused_before_anything_else(tmp_path: Path, build_dir: Path, repo_id: str) -> None:
    result = run_cli("publish", "--repo-id", repo_id, "--build-dir", build_dir, env={"HF_TOKEN": CANARY_HF_TOKEN})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: invalid repo id {repo_id!r}"), result.stderr
    assert "use OWNER/NAME" in result.stderr
    assert_no_secrets(result.stdout, result.stderr)


def test_the_hub_unreachable_is_one_line(tmp_path: Path, build_dir: Path) -> None:
    env = _hub_env(tmp_path, token=CANARY_HF_TOKEN, endpoint=f"http://127.0.0.1:{_closed_port()}")
    proc = run_cli_subprocess("publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=env)
    _assert_one_line_error(proc, "cannot reach the Hub at http://127.0.0.1:", NOTHING_PUBLISHED)


def test_download_from_an_unreachable_hub_is_one_line(tmp_path: Path) -> None:
    env = _hub_env(tmp_path, token=None, endpoint=f"http://127.0.0.1:{_closed_port()}")
    proc = run_cli_subprocess("download", "someone/bes-huawei", env=env, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    # The Hub client retries a refused connection five times with backoff (about 25 s), then the run stops.
    *retries, last = proc.stderr.strip().splitlines()
    assert last.startswith("error: someone/bes-huawei: ") and "Couldn't reach 'someone/bes-huawei'" in last, last
    assert sum("Retrying in" in line for line in retries) <= 5, retries


def _stale_build(tmp_path: Path, build_dir: Path) -> Path:
    stale = tmp_path / "build"
    stale.mkdir()
    lines = (build_dir / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    (stale / "predictions.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one article fewer
    (stale / "eval.json").write_bytes((build_dir / "eval.json").read_bytes())
    return stale


@pytest.mark.parametrize("destination", ["--to", "--repo-id"])
def test_a_stale_eval_report_blocks_publishing(tmp_path: Path, build_dir: Path, destination: str) -> None:
    stale = _stale_build(tmp_path, build_dir)
    target = str(tmp_path / "out") if destination == "--to" else "someone/bes-huawei"
    result = run_cli("publish", destination, target, "--build-dir", stale, env={"HF_TOKEN": CANARY_HF_TOKEN})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {stale / 'eval.json'}: eval report is stale"), result.stderr
    assert "re-run the evaluation on these predictions" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_eval_report_blocks_publishing(tmp_path: Path, build_dir: Path) -> None:
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / "predictions.jsonl").write_bytes((build_dir / "predictions.jsonl").read_bytes())
    result = run_cli("publish", "--to", tmp_path / "out", "--build-dir", folder)
    assert result.exit_code == 1
    assert f"{folder / 'eval.json'}: no eval report here" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_published_folder_holds_no_secret(tmp_path: Path, build_dir: Path, planted_secrets: dict[str, str]) -> None:
    out = tmp_path / "dataset"
    result = run_cli("publish", "--to", out, "--build-dir", build_dir, "--built-on", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert (out / "README.md").is_file() and list((out / "data").rglob("*.parquet"))
    assert_no_secrets(out, result.stdout, result.stderr)


def test_a_server_that_is_not_the_hub_is_one_line(tmp_path: Path, build_dir: Path, fake_openai) -> None:
    not_the_hub = fake_openai(lambda request: Reply(200, {"hello": "this is not the Hub"}))
    env = _hub_env(tmp_path, token=CANARY_HF_TOKEN, endpoint=not_the_hub.base_url.removesuffix("/v1"))
    proc = run_cli_subprocess("publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=env)
    _assert_one_line_error(proc, "does not answer like the Hugging Face Hub", "check HF_ENDPOINT", NOTHING_PUBLISHED)


def test_a_hub_that_never_answers_does_not_hang_publish(tmp_path: Path, build_dir: Path, fake_openai) -> None:
    silent = fake_openai(lambda request: Reply(200, {}, delay_s=600))
    env = _hub_env(tmp_path, token=CANARY_HF_TOKEN, endpoint=silent.base_url.removesuffix("/v1"))
    env["ALLEGATIONS_HUB_TIMEOUT"] = "3"
    try:
        proc = run_cli_subprocess(
            "publish", "--repo-id", "someone/bes-huawei", "--build-dir", build_dir, env=env, timeout=25
        )
    except subprocess.TimeoutExpired:
        pytest.fail("publish was still waiting for the Hub after 25 s")
    _assert_one_line_error(proc, NOTHING_PUBLISHED)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publishing_to_a_full_disk_keeps_the_previous_dataset_folder(tmp_path: Path, build_dir: Path) -> None:
    with mounted_tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "dataset"
        first = run_cli("publish", "--to", out, "--build-dir", build_dir, "--built-on", "2026-01-01")
        assert first.exit_code == 0, first.output
        before = _tree(out)
        fill_disk(disk)
        again = run_cli("publish", "--to", out, "--build-dir", build_dir, "--built-on", "2026-01-02")
        assert again.exit_code == 1
        assert again.stderr.startswith(f"error: {out}: ") and "No space left on device" in again.stderr, again.stderr
        assert _tree(out) == before, "the previous dataset folder changed"
        assert sorted(p.name for p in disk.iterdir()) == ["ballast", "dataset"], "a temporary folder was left"


@pytest.mark.parametrize("command", ["eval", "publish"])
def test_an_output_under_a_file_is_one_line(tmp_path: Path, build_dir: Path, command: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    if command == "eval":
        args = ["eval", build_dir / "predictions.jsonl", "--json", blocker / "eval.json"]
    else:
        args = ["publish", "--to", blocker / "dataset", "--build-dir", build_dir]
    result = run_cli(*args)
    assert result.exit_code == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert error.startswith(f"error: {blocker}/") and "Traceback" not in result.output, result.stderr
    if command == "eval":
        assert f"cannot write: {blocker} is a file, not a folder" in error, error
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
