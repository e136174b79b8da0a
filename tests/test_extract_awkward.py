"""Awkward but valid articles end to end, through the rules and through the embedded model: each one is extracted or
fails with a reason, and none stops the run.

The corpus in tests/data/awkward is invented: straight and curly quotes, backslashes, a dateline and a headline glued
to the text, mojibake, blank lines inside sentences, a bullet list, a 10,000-character sentence, an article that is
only a headline, Windows line endings with tabs, and emoji. The rules read all of them; the embedded model, at several
seconds a call, reads the ones that reach its grammar in a way no other text does (quotes, backslashes, control
characters, mojibake, emoji, a headline alone): the others differ only in what the rules already read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus
from allegations.core.records import load_predictions

ROOT = Path(__file__).resolve().parent.parent
AWKWARD = ROOT / "tests" / "data" / "awkward"
GRAMMAR_HOSTILE = (
    "01_straight_quotes",
    "03_backslashes",
    "06_mojibake",
    "10_only_headline",
    "11_crlf_and_tabs",
    "12_emoji",
)


def _corpus(folder: Path, ids: tuple[str, ...] | None) -> Path:
    """The awkward corpus, or the part of it with these ids, byte for byte."""
    if ids is None:
        return AWKWARD
    (folder / "articles").mkdir(parents=True)
    lines = (AWKWARD / "metadata.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "metadata.jsonl").write_text(
        "".join(x for x in lines if any(f'"{i}"' in x for i in ids)), encoding="utf-8"
    )
    for article_id in ids:
        shutil.copyfile(AWKWARD / "articles" / f"{article_id}.txt", folder / "articles" / f"{article_id}.txt")
    return folder


@pytest.mark.parametrize(
    ("strategy", "ids"),
    [
        pytest.param("llm", GRAMMAR_HOSTILE, marks=pytest.mark.e2e, id="embedded-model"),
        pytest.param("rules", None, id="rules"),
    ],
)
def test_no_awkward_article_stops_the_run(tmp_path: Path, strategy: str, ids: tuple[str, ...] | None) -> None:
    corpus = _corpus(tmp_path / "corpus", ids)
    articles = {article.id: article for article in load_corpus(corpus)}
    out = tmp_path / "predictions.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in {"OPENAI_API_KEY", "OPENAI_BASE_URL", "HF_TOKEN"}}
    command = [sys.executable, "-c", "from allegations.cli import main; main()", "extract"]
    options = ["--corpus", str(corpus), "--out", str(out), "--cache", str(tmp_path / "cache.sqlite")]
    options += [
        "--strategy",
        strategy,
        "--max-retries",
        "0",
    ]  # this checks that the run survives the text, not the answers' quality
    result = subprocess.run([*command, *options], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)

    assert result.returncode in (0, 3), result.stderr  # 3: some articles failed, each with its reason
    loaded = load_predictions(out, articles)
    assert loaded.problems == []  # every kept record is grounded in its article and links to a party
    assert sorted([*loaded.extractions, *loaded.failures]) == sorted(articles)
    for article_id, failure in loaded.failures.items():
        assert "connection" not in failure.error and "server" not in failure.error, (article_id, failure.error)
    assert (result.returncode == 3) == bool(loaded.failures), result.stderr
    print(f"{len(loaded.extractions)} extracted, failed: {[(i, f.error) for i, f in loaded.failures.items()]}")
