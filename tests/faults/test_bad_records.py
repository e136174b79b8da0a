"""Bad gold files and predictions JSONL, end to end through `allegations validate`: every problem located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allegations.core.corpus import articles_by_id, load_corpus
from allegations.core.records import load_gold, load_predictions

from .conftest import CORPUS, run_cli, run_cli_subprocess

A0 = "000_4aff3854fce7c81f"
A1 = "001_5ab154d679b99905"


def _record(article_id: str = A0, *, quote: str = "stealing its trade secrets", category: str = "other") -> dict:
    return {
        "article_id": article_id,
        "parties": [
            {"name": "Huawei", "kind": "company", "role": "defendant", "evidence": [{"quote": "Huawei"}]},
            {"name": "BES", "kind": "company", "role": "plaintiff", "evidence": [{"quote": "BES"}]},
        ],
        "allegations": [
            {
                "claimant": "BES",
                "accused": "Huawei",
                "category": category,
                "summary": "BES says Huawei took its secrets.",
                "evidence": [{"quote": quote}],
            }
        ],
    }


def _jsonl(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _gold(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _validate(path: Path) -> tuple[int, list[str]]:
    result = run_cli("validate", path, "--corpus", CORPUS)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.strip().splitlines()


GOOD = json.dumps(_record())
TRUNCATED = GOOD[: len(GOOD) // 2]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [json.dumps(_record(A1, quote="BES")), TRUNCATED], [":2: not valid JSON: "], id="truncated-last-line"
        ),
        pytest.param([GOOD, GOOD], [f":2: article_id: duplicate article id '{A0}'"], id="duplicate-id"),
        pytest.param(
            [GOOD, json.dumps({"article_id": A0, "error": "timed out"})],
            [f":2: article_id: duplicate article id '{A0}'"],
            id="extraction-and-failure-for-one-article",
        ),
        pytest.param(
            [json.dumps(_record(category="espionage"))],
            [f":1: article {A0}: allegations[0].category: Input should be 'trade_secret_misappropriation', "],
            id="unknown-enum",
        ),
        pytest.param(
            [json.dumps(_record(quote="Huawei paid BES in full and on time"))],
            [f":1: article {A0}: allegations[0].evidence[0]: quote not found in the article text: 'Huawei paid BES"],
            id="quote-not-in-text",
        ),
        pytest.param(
            [json.dumps(_record(quote="Huawei paid BES")).replace('"quote"', '"start": 90000, "end": 90015, "quote"')],
            [f":1: article {A0}: allegations[0].evidence[0]: quote not found in the article text: 'Huawei paid BES'"],
            id="offsets-past-the-end-and-quote-not-in-text",
        ),
        pytest.param(
            [json.dumps(_record()).replace('"quote": "BES"', '"start": -4, "end": 3, "quote": "BES"')],
            [f":1: article {A0}: parties[1].evidence[0].start: Input should be greater than or equal to 0"],
            id="negative-offset",
        ),
    ],
)
def test_bad_predictions_lines_are_reported_with_file_line_and_field(
    tmp_path: Path, lines: list[str], expected: list[str]
) -> None:
    path = _jsonl(tmp_path / "predictions.jsonl", *lines)
    code, problems = _validate(path)
    assert code == 1
    assert len(problems) == len(expected), problems
    for problem, want in zip(problems, expected, strict=True):
        assert problem.startswith(f"{path}:") and want in problem, problem


@pytest.mark.parametrize(
    ("files", "bad_file", "expected"),
    [
        pytest.param({"a.json": TRUNCATED}, "a.json", ":1: not valid JSON: ", id="truncated"),
        pytest.param(
            {"a.json": GOOD, "b.json": GOOD}, "b.json", f": article_id: duplicate article id '{A0}'", id="duplicate-id"
        ),
        pytest.param(
            {"a.json": GOOD.replace('"kind": "company"', '"kind": "firm"', 1)},
            "a.json",
            f": article {A0}: parties[0].kind: Input should be 'company', 'government_body', 'court', 'person' or 'other'",
            id="unknown-enum",
        ),
        pytest.param(
            {"a.json": json.dumps(_record(quote="BES sued Apple"))},
            "a.json",
            f": article {A0}: allegations[0].evidence[0]: quote not found in the article text: 'BES sued Apple'",
            id="quote-not-in-text",
        ),
        pytest.param(
            {"a.json": GOOD.replace('"quote": "BES"', '"start": 90000, "end": 90003, "quote": "BES"')},
            "a.json",
            f": article {A0}: parties[1].evidence[0].start: 90000 is past the end of the text (",
            id="offsets-past-the-end",
        ),
        pytest.param({"a.json": "[" + GOOD + "]"}, "a.json", ": expected a JSON object", id="a-list-not-an-object"),
        pytest.param({"a.json": "\ufeff" + GOOD}, "a.json", ": not valid JSON: Unexpected UTF-8 BOM", id="bom"),
        pytest.param({"a.json": ""}, "a.json", ":1: not valid JSON: Expecting value", id="empty-file"),
    ],
)
def test_bad_gold_files_name_the_file_and_field(
    tmp_path: Path, files: dict[str, str], bad_file: str, expected: str
) -> None:
    folder = _gold(tmp_path / "gold", files)
    code, problems = _validate(folder)
    assert code == 1
    assert problems and all(p.startswith(str(folder / bad_file)) for p in problems), problems
    assert expected in problems[0], problems


def test_a_gold_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "a.json").write_bytes(GOOD.replace("Huawei", "Hua\xe9wei").encode("latin-1"))
    code, problems = _validate(folder)
    assert code == 1 and problems[0].startswith(str(folder / "a.json")) and "not UTF-8 (byte" in problems[0]


def test_prediction_offsets_past_the_end_are_recomputed_from_the_quote_never_trusted(tmp_path: Path) -> None:
    record = _record()
    evidence = record["allegations"][0]["evidence"][0]
    evidence.update(start=10**6, end=10**6 + len(evidence["quote"]))
    path = _jsonl(tmp_path / "p.jsonl", json.dumps(record))
    code, problems = _validate(path)
    assert code == 0, problems
    articles = articles_by_id(load_corpus(CORPUS))
    loaded = load_predictions(path, articles)
    span = loaded.extractions[A0].allegations[0].evidence[0]
    text = articles[A0].text
    assert span.end is not None and span.end <= len(text)
    assert text[span.start : span.end] == "stealing its trade secrets"


def test_every_problem_in_a_file_is_listed_not_only_the_first(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "p.jsonl",
        json.dumps(_record(category="spying")),
        TRUNCATED,
        json.dumps(_record(A1, quote="not in the article at all")),
    )
    code, problems = _validate(path)
    assert code == 1
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:1", f"{path}:2", f"{path}:3"], problems


def test_loading_bad_gold_for_a_later_stage_raises_one_line_with_a_count(tmp_path: Path) -> None:
    folder = _gold(tmp_path / "gold", {"a.json": TRUNCATED, "b.json": GOOD.replace('"other"', '"nope"')})
    loaded = load_gold(folder, articles_by_id(load_corpus(CORPUS)))
    with pytest.raises(Exception) as err:
        loaded.raise_for_problems()
    assert str(err.value).startswith(str(folder / "a.json")) and "and 1 more problem" in str(err.value)


def test_a_truncated_predictions_file_never_shows_a_traceback_from_the_real_command(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "p.jsonl", GOOD, TRUNCATED)
    proc = run_cli_subprocess("validate", path, "--corpus", CORPUS)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:2: not valid JSON")
    assert "Traceback" not in proc.stdout + proc.stderr
