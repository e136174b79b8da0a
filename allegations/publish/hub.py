"""Upload a dataset folder to the Hugging Face Hub in one commit; the token is never printed or logged."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx2
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, get_token, set_client_factory
from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled
from huggingface_hub.utils._http import hf_request_event_hook

from allegations.publish.errors import HubError
from allegations.publish.repo_id import REPO_ID_HINT, is_repo_id

DEFAULT_ENDPOINT = "https://huggingface.co"
_TOKEN_HINT = (
    "set HF_TOKEN to a write token from https://huggingface.co/settings/tokens, or run 'hf auth login'; "
    "nothing was published"
)


def check_repo_id(repo_id: str) -> None:
    """OWNER/NAME with letters, digits, '-', '_' or '.'; no '--' or '..'; not ending in .git."""
    if not is_repo_id(repo_id):
        raise HubError(f"invalid repo id {repo_id!r}", hint=REPO_ID_HINT)


def resolve_token(token: str | None = None) -> str:
    """The token given, else HF_TOKEN, else the login cache; none is an error saying how to set one."""
    token = token or get_token()
    if not token:
        raise HubError("no Hugging Face token found", hint=_TOKEN_HINT)
    return token


def _folder_files(folder: Path) -> list[str]:
    if not (folder / "README.md").is_file() or not (folder / "data").is_dir():
        raise HubError("not a dataset folder (no README.md and data/)", hint="build it first", path=folder)
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


def _http_error(exc: HfHubHTTPError, repo_id: str, token: str) -> HubError:
    status = exc.response.status_code if exc.response is not None else None
    detail = _scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, token)
    if status == 401:
        return HubError(f"the Hub refused the token (401) for {repo_id}", hint=_TOKEN_HINT)
    if status == 403:
        return HubError(
            f"the token may not write to {repo_id} (403)",
            hint="use a token with write access to that owner; nothing was published",
        )
    if status == 404:
        return HubError(f"{repo_id} or its revision was not found (404): {detail}", hint="nothing was published")
    return HubError(f"the Hub answered {status} for {repo_id}: {detail}", hint="nothing was published; try again")


HUB_TIMEOUT_ENV = "ALLEGATIONS_HUB_TIMEOUT"
DEFAULT_HUB_TIMEOUT_S = 120.0


def hub_timeout() -> float:
    """Seconds to wait for the Hub to answer a request (ALLEGATIONS_HUB_TIMEOUT, default 120)."""
    raw = os.environ.get(HUB_TIMEOUT_ENV)
    try:
        seconds = float(raw) if raw else DEFAULT_HUB_TIMEOUT_S
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise HubError(f"{HUB_TIMEOUT_ENV}={raw!r} is not a number of seconds", hint="set it to e.g. 120, or unset it")
    return seconds


def _client_with_timeout(seconds: float) -> Callable[[], httpx2.Client]:
    """The Hub client's own defaults, but giving up on a Hub that accepts a connection and never answers."""

    def make() -> httpx2.Client:
        return httpx2.Client(
            event_hooks={"request": [hf_request_event_hook]},
            follow_redirects=True,
            timeout=httpx2.Timeout(seconds, write=None),
        )

    return make


def upload_dataset_folder(
    folder: Path,
    repo_id: str,
    *,
    revision: str | None = None,
    private: bool = False,
    token: str | None = None,
    endpoint: str | None = None,
    commit_message: str = "Publish the dataset",
) -> str:
    """Create the dataset repo if needed and upload the folder as one commit; returns the commit URL.

    Parquet files left from an earlier layout under data/ are deleted in the same commit. The commit is
    the only step that changes the repo's files: if it fails, nothing is published.
    """
    folder = Path(folder)
    check_repo_id(repo_id)
    files = _folder_files(folder)
    token = resolve_token(token)
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    set_client_factory(_client_with_timeout(hub_timeout()))
    api = HfApi(endpoint=endpoint, token=token)
    target = revision or "main"
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        if target != "main":
            api.create_branch(repo_id, repo_type="dataset", branch=target, exist_ok=True)
        existing = api.list_repo_files(repo_id, repo_type="dataset", revision=target)
        stale = [path for path in existing if path.startswith("data/") and path not in files]
        operations: list[CommitOperationAdd | CommitOperationDelete] = [
            CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(folder / path)) for path in files
        ]
        operations += [CommitOperationDelete(path_in_repo=path) for path in stale]
        info = api.create_commit(
            repo_id, operations, commit_message=commit_message, repo_type="dataset", revision=target
        )
    except HfHubHTTPError as exc:
        raise _http_error(exc, repo_id, token) from None
    except OfflineModeIsEnabled:
        raise HubError("HF_HUB_OFFLINE is set, so the Hub cannot be reached", hint="unset it to publish") from None
    except (httpx2.HTTPError, OSError) as exc:
        reason = _scrub(str(exc).strip() or type(exc).__name__, token).splitlines()[0]
        raise HubError(
            f"cannot reach the Hub at {endpoint}: {reason}", hint="check the network and retry; nothing was published"
        ) from None
    except (KeyError, TypeError) as exc:  # a 200 answer without the fields the Hub always sends
        raise HubError(
            f"the server at {endpoint} does not answer like the Hugging Face Hub (no {exc} in its reply)",
            hint="check HF_ENDPOINT, or unset it to use huggingface.co; nothing was published",
        ) from None
    except ValueError as exc:  # the Hub's client rejects a card whose metadata the Hub would refuse
        reason = _scrub(" ".join(str(exc).split()), token)
        raise HubError(f"the Hub refused the dataset card: {reason}", hint="nothing was published") from None
    return str(info.commit_url)
