"""Uncertainty notes derived from the quoted evidence: hedges, single sources, shared origins, conflicts, dates."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering.sentences import terms

HEDGE = re.compile(
    r"\b(reportedly|rumou?r(?:s|ed)?|tipster|allegedly|alleged|claim(?:s|ed)?|cannot be verified|"
    r"could not be verified|unverified|unconfirmed|no conclusive evidence|it[’']s suggested|it is suggested|"
    r"(?:is|are|was|were) said to|according to|reputedly|speculat\w*|sources? (?:say|said|claim)\w*|"
    r"(?:it )?seems|appears? to|may have|might have)\b",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w@])@(\w{2,30})")
# A claim whose source is a social-media post: "In a new post on X from Alexander Doria, we're finding out that …"
PLATFORM = r"(?:X|Twitter|Weibo|Facebook|Instagram|Threads|Bluesky|LinkedIn|social\s+media)"
POSTED = re.compile(
    rf"\b(?:(?:post|tweet|thread)s?\s+on\s+{PLATFORM}|posted\s+on\s+{PLATFORM}|{PLATFORM}\s+(?:post|thread)s?"
    r"|tweet(?:s|ed)?)\b",
    re.IGNORECASE,
)
# The line under an embedded post: "— Alexander Doria (@Dorialexander) January 28, 2025"
BYLINE = re.compile(r"[—–-]\s*[^\n()@]{1,60}\(@(\w{1,30})\)")
NAME = r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})"
NAMED_SOURCE = re.compile(
    r"\b(?:tipster|influencer|analyst|leaker|insider|blogger|according to|reported by|(?:post|tweet|thread)"
    r"(?: on \w+)? (?:from|by))\s+(?:(?:tech|the|a|an)\s+)*(?:influencer\s+|tipster\s+|analyst\s+)?" + NAME
)
MONEY = re.compile(
    r"(?P<cur>[$£€])\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>thousand|million|billion|trillion|bn|m|k)?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>thousand|million|billion|trillion)?\s*"
    r"(?P<cur2>dollars|yuan|euros|pounds|crores?)\b",
    re.IGNORECASE,
)
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
CURRENCIES = {"$": "USD", "dollars": "USD", "£": "GBP", "pounds": "GBP", "€": "EUR", "euros": "EUR",
              "yuan": "CNY", "crore": "INR", "crores": "INR"}
MEASURES = frozenset(terms("cost costs price pricing spend spent budget revenue valuation funding raise raised "
                           "training invest investment expenditure profit sales fee bill loss expensive cheap "
                           "money paid pay worth"))
MONEY_QUESTION = frozenset(terms("much expensive cheap money paid pay worth dollars"))
# "910C" vs "910x": a model number with a one-letter suffix (not a unit or ordinal such as 100s, 50m, 64k)
MODEL_NAME = re.compile(r"\b([A-Z]{0,3}\d{2,5})([A-Z]|[ac-fij-lnoq-rt-z])\b")


@dataclass(frozen=True)
class Note:
    """One uncertainty note and the citation numbers it is about."""

    kind: str
    text: str
    citations: tuple[int, ...]

    def to_json(self) -> dict[str, object]:
        """The contract's note object."""
        return {"kind": self.kind, "text": self.text, "citations": list(self.citations)}


@dataclass(frozen=True)
class Evidence:
    """What the note rules need to know about one citation."""

    n: int
    article_id: str
    title: str
    published: str | None
    quote: str
    context: str  # the quote's paragraph and its neighbours, where attributions live
    origin: str | None = None  # the article's wire cluster (index/wire.py): copies of one story share it

    @property
    def source(self) -> str:
        """What counts as one independent source: the wire cluster, else the article."""
        return self.origin or self.article_id


def refs(numbers: Sequence[int]) -> str:
    """'[1]', '[1] and [3]', '[1], [2] and [4]'."""
    labels = [f"[{n}]" for n in sorted(numbers)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def unverified(evidence: Sequence[Evidence]) -> Note | None:
    """Quotes that are hedged or attributed rather than confirmed, or that are someone's social-media post."""
    hits = {e.n: word for e in evidence if (word := hedge(e))}
    if not hits:
        return None
    words = ", ".join(f"“{w}”" for w in dict.fromkeys(hits.values()))
    return Note("unverified", f"{refs(list(hits))} {'is' if len(hits) == 1 else 'are'} hedged or attributed "
                f"rather than confirmed ({words}).", tuple(sorted(hits)))


def hedge(e: Evidence) -> str | None:
    """The words that make one quote unconfirmed: a hedge, a post it is attributed to, or the post's own byline."""
    if match := HEDGE.search(e.quote):
        return match.group(0).lower()
    if match := POSTED.search(e.quote):
        return match.group(0)  # "post on X": the platform keeps its capital
    handle = byline_after(e.context, e.quote)
    return f"a post by @{handle}" if handle else None


def byline_after(context: str, quote: str) -> str | None:
    """The handle of the "— Name (@handle) date" line right under the quote: the quote is an embedded post."""
    at = context.find(quote)
    if at < 0:
        return None
    following = [line.strip() for line in context[at + len(quote) :].split("\n")[1:] if line.strip()]
    match = BYLINE.match(following[0]) if following else None
    return match.group(1) if match else None


def single_source(evidence: Sequence[Evidence]) -> Note | None:
    """The whole answer rests on one article."""
    articles = {e.article_id for e in evidence}
    if len(articles) != 1:
        return None
    return Note("single_source", f"Only one article supports this answer (“{evidence[0].title}”); "
                "no other outlet in the corpus confirms it.", tuple(e.n for e in evidence))


def origins(context: str) -> set[str]:
    """Names and handles a passage attributes its claims to (lower-cased keys)."""
    found = {f"@{h.lower()}" for h in HANDLE.findall(context)}
    found |= {" ".join(name.split()).lower() for name in NAMED_SOURCE.findall(context)}
    return found


def same_origin(a: str, b: str) -> bool:
    """A handle and a name match when the name's words, run together, nearly spell the handle."""
    if a == b:
        return True
    handle, name = (a, b) if a.startswith("@") else (b, a)
    if not handle.startswith("@") or name.startswith("@"):
        return False
    words = name.split()
    squashed = ["".join(words), "".join(reversed(words))]
    return any(difflib.SequenceMatcher(None, handle[1:], s).ratio() >= 0.88 for s in squashed)


def wire_copies(evidence: Sequence[Evidence]) -> list[Note]:
    """One note per story that several cited articles run as near-identical copies (one origin, not several)."""
    notes: list[Note] = []
    for source in dict.fromkeys(e.source for e in evidence if e.origin):
        cited = [e for e in evidence if e.source == source]
        articles = len({e.article_id for e in cited})
        if articles > 1:
            notes.append(Note("shared_origin", f"{refs([e.n for e in cited])} are copies of one story: {articles} "
                              "articles run nearly the same text, so they count as one source, not as independent "
                              "confirmation.", tuple(sorted(e.n for e in cited))))
    return notes


def shared_origin(evidence: Sequence[Evidence]) -> Note | None:
    """Several independent articles (wire copies count as one) that all trace a claim back to one person or outlet."""
    per_article: dict[str, set[str]] = {}
    for e in evidence:
        per_article.setdefault(e.source, set()).update(origins(e.context))
    best: tuple[set[str], set[str]] = (set(), set())
    for key in {k for keys in per_article.values() for k in keys}:
        articles = {a for a, keys in per_article.items() if any(same_origin(key, k) for k in keys)}
        names = {k for a in articles for k in per_article[a] if same_origin(key, k)}
        if len(articles) > len(best[0]):
            best = (articles, names)
    if len(best[0]) < 2:
        return None
    cited = tuple(sorted(e.n for e in evidence if e.source in best[0]))
    articles = len({e.article_id for e in evidence if e.source in best[0]})
    label = " / ".join(sorted(display_origin(k) for k in best[1]))
    return Note("shared_origin", f"{refs(cited)} come from {articles} articles that all trace back to the "
                f"same source ({label}), so they are not independent confirmation.", cited)


def display_origin(key: str) -> str:
    """A readable form of an origin key."""
    return key if key.startswith("@") else key.title()


@dataclass(frozen=True)
class Amount:
    """A money amount found in a quote, with the words around it."""

    value: float
    currency: str
    label: str
    context: frozenset[str]


def amounts(quote: str) -> list[Amount]:
    """Money amounts in a quote, normalised, each labelled with the nearest measure word (cost, price…)."""
    found = []
    for match in MONEY.finditer(quote):
        number = match.group("num") or match.group("num2")
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        currency = CURRENCIES[(match.group("cur") or match.group("cur2")).lower()]
        value = float(number.replace(",", "")) * SCALES.get(scale, 1.0)
        measure = nearest_measure(quote, match.start(), match.end())
        if measure:
            found.append(Amount(value, currency, match.group(0).strip(), frozenset({measure})))
    return found


def nearest_measure(quote: str, start: int, end: int) -> str | None:
    """The measure word (cost, price, funding…) closest to an amount, within six words either side."""
    before = terms(" ".join(quote[:start].split()[-6:]))
    after = terms(" ".join(quote[end:].split()[:6]))
    ranked = [(i, t) for i, t in enumerate(reversed(before)) if t in MEASURES]
    ranked += [(i, t) for i, t in enumerate(after) if t in MEASURES]
    return min(ranked)[1] if ranked else None


def amount_conflicts(evidence: Sequence[Evidence],
                     focus: frozenset[str] | None = None) -> list[tuple[Evidence, Amount, Evidence, Amount]]:
    """Pairs of quotes from different articles giving different amounts for the same measure.

    With a focus (the question's terms), only when the question is about money at all: a cost dispute
    is noise in an answer about what Huawei's chips mean for the industry.
    """
    if focus is not None and not focus & (MEASURES | MONEY_QUESTION):
        return []
    found = []
    items = [(e, a) for e in evidence for a in amounts(e.quote)]
    for i, (e1, a1) in enumerate(items):
        for e2, a2 in items[i + 1 :]:
            same_thing = a1.context & a2.context
            differs = abs(a1.value - a2.value) > 0.02 * max(a1.value, a2.value)
            if e1.article_id != e2.article_id and a1.currency == a2.currency and differs and same_thing:
                found.append((e1, a1, e2, a2))
    return found


def name_variants(evidence: Sequence[Evidence],
                  focus: frozenset[str] | None = None) -> list[tuple[Evidence, str, Evidence, str]]:
    """Model names that share a number but not a suffix across articles (e.g. 910C vs 910x).

    With a focus (the question's terms), only names the question is about count: the name itself, or a
    word next to it, is a question term. A chip-name mismatch is noise in an answer about costs.
    """
    found = []
    items = [(e, m.group(1), m.group(0)) for e in evidence for m in MODEL_NAME.finditer(e.quote)
             if about(e.quote, m, focus)]
    for i, (e1, stem1, name1) in enumerate(items):
        for e2, stem2, name2 in items[i + 1 :]:
            if e1.article_id != e2.article_id and stem1 == stem2 and name1.lower() != name2.lower():
                found.append((e1, name1, e2, name2))
    return found


def about(quote: str, match: re.Match[str], focus: frozenset[str] | None) -> bool:
    """True when the matched name, or one of the three words either side of it, is a focus term."""
    if focus is None:
        return True
    near = [*quote[: match.start()].split()[-3:], match.group(0), *quote[match.end() :].split()[:3]]
    return bool(focus & set(terms(" ".join(near))))


def conflict(evidence: Sequence[Evidence], focus: frozenset[str] | None = None, names: bool = True) -> Note | None:
    """Cited articles that disagree on an amount, or on a name when the question asks for one; both sides cited."""
    sides: dict[str, dict[str, set[int]]] = {}
    for e1, a1, e2, a2 in amount_conflicts(evidence, focus):
        group = sides.setdefault(next(iter(a1.context & a2.context)), {})
        group.setdefault(a1.label, set()).add(e1.n)
        group.setdefault(a2.label, set()).add(e2.n)
    for e1, n1, e2, n2 in name_variants(evidence, focus) if names else []:
        group = sides.setdefault(f"name {n1[:-1]}", {})
        group.setdefault(f"“{n1}”", set()).add(e1.n)
        group.setdefault(f"“{n2}”", set()).add(e2.n)
    if not sides:
        return None
    parts = [" vs ".join(f"{label} {refs(sorted(ns))}" for label, ns in group.items()) for group in sides.values()]
    cited = sorted({n for group in sides.values() for ns in group.values() for n in ns})
    return Note("conflict", "The sources disagree: " + "; ".join(parts) + ". Both sides are quoted; "
                "the articles do not settle which is right.", tuple(cited))


def dated(evidence: Sequence[Evidence]) -> Note | None:
    """The evidence is as old as its newest dated article."""
    dates = {e.n: e.published for e in evidence if e.published}
    if not dates:
        return None
    newest = max(dates.values())
    undated = len({e.article_id for e in evidence if not e.published})
    extra = f" ({undated} cited article{'s carry' if undated > 1 else ' carries'} no date)" if undated else ""
    return Note("dated", f"As of {newest}, the newest dated article cited{extra}; "
                "the articles may be outdated.", tuple(sorted(dates)))


def derive_notes(evidence: Sequence[Evidence], focus: frozenset[str] | None = None,
                 holds_answer: Callable[[str], bool] | None = None, names: bool = True) -> list[Note]:
    """Every note the evidence calls for, in a fixed order; focus is the question's terms.

    Two articles' model names for one thing (910C, 910x) disagree only for a question asking which model (names).

    With a short answer (holds_answer: does a quote repeat it), "single source" asks how many articles' quotes hold
    that answer, not how many are quoted.
    """
    backing = [e for e in evidence if holds_answer and holds_answer(e.quote)] or list(evidence)
    found = [unverified(evidence), single_source(backing), *wire_copies(evidence), shared_origin(evidence),
             conflict(evidence, focus, names), dated(evidence)]
    return [note for note in found if note is not None]
