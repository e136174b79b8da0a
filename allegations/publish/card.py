"""The dataset card: README.md with the Hub's YAML front matter, then what the data is and how it was made."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import allegations
from allegations.core.figures import fmt
from allegations.publish.config import DatasetConfig
from allegations.publish.features import CONFIGS, RECORD_FIELDS, SPLIT, Column, config_columns
from allegations.publish.gate import ALLOW_FLAG, GateResult
from allegations.schemas.report import FloorScores, Rates, ScoreReport

_DESCRIPTIONS = {
    "articles": "The news articles, text byte for byte as collected, with the metadata the text states.",
    "gold": "Records hand-labeled by reading each article against the annotation guidelines.",
    "extractions": "Records extracted by the model, one row per article, with the provenance of each extraction.",
}
_SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


@dataclass(frozen=True)
class CardFacts:
    """Everything the card states that is not in dataset.yaml: counts, provenance, scores, date."""

    repo_id: str
    built_on: str
    code_version: str
    rows: Mapping[str, int]
    records: Mapping[str, Mapping[str, int]]
    failures: int
    predictions_sha256: str
    provenance: Mapping[str, Sequence[str]] = field(default_factory=dict)
    report: ScoreReport | None = None
    gate: GateResult | None = None
    eval_table: str | None = None


def data_files_pattern(config: str) -> str:
    """The glob of one config's parquet files in the Hub layout."""
    return f"data/{config}/{SPLIT}-*.parquet"


def code_version() -> str:
    """The package version, plus the git commit when running from a checkout."""
    version = f"allegations {allegations.__version__}"
    checkout = Path(allegations.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version} (commit {commit})" if commit else version


def size_category(rows: int) -> str:
    """The Hub's size bucket for a row count."""
    for limit, label in _SIZE_CATEGORIES:
        if rows < limit:
            return label
    return "n>1M"


def front_matter(config: DatasetConfig, facts: CardFacts) -> str:
    """The YAML block the Hub reads: configs with their data files, license, language, tasks, tags."""
    meta: dict[str, object] = {"pretty_name": config.pretty_name, "license": config.license}
    if config.license_name:
        meta["license_name"] = config.license_name
    if config.license_link:
        meta["license_link"] = config.license_link
    meta["language"] = list(config.language)
    meta["task_categories"] = list(config.task_categories)
    if config.task_ids:
        meta["task_ids"] = list(config.task_ids)
    meta["size_categories"] = [size_category(max(facts.rows.values(), default=0))]
    meta["tags"] = list(config.tags)
    meta["configs"] = [
        {
            "config_name": name,
            "data_files": [{"split": SPLIT, "path": data_files_pattern(name)}],
            **({"default": True} if name == CONFIGS[0] else {}),
        }
        for name in CONFIGS
    ]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def _banner(config: DatasetConfig, facts: CardFacts) -> str:
    if facts.gate is None:
        return (
            "> **Not evaluated.** No eval report was supplied for these extractions, so their quality is unknown "
            "and the quality gate was not applied.\n\n"
        )
    if not facts.gate.passed:
        return (
            "> **Below the quality thresholds.** The extractions score below the minimums set for this dataset "
            f"({facts.gate.describe()}). They are shared with `{ALLOW_FLAG}` for inspection and comparison; "
            "do not rely on them as correct. The gold records are unaffected.\n\n"
        )
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _schema_table(columns: Sequence[Column]) -> str:
    lines = ["| column | type | description |", "| --- | --- | --- |"]
    lines += [f"| `{c.path}` | {c.type} | {_cell(c.description)} |" for c in columns]
    return "\n".join(lines) + "\n"


def _overview(facts: CardFacts) -> str:
    header = "| config | rows | " + " | ".join(RECORD_FIELDS) + " | contents |"
    lines = [header, "| --- | ---: | " + " | ".join("---:" for _ in RECORD_FIELDS) + " | --- |"]
    for name in CONFIGS:
        counts = facts.records.get(name, {})
        cells = " | ".join(str(counts[t]) if name != "articles" else "" for t in RECORD_FIELDS)
        lines.append(f"| `{name}` | {facts.rows.get(name, 0)} | {cells} | {_DESCRIPTIONS[name]} |")
    return "\n".join(lines) + "\n"


def _floor(floor: FloorScores | None, record_type: str | None) -> Rates | None:
    if floor is None:
        return None
    return floor.overall if record_type is None else floor.by_type.get(record_type)


def _fallback_table(report: ScoreReport) -> str:
    floors = [report.floors.get(name) for name in ("random_label", "most_frequent_label")]
    head = "| slice | precision | recall | F1 | lenient F1 | floor F1, random label | floor F1, most frequent label |"
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows: list[tuple[str, Rates, Rates | None, list[Rates | None]]] = [
        ("overall (micro)", report.overall.micro, report.lenient.overall.micro, [_floor(f, None) for f in floors]),
        ("overall (macro, over articles)", report.overall.macro, report.lenient.overall.macro, [None, None]),
    ]
    for name, scores in sorted(report.by_type.items()):
        rows.append((name, scores, report.lenient.by_type.get(name), [_floor(f, name) for f in floors]))
    for name, s, lenient, floor in rows:
        beside = [fmt(lenient.f1 if lenient else None), *(fmt(f.f1 if f else None) for f in floor)]
        lines.append(f"| {name} | {fmt(s.precision)} | {fmt(s.recall)} | {fmt(s.f1)} | " + " | ".join(beside) + " |")
    lines.append(f"\nGrounding rate: {fmt(report.grounding_rate)}")
    return "\n".join(lines) + "\n"


def _evaluation(facts: CardFacts) -> str:
    if facts.report is None or facts.gate is None:
        return "No eval report was supplied when this dataset was built.\n"
    status = "passed" if facts.gate.passed else "not passed"
    table = facts.eval_table if facts.eval_table is not None else _fallback_table(facts.report)
    return (
        "The extractions were scored against the gold records with strict matching: a record counts only when its "
        "key fields (party, category or kind, the parties it names) are exactly right and its evidence overlaps the "
        "gold's; lenient F1 (similarity matching) and the chance floors are given beside it. "
        "The report covers exactly the published extractions "
        f"(predictions sha256 `{facts.report.predictions_sha256}`; gold sha256 `{facts.report.gold_sha256}`).\n\n"
        f"Quality gate: **{status}** ({facts.gate.describe()}).\n\n" + table.strip() + "\n"
    )


def _provenance(facts: CardFacts) -> str:
    labels = {
        "extractor": "Extractor",
        "model": "Model",
        "model_sha256": "Model file sha256 (embedded GGUF)",
        "backend": "Backend",
        "mode": "Mode",
        "prompt_hash": "Prompt hash (sha256)",
        "schema_hash": "Schema hash (sha256)",
    }
    lines = []
    for key, label in labels.items():
        if key == "model_sha256" and not facts.provenance.get(key):
            continue  # only an embedded model has a file to hash
        values = facts.provenance.get(key) or ["unknown (no provenance recorded)"]
        lines.append(f"- {label}: " + ", ".join(f"`{v}`" for v in values))
    lines += [
        f"- Predictions file sha256: `{facts.predictions_sha256}`",
        f"- Articles that failed extraction: {facts.failures} (rows with a non-null `error`)",
        f"- Code: `{facts.code_version}`",
        f"- Built on: {facts.built_on}",
    ]
    return "\n".join(lines) + "\n"


def _citation(config: DatasetConfig, facts: CardFacts) -> str:
    key = facts.repo_id.split("/")[-1].replace("-", "_").replace(".", "_")
    return (
        "```bibtex\n"
        f"@misc{{{key},\n"
        f"  title = {{{config.pretty_name}}},\n"
        f"  author = {{{config.authors}}},\n"
        f"  year = {{{facts.built_on[:4]}}},\n"
        f"  howpublished = {{\\url{{https://huggingface.co/datasets/{facts.repo_id}}}}},\n"
        "}\n```\n"
    )


def render_card(config: DatasetConfig, facts: CardFacts) -> str:
    """The whole README.md; the same config and facts always give the same text."""
    repo = facts.repo_id
    loads = "\n".join(f'{name} = load_dataset("{repo}", "{name}", split="{SPLIT}")' for name in CONFIGS)
    code = f" ({config.homepage})" if config.homepage else ""
    license_text = config.license_details.strip() if config.license_details else f"`{config.license}`."
    sections = [
        front_matter(config, facts),
        "\n",
        _banner(config, facts),
        f"# {config.pretty_name}\n\n",
        config.summary.strip() + "\n\n",
        _overview(facts),
        "\n## Load it\n\n",
        f"```python\nfrom datasets import load_dataset\n\n{loads}\n```\n\n",
        "To load every row back into the typed records and check each quote against its article: "
        f"`allegations download {repo}`.\n",
        "\n## Schema\n\n",
        "Enums are stored as their string values, money amounts and multipliers as exact decimal strings "
        '(`"150000000"`, never a float), dates as ISO 8601 strings that may be partial (`2021`, `2021-08`). '
        "Each `evidence` item is a verbatim quote with its `[start, end)` character offsets into the article's "
        "`text`, checked against the text when the records were validated.\n\n",
        "### `articles`\n\n",
        _schema_table(config_columns("articles")),
        "\n### `gold` and `extractions`\n\n",
        _schema_table(config_columns("gold")),
        "\n### `extractions` only\n\n",
        "Provenance columns are null on a row whose line carried no provenance.\n\n",
        _schema_table([c for c in config_columns("extractions") if c not in config_columns("gold")]),
        "\n## How it was made\n\n",
        "The articles were collected as text and stored byte for byte; their sha256 is checked on every load. "
        "The gold records were labeled by hand against the annotation guidelines, never by running an extractor. "
        f"The extractions come from the `allegations` pipeline{code}:\n\n",
        _provenance(facts),
        "\n## Evaluation\n\n",
        _evaluation(facts),
        "\n## Limitations\n\n",
        "".join(f"- {item.strip()}\n" for item in config.limitations),
        "\n## Regenerate\n\n",
        "From a checkout of the `allegations` code:\n\n",
        f"```sh\nmake dataset\nallegations publish --repo-id {repo}\n```\n\n",
        f"`make dataset` extracts, evaluates and builds this folder under `build/dataset`; `publish` refuses unless "
        f"the eval report matches the extractions and meets the thresholds (or `{ALLOW_FLAG}` is given).\n",
        "\n## License\n\n",
        license_text + "\n",
        "\n## Citation\n\n",
        _citation(config, facts),
    ]
    return "".join(sections)
