"""A misbehaving model server or model, through the real openai + instructor client over loopback HTTP.

Server faults (500, 429, timeouts, closed connections) get bounded retries, then a failure record for that
article; model faults (invalid JSON, the wrong schema, too many items, ungrounded quotes) get re-asks, then the
bad items are dropped and counted. The other articles are extracted as usual.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allegations.core.corpus import load_corpus

pytest.importorskip("allegations.extract.run", reason="the extract stage is not on this branch yet")

from .conftest import (
    CANARY_API_KEY,
    Reply,
    completion,
    grounded_answer,
    lawsuit_article,
    make_corpus,
    read_jsonl_lines,
    requests_by_article,
    run_cli,
    scripted_model,
)

ARTICLES = {"a0": lawsuit_article(0), "a1": lawsuit_article(1), "a2": lawsuit_article(2)}
ALL_PASSES = ["parties", "allegations", "contract_terms", "relief_sought"]
MAX_RETRIES = 2  # re-asks after a failed validation: three attempts in all


def _extract(tmp_path: Path, server, *extra: str, articles: dict[str, str] = ARTICLES):
    corpus = make_corpus(tmp_path / "corpus", articles)
    out = tmp_path / "predictions.jsonl"
    result = run_cli(
        "extract",
        "--corpus", corpus,
        "--out", out,
        "--cache", tmp_path / "cache.sqlite",
        "--base-url", server.base_url,
        "--model", "fake-model",
        "--api-key", CANARY_API_KEY,
        "--max-retries", str(MAX_RETRIES),
        *extra,
    )  # fmt: skip
    lines = {line["article_id"]: line for line in read_jsonl_lines(out)} if result.exit_code in (0, 3) else {}
    return result, lines


def _only(article_id: str, record_type: str, reply):
    """A fault for one article and pass; every other request is answered well."""

    def fault(request, article, pass_name, attempt):
        if article == ARTICLES[article_id] and pass_name == record_type:
            return reply(request, attempt)
        return None

    return fault


def _assert_others_fine(lines: dict, server, failed: str) -> None:
    for article_id in ARTICLES:
        if article_id != failed:
            assert "error" not in lines[article_id], lines[article_id]
            assert len(lines[article_id]["parties"]) == 2
    seen = requests_by_article(server, ARTICLES)
    for article_id in ARTICLES:
        if article_id != failed:
            assert seen[article_id] == ALL_PASSES, seen


# ---------------------------------------------------------------- the server


@pytest.mark.parametrize(
    ("status", "headers"),
    [(500, {}), (503, {}), (429, {"Retry-After": "1"}), (429, {"Retry-After": "3600"})],
    ids=["500", "503", "429-retry-after-1s", "429-retry-after-an-hour"],
)
def test_server_errors_get_bounded_retries_then_a_failure_record(
    tmp_path: Path, fake_openai, status: int, headers: dict[str, str]
) -> None:
    body = {"error": {"message": f"server says {status}", "type": "server_error"}}
    server = fake_openai(scripted_model(_only("a1", "parties", lambda request, attempt: Reply(status, body, headers))))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 3, result.output
    assert "1 of 3 articles failed" in result.stderr and "Traceback" not in result.output
    assert str(status) in lines["a1"]["error"], lines["a1"]
    attempts = [r for r in server.completions() if ARTICLES["a1"] in r.text]
    # An hour-long Retry-After is not waited for: one try, or a short backoff, then the failure record.
    fewest = 1 if headers.get("Retry-After") == "3600" else 2
    assert fewest <= len(attempts) <= 6, f"{len(attempts)} attempts: retries must happen and be bounded"
    if headers.get("Retry-After") == "1":
        gaps = [b.at - a.at for a, b in zip(attempts, attempts[1:], strict=False)]
        assert min(gaps) >= 0.9, f"Retry-After: 1 was not honoured: {gaps}"
    _assert_others_fine(lines, server, failed="a1")


def test_one_transient_500_is_retried_and_the_article_extracted(tmp_path: Path, fake_openai) -> None:
    def once(request, attempt):
        return Reply(500, {"error": {"message": "try again"}}) if attempt == 1 else None

    server = fake_openai(scripted_model(_only("a1", "parties", once)))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 0, result.output
    assert len(lines["a1"]["parties"]) == 2
    assert requests_by_article(server, ARTICLES)["a1"] == ["parties", *ALL_PASSES]


def test_a_call_that_times_out_becomes_a_failure_record(tmp_path: Path, fake_openai) -> None:
    def slow(request, attempt):
        reply = completion(request, {"items": []})
        reply.delay_s = 3
        return reply

    from allegations.extract.run import extract_corpus
    from allegations.extract.settings import BackendSettings

    server = fake_openai(scripted_model(_only("a1", "parties", slow)))
    corpus = make_corpus(tmp_path / "corpus", ARTICLES)
    settings = BackendSettings(base_url=server.base_url, model="fake-model", api_key=CANARY_API_KEY, timeout_s=0.5)
    out = tmp_path / "predictions.jsonl"
    summary = extract_corpus(load_corpus(corpus), out, settings=settings, cache_path=tmp_path / "c.sqlite")
    lines = {line["article_id"]: line for line in read_jsonl_lines(out)}
    assert summary.failed == 1 and summary.succeeded == 2
    assert "timed out" in lines["a1"]["error"].lower(), lines["a1"]
    attempts = [r for r in server.completions() if ARTICLES["a1"] in r.text]
    assert 1 <= len(attempts) <= 3, f"{len(attempts)} attempts"
    _assert_others_fine(lines, server, failed="a1")


def test_a_connection_closed_for_one_article_becomes_a_failure_record(tmp_path: Path, fake_openai) -> None:
    server = fake_openai(
        scripted_model(_only("a1", "parties", lambda request, attempt: Reply(close_without_reply=True)))
    )
    result, lines = _extract(tmp_path, server)
    attempts = [r for r in server.completions() if ARTICLES["a1"] in r.text]
    assert 2 <= len(attempts) <= 6, f"{len(attempts)} attempts"
    assert result.exit_code == 3, result.output
    assert "a1" in lines and "error" in lines["a1"]
    _assert_others_fine(lines, server, failed="a1")


def test_a_connection_closed_every_time_gives_bounded_attempts_and_failure_records(tmp_path: Path, fake_openai) -> None:
    server = fake_openai(lambda request: Reply(close_without_reply=True))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 3, result.output
    assert "3 of 3 articles failed" in result.stderr and "Traceback" not in result.output
    assert set(lines) == set(ARTICLES) and all("error" in line for line in lines.values())
    assert len(server.completions()) <= 2 * len(ARTICLES), "each article gets one call and one retry at most"


def test_the_server_going_away_mid_run_stops_cleanly_and_the_rerun_resumes(tmp_path: Path, fake_openai) -> None:
    server = fake_openai(scripted_model())
    calls = {"n": 0}
    good = server.responder

    def dies_after_five(request):
        calls["n"] += 1
        if calls["n"] == 6:
            server.httpd.shutdown()  # the server dies: this call's connection drops, later ones are refused
            server.httpd.server_close()
            return Reply(close_without_reply=True)
        return good(request)

    server.responder = dies_after_five
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 1 and lines == {}
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "run again" in result.stderr or "resume" in result.stderr

    revived = fake_openai(scripted_model())
    result, lines = _extract(tmp_path, revived)
    # Only the calls never answered are made again (a new server is a new base URL: same cache key).
    assert result.exit_code == 0, result.output
    assert len(revived.completions()) == len(ARTICLES) * len(ALL_PASSES) - 5


def test_a_key_the_server_rejects_is_one_line_without_the_key(tmp_path: Path, fake_openai) -> None:
    echo = {"error": {"message": f"Incorrect API key provided: {CANARY_API_KEY}", "type": "invalid_request_error"}}
    server = fake_openai(lambda request: Reply(401, echo))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 1 and lines == {}
    assert "rejected the API key" in result.stderr
    assert CANARY_API_KEY not in result.output and "canary" not in result.output


# ---------------------------------------------------------------- the model


def test_invalid_json_every_time_is_re_asked_then_a_failure_record(tmp_path: Path, fake_openai) -> None:
    server = fake_openai(
        scripted_model(_only("a1", "parties", lambda request, attempt: completion(request, '{"items": [{"name": ')))
    )
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 3
    assert requests_by_article(server, ARTICLES)["a1"] == ["parties"] * (MAX_RETRIES + 1)
    assert lines["a1"]["error"].startswith("parties: no valid answer after 3 attempts"), lines["a1"]
    assert lines["a1"]["provenance"]["retries"] == MAX_RETRIES
    _assert_others_fine(lines, server, failed="a1")


def test_invalid_json_once_is_re_asked_and_counted(tmp_path: Path, fake_openai) -> None:
    def once(request, attempt):
        return completion(request, "not json at all") if attempt == 1 else None

    server = fake_openai(scripted_model(_only("a1", "parties", once)))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 0, result.output
    assert len(lines["a1"]["parties"]) == 2 and lines["a1"]["provenance"]["retries"] == 1


def test_json_for_the_wrong_schema_is_re_asked_then_a_failure_record(tmp_path: Path, fake_openai) -> None:
    wrong = {"parties": [{"company": "Acme Corp"}], "verdict": "guilty"}
    server = fake_openai(scripted_model(_only("a1", "parties", lambda request, attempt: completion(request, wrong))))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 3
    assert requests_by_article(server, ARTICLES)["a1"] == ["parties"] * (MAX_RETRIES + 1)
    assert "no valid answer" in lines["a1"]["error"]


def test_an_empty_list_is_an_empty_extraction_not_a_failure(tmp_path: Path, fake_openai) -> None:
    server = fake_openai(
        scripted_model(_only("a1", "parties", lambda request, attempt: completion(request, {"items": []})))
    )
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 0, result.output
    assert all(lines["a1"][t] == [] for t in ALL_PASSES)
    # Nothing can be linked to no parties, so the other passes are not asked.
    assert requests_by_article(server, ARTICLES)["a1"] == ["parties"]


def test_a_thousand_items_are_bounded_and_the_excess_dropped_and_counted(tmp_path: Path, fake_openai) -> None:
    def flood(request, attempt):
        good = grounded_answer("parties", ARTICLES["a1"])["items"]
        return completion(request, {"items": good * 500})

    server = fake_openai(scripted_model(_only("a1", "parties", flood)))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 0, result.output
    line = lines["a1"]
    assert len(line["parties"]) == 2, "the duplicates merge into the two real parties"
    dropped = line["provenance"]["dropped"]
    assert len(dropped) >= 1000 - 5 and all("more than" in d["reason"] for d in dropped)
    assert requests_by_article(server, ARTICLES)["a1"].count("parties") == MAX_RETRIES + 1
    assert line["provenance"]["retries"] == MAX_RETRIES
    assert len(json.dumps(line)) < 200_000, "the dropped list itself must stay small"


def test_an_ungrounded_quote_is_re_asked_then_dropped_and_counted(tmp_path: Path, fake_openai) -> None:
    def invent(request, attempt):
        answer = grounded_answer("allegations", ARTICLES["a1"])
        answer["items"].append({**answer["items"][0], "quote": "Widget Ltd also bribed three judges"})
        return completion(request, answer)

    server = fake_openai(scripted_model(_only("a1", "allegations", invent)))
    result, lines = _extract(tmp_path, server)
    assert result.exit_code == 0, result.output
    line = lines["a1"]
    assert [a["evidence"][0]["quote"] for a in line["allegations"]] == [
        "Acme Corp alleges that Widget Ltd broke the supply contract signed in 2011"
    ]
    assert "bribed" not in json.dumps(line["allegations"])
    (dropped,) = line["provenance"]["dropped"]
    assert dropped["record_type"] == "allegations" and "quote not found" in dropped["reason"]
    assert requests_by_article(server, ARTICLES)["a1"].count("allegations") == MAX_RETRIES + 1
