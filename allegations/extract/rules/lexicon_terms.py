"""Vocabulary of agreements, remedies and money: general legal and news language, no article's phrases.

Cue patterns follow the pattern language of `patterns.py` (see `lexicon.py`).
"""

from __future__ import annotations

from allegations.schemas import ReliefKind

# --- Contract terms.
AGREEMENT_CUES = (
    "subcontract|subcontracted|subcontracts|subcontracting|hired|hires|engaged|engages|retained",
    "partner|partnered with",
    "partnership|agreement|contract|deal between",
    "entered|signed|signs|inked ~ agreement|contract|deal|memorandum|subcontract",
    "signed|signs|inked ~1 with",
    "contract|agreement|deal|subcontract|lease ?, ?was signed|concluded in|on",
    "began|started working with",
    "worked|work|working together",
    "as ~1 contractor|subcontractor|partner|supplier|vendor",
    "joint|single bid",
    "non ?- disclosure agreement",
    "acquisition of",
    "won|winning|awarded ~ contract|tender",
    "gave|give|gives|granted|grant|grants ~2 contract|concession|franchise",
    "successful bid",
    "agreed|agrees ~ to",
    "licensed|licenses|leased|leases|franchised|sublicensed ~3 to",
    "distribution|supply|services|service|licensing|license|purchase|sales|lease|loan|consulting|development|"
    "program|programme|framework|employment|partnership|reseller|franchise agreement|contract|deal",
)
DURATION_CUES = (
    "for|over one|two|three|four|five|six|seven|eight|nine|ten|several years|months",
    # "a five-year supply agreement": one word may name the kind of agreement
    "one|two|three|four|five|six|seven|eight|nine|ten|1|2|3|4|5|6|7|8|9|10 - year|month ~1 agreement|contract|deal|"
    "lease|term|subcontract",
    "expired|expires|expire|lapsed|lapses|ran|runs|run|lasted|lasts until|through|on",
    "lasted|lasts|ran|runs|run ~1 one|two|three|four|five|six|seven|eight|nine|ten|several years|months",
    "lasted|lasts|ran|runs|run|for|over ~1 #num years|months|weeks|days",
    "#num - year|month|week ~1 agreement|contract|deal|lease|term|licence|license|franchise",
    "be|been|being completed|finished|delivered|handed|built by|within",
    "deadline of|for|was|is",
)
DELIVERY_CUES = (
    "delivered|supplied|installed|provided|provide|developed|built|shared ~ for|to|by",
    "developed|delivered|supplied|built software|systems|equipment|services",
    "answered|presented|made ~1 presentation",
    "requested ~ from",
    "completed|finished the|its|their|all ~3 installation|work|works|construction|project|delivery|order|contract",
)
VALUE_CUES = frozenset(
    {"bid", "contract", "deal", "worth", "valued", "price", "agreement", "tender", "offer", "fee", "rent", "premium"}
)
PAYMENT_CUES = (
    "payment|payments owed|due",
    "owed|owes|owing to",
    "it|they owes|owed|owe",
    "obligation|obligations to pay",
    "obliged|obligated|required|requires|require|agreed|agrees ~3 to pay",
    "payable",
    "pay|paid ~ within",
    "must|shall|will|would pay",
    "per|each|every|a day|week|month|quarter|year of delay",
    "invoice|invoices ~ within",
    "as retention",
    "retainage",
)
CONFIDENTIALITY_CUES = (
    "non ?- disclosure",
    "confidential|confidentiality",
    "disclosure|disclose|disclosing",
    "assigned|assign|assigns ~ patent|patents|rights",
    "intellectual property rights",
)
# A clause that bars a party from something: confidentiality, unless it bars competing or soliciting.
BAR_CUES = ("prevented|prevents|prohibited|prohibits|barred|bars|forbade|forbids ~3 from",)
TERMINATION_CUES = (
    "terminated|terminate|terminates|termination ~ agreement|contract|deal|subcontract|lease|licence|license|"
    "partnership|arrangement|it",
    "ended|ends|end|cancelled|canceled|cancels|cancel|revoked|revokes|revoke the|its|their ~1 agreement|contract|"
    "deal|subcontract|lease|licence|license|franchise|franchises|partnership",
    "allows|allowed|allow|entitles|entitled|permits|permitted|lets ~3 terminate|end|cancel|withdraw",
    "notice of termination",
    "days|weeks|months ’|' ?written notice",
)
EXCLUSIVITY_CUES = (
    "exclusive|exclusively|exclusivity",
    "non ?- compete",
    "noncompete",
    "from ~3 competing|rival|competitor|competitors",
)
OTHER_TERM_CUES = (
    "obligation|obligations to",
    "contractual obligations",
    "non ?- solicitation|solicit",
    "nonsolicitation",
    "performance|bid|bank|security bond|guarantee|deposit",
    # a dispute clause, not a filing: "an arbitration clause", "disputes are settled by arbitration"
    "arbitration|mediation|arbitral|jurisdiction clause|clauses|provision|provisions",
    "disputes|dispute ~5 by|to|through|in arbitration|mediation",
    "governing law",
    "from ~2 soliciting|recruiting|poaching|hiring",
)
# "the agency", "the bank": a noun that stands for the one party whose name holds it.
REFERENCE_NOUNS = frozenset(
    {
        "agency",
        "ministry",
        "authority",
        "council",
        "department",
        "office",
        "board",
        "commission",
        "bureau",
        "regulator",
        "bank",
        "university",
        "hospital",
        "fund",
        "trust",
        "city",
        "county",
        "municipality",
    }
)

# --- Relief: what is asked of the court.
RELIEF_TRIGGERS = (
    "ask|asks|asking|asked ~1 court|judge|tribunal|jury|arbitrator|panel",
    "want|wants|wanted|urge|urges|urged|urging ~1 court|judge|tribunal",
    "seek|seeks|seeking|sought",
    "pray|prays|prayed for",
    "request|requests|requested|requesting",
    "ask|asks|asking|asked for",
    "want|wants|wanted|demands|demanded|demanding ~1 an|a|damages|compensation|restitution",
)
RELIEF_CUES: dict[ReliefKind, tuple[str, ...]] = {
    ReliefKind.punitive_or_exemplary_damages: (
        "punitive|exemplary",
        "treble|enhanced|double|triple damages",
        "civil ?monetary penalty|penalties",
        "statutory penalty|penalties",
    ),
    ReliefKind.unjust_enrichment: (
        "unjust|unjustly enrichment|enriched",
        "disgorgement|disgorge",
        "’s|'s|its|their ?wrongful|illicit gains|profits",  # "Globex's profits from the copying"
        "account|accounting of ~1 profits",
    ),
    ReliefKind.injunction: ("injunction|injunctive|enjoining|enjoin|barring", "restraining order"),
    ReliefKind.reasonable_royalty: ("royalty|royalties",),
    ReliefKind.specific_performance_or_return: (
        "specific performance",
        "return|returning ~1 all|the|its|their",
        "restitution|refunds|reimbursement",
        "repay|repays|repaying|refund|refunds|reimburse|reimbursing",
        "hand|hands|give|gives back",
    ),
    ReliefKind.destruction_of_copies: ("destroy|destroying|destruction",),
    ReliefKind.fees_and_costs: ("attorneys|attorney|legal ?'|’ fees", "costs"),
    ReliefKind.declaratory: ("declaration|declaratory",),
    ReliefKind.compensatory_damages: (
        "damages",
        "actual ~1 losses|loss",
        "lost profits|wages",
        "back pay",
        "compensatory|compensation",
        "unpaid|outstanding invoices|fees|sums|balance|wages",
    ),
    ReliefKind.other: ("interest", "pre ?- judgment|judgement interest", "rescission|rescind|annulment"),
}
MULTIPLIERS = {"twice": 2, "double": 2, "treble": 3, "triple": 3, "thrice": 3}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}

# --- Money.
CURRENCY_SYMBOLS = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "c$": "CAD",
    "a$": "AUD",
    "hk$": "HKD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "inr": "INR",
    # The guidelines read a bare "Rs" as Pakistani rupees.
    "rs": "PKR",
    "rs.": "PKR",
    "pkr": "PKR",
}
CURRENCY_WORDS = {
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
    "rupees": "PKR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
}
SCALE_WORDS = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
}
