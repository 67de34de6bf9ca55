"""Is a name a person's, a place's or an organisation's? A small model of the name's own letters and words.

"Who is going to direct the film?" is not answered by "Touching From A Distance", nor "which newspaper" by
"Oliver Finegold": a word list of people, places and firms can never be complete, but their names look different
("Bay", "Road", "Morning Post", "Industrial", a first name). A multinomial logistic regression over hashed
character n-grams and words of the name alone, trained by bench/entity_kind_train.py on names that news copy
itself labels ("Mr Smith", "London-based", "Vodafone shares", "the town of Ely"), weights in
bot/models/entity_kind.npz. It runs in microseconds with numpy; no context, so no cue it was trained on leaks in.
"""

from __future__ import annotations

import functools
import re
import zlib
from pathlib import Path

import numpy as np

KINDS = ("person", "place", "organisation")
WEIGHTS = Path(__file__).resolve().parents[1] / "models" / "entity_kind.npz"
DIMENSIONS = 1 << 18  # hashed feature space (collisions are rare among the few thousand n-grams a corpus has)
NGRAMS = (2, 3, 4, 5)


def features(name: str) -> list[int]:
    """The hashed features of a name: its words, character n-grams of each word, its word count and shape."""
    words = re.findall(r"[\w'’&.-]+", name)
    found = [f"n{min(len(words), 4)}", f"last:{words[-1].lower() if words else ''}"]
    for position, word in enumerate(words):
        lowered = word.lower()
        found += [f"w:{lowered}", f"shape:{shape(word)}"]
        found += [f"p{min(position, 2)}:{lowered}"]
        padded = f"<{lowered}>"
        found += [f"c:{padded[i : i + n]}" for n in NGRAMS for i in range(len(padded) - n + 1)]
    return [zlib.crc32(f.encode()) % DIMENSIONS for f in found]


def shape(word: str) -> str:
    """A word's letter pattern ("Xx", "X", "x", "X-Xx", "9"), which sets acronyms and hyphenated names apart."""
    squeezed = re.sub(r"[A-Z]+", "X", re.sub(r"[a-z]+", "x", re.sub(r"\d+", "9", word)))
    return squeezed[:6]


@functools.lru_cache(maxsize=1)
def model() -> tuple[np.ndarray, np.ndarray] | None:
    """(weights [DIMENSIONS, kinds], bias [kinds]) from the packaged file; None when it is missing."""
    if not WEIGHTS.exists():
        return None
    with np.load(WEIGHTS) as data:
        return data["weights"].astype(np.float32), data["bias"].astype(np.float32)


@functools.lru_cache(maxsize=4096)
def probabilities(name: str) -> dict[str, float] | None:
    """P(person), P(place), P(organisation) for a name; None without the packaged model."""
    loaded = model()
    if loaded is None:
        return None
    weights, bias = loaded
    rows = features(name)
    z = weights[rows].sum(axis=0) + bias
    z = np.exp(z - z.max())
    return dict(zip(KINDS, (z / z.sum()).tolist(), strict=True))


def likeliest(name: str) -> str | None:
    """The kind of thing a name most probably names; None without the model."""
    found = probabilities(name)
    return max(found, key=found.__getitem__) if found else None
