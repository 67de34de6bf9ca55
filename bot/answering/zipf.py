"""How common an English word is, on wordfreq's Zipf scale (7 = "the", 3 = rare, 0 = unseen).

A plain word (ASCII letters) is looked up in wordfreq's own English list, read straight from its data file:
importing wordfreq (langcodes, ftfy, its tokenizer) costs ~0.2 s of every cold `newsdesk ask`, and for such a
word its tokenizer only lower-cases. Anything else (digits, accents, apostrophes) goes to wordfreq itself.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import math
import re
from pathlib import Path

PLAIN = re.compile(r"[A-Za-z]+")
WORDLIST = "large_en.msgpack.gz"  # what wordfreq's "best" English list is


@functools.lru_cache(maxsize=1)
def _centibels() -> dict[str, int] | None:
    """Each listed word's frequency in centibels below 1 (wordfreq's cBpack format); None when not found."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0], "data", WORDLIST) if locations else None
    if path is None or not path.is_file():
        return None
    with gzip.open(path, "rb") as stream:
        pack = msgpack.load(stream, raw=False)
    header = pack[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return {word: index for index, bucket in enumerate(pack[1:]) for word in bucket}


def zipf(word: str) -> float:
    """wordfreq's zipf_frequency(word, "en"), to the same two decimals."""
    table = _centibels()
    if table is None or not PLAIN.fullmatch(word):
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    index = table.get(word.lower())
    if index is None:
        return 0.0
    frequency = 10 ** (-index / 100)
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)  # wordfreq keeps 3 significant digits
    return round(math.log(frequency, 10) + 9, 2)
