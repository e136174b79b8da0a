"""One factory: settings to an instructor client over `openai.OpenAI`, with the mode chosen per backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx2
import instructor
import openai

from allegations.extract.errors import BackendError, SettingsError
from allegations.extract.settings import ENV_API_KEY, ENV_BASE_URL, ENV_MODEL, BackendSettings

MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}


def choose_mode(settings: BackendSettings) -> str:
    """The instructor mode for a backend.

    llama.cpp turns the forced tool call's JSON schema into a grammar, so `tools` gives schema-valid output there;
    it rejects `json_schema` response formats. OpenAI, vLLM and Ollama all accept tools too.
    """
    mode = settings.mode or "tools"
    if mode not in MODES:
        raise SettingsError(f"unknown mode {mode!r}", hint=f"use one of {', '.join(MODES)}")
    return mode


class ExtractorBackend(Protocol):
    """What an extractor backend must offer the passes: which model it asks, how, where, and the client to ask it."""

    @property
    def model(self) -> str: ...

    @property
    def mode(self) -> str: ...

    @property
    def base_url(self) -> str | None:
        """The server's base URL; None for the embedded server before it has started."""

    @property
    def client(self) -> instructor.Instructor: ...


@dataclass(frozen=True)
class ModelClient:
    """An instructor client bound to one server, model and mode."""

    client: instructor.Instructor
    openai_client: openai.OpenAI
    base_url: str
    model: str
    mode: str


def build_client(
    settings: BackendSettings, base_url: str | None = None, http_client: httpx2.Client | None = None
) -> ModelClient:
    """Build the client; `base_url` overrides the settings' (the embedded server's URL is known only once started)."""
    url = base_url or settings.base_url
    if url is None:
        raise SettingsError("no base URL", hint=f"set --base-url or {ENV_BASE_URL}, or leave both unset for embedded")
    raw = openai.OpenAI(
        base_url=url,
        api_key=settings.api_key,
        timeout=settings.timeout_s,
        max_retries=1,
        http_client=http_client,
    )
    mode = choose_mode(settings)
    return ModelClient(instructor.from_openai(raw, mode=MODES[mode]), raw, url, settings.model, mode)


def check_backend(model_client: ModelClient) -> None:
    """Fail with one clear line when the server is unreachable, rejects the key or does not serve the model."""
    url = model_client.base_url
    try:
        served = [m.id for m in model_client.openai_client.models.list()]
    except openai.AuthenticationError:
        raise BackendError(
            f"the server at {url} rejected the API key", hint=f"set a valid key with --api-key or {ENV_API_KEY}"
        ) from None
    except openai.PermissionDeniedError:
        raise BackendError(
            f"the API key may not use the server at {url}", hint=f"check --api-key / {ENV_API_KEY}"
        ) from None
    except openai.NotFoundError:
        return  # a server without a model list: the first call will tell
    except openai.APIConnectionError:
        raise BackendError(
            f"cannot reach the model server at {url}",
            hint=f"start it, or fix --base-url / {ENV_BASE_URL}; unset both to use the embedded model",
        ) from None
    except openai.APIStatusError as exc:
        raise BackendError(
            f"the server at {url} answered {exc.status_code} to GET /models", hint="is it running?"
        ) from None
    if served and model_client.model not in served:
        shown = ", ".join(served[:5]) + (" …" if len(served) > 5 else "")
        raise BackendError(
            f"the server at {url} does not serve model {model_client.model!r} (it serves: {shown})",
            hint=f"set --model or {ENV_MODEL} to one of those",
        )


def describe_api_error(exc: BaseException, base_url: str | None) -> BackendError | None:
    """A run-stopping BackendError for connection and auth failures met mid-run; None for per-article errors."""
    server = f"the server at {base_url}" if base_url else "the embedded llama.cpp server"
    model_server = f"the model server at {base_url}" if base_url else "the embedded llama.cpp server"
    for error in _chain(exc):
        if isinstance(error, openai.AuthenticationError):
            return BackendError(f"{server} rejected the API key", hint=f"check {ENV_API_KEY}")
        if isinstance(error, openai.NotFoundError):
            return BackendError(f"{server} answered 404: {error.message}", hint=f"check --model / {ENV_MODEL}")
        if isinstance(error, openai.APIConnectionError) and _cannot_connect(error):
            return BackendError(
                f"lost the connection to {model_server}",
                hint="restart it and run again: finished calls come from the cache",
            )
    return None


def _cannot_connect(error: openai.APIConnectionError) -> bool:
    """True when the server cannot be reached at all; a connection dropped mid-call fails only that article."""
    return any(isinstance(cause, httpx2.ConnectError) for cause in _chain(error))


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
