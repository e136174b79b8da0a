"""The command line: stages listed, schema printed, records validated with one line per problem."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegations.cli import app
from allegations.schemas import ArticleExtraction

runner = CliRunner()


def listed_commands(help_text: str) -> list[str]:
    """The command names in the Commands panel of `--help`, in order (option lines start with --)."""
    panel = help_text.split("Commands", 1)[1] if "Commands" in help_text else ""
    return re.findall(r"^[│ ] ([a-z][\w-]*)  ", panel, flags=re.MULTILINE)


def test_help_lists_the_stages() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = listed_commands(result.output)
    assert {"schema", "validate", "eval", "build", "publish", "download"} <= set(listed), result.output


def test_schema_prints_the_article_extraction_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == ArticleExtraction.model_json_schema()


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(article_id: str, quote: str, category: str = "other") -> dict:
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
                "summary": "s",
                "evidence": [{"quote": quote}],
            }
        ],
    }


def test_validate_accepts_good_predictions(tmp_path: Path, corpus_dir: Path) -> None:
    path = _write(tmp_path / "p.jsonl", [_record("000_4aff3854fce7c81f", "stealing its trade secrets")])
    result = runner.invoke(app, ["validate", str(path), "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "ok: 1 extractions" in result.output


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ['{"article_id": "000_4aff3854fce7c81f"', "{}"],
            [":1: not valid JSON: Expecting ',' delimiter at column 38", ":2: article_id: missing or not a string"],
        ),
        (
            [json.dumps(_record("000_4aff3854fce7c81f", "no such words"))],
            [
                ":1: article 000_4aff3854fce7c81f: allegations[0].evidence[0]: quote not found in the article text: 'no such words'"
            ],
        ),
        (
            [json.dumps(_record("000_4aff3854fce7c81f", "BES", "spying"))],
            [":1: article 000_4aff3854fce7c81f: allegations[0].category: "],  # then pydantic's own wording
        ),
        ([json.dumps(_record("nope", "BES"))], [":1: article_id: 'nope' is not in the corpus"]),
        (
            [json.dumps(_record("000_4aff3854fce7c81f", "BES"))] * 2,
            [":2: article_id: duplicate article id '000_4aff3854fce7c81f'"],
        ),
        (["[1, 2]", '{"parties": []}'], [":1: expected a JSON object", ":2: article_id: missing or not a string"]),
    ],
)
def test_validate_reports_each_problem_with_file_and_line(
    tmp_path: Path, corpus_dir: Path, lines: list[str], expected: list[str]
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    problems = result.output.strip().splitlines()
    assert len(problems) == len(expected), result.output
    for line, want in zip(problems, expected, strict=True):
        assert line.startswith(str(path)) and want in line, line


def test_validate_a_gold_folder_names_the_bad_file(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(_record("000_4aff3854fce7c81f", "BES")), encoding="utf-8")
    bad = _record("001_5ab154d679b99905", "BES")
    bad["parties"][0]["kind"] = "firm"
    (folder / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"{folder / 'bad.json'}: article 001_5ab154d679b99905: parties[0].kind: "), line


def test_validate_names_a_missing_path(tmp_path: Path, corpus_dir: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "none.jsonl"), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    assert "none.jsonl: no such file or folder" in result.output


def test_a_bad_corpus_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "no metadata.jsonl here" in result.output
    assert "Traceback" not in result.output


def test_copy_of_corpus_is_usable(tmp_path: Path, corpus_dir: Path) -> None:
    shutil.copytree(corpus_dir / "articles", tmp_path / "articles")
    shutil.copy(corpus_dir / "metadata.jsonl", tmp_path / "metadata.jsonl")
    path = _write(tmp_path / "p.jsonl", [_record("000_4aff3854fce7c81f", "BES")])
    assert runner.invoke(app, ["validate", str(path), "--corpus", str(tmp_path)]).exit_code == 0
