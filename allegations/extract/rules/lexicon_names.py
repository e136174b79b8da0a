"""Vocabulary of names: legal suffixes, company and government nouns, courts, outlets, titles, months."""

from __future__ import annotations

# --- Parties.
LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "inc.",
        "incorporated",
        "corp",
        "corp.",
        "corporation",
        "co",
        "co.",
        "company",
        "ltd",
        "ltd.",
        "limited",
        "llc",
        "l.l.c.",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "s.a.",
        "nv",
        "n.v.",
        "bv",
        "pte",
        "pty",
        "srl",
        "spa",
        "sarl",
        "kk",
        "s.p.a.",
        "s.r.l.",
        "b.v.",
        "a.g.",
        "oy",
        "oyj",
        "asa",
    ]
)
# Suffixes that are also English words in lower case ("as", "ab"): suffixes only as printed in capitals.
CAPITAL_SUFFIXES = frozenset({"AS", "AB", "A/S", "SE", "KG"})
# Dotted suffixes the tokenizer would otherwise split ("S.p.A." into "S.p", ".", "A.").
DOTTED_SUFFIXES = ("S.p.A.", "S.r.l.", "B.V.", "N.V.", "S.A.", "A.G.", "L.L.C.")
# Suffixes often written in lower case ("Acme Holdings plc"): they still end the name.
LOWER_CASE_SUFFIXES = frozenset({"plc", "ltd", "ltd.", "llc", "llp", "gmbh"})
# Words that continue a company's name without making it another company ("Acme Technologies" is "Acme").
CORPORATE_WORDS = frozenset(
    [
        "technologies",
        "technology",
        "systems",
        "solutions",
        "group",
        "holdings",
        "international",
        "industries",
        "electronics",
        "labs",
        "networks",
        "software",
        "telecom",
        "telecommunications",
        "communications",
        "enterprises",
        "partners",
        "ventures",
        "services",
        "global",
        "worldwide",
        "usa",
    ]
)
NAME_CONNECTORS = frozenset({"of", "and", "&", "for", "de", "-"})
COMPANY_NOUNS = frozenset(
    [
        "company",
        "firm",
        "grocer",
        "retailer",
        "bank",
        "lender",
        "insurer",
        "airline",
        "automaker",
        "carmaker",
        "chipmaker",
        "drugmaker",
        "publisher",
        "studio",
        "utility",
        "distributor",
        "wholesaler",
        "builder",
        "miner",
        "producer",
        "giant",
        "maker",
        "contractor",
        "subcontractor",
        "consultancy",
        "consultant",
        "provider",
        "supplier",
        "vendor",
        "manufacturer",
        "developer",
        "startup",
        "start-up",
        "business",
        "corporation",
        "enterprise",
        "major",
        "player",
        "outfit",
        "group",
        "conglomerate",
        "carrier",
        "operator",
        "integrator",
        "regulator",
        "watchdog",
        "consortium",
        "label",
        "franchisor",
        "chain",
        "agency",
    ]
)
# Words that place a name on the map ("eastern Ruritania", "downtown Springfield"): the name is a place.
PLACE_ADJECTIVES = frozenset(
    ["northern", "southern", "eastern", "western", "central", "downtown", "rural", "suburban", "coastal", "greater"]
)
GOVERNMENT_HEADS = frozenset(
    [
        "authority",
        "authorities",
        "agency",
        "ministry",
        "department",
        "commission",
        "office",
        "bureau",
        "council",
        "administration",
        "directorate",
        "government",
        "police",
        "center",
        "centre",
        "board",
        "regulator",
        "secretariat",
    ]
)
COURT_HEADS = frozenset({"court", "courts", "tribunal"})
OUTLET_HEADS = frozenset(
    [
        "journal",
        "times",
        "post",
        "news",
        "herald",
        "tribune",
        "gazette",
        "daily",
        "media",
        "press",
        "review",
        "register",
        "reuters",
        "wire",
        "magazine",
        "weekly",
        "chronicle",
        "telegraph",
        "guardian",
        "observer",
    ]
)
PERSON_TITLES = frozenset(
    ["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen.", "sens.", "rep.", "gov.", "judge", "justice"]
)
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
