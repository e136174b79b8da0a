"""General legal and news vocabulary the rules match on: no name or phrase from any particular article."""

from __future__ import annotations

from allegations.schemas import AllegationCategory, ReliefKind

# --- Page furniture: phrases that mark a line as navigation, prompts, notices or bylines.
FURNITURE_PREFIXES = (
    "read also",
    "read more",
    "also read",
    "related:",
    "related stories",
    "related articles",
    "see also",
    "recommended",
    "featured content",
    "written by",
    "published on",
    "published:",
    "updated on",
    "updated:",
    "image caption",
    "image source",
    "photo:",
    "copyright",
    "all rights reserved",
    "share on",
    "advertisement",
    "subscribe",
    "sign up",
    "reading time",
    "follow us",
    "reporting by",
    "additional reporting",
    "editing by",
    "edited by",
    "posted in",
    "filed under",
    "tags:",
    "read next",
    "have a tip",
    "got a tip",
    "this summary is",
    "disclaimer",
)
FURNITURE_PHRASES = (
    "in the comments",
    "comments below",
    "comment below",
    "your thoughts",
    "your views",
    "what do you think",
    "let us know",
    "browser",
    "cookies",
    "newsletter",
    "click here",
    "all rights reserved",
    "newsdesk",
    "not constitute legal advice",
    "for general information only",
    "photo:",
    "photograph:",
    "image credit",
    "getty images",
    "file photo",
)
# A heading of these, alone or joined by "and", "&" or commas ("Notes and sources"), starts the reference list.
REFERENCE_HEADINGS = frozenset({"references", "notes", "sources", "footnotes", "further reading", "bibliography"})

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
    ]
)
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
    ]
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

# --- Claims: hedges, denials and arbitration.
HEDGED_MODALS = frozenset({"could", "might", "may"})
DENIAL_CUES = (
    "deny|denies|denied|denying|rejects|rejected|refutes|refuted|disputes|disputed ~1 allegations|allegation|"
    "claims|claim|accusations|accusation|charges|wrongdoing|wrongdoings|them|it|this|these|any|that|the",
    "denial|denials",
    "no evidence",
    "without merit",
    "baseless",
)
ARBITRATION = frozenset({"arbitration", "arbitral"})

# --- Cue patterns. A pattern is words separated by spaces; "a|b" is any of them, a leading "?" makes a word
# optional, "~" skips up to three words, "~1" up to one. Matched on lower-cased tokens.
ATTRIBUTION_CUES = (
    "allege|alleges|alleged|alleging|allegedly|allegation|allegations",
    "claim|claims|claimed|claiming",
    "accuse|accuses|accused|accusing|blamed|blames|blaming",
    "contend|contends|contended|assert|asserts|asserted",
    "according to ~1 complaint|lawsuit|suit|filing|filings|petition|documents",
    "according to ~1 legal|court filing|filings|documents|papers",
    "say|says|said|state|states|stated|argue|argues|argued|cite|cites|cited ~ lawsuit|complaint|suit|filing",
    "in ~1 lawsuit|complaint|suit|filing|petition",
    "lawsuit|complaint|suit|filing|petition|claim say|says|said|states|stated|alleges|claims|cites|accuses|argues",
    "argue|argues|argued|arguing|contends|contended",
    "maintain|maintains|maintained that",
    "is|are|was|were said to",
    "sue|sues|sued|suing ~ for",
    "lawsuit|suit|complaint against ~ for",
)
CATEGORY_CUES: dict[AllegationCategory, dict[str, tuple[str, ...]]] = {
    AllegationCategory.trade_secret_misappropriation: {
        "take": (
            "steal|steals|stole|stolen|stealing|theft|robbed|pilfered|purloined",
            "misappropriate|misappropriates|misappropriated|misappropriating|misappropriation",
            "copied|cloned|replicated ~5 code|files|software|designs|documents|data|plans|drawings|source",
            "trade secret|secrets",
        ),
        "retain": ("refused|refuses|refusing|failed|declined to return|give",),
        "use": (
            "used|using|uses|misused|misusing|exploited|exploiting ~5 technology|software|designs|secrets|code|"
            "information|expertise|knowledge",
        ),
        "weak": ("intellectual property", "proprietary", "confidential information"),
    },
    AllegationCategory.unauthorized_access_or_espionage: {
        "access": (
            "backdoor|backdoors|espionage|exfiltration|exfiltrate|exfiltrated|eavesdrop|eavesdropping|wiretap",
            "back ?- door|doors",
            "spy|spying|spied|spies",
            "hack|hacked|hacking",
            "unauthorized|unauthorised|covert|covertly|illicit|secret|direct|gain|gains|gained|give|gives|"
            "giving|allow|allows|allowing ~ access",
            "collect|collecting|collected|extract|extracting|harvest|harvesting ~ data|information|records",
            "collect|collected|collecting|copied|copying|harvested|harvesting|accessed|tracked|tracking|recorded ~6 "
            "without ~2 permission|consent|authorization|authorisation|knowledge",
        ),
    },
    AllegationCategory.coercion: {
        "force": (
            "pressure|pressured|pressuring|pressures|force|forced|forcing|coerce|coerced|coercing|coercion",
            "threaten|threatens|threatened|threatening|threats|blackmail|blackmailed|intimidate|intimidated",
            "manipulate|manipulated|manipulating|compel|compelled",
            "required|requiring|demanded|demanding|insisted|insisting|pushed|pushing ~1 it|them|him|her|us ~1 to",
            "demanded|demanding|insisted|insisting on|that",
        ),
    },
    AllegationCategory.non_payment: {
        "pay": (
            "never|not|refused|refuses|refusing|failed|fails|declined|denied|stopped ~1 ?to ~1 pay|paid|paying",
            "withhold|withheld|withholding|withholds ~ payment|payments|fees|money|funds",
            "unpaid|nonpayment",
            "non - payment",
            "obligation|obligations to pay",
        ),
    },
    AllegationCategory.breach_of_contract: {
        "breach": (
            "breach|breached|breaching|breaches|reneged",
            "violate|violated|violating|violates ~ agreement|agreements|contract|contracts|terms",
            "fail|failed|failing|fails ~ contract|agreement|obligations|duties",
            "dispute|disputed|disputing|contest|contested|contesting ~ obligations|duties",
            "broke|broken|breaking|breaks ~ promise|promises|pledge|commitment|covenant|agreement|contract",
            "unlawful|unlawfully|wrongful|wrongfully|invalid|improper|improperly ~1 termination|terminated|ended",
            "termination|terminations was|were|is unlawful|wrongful|invalid|improper",
        ),
    },
    AllegationCategory.misrepresentation: {
        "deceive": (
            "falsely|misrepresent|misrepresented|misrepresenting|misrepresentation|misled|mislead|misleading",
            "duped|deceived|deceive|deceiving|deception|lied|fraudulently|tricked",
            "fraud|fraudulent|defraud|defrauded|defrauding",
        ),
    },
    AllegationCategory.unfair_competition: {
        "compete": (
            "without ~1 involving|including|consulting",
            "cut ~ out",
            "unfair competition",
            "poach|poached|poaching|bypass|bypassed|bypassing",
            "steered|steering|steer|diverted|diverting|divert|redirected|redirecting ~ accounts|customers|clients|"
            "business|orders|sales|contracts",
        ),
    },
    AllegationCategory.other: {
        "other": (
            "defamed|defaming|defamation|libel|libelled|slander|slandered",
            "retaliated|retaliating|retaliation|discriminated|discrimination|harassed|harassment",
            "infringed|infringing|infringement|infringes",
            "concealed|concealing|conceal|hid",
            "covered up",
            "negligence|negligent|negligently",
            "price - fixing",
            "antitrust|monopoly|monopolized|monopolised|monopolize|anticompetitive|cartel|collusion|colluded",
            "anti - competitive",
            "bid - rigging",
            "without ~1 a|the|any ~1 license|licence|licenses|licences|permit",
            "unlicensed|usurious|overcharged|overcharging",
            "evade|evaded|evading|evades|circumvent|circumvented|circumventing ~ cap|law|laws|rules|limits|tax|taxes",
        ),
        "weak": ("illegally|unlawfully|illegal",),
    },
}

# Legal phrases that look like a cue but name no wrong done: "threatened misappropriation" is a legal standard.
FALSE_CUES = (
    "threatened|threat|alleged misappropriation|disclosure|infringement|harm|injury|loss|breach",
    "pressure|force -",
)

# --- Contract terms.
AGREEMENT_CUES = (
    "subcontract|subcontracted|subcontracts|subcontracting|hired|hires|engaged|engages|retained",
    "partner|partnered with",
    "partnership|agreement|contract|deal between",
    "entered|signed|signs|inked ~ agreement|contract|deal|memorandum|subcontract",
    "signed|signs|inked ~1 with",
    "began|started working with",
    "worked|work|working together",
    "as ~1 contractor|subcontractor|partner|supplier|vendor",
    "joint|single bid",
    "non ?- disclosure agreement",
    "acquisition of",
    "won|winning|awarded ~ contract|tender",
    "successful bid",
    "agreed|agrees ~ to",
    "distribution|supply|services|service|licensing|license|purchase|sales|lease|loan|consulting|development|"
    "program|programme|framework|employment|partnership|reseller|franchise agreement|contract|deal",
)
DURATION_CUES = ("for|over one|two|three|four|five|six|seven|eight|nine|ten|several years|months",)
DELIVERY_CUES = (
    "delivered|supplied|installed|provided|provide|developed|built|shared ~ for|to|by",
    "developed|delivered|supplied|built software|systems|equipment|services",
    "answered|presented|made ~1 presentation",
    "requested ~ from",
    "completed|finished ~3 installation|work|works|construction|project|delivery|order|contract",
)
VALUE_CUES = frozenset({"bid", "contract", "deal", "worth", "valued", "price", "agreement", "tender", "offer"})
PAYMENT_CUES = (
    "payment|payments owed|due",
    "owed|owes|owing to",
    "it|they owes|owed|owe",
    "obligation|obligations to pay",
    "obliged|obligated|required|requires|require|agreed|agrees ~3 to pay",
    "payable",
    "pay|paid ~ within",
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
    "ask|asks|asking|asked ~1 court",
    "want|wants|wanted|urge|urges|urged|urging ~1 court|judge|tribunal",
    "seek|seeks|seeking|sought",
    "pray|prays|prayed for",
    "request|requests|requested|requesting",
    "ask|asks|asking|asked for",
)
RELIEF_CUES: dict[ReliefKind, tuple[str, ...]] = {
    ReliefKind.punitive_or_exemplary_damages: (
        "punitive|exemplary",
        "treble|enhanced|double|triple damages",
        "civil ?monetary penalty|penalties",
        "statutory penalty|penalties",
    ),
    ReliefKind.unjust_enrichment: ("unjust|unjustly enrichment|enriched", "disgorgement"),
    ReliefKind.injunction: ("injunction|injunctive|enjoining|enjoin|barring", "restraining order"),
    ReliefKind.reasonable_royalty: ("royalty|royalties",),
    ReliefKind.specific_performance_or_return: (
        "specific performance",
        "return|returning ~1 all|the|its|their",
        "restitution|refunds|reimbursement",
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
    ReliefKind.other: ("interest", "pre ?- judgment|judgement interest"),
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
