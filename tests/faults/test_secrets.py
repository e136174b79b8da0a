"""Planted fake secrets must never reach an output; first, the search itself must be able to find them."""

from __future__ import annotations

from pathlib import Path

from .conftest import (
    CANARY_API_KEY,
    CANARY_HF_TOKEN,
    Reply,
    SeenRequest,
    assert_no_secrets,
    find_secrets,
    lawsuit_article,
    make_corpus,
    run_cli,
)


def test_the_search_finds_a_planted_key_in_nested_binary_files_and_text(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "cache.sqlite-wal").write_bytes(b"\x00\x01" + CANARY_API_KEY.encode() + b"\x00")
    assert find_secrets(tmp_path) == [f"{tmp_path / 'a' / 'b' / 'cache.sqlite-wal'}: {CANARY_API_KEY}"] + [
        f"{tmp_path / 'a' / 'b' / 'cache.sqlite-wal'}: allegations-canary"
    ]
    assert find_secrets(f"Authorization: Bearer {CANARY_HF_TOKEN}")
    assert find_secrets("key sk-FAKE-allegations-canary-*** (masked)"), "a half-masked key still counts"
    assert not find_secrets("nothing here", b"\x00sk-other", tmp_path / "missing")


def test_a_server_that_rejects_and_echoes_the_key_gets_it_in_no_output(
    tmp_path: Path, fake_openai, planted_secrets: dict[str, str]
) -> None:
    """A 401 whose body repeats the key, as OpenAI's does, stops the run with one line that does not repeat it."""

    def reject(request: SeenRequest) -> Reply:
        sent = request.headers.get("authorization", "").removeprefix("Bearer ")
        return Reply(401, {"error": {"message": f"Incorrect API key provided: {sent}", "code": "invalid_api_key"}})

    corpus = make_corpus(tmp_path / "corpus", {"a0": lawsuit_article(0)})
    server = fake_openai(reject)
    out = tmp_path / "out"
    result = run_cli(
        "extract", "--corpus", corpus, "--out", out / "p.jsonl", "--cache", out / "c.sqlite",
        "--base-url", server.base_url, "--model", "fake-model",
    )  # fmt: skip
    assert result.exit_code == 1 and "rejected the API key" in result.stderr, result.output
    assert server.completions()[0].headers["authorization"] == f"Bearer {CANARY_API_KEY}", "the key was not read"
    assert_no_secrets(out, result.stdout, result.stderr)
