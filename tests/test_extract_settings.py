"""Backend settings: options over environment over defaults; one factory; the mode recorded per backend."""

from __future__ import annotations

import pytest

from allegations.extract.client import build_client, choose_mode
from allegations.extract.errors import SettingsError
from allegations.extract.settings import EMBEDDED_MODEL, PLACEHOLDER_API_KEY, BackendSettings


def test_defaults_mean_the_embedded_server_with_a_placeholder_key() -> None:
    settings = BackendSettings.from_env({})
    assert settings.base_url is None and settings.embedded
    assert settings.model == EMBEDDED_MODEL and settings.api_key == PLACEHOLDER_API_KEY
    assert settings.backend_name == "embedded" and settings.quotes_constrained


def test_the_environment_fills_what_options_leave_unset() -> None:
    env = {"OPENAI_BASE_URL": "http://localhost:11434/v1/", "ALLEGATIONS_MODEL": "qwen2.5:7b", "OPENAI_API_KEY": "k"}
    settings = BackendSettings.from_env(env)
    assert (settings.base_url, settings.model, settings.api_key) == ("http://localhost:11434/v1", "qwen2.5:7b", "k")
    assert settings.backend_name == "localhost:11434" and not settings.quotes_constrained


def test_options_win_over_the_environment_and_none_falls_through() -> None:
    env = {"OPENAI_BASE_URL": "http://a:1/v1", "ALLEGATIONS_MODEL": "env-model", "OPENAI_API_KEY": "env-key"}
    settings = BackendSettings.from_env(env, base_url="http://b:2/v1", model=None, api_key="opt-key", max_retries=5)
    assert (settings.base_url, settings.model, settings.api_key) == ("http://b:2/v1", "env-model", "opt-key")
    assert settings.max_retries == 5


def test_a_local_server_without_a_key_gets_the_placeholder() -> None:
    settings = BackendSettings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "OPENAI_API_KEY": " "})
    assert settings.api_key == PLACEHOLDER_API_KEY


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"base_url": "localhost:8080"}, "base URL must look like http://host:port/v1"),
        ({"base_url": "ftp://x/v1"}, "base URL must look like"),
        ({"max_retries": -1}, "max_retries"),
        ({"model": ""}, "model"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_setting(overrides: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as caught:
        BackendSettings.from_env({}, **overrides)
    assert "OPENAI_BASE_URL" in str(caught.value) and "\n" not in str(caught.value)


def test_the_factory_builds_one_client_with_the_mode_recorded() -> None:
    settings = BackendSettings(base_url="http://127.0.0.1:1/v1", model="m", api_key="k", timeout_s=7)
    client = build_client(settings)
    assert (client.base_url, client.model, client.mode) == ("http://127.0.0.1:1/v1", "m", "tools")
    assert client.openai_client.api_key == "k" and client.openai_client.timeout == 7
    assert choose_mode(BackendSettings(mode="md_json")) == "md_json"
    with pytest.raises(SettingsError, match="unknown mode"):
        choose_mode(BackendSettings(mode="json_schema"))


def test_embedded_chunks_fit_the_context() -> None:
    assert BackendSettings(n_ctx=8192).max_chunk_chars == 4096
    assert BackendSettings(chunk_chars=900).max_chunk_chars == 900
