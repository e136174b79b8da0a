"""Awkward but valid articles through the embedded default, end to end: each one is extracted or fails with a
reason, and none stops the run.

The corpus in tests/data/awkward is invented: straight and curly quotes, backslashes, a dateline and a headline glued
to the text, mojibake, blank lines inside sentences, a bullet list, a 10,000-character sentence, an article that is
only a headline, Windows line endings with tabs, and emoji.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus
from allegations.core.records import load_predictions

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
AWKWARD = ROOT / "tests" / "data" / "awkward"


def test_no_awkward_article_stops_the_embedded_run(tmp_path: Path) -> None:
    articles = {article.id: article for article in load_corpus(AWKWARD)}
    out = tmp_path / "predictions.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in {"OPENAI_API_KEY", "OPENAI_BASE_URL", "HF_TOKEN"}}
    command = [sys.executable, "-c", "from allegations.cli import main; main()", "extract"]
    options = ["--corpus", str(AWKWARD), "--out", str(out), "--cache", str(tmp_path / "cache.sqlite")]
    options += ["--max-retries", "0"]  # this checks that the run survives the text, not the answers' quality
    result = subprocess.run([*command, *options], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)

    assert result.returncode in (0, 3), result.stderr  # 3: some articles failed, each with its reason
    loaded = load_predictions(out, articles)
    assert loaded.problems == []  # every kept record is grounded in its article and links to a party
    assert sorted([*loaded.extractions, *loaded.failures]) == sorted(articles)
    for article_id, failure in loaded.failures.items():
        assert "connection" not in failure.error and "server" not in failure.error, (article_id, failure.error)
    assert (result.returncode == 3) == bool(loaded.failures), result.stderr
    print(f"{len(loaded.extractions)} extracted, failed: {[(i, f.error) for i, f in loaded.failures.items()]}")
