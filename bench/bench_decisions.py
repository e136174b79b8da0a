"""How well the embedded model makes each hybrid decision, against the gold and against the rules' own decisions.

Every candidate record the rules propose is put to the model exactly as the hybrid strategy with every per-candidate
decision puts it (extract/review.py: keep, category or kind, summary; same instructor path and cache). A candidate
is real when its evidence overlaps gold evidence of the same record type. Then:
- kept: the model's keep/drop against real/not real; the rules keep every candidate.
- category (or kind): on real candidates, the model's label and the rules' label against the gold label.
- summary: on real candidates, the eval's summary comparator (token-set ratio) against the gold summary, for the
  model's summary and the rules'.
Runs on the seeds and on ../shared/devset (skipped with a reason when absent). Answers are cached in
build/bench/decisions-cache.sqlite, so a second run replays in seconds.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from allegations.core.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from allegations.eval.compare import compare_text
from allegations.eval.harness import GoldSet, load_gold_set
from allegations.extract.cache import ResponseCache
from allegations.extract.client import build_client, check_backend
from allegations.extract.merge import party_names
from allegations.extract.models import resolve, serve_embedded
from allegations.extract.passes import cached_call
from allegations.extract.review import LABEL_FIELD, REVIEWED, review_messages, review_model
from allegations.extract.settings import BackendSettings
from allegations.schemas import ArticleExtraction, align_quote
from bench.figures import figure
from bench.pipeline import embedded_equivalent_settings
from bench.runner import ROOT, write_partial

DEVSET = Path(os.environ.get("ALLEGATIONS_DEVSET") or ROOT.parent / "shared" / "devset")
# Invented articles about other lawsuits (tests/holdout*/README.md): a and b were tuned on after their first score,
# c only after its first score was taken; they show how far the rules carry beyond the articles they were written on.
HOLDOUTS = {"holdout_a": ROOT / "tests" / "holdout", "holdout_b": ROOT / "tests" / "holdout_b"}
HOLDOUTS["holdout_c"] = ROOT / "tests" / "holdout_c"
CACHE = ROOT / "build" / "bench" / "decisions-cache.sqlite"


def corpora() -> dict[str, tuple[Path, Path] | str]:
    """name -> (corpus, gold), or the reason it is skipped."""
    found: dict[str, tuple[Path, Path] | str] = {"seeds": (DEFAULT_CORPUS, DEFAULT_GOLD)}
    found["devset"] = (DEVSET, DEVSET / "gold") if (DEVSET / "gold").is_dir() else f"{DEVSET} is absent"
    found.update({name: (folder, folder / "gold") for name, folder in HOLDOUTS.items()})
    return found


def rules_extractions(gold_set: GoldSet) -> dict[str, ArticleExtraction] | None:
    """The rules' extraction of every article, or None where the rules are not installed."""
    try:
        from allegations.extract.rules import extract_with_rules
    except ImportError:
        return None
    return {article_id: extract_with_rules(article) for article_id, article in gold_set.articles.items()}


def _spans(text: str, records: list[Any]) -> list[tuple[int, int]]:
    spans = []
    for record in records:
        for evidence in record.evidence:
            found = align_quote(text, evidence.quote, hint=evidence.start)
            if found is not None:
                spans.append((found[0], found[1]))
    return spans


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


class Asker:
    """Asks the model one decision about one sentence, as the hybrid strategy does."""

    def __init__(self, backend: Any, settings: BackendSettings, cache: ResponseCache) -> None:
        self.backend, self.settings, self.cache = backend, settings, cache
        self.calls = self.cached = 0
        self.seconds = 0.0

    def ask(self, record_type: str, fields: tuple[str, ...], sentence: str, parties: list[str]) -> dict[str, Any]:
        messages = review_messages(record_type, fields, sentence, parties)
        model = review_model(record_type, fields, self.settings.quotes_constrained)
        outcome = cached_call(self.backend, self.settings, self.cache, record_type, messages, model, {})
        self.calls += 1
        self.cached += int(outcome.from_cache)
        self.seconds += outcome.cost.latency_s
        return outcome.items[0] if outcome.items else {}


def measure_corpus(gold_set: GoldSet, asker: Asker, *, quick: bool) -> dict[str, Any]:
    """Counts of right and wrong decisions, the model's and the rules', on one corpus."""
    rules = rules_extractions(gold_set)
    if rules is None:
        return {"skipped": "the rules extractor is not installed"}
    out: dict[str, Any] = {}
    ids = sorted(gold_set.gold)[:1] if quick else sorted(gold_set.gold)
    fields = ("kept", "category", "summary")
    for record_type in REVIEWED:
        label_field = LABEL_FIELD[record_type]
        kept = Counter[str]()
        labels: list[tuple[str, str, str]] = []  # gold, model, rules
        summaries: list[tuple[float, float]] = []  # model, rules
        for article_id in ids:
            article, gold = gold_set.articles[article_id], gold_set.gold[article_id]
            proposed = rules[article_id]
            names = party_names([p.model_dump() for p in proposed.parties])
            gold_records = getattr(gold, record_type)
            for candidate in getattr(proposed, record_type):
                sentence = " ".join(e.quote for e in candidate.evidence)
                answer = asker.ask(record_type, fields, sentence, names)
                spans = _spans(article.text, [candidate])
                match = next(
                    (g for g in gold_records if any(_overlaps(s, _spans(article.text, [g])) for s in spans)), None
                )
                said = answer.get("keep") is True
                kept[("tp" if said else "fn") if match else ("fp" if said else "tn")] += 1
                if match is None:
                    continue
                labels.append(
                    (
                        getattr(match, label_field).value,
                        str(answer.get(label_field)),
                        getattr(candidate, label_field).value,
                    )
                )
                summaries.append(
                    (
                        compare_text(match.summary, str(answer.get("summary", ""))),
                        compare_text(match.summary, candidate.summary),
                    )
                )
        out[record_type] = _scores(kept, labels, summaries)
    return out


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


def _scores(
    kept: Counter[str], labels: list[tuple[str, str, str]], summaries: list[tuple[float, float]]
) -> dict[str, Any]:
    tp, fp, fn, tn = (kept[k] for k in ("tp", "fp", "fn", "tn"))
    n = len(labels)
    return {
        "candidates": tp + fp + fn + tn,
        "real": tp + fn,
        "kept": {
            "model_accuracy": _ratio(tp + tn, tp + fp + fn + tn),
            "model_kept_real": tp,
            "model_dropped_real": fn,
            "model_kept_not_real": fp,
            "model_dropped_not_real": tn,
            "rules_accuracy": _ratio(tp + fn, tp + fp + fn + tn),  # the rules keep every candidate
        },
        "label": {
            "records": n,
            "model_accuracy": _ratio(sum(g == m for g, m, _ in labels), n),
            "rules_accuracy": _ratio(sum(g == r for g, _, r in labels), n),
            "model_answers": dict(Counter(m for _, m, _ in labels).most_common()),
        },
        "summary": {
            "model_mean_similarity": _ratio(sum(m for m, _ in summaries), n),
            "rules_mean_similarity": _ratio(sum(r for _, r in summaries), n),
        },
    }


def run(*, quick: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Every decision on every corpus; `repeat` is ignored (the answers are deterministic at temperature 0)."""
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    with contextlib.ExitStack() as stack, ResponseCache(CACHE) as cache:
        url = stack.enter_context(serve_embedded(resolve(BackendSettings())))
        settings = embedded_equivalent_settings(url)
        client = build_client(settings, url)
        check_backend(client)
        asker = Asker(client, settings, cache)
        for name, source in corpora().items():
            if isinstance(source, str):
                results[name] = {"skipped": source}
                continue
            started = time.perf_counter()
            results[name] = measure_corpus(load_gold_set(source[1], source[0]), asker, quick=quick)
            results[name]["seconds"] = round(time.perf_counter() - started, 1)
            for record_type in REVIEWED if "skipped" not in results[name] else ():
                scores = results[name][record_type]
                for key, value in (
                    ("kept accuracy, model", scores["kept"]["model_accuracy"]),
                    ("kept accuracy, rules", scores["kept"]["rules_accuracy"]),
                    ("label accuracy, model", scores["label"]["model_accuracy"]),
                    ("label accuracy, rules", scores["label"]["rules_accuracy"]),
                    ("summary similarity, model", scores["summary"]["model_mean_similarity"]),
                    ("summary similarity, rules", scores["summary"]["rules_mean_similarity"]),
                ):
                    if value is not None:
                        figures[f"{name} {record_type} {key}"] = figure([value], "fraction")
            write_partial({"figures": dict(figures), "decisions": results})
    # A cached answer carries the seconds it took when first asked, so a replay reports the same figure.
    per_call = asker.seconds / max(1, asker.calls)
    figures["seconds per decision call (when first asked)"] = figure([per_call], "s")
    return {"figures": figures, "decisions": results, "calls": asker.calls, "from_cache": asker.cached}
