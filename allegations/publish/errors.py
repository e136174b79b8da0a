"""Errors of the publish stage: each is one line naming what is wrong and how to fix it."""

from __future__ import annotations

from allegations.core.errors import AllegationsError


class PublishError(AllegationsError):
    """The dataset cannot be built, gated, published or downloaded."""


class ConfigError(PublishError):
    """dataset.yaml is missing or does not match its schema."""


class GateError(PublishError):
    """The eval report is missing, stale, or its scores are below the thresholds."""


class HubError(PublishError):
    """The Hub refused the upload or could not be reached; nothing was published."""


class DownloadError(PublishError):
    """A published dataset cannot be loaded or a row does not validate."""
