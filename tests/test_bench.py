"""The benchmark tooling works: the fake server answers the real client, figures summarise, the runner writes JSON.

Nothing here asserts how fast anything is: timings belong in `make bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import instructor
import openai
import pytest
from pydantic import BaseModel

from allegations.schemas import ArticleExtraction, validate_extraction
from bench.fake_openai import fake_openai_server, minimal_instance, server_stats
from bench.figures import figure, summarise
from bench.runner import Benchmark, run_in_subprocess
from bench.synthetic import canned_extraction, synthetic_articles

ROOT = Path(__file__).resolve().parent.parent


class Person(BaseModel):
    name: str
    age: int


def test_fake_server_answers_the_real_openai_client_through_instructor(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"Person": {"name": "Ada", "age": 36}}), encoding="utf-8")
    with fake_openai_server(delay_s=0.01, answers_path=answers) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
        person = instructor.from_openai(client, mode=instructor.Mode.TOOLS).chat.completions.create(
            model="fake-model", response_model=Person, messages=[{"role": "user", "content": "Ada is 36."}]
        )
        assert person.model_dump() == {"name": "Ada", "age": 36}
        assert [m.id for m in client.models.list().data] == ["fake-model"]
        assert server_stats(base_url)["requests"] == 1


def test_fake_server_stops_when_its_parent_lets_go() -> None:
    with fake_openai_server(delay_s=0.0) as base_url:
        pass
    with pytest.raises(OSError):
        server_stats(base_url)


def test_minimal_instance_of_the_extraction_schema_validates() -> None:
    value = minimal_instance(ArticleExtraction.model_json_schema())
    assert ArticleExtraction.model_validate(value).parties == []


def test_canned_extraction_grounds_in_every_synthetic_article() -> None:
    articles = synthetic_articles(20)
    assert len({a.text for a in articles}) == 20
    for article in articles:
        extraction = validate_extraction(canned_extraction(article.id), article)
        assert all(e.alignment == "exact" for a in extraction.allegations for e in a.evidence)


def test_summary_is_the_median_and_range_and_checks_the_target() -> None:
    summary = summarise(figure([3.0, 1.0, 2.0, 10.0], "s", target=("<", 2.6)))
    assert (summary["median"], summary["min"], summary["max"], summary["met"]) == (2.5, 1.0, 10.0, True)
    assert summarise(figure([3.0], "x", target=(">=", 4)))["met"] is False
    assert summarise(figure([], "s"))["median"] is None


def test_unknown_benchmark_names_are_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "no_such_bench"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "unknown benchmark no_such_bench" in result.stderr


def test_quick_bench_runs_and_writes_valid_results(tmp_path: Path) -> None:
    pytest.importorskip("allegations.extract.run", reason="the benchmarks drive the extraction stage")
    out = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "extract_concurrency", "cache_replay", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert set(report["benchmarks"]) == {"extract_concurrency", "cache_replay"}
    for name, bench in report["benchmarks"].items():
        assert bench["status"] == "ok", (name, bench)
        assert bench["peak_rss_mb"] > 0
        assert bench["figures"], name
        for key, fig in bench["figures"].items():
            assert fig["min"] <= fig["median"] <= fig["max"], (name, key)
    assert "speed-up at N=4" in report["benchmarks"]["extract_concurrency"]["figures"]
    assert "replay of 20 synthetic articles" in report["benchmarks"]["cache_replay"]["figures"]
    assert "extract_concurrency" in result.stdout and "peak resident memory" in result.stdout


def test_a_benchmark_stopped_at_its_time_limit_keeps_the_figures_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slow_bench.py").write_text(
        "import time\n"
        "from bench.figures import figure\n"
        "from bench.runner import write_partial\n"
        "def run(*, quick, repeat):\n"
        "    write_partial({'figures': {'step': figure([1.0, 3.0], 's')}})\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    bench = Benchmark("slow", "slow_bench:run", "sleeps past its limit", timeout_s=3.0)
    result = run_in_subprocess(bench, quick=False, repeat=1)
    assert result["status"] == "timeout"
    assert "figures up to then" in result["reason"]
    assert result["figures"]["step"]["samples"] == [1.0, 3.0]
    assert result["wall_s"] < 30


def test_fake_server_counts_the_most_requests_held_since_the_last_reset() -> None:
    with fake_openai_server(delay_s=0.0) as base_url:
        client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
        client.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "hi"}])
        assert server_stats(base_url, reset=True) == {"requests": 1, "in_flight": 0, "max_in_flight": 1}
        assert server_stats(base_url)["max_in_flight"] == 0


def test_the_quick_ablation_scores_rules_and_keeps_earlier_results(tmp_path: Path) -> None:
    pytest.importorskip("allegations.extract.rules", reason="the ablation needs the rules extractor")
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"benchmarks": {"eval": {"status": "ok", "figures": {}}}}), encoding="utf-8")
    command = [sys.executable, "-m", "bench", "--quick", "ablation", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["benchmarks"]) == {"eval", "ablation"}  # the earlier figures stay, the new run says its own
    ablation = report["benchmarks"]["ablation"]
    assert ablation["command"].startswith("python -m bench") and ablation["status"] == "ok"
    seeds = ablation["ablation"]["seeds"]
    assert set(seeds) == {"rules", "hybrid"}
    assert seeds["rules"]["failed"] == 0 and seeds["rules"]["model_decisions"] == 0
    assert seeds["rules"]["micro"]["gold"] > 0 and seeds["rules"]["grounding_rate"] == 1.0
    assert "rules articles per second" in ablation["figures"]


def test_the_prompt_cache_bench_answers_every_pass_with_two_valid_items() -> None:
    from allegations.extract.chunking import name_choices, quote_choices
    from allegations.extract.responses import name_key, response_model, response_schema
    from allegations.schemas import RECORD_TYPES
    from bench.bench_prompt_cache import scripted_answer

    text = "Orchard Lane Robotics sued Brightwater Freight Inc. in Ohio. It wants $5 million from Brightwater."
    names = ["Orchard Lane Robotics", "Brightwater Freight Inc."]
    quote_of = quote_choices(text)
    for record_type in RECORD_TYPES:
        parties = record_type == "parties"
        model = response_model(
            record_type,
            quote_choices=list(quote_of),
            party_names=None if parties else names,
            name_choices=name_choices(text) if parties else None,
            constrained=True,
        )
        context = {
            "text": text,
            "parties": None if parties else names,
            "party_of": {name_key(n): n for n in names},
            "quote_of": quote_of,
        }
        answer = model.model_validate(scripted_answer(response_schema(model)), context=context)
        assert len(answer.items) == 2, record_type
