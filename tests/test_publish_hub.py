"""Upload through the real `huggingface_hub` client to a loopback Hub: one commit or none, the token never shown."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from pathlib import Path

import pytest
from dataset_fixtures import (
    build_test_dataset,
    go_offline,
    go_online_to,
)
from fake_hub import FakeHub

from allegations.publish.download import load_published
from allegations.publish.errors import HubError
from allegations.publish.hub import check_repo_id, upload_dataset_folder

TOKEN = "hf_loopbackSecretToken1234567890"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, articles, articles_map) -> Path:
    return build_test_dataset(tmp_path_factory.mktemp("hub"), articles, articles_map)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    with FakeHub() as server:
        go_online_to(monkeypatch, server.url, tmp_path, TOKEN)
        yield server


def test_the_folder_goes_up_in_one_commit_and_the_token_is_never_shown(
    hub: FakeHub, folder: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = upload_dataset_folder(folder, "someone/bes-huawei", private=True)
    assert len(hub.calls("commit")) == 1
    assert hub.repos["someone/bes-huawei"]["main"] == _files(folder)
    assert url.startswith(f"{hub.url}/datasets/someone/bes-huawei/commit/")
    assert hub.created == [
        {"name": "bes-huawei", "organization": "someone", "type": "dataset", "visibility": "private"}
    ]
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in hub.requests)
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text + out + err + url
    assert caplog.text, "debug logging was captured, so the check above saw the client's log lines"


def test_what_was_uploaded_loads_back_as_the_same_records(
    hub: FakeHub, folder: Path, tmp_path: Path, monkeypatch
) -> None:
    upload_dataset_folder(folder, "someone/bes-huawei")
    copy = tmp_path / "copy"
    for path, data in hub.repos["someone/bes-huawei"]["main"].items():
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        (copy / path).write_bytes(data)
    go_offline(monkeypatch)
    assert load_published(copy).summary().startswith("ok: 5 articles, 2 gold, 2 extractions, 1 failures")


def test_a_revision_is_a_branch_and_main_is_untouched(hub: FakeHub, folder: Path) -> None:
    upload_dataset_folder(folder, "someone/bes-huawei", revision="v0.1")
    assert len(hub.calls("branch")) == 1 and len(hub.calls("commit")) == 1
    assert hub.calls("commit")[0].path.endswith("/commit/v0.1")
    assert hub.repos["someone/bes-huawei"]["main"] == {}
    assert hub.repos["someone/bes-huawei"]["v0.1"] == _files(folder)


def test_data_files_of_an_older_layout_are_removed_in_the_same_commit(hub: FakeHub, folder: Path) -> None:
    hub.repos["someone/bes-huawei"] = {"main": {"data/old-00000.parquet": b"old", ".gitattributes": b"*.parquet lfs"}}
    upload_dataset_folder(folder, "someone/bes-huawei")
    assert len(hub.calls("commit")) == 1
    assert hub.repos["someone/bes-huawei"]["main"] == {**_files(folder), ".gitattributes": b"*.parquet lfs"}


@pytest.mark.parametrize(
    ("endpoint", "status", "message"),
    [
        ("commit", 500, "the Hub answered 500 for someone/bes-huawei"),
        ("commit", 403, "the token may not write to someone/bes-huawei (403)"),
        ("create", 401, "the Hub refused the token (401) for someone/bes-huawei (set HF_TOKEN"),
        ("preupload", 404, "someone/bes-huawei or its revision was not found (404)"),
    ],
)
def test_a_refused_upload_publishes_nothing(hub: FakeHub, folder: Path, endpoint: str, status: int, message) -> None:
    hub.fail[endpoint] = status
    with pytest.raises(HubError) as err:
        upload_dataset_folder(folder, "someone/bes-huawei")
    assert message in str(err.value) and "nothing was published" in str(err.value)
    assert TOKEN not in str(err.value) and "\n" not in str(err.value)
    assert all(files == {} for files in hub.repos.get("someone/bes-huawei", {}).values())


def test_an_unreachable_hub_is_one_line(monkeypatch, tmp_path: Path, folder: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    go_online_to(monkeypatch, f"http://127.0.0.1:{port}", tmp_path, TOKEN)
    with pytest.raises(HubError) as err:
        upload_dataset_folder(folder, "someone/bes-huawei")
    assert str(err.value).startswith(f"cannot reach the Hub at http://127.0.0.1:{port}: ")
    assert "nothing was published" in str(err.value) and TOKEN not in str(err.value)


def test_without_a_token_it_says_how_to_set_one(monkeypatch, tmp_path: Path, folder: Path) -> None:
    with FakeHub() as server:
        go_online_to(monkeypatch, server.url, tmp_path, None)
        with pytest.raises(HubError) as err:
            upload_dataset_folder(folder, "someone/bes-huawei")
        assert server.requests == []
    assert str(err.value).startswith("no Hugging Face token found (set HF_TOKEN to a write token")
    assert "hf auth login" in str(err.value)


def test_the_login_cache_is_used_when_hf_token_is_unset(monkeypatch, tmp_path: Path, folder: Path) -> None:
    import huggingface_hub.constants

    with FakeHub() as server:
        go_online_to(monkeypatch, server.url, tmp_path, None)
        cache = Path(huggingface_hub.constants.HF_TOKEN_PATH)
        cache.parent.mkdir(parents=True)
        cache.write_text("hf_fromTheLoginCache", encoding="utf-8")
        upload_dataset_folder(folder, "someone/bes-huawei")
        assert server.calls("commit")[0].headers["authorization"] == "Bearer hf_fromTheLoginCache"


@pytest.mark.parametrize(
    "repo_id", ["bes-huawei", "a/b/c", "me/bad name", "me/x--y", "me/x..y", "-me/x", "me/x.git", ""]
)
def test_an_invalid_repo_id_is_refused_before_any_request(repo_id: str) -> None:
    with pytest.raises(HubError, match=r"invalid repo id .* \(use OWNER/NAME"):
        check_repo_id(repo_id)


def test_a_folder_that_is_not_a_dataset_is_refused(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(HubError, match="not a dataset folder"):
        upload_dataset_folder(tmp_path, "someone/bes-huawei")
    assert hub.requests == []


@pytest.mark.hub
@pytest.mark.skipif(not os.environ.get("HF_TOKEN"), reason="live Hub test: set HF_TOKEN (and optionally HF_TEST_OWNER)")
def test_live_upload_and_download_round_trip(folder: Path) -> None:
    from huggingface_hub import HfApi

    api = HfApi()
    owner = os.environ.get("HF_TEST_OWNER") or api.whoami()["name"]
    repo_id = f"{owner}/allegations-test-{uuid.uuid4().hex[:8]}"
    try:
        upload_dataset_folder(folder, repo_id, private=True, endpoint="https://huggingface.co")
        assert load_published(repo_id).summary().startswith("ok: 5 articles, 2 gold, 2 extractions, 1 failures")
    finally:
        api.delete_repo(repo_id, repo_type="dataset", missing_ok=True)


@pytest.mark.parametrize(("value", "expected"), [(None, 120.0), ("7.5", 7.5), ("abc", None), ("0", None), ("-3", None)])
def test_hub_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None, expected) -> None:
    from allegations.publish.errors import HubError
    from allegations.publish.hub import hub_timeout

    if value is None:
        monkeypatch.delenv("ALLEGATIONS_HUB_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("ALLEGATIONS_HUB_TIMEOUT", value)
    if expected is None:
        with pytest.raises(HubError, match="is not a number of seconds"):
            hub_timeout()
    else:
        assert hub_timeout() == expected
