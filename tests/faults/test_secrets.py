"""Planted fake secrets must never reach an output; first, the search itself must be able to find them."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import CANARY_API_KEY, CANARY_HF_TOKEN, CORPUS, assert_no_secrets, find_secrets, run_cli


def test_the_search_finds_a_planted_key_in_nested_binary_files_and_text(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "cache.sqlite-wal").write_bytes(b"\x00\x01" + CANARY_API_KEY.encode() + b"\x00")
    assert find_secrets(tmp_path) == [f"{tmp_path / 'a' / 'b' / 'cache.sqlite-wal'}: {CANARY_API_KEY}"] + [
        f"{tmp_path / 'a' / 'b' / 'cache.sqlite-wal'}: allegations-canary"
    ]
    assert find_secrets(f"Authorization: Bearer {CANARY_HF_TOKEN}")
    assert find_secrets("key sk-FAKE-allegations-canary-*** (masked)"), "a half-masked key still counts"
    assert not find_secrets("nothing here", b"\x00sk-other", tmp_path / "missing")


def test_validate_errors_never_echo_the_environment_secrets(tmp_path: Path, planted_secrets: dict[str, str]) -> None:
    bad = tmp_path / "p.jsonl"
    bad.write_text(json.dumps({"article_id": "nope", "parties": [{"name": CANARY_API_KEY[:3]}]}) + "\n", "utf-8")
    result = run_cli("validate", bad, "--corpus", CORPUS)
    assert result.exit_code == 1
    assert_no_secrets(result.stdout, result.stderr)
