"""Bad article files, end to end through the CLI: one clear line naming the file, exit 1, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus

from .conftest import make_corpus, run_cli, run_cli_subprocess

GOOD = "Acme Corp sued Widget Ltd in 2020, alleging breach of contract over unpaid invoices."


def _predictions(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _record(article_id: str, quote: str) -> dict:
    return {
        "article_id": article_id,
        "parties": [{"name": "Acme Corp", "kind": "company", "role": "plaintiff", "evidence": [{"quote": quote}]}],
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", "article is empty (add its text or remove it from the metadata)", id="empty"),
        pytest.param(" \n\t\r\n \u00a0\u2003\n".encode(), "article is empty", id="whitespace-only"),
        pytest.param(
            "Caf\u00e9 Acme".encode("latin-1"), "not UTF-8 (byte 3) (convert the file to UTF-8)", id="latin-1"
        ),
        pytest.param("Acme sued".encode("utf-16"), "not UTF-8 (byte 0)", id="utf-16"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 (byte 0)", id="binary-png"),
        pytest.param(
            b"Acme\x00\x00\x00\x00sued\x00Widget", "looks binary: NUL character at offset 4", id="binary-nul-bytes"
        ),
    ],
)
def test_a_bad_article_is_one_line_naming_the_file(tmp_path: Path, body: bytes, message: str) -> None:
    corpus = make_corpus(tmp_path / "corpus", {"a1": GOOD, "bad": body})
    preds = _predictions(tmp_path / "p.jsonl", [_record("a1", "Acme Corp")])
    result = run_cli("validate", preds, "--corpus", corpus)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {corpus / 'articles' / 'bad.txt'}: "), result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_bad_article_never_shows_a_traceback_from_the_real_command(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", {"bad": b"\xff\xfe\x00binary"})
    preds = _predictions(tmp_path / "p.jsonl", [])
    proc = run_cli_subprocess("validate", preds, "--corpus", corpus)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "not UTF-8" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_a_five_megabyte_article_loads_and_its_last_sentence_grounds(tmp_path: Path) -> None:
    paragraph = "The parties exchanged letters about the schedule, the invoices and the warranty terms.\n"
    last = "Finally, Acme Corp asked the court for damages of \u201cno less than $5 million\u201d."
    body = paragraph * (5 * 1024 * 1024 // len(paragraph) + 1) + last
    assert len(body.encode()) > 5 * 1024 * 1024
    corpus = make_corpus(tmp_path / "corpus", {"big": body})
    # The straight-quoted copy only aligns after typographic folding: the slow path over the whole text.
    quote = 'Acme Corp asked the court for damages of "no less than $5 million"'
    preds = _predictions(tmp_path / "p.jsonl", [_record("big", quote)])
    result = run_cli("validate", preds, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "ok: 1 extractions" in result.stdout
    (article,) = load_corpus(corpus)
    assert len(article.text) == len(body)


def test_a_byte_order_mark_is_kept_as_text_and_offsets_still_index_the_file(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", {"bom": b"\xef\xbb\xbf" + GOOD.encode()})
    (article,) = load_corpus(corpus)
    preds = _predictions(tmp_path / "p.jsonl", [_record("bom", "Widget Ltd")])
    assert run_cli("validate", preds, "--corpus", corpus).exit_code == 0
    start = article.text.index("Widget Ltd")
    assert (corpus / "articles" / "bom.txt").read_text(encoding="utf-8")[start : start + 10] == "Widget Ltd"
