"""`allegations extract` and `serve`: exit codes and one-line errors naming the setting to fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from llm_fakes import ScriptedServer, article, mock_factory, write_corpus
from typer.testing import CliRunner

import allegations.extract.run
from allegations.cli import app
from allegations.extract.server import free_port

runner = CliRunner()


def test_help_lists_extract_and_serve() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^[│ ] ([a-z][\w-]*)  ", result.output.split("Commands", 1)[-1], flags=re.MULTILINE)
    assert {"extract", "serve"} <= set(listed), result.output


def test_an_unreachable_server_is_one_line_naming_the_url_and_output_is_untouched(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", [article()])
    out = tmp_path / "p.jsonl"
    out.write_text("previous\n")
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = runner.invoke(
        app, ["extract", "--corpus", str(corpus), "--out", str(out), "--base-url", url, "--cache", str(tmp_path / "c")]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: cannot reach the model server at {url} (start it, or fix --base-url / OPENAI_BASE_URL; "
        "unset both to use the embedded model)"
    ]
    assert out.read_text() == "previous\n"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--base-url", "localhost:8080"], {}, "base URL must look like http://host:port/v1"),
        ([], {"OPENAI_BASE_URL": "nonsense"}, "base URL must look like"),
        (["--concurrency", "0"], {}, "Invalid value for '--concurrency'"),
    ],
)
def test_bad_options_exit_1_with_a_clear_message(tmp_path: Path, args: list[str], env: dict, message: str) -> None:
    corpus = write_corpus(tmp_path / "corpus", [article()])
    result = runner.invoke(
        app, ["extract", "--corpus", str(corpus), "--out", str(tmp_path / "p.jsonl"), *args], env=env
    )
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "p.jsonl").exists()


def test_some_articles_failing_exits_3_after_writing_every_line(tmp_path: Path, monkeypatch) -> None:
    corpus = write_corpus(tmp_path / "corpus", [article("a1"), article("a2", article().text + " More.")])
    server = ScriptedServer(script={"Parties": ["{not json"] * 3})
    real = allegations.extract.run.extract_corpus
    monkeypatch.setattr(
        allegations.extract.run, "extract_corpus", lambda *a, **k: real(*a, **k, client_factory=mock_factory(server))
    )
    out = tmp_path / "p.jsonl"
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "ALLEGATIONS_MODEL": "test-model"}
    result = runner.invoke(
        app, ["extract", "--corpus", str(corpus), "--out", str(out), "--cache", str(tmp_path / "c")], env=env
    )
    assert result.exit_code == 3, result.output
    assert "error: 1 of 2 articles failed" in result.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [("error" in x) for x in lines] == [True, False]
