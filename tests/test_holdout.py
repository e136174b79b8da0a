"""The hold-out sets: invented articles whose gold loads through the project's loaders, quotes verbatim at their offsets."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest
from gold_checks import evidence_in_furniture, evidence_of, raw_gold
from typer.testing import CliRunner

from allegations.cli import app
from allegations.core.corpus import load_corpus
from allegations.core.files import dumps_json
from allegations.core.records import load_gold
from allegations.schemas import RECORD_TYPES, Article, validate_extraction

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "tests" / "holdout", ROOT / "tests" / "holdout_b", ROOT / "tests" / "holdout_c"]
GOLD_FILES = sorted(path for folder in SETS for path in (folder / "gold").glob("*.json"))
MAIN_GOLD = ROOT / "datasets" / "bes_huawei" / "gold"

# Page furniture per article (GUIDELINES.md, section 1): no evidence may fall inside it.
FURNITURE = {
    "h01_wire_trade_secrets": [
        "PORTLAND, Ore. (Coastline Wire)",
        "Read more: Crew-planning startup Jetwise lands $20 million round led by Tamsin Ridge",
        "Reporting by Priya Venkataraman; Editing by Tom Ashdown",
        "Have a tip about this story, or a view on non-compete and non-solicitation clauses in tech? "
        "Email the newsdesk or leave a comment.",
    ],
    "h02_uk_construction": [
        "Construction Ledger | Contracts & Disputes",
        "The Eastgate Wing under construction last spring. Photo: Brackenford City Health Estates Agency",
        "Subscribe to the Construction Ledger daily briefing for the latest contract news",
        "Read next: Framework of £600m for school rebuilds goes out to tender",
    ],
    "h03_court_ruling": [
        "Posted in Patent Litigation, Unfair Competition",
        "This summary is provided for general information only and does not constitute legal advice.",
    ],
    "h04_regulator_fintech": [
        "By Teresa Okonjo\nPublished on September 22, 2025\nUpdated 4:12 p.m. ET",
        "ADVERTISEMENT",
        "Sign up for Money Matters, our weekly newsletter on your finances.",
        "Related: Credit card late fees: what the new rules mean for you",
    ],
    "b01_franchise_restaurant": [
        "A Bramblewood Grill restaurant on Elmcrest Avenue in Ankeny. (Photo: Joel Haverkamp / The Prairie Courier)",
        "DES MOINES - ",
        "Related: Ankeny council approves new drive-thru rules for the Prairie Trail district",
        "Sign up for the Courier Business Brief, delivered to your inbox every weekday morning.",
    ],
    "b02_music_ai_copyright": [
        "Filed under: AI, Music, Copyright",
        "*Nadia Ferreira-Holt covers music technology and AI for Signal & Noise. Before that she spent six years as a "
        "label publicist in Nashville. Send tips to nadia@signalnoise.example.*",
    ],
    "b03_rail_agency_consortium": [
        "HELSINKI / HELSINGFORS, 13 March 2026 (Nordic Infrastructure Report) –",
        "© Nordic Infrastructure Report. All rights reserved.",
    ],
    "b04_logistics_overtime": [
        "By Marcus Delacroix-Webb | Updated Feb. 18, 2026, 6:05 a.m.",
        "COLUMBUS, Ohio - ",
        "We use cookies to personalise content and ads and to analyse our traffic. By continuing to browse this site "
        "you agree to our use of cookies. Accept | Manage preferences",
    ],
    "c01_hospital_device_recall": [
        "Sign up for our newsletter",
        "Most read\n1. Allentown approves $60 million parking garage downtown\n2. Regional airline adds three routes from "
        "Lehigh Valley airport\n3. Five things to know about the new state budget",
    ],
    "c02_merger_fiduciary": [
        "Pellvane Therapeutics Inc. (PLVN) 30.12 \u22120.41 (\u22121.34%)",
        "By Helen Abara-Stowe | November 3, 2025",
    ],
    "c03_city_waste_contractor": [
        "VIDEO: City Attorney Lorraine Beaumont-Diaz announces the lawsuit outside City Hall on Tuesday.",
        "Copyright 2025 KPCX. All rights reserved.",
    ],
    "c04_writer_defamation_brief": [
        "LONDON, Nov 20 (Meridian Wire) - ",
        "(Reporting by Simone Achterberg; Editing by Raj Menon)",
    ],
}


@pytest.fixture(scope="module")
def holdout() -> dict[str, Article]:
    """Every article of every hold-out set, by id."""
    articles = [a for folder in SETS for a in load_corpus(folder)]
    assert len({a.id for a in articles}) == len(articles), "article ids must be unique across the sets"
    return {a.id: a for a in articles}


def _party_names(gold: Path) -> set[str]:
    return {
        name
        for path in gold.glob("*.json")
        for party in raw_gold(path)["parties"]
        for name in [party["name"], *party["aliases"]]
        if len(name) > 3
    }


def test_there_is_one_gold_file_per_article_and_every_kind_is_labeled(holdout: dict[str, Article]) -> None:
    assert sorted(p.stem for p in GOLD_FILES) == sorted(holdout) == sorted(FURNITURE)
    for path in GOLD_FILES:
        raw = raw_gold(path)
        assert all(raw[kind] for kind in RECORD_TYPES), path.stem


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_the_gold_loads_through_the_project_loaders(folder: Path) -> None:
    articles = {a.id: a for a in load_corpus(folder)}
    loaded = load_gold(folder / "gold", articles)
    assert [str(p) for p in loaded.problems] == []
    assert sorted(loaded.extractions) == sorted(articles)
    assert loaded.failures == {}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_quote_is_verbatim_at_its_offsets(path: Path, holdout: dict[str, Article]) -> None:
    raw = raw_gold(path)
    assert raw["article_id"] == path.stem and "provenance" not in raw
    text = holdout[raw["article_id"]].text
    for where, ev in evidence_of(raw):
        assert 0 <= ev["start"] < ev["end"] <= len(text), where
        assert text[ev["start"] : ev["end"]] == ev["quote"], where
        assert ev["alignment"] == "exact", where


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_no_evidence_falls_in_page_furniture(path: Path, holdout: dict[str, Article]) -> None:
    raw = raw_gold(path)
    text = holdout[raw["article_id"]].text
    assert evidence_in_furniture(raw, text, FURNITURE[raw["article_id"]]) == []


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_is_stored_as_its_validated_records(path: Path, holdout: dict[str, Article]) -> None:
    raw = raw_gold(path)
    extraction = validate_extraction(raw, holdout[raw["article_id"]])
    assert path.read_text(encoding="utf-8") == dumps_json(extraction.model_dump(mode="json", exclude={"provenance"}))
    roles = {p.role for p in extraction.parties}
    assert {"plaintiff", "defendant"} <= roles


def test_no_party_of_the_main_corpus_appears_in_the_holdout(holdout: dict[str, Article]) -> None:
    """The hold-out is invented: none of the main corpus's party names may occur in its articles."""
    names = _party_names(MAIN_GOLD)
    assert names
    for article in holdout.values():
        assert [n for n in names if n.casefold() in article.text.casefold()] == [], article.id


def test_the_holdout_sets_share_no_party() -> None:
    """Each set is invented on its own: no party name or alias of one set occurs in another set's articles."""
    for labeled, other in permutations(SETS, 2):
        names = _party_names(labeled / "gold")
        for article in load_corpus(other):
            assert [n for n in names if n.casefold() in article.text.casefold()] == [], (labeled.name, article.id)


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_the_holdout_validates_from_the_command_line(folder: Path) -> None:
    result = runner.invoke(app, ["validate", str(folder / "gold"), "--corpus", str(folder)])
    assert result.exit_code == 0, result.output
    assert "ok: 4 extractions, 0 failures" in result.output
