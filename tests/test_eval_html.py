"""The HTML report is one self-contained page that a real headless Chromium renders without console errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from eval_samples import ARTICLES, extractions, gold, gold_data

from allegations.eval import evaluate, write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH: install Debian's chromium (apt-get install chromium) to run"
)

# Highlight colours from eval.html's stylesheet, as the browser paints them.
PREDICTED_MATCHED = (0xA5, 0xD6, 0xA7)
PREDICTED_HALLUCINATED = (0xEF, 0x9A, 0x9A)
GOLD_MISSED = (0xE6, 0x51, 0x00)
GOLD_MATCHED = (0x1B, 0x5E, 0x20)


def _mixed_page(path: Path) -> Path:
    """A report with matched, missed and hallucinated records in both articles."""
    data = gold_data()
    data["a1"]["allegations"].pop(1)
    data["a1"]["allegations"][0]["category"] = "other"
    data["b2"]["relief_sought"].pop(1)
    data["b2"]["relief_sought"].append(
        {
            "requested_by": "Tailspin",
            "against": "Fabrikam",
            "kind": "injunction",
            "summary": "Tailspin <script>alert(1)</script> wants parts.",
            "evidence": [{"quote": "bought parts from a rival supplier"}],
        }
    )
    predicted = extractions(data)
    golden = gold()
    write_html(evaluate(golden, predicted, ARTICLES), golden, predicted, ARTICLES, path)
    return path


def test_the_page_is_self_contained_and_escapes_record_text(tmp_path: Path) -> None:
    page = _mixed_page(tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "<script" not in page and "@import" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for shown in ("Strict matching (the headline)", "<th>Lenient F1</th>", "<th>Floor F1, random label</th>"):
        assert shown in page, shown
    assert "Evidence quality, in characters" in page and "<h3>allegations.category</h3>" in page
    for css in ("g-matched", "g-missed", "p-matched", "p-hallucinated"):
        assert f'class="{css}' in page or f" {css}" in page, css
    for article in ARTICLES.values():
        assert f'id="article-{article.id}"' in page


def _chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--hide-scrollbars",
    ]
    return subprocess.run([CHROMIUM, *flags, *extra, url], capture_output=True, text=True, timeout=120, check=False)


def _console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Page load failed" in line]


@needs_chromium
def test_console_scanning_catches_a_page_error(tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('broken-page'); nope();</script>", encoding="utf-8")
    result = _chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={tmp_path / 'broken.png'}")
    messages = _console_messages(result.stderr)
    assert any("broken-page" in m for m in messages), result.stderr[-2000:]
    assert any("nope is not defined" in m for m in messages)


@needs_chromium
@pytest.mark.browser
def test_chromium_renders_every_article_with_its_highlights(tmp_path: Path) -> None:
    from PIL import Image

    page = _mixed_page(tmp_path / "report.html")
    shot = Path(os.environ.get("ALLEGATIONS_SCREENSHOT", tmp_path / "report.png"))
    result = _chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,4000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _console_messages(result.stderr) == []
    assert shot.is_file() and shot.stat().st_size > 20_000
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 4000)
    # Each colour shows in the legend, then in the text of the articles that have such records.
    expected_bands = {PREDICTED_MATCHED: 3, GOLD_MATCHED: 3, GOLD_MISSED: 3, PREDICTED_HALLUCINATED: 2}
    for colour, bands in expected_bands.items():
        assert len(_bands(image, colour)) >= bands, f"highlight colour {colour} painted in too few places"
    # The whole page fits in the window, so every article is in the shot: its last rows are blank.
    bottom = image.crop((0, 3900, 1280, 4000))
    assert bottom.getcolors() == [(1280 * 100, (255, 255, 255))]


def _bands(image, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """Vertical stretches of the image holding `colour`, split where 30 rows or more lack it."""
    rows = np.flatnonzero((np.asarray(image) == colour).all(axis=2).any(axis=1)).tolist()
    bands: list[tuple[int, int]] = []
    for y in rows:
        if bands and y - bands[-1][1] < 30:
            bands[-1] = (bands[-1][0], y)
        else:
            bands.append((y, y))
    return bands
