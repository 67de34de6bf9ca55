"""What news copy itself says a name is: "Mr Blair", "Celtic manager Martin O'Neill", "London-based", "Vodafone shares".

The same cues label the names bench/entity_kind_train.py teaches the name model; at answer time they are read in the
article a candidate sentence comes from, where they settle what the name model can only guess from the letters
("Middlesbrough" looks like a surname to it; "the club Middlesbrough" does not).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

WORD = r"[A-Z][\w'’&-]*[\w]"
NAME = rf"{WORD}(?:\s+(?:(?:of|the|and|de|van|von|al|du|le|la)\s+)?{WORD}){{0,4}}"
TITLES = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)"
NOT_NAMES = frozenset(
    "The A An He She It They We I His Her Its Their This That These Those There But And Or If In On At For With By "
    "From As After Before When While However Meanwhile Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December".split())
ORG_NOUNS = ("firm|company|operator|retailer|carrier|airline|bank|broadcaster|newspaper|magazine|website|label"
             "|studio|chain|giant|maker|manufacturer|group|insurer|publisher|supermarket|brewer|conglomerate"
             "|telecoms firm|software firm|record label|news agency|club|side|band|charity")
ORG_ENDINGS = ("Ltd|plc|Inc|Corp|Corporation|Group|Bank|Party|Union|Airlines|Airways|Post|Times|Telegraph|News"
               "|Holdings|Industries|Industrial|Motors|Records|Studios|Association|Federation|Commission|Council"
               "|Agency|Institute|Foundation|Trust|FC|Rovers|Athletic|Entertainment|Communications|Telecom"
               "|Pictures|Networks|Systems|Technologies|Software|Electronics|Energy|Pharmaceuticals")
FULL_NAME = r"(?:[A-Z][a-z][\w'’-]*\s+){1,2}[A-Z][\w'’-]+"
ROLES = ("striker|midfielder|defender|goalkeeper|coach|manager|singer|actor|actress|president|minister|chancellor"
         "|secretary|leader|director|executive|chairman|spokesman|spokeswoman|presenter|player|captain|author"
         "|boss|winger|forward|keeper|skipper|prop|fly-half|scrum-half|full-back|flanker|hooker|centre|jockey"
         "|trainer|champion|designer|producer|writer|novelist|rapper|drummer|guitarist|frontman|comedian|judge"
         "|lawyer|analyst|economist|mayor|governor|senator|MP|chief|founder|owner|star")
PERSON_CUES = (
    re.compile(rf"\b({FULL_NAME}), \d\d,"),  # "Justin Gatlin, 22,"
    re.compile(rf"\b(?:{ROLES}) ({FULL_NAME}|[A-Z][a-z][\w'’-]+(?=[,.;:]|\s+[a-z]))"),  # "chief executive Lakshmi
    # Mittal", "midfielder Juninho,"
    re.compile(rf"\b\d\d-year-old ({FULL_NAME})"),
    re.compile(rf"\b({NAME}) (?:said|told|added|admitted|insisted) (?:he|she|his|her)\b"),
)
PLACE_ENDINGS = "Road|Street|Square|Avenue|Lane|Bay|Island|Islands|Valley|River|Lake|Hill|Park|Stadium|Arena|Coast"
PLACE_CUES = (
    re.compile(rf"\b({NAME})-based\b"),
    re.compile(rf"\b(?:town|city|village|capital|county|region|province|state|island|suburb|port) of ({NAME})"),
    re.compile(rf"\bin (?:northern|southern|eastern|western|central|north-east|north-west|south-east|south-west) "
               rf"({NAME})"),
    re.compile(rf"\bnear ({NAME})"),
    re.compile(rf"\bthe ({NAME}) (?:area|district)\b"),  # "a court in the Gilan area"
    re.compile(rf"\b({NAME}) (?:airport|town centre|city centre|residents|city council)\b"),
    re.compile(rf"\b(?:mayor|people|streets|residents|outskirts|centre|north|south|east|west) of ({NAME})"),
    re.compile(rf"\b({NAME} (?:{PLACE_ENDINGS}))\b"),
)
# A thing made: "established models like ChatGPT", "consoles such as the Xbox", "the Firefox browser". Not a maker:
# "Nokia phones", "the Finnish handset maker", "the Microsoft operating system", "services like Sky" are a firm's.
PRODUCT_CLASSES = ("models?|chatbots?|phones?|handsets?|smartphones?|consoles?|video games?|computer games?|devices?"
                 "|gadgets?|browsers?|processors?|chips?|drugs?|vaccines?")
PRODUCT_CUES = (
    re.compile(rf"\b(?:{PRODUCT_CLASSES}),? (?:like|such as|including) (?:the )?({NAME})"),
    # the maker's own named thing: "Huawei's latest Ascend 910C AI chips", "Sony's PlayStation 3 console"
    re.compile(rf"\b{WORD}['’]s (?:latest |new |own |forthcoming )?({NAME})(?: [A-Z\d][\w-]*)* (?:AI )?"
               rf"(?:{PRODUCT_CLASSES})\b"),
    re.compile(rf"\bthe ({NAME}) (?:chatbot|console|handset|smartphone|browser|games console|music player"
               rf"|media player)\b(?! (?:maker|makers|firm|company|giant|manufacturer)\b)"),
)
ORG_CUES = (
    re.compile(rf"\b(?:{ORG_NOUNS}) ({NAME})"),
    re.compile(rf"\bshares in ({NAME})"),
    re.compile(rf"\b({NAME}) shares\b"),
    re.compile(rf"\b({NAME} (?:{ORG_ENDINGS}))\b"),
    # the side or firm a role belongs to: "Celtic manager Martin O'Neill", "Atletico sporting director Toni Munoz"
    re.compile(rf"\b({NAME})(?:'s)? (?:sporting |technical |chief |managing |club |team )?(?:{ROLES}),? "
               rf"(?:{FULL_NAME}|[A-Z][a-z][\w'’-]+)"),
)


def clean(name: str) -> str | None:
    """The name without a possessive or a leading function word; None when nothing name-like is left."""
    name = re.sub(r"['’]s$", "", name.strip()).strip("'’-")
    words = name.split()
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    return " ".join(words) if words and words[0][0].isupper() else None


def surnames(text: str) -> set[str]:
    """The words a personal title precedes in one article ("Blair" for "Mr Blair")."""
    return set(re.findall(rf"\b{TITLES}\.? ((?:[A-Z][\w'’-]+))", text))


def people(text: str) -> list[str]:
    """Surnames after a title, and the full names ending with them in the same article."""
    titled = surnames(text)
    found = list(titled) + [m.group(1) for cue in PERSON_CUES for m in cue.finditer(text)]
    for run in re.findall(rf"\b({FULL_NAME})", text):
        words = run.split()
        if words[-1] in titled and words[0] not in NOT_NAMES and not re.match(TITLES + r"\b", words[0]):
            found.append(run)
    return found


def cued(text: str, cues: tuple[re.Pattern[str], ...]) -> list[str]:
    """The names a set of cue patterns labels in one article."""
    return [m.group(1) for cue in cues for m in cue.finditer(text)]


def votes(text: str) -> dict[str, Counter[str]]:
    """Each name one article's cues label, with how many cues call it a person, place, organisation or product."""
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    found_by = (people(text), cued(text, PLACE_CUES), cued(text, ORG_CUES), cued(text, PRODUCT_CUES))
    for kind, found in zip(KINDS, found_by, strict=True):
        for name in found:
            name = clean(name)
            if name:
                counted[name][kind] += 1
    return counted


KINDS = ("person", "place", "organisation", "product")  # what the cues call a name (votes); a product is no one
REACH = 60  # characters either side of a mention that a cue may span ("chief executive Lakshmi Mittal, 54,")


@functools.lru_cache(maxsize=256)
def article_kinds(text: str) -> tuple[dict[str, str], frozenset[str]]:
    """The kind each cued name of a text has (three quarters of its cues or more) and its titled surnames."""
    kinds = {name: kind for name, counts in votes(text).items() if (kind := agreed(counts))}
    return kinds, frozenset(surnames(text))


def agreed(counts: Counter[str]) -> str | None:
    """The kind three quarters or more of a name's cues give it; None when they disagree more than that."""
    kind, top = counts.most_common(1)[0]
    return kind if top >= 0.75 * sum(counts.values()) else None


def cued_kind(name: str, text: str) -> str | None:
    """What the article says the name is: "person", "place", "organisation", "product", or None when it gives no cue.

    A name whose last word the article puts after a title ("Mr Bush") is a person's, whatever else it is called.
    Only the text around the name's mentions is read: every cue about a name stands next to it.
    """
    name = clean(name) or ""
    if not name:
        return None
    last = name.split()[-1]
    around = [text[max(0, m.start() - len(name) - REACH) : m.end() + REACH] for m in re.finditer(re.escape(last), text)]
    kinds, titled = article_kinds(" … ".join(around))
    if name in kinds:
        return kinds[name]
    return "person" if last in titled else None
