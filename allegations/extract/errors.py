"""Errors of the extraction stage: the CLI prints them as one line and exits non-zero."""

from __future__ import annotations

from allegations.core.errors import AllegationsError


class ExtractError(AllegationsError):
    """The extraction stage cannot go on."""


class SettingsError(ExtractError):
    """A backend setting is missing or invalid."""


class BackendError(ExtractError):
    """The model server cannot be reached, rejects the key, or does not serve the model; nothing was written."""


class ServerStartError(ExtractError):
    """The embedded llama.cpp server did not start."""


class SomeArticlesFailed(ExtractError):
    """The run finished but some articles became failure records."""

    exit_code = 3


class ModelError(ExtractError):
    """A local model cannot be used: not a GGUF, not on the Hub, or too large for this machine."""
