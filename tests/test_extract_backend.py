"""The backend contract: errors name the real server, never a sentence standing in for its URL."""

from __future__ import annotations

import httpx2
import openai
import pytest

from allegations.extract.client import describe_api_error


def _connection_error() -> openai.APIConnectionError:
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    try:
        try:
            raise httpx2.ConnectError("connection refused", request=request)
        except httpx2.ConnectError as cause:
            raise openai.APIConnectionError(request=request) from cause
    except openai.APIConnectionError as error:
        return error


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("http://127.0.0.1:9/v1", "lost the connection to the model server at http://127.0.0.1:9/v1"),
        (None, "lost the connection to the embedded llama.cpp server"),
    ],
)
def test_a_lost_server_is_named_by_its_url_or_as_the_embedded_one(base_url: str | None, message: str) -> None:
    error = describe_api_error(_connection_error(), base_url)
    assert error is not None and str(error).startswith(message)
    assert "server at the" not in str(error)


def test_an_error_that_fails_one_article_does_not_stop_the_run() -> None:
    assert describe_api_error(ValueError("bad answer"), None) is None
