"""General legal and news vocabulary the rules match on: no name or phrase from any particular article."""

from __future__ import annotations

from allegations.schemas import AllegationCategory

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
    "constitute legal advice",
    "not legal advice",
    "informational purposes only",
    "photo:",
    "photograph:",
    "image credit",
    "getty images",
    "file photo",
)
# A heading of these, alone or joined by "and", "&" or commas ("Notes and sources"), starts the reference list.
REFERENCE_HEADINGS = frozenset({"references", "notes", "sources", "footnotes", "further reading", "bibliography"})

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
            "underpaid|underpaying|underpays|shorted|shortchanged|short-changed ~ workers|staff|employees|wages|pay|"
            "overtime|fees|royalties|invoices|suppliers",
            "deducts|deducted|deducting|docked|docks|docking ~ pay|wages|salary|break|breaks|hours|fees",
        ),
    },
    AllegationCategory.breach_of_contract: {
        "breach": (
            "breach|breached|breaching|breaches|reneged",
            "violate|violated|violating|violates ~ agreement|agreements|contract|contracts|terms",
            "fail|failed|failing|fails ~ contract|agreement|obligations|duties",
            "dispute|disputed|disputing|contest|contested|contesting ~ obligations|duties",
            "broke|broken|breaking|breaks ~ promise|promises|pledge|commitment|covenant|agreement|contract",
            "unlawful|unlawfully|wrongful|wrongfully|wrongly|invalid|improper|improperly ~1 termination|terminated|"
            "ended|cancelled|canceled",
            "termination|terminations was|were|is unlawful|wrongful|invalid|improper",
            "missed|miss|misses|missing|blew|overran ~ deadline|deadlines|date|dates|milestone|milestones",
            "failed|fails|failing ~1 to ~1 deliver|complete|finish|perform|provide|supply",
        ),
    },
    AllegationCategory.misrepresentation: {
        "deceive": (
            "falsely|misrepresent|misrepresented|misrepresenting|misrepresentation|misled|mislead|misleading",
            "duped|deceived|deceive|deceiving|deception|lied|fraudulently|tricked",
            "fraud|fraudulent|defraud|defrauded|defrauding",
            # an active verb on a possessed or definite object: "overstated its capacity", not "is overstated by"
            "overstated|overstating|overstates|inflated|inflating|inflates|understated|understating|misstated|"
            "misstating|falsified|falsifying|doctored its|their|the|his|her",
            # a statement the article calls false: "that statement was false", "figures they knew were untrue"
            "statement|statements|claim|claims|assurance|assurances|representation|representations|figures|numbers "
            "was|were|is|are ?also false|untrue|inaccurate",
            "knew|know|knows ~2 false|untrue|inaccurate",
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
    # Each act of `other` is its own claim: defaming and infringing are two wrongs, not one.
    AllegationCategory.other: {
        "defame": ("defamed|defaming|defamation|libel|libelled|slander|slandered",),
        "retaliate": ("retaliated|retaliating|retaliation|discriminated|discrimination|harassed|harassment",),
        "infringe": ("infringed|infringing|infringement|infringes",),
        "conceal": ("concealed|concealing|conceal|hid", "covered up"),
        "negligence": ("negligence|negligent|negligently",),
        "antitrust": (
            "price - fixing",
            "antitrust|monopoly|monopolized|monopolised|monopolize|anticompetitive|cartel|collusion|colluded|"
            "colluding|collude",
            "fix|fixed|fixing ~2 prices|rates|fares|wages",
            "rig|rigged|rigging ~2 bids|bidding|tenders",
            "split|divide|divided|dividing|allocate|allocated|allocating ~2 customers|markets|territories",
            "anti - competitive",
            "bid - rigging",
        ),
        "unlicensed": (
            "without|no ~2 license|licence|licenses|licences|permit|permits",
            "unlicensed|unlicenced",
        ),
        # Using something after the leave to use it ended: yields to any named wrong in the clause.
        "use": ("licence|license|lease ?had|has ended|expired|lapsed",),
        "overcharge": ("usurious|overcharged|overcharging",),
        "evade": (
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
