"""Wire copies: near-duplicate articles (one agency story run by several outlets) found by MinHash over word shingles.

Two articles are copies of one story when the Jaccard similarity of their 5-word shingle sets is at least 0.5.
An edited word breaks the (up to) five shingles that contain it, so 0.5 still holds when about 8 % of the words
are edited (scattered; clustered edits such as a new headline, a trimmed paragraph or an added sentence cost
less), or when one copy is the other cut to half its length. Different stories about one event share quotes
and background paragraphs, but less: in the 2,088 distinct BBC articles such pairs reach 0.37 ("Blair buys
copies of new Band Aid" vs "Band Aid 20 single storms to No 1"; "Beatles suits sell for $110,000" vs "Early
Elvis recordings go on sale" share a whole auction paragraph and score 0.34), the highest pair below 0.5 is a
full rewrite of one story (0.47), and the 31 pairs at 0.5 or more (the lowest 0.56) are all versions of one
story. Clusters are connected components: two outlets that edit the same original differently may fall below
0.5 with each other while each stays above it with the original. MinHash banding finds candidate pairs without
comparing every pair; each candidate is then checked with the exact Jaccard of its shingle sets, so the threshold
is exact and no pair is merged by chance.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

import numpy as np

from index.manifest import Manifest

SHINGLE_WORDS = 5
THRESHOLD = 0.5
BANDS, ROWS = 40, 3  # a pair at Jaccard 0.5 shares a band with probability 1 - (1 - 0.5**3)**40 = 0.995
VERSION = f"minhash {SHINGLE_WORDS}-word shingles, {BANDS}x{ROWS} bands, jaccard>={THRESHOLD}"
WORD = re.compile(r"\w+")
_PRIME = np.uint64(1099511628211)  # FNV-64 prime: mixes five word hashes into one shingle hash
_RNG = np.random.default_rng(20250128)  # fixed: the same corpus always gives the same clusters
_MULTIPLY = _RNG.integers(0, 2**63, BANDS * ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd
_ADD = _RNG.integers(0, 2**63, BANDS * ROWS, dtype=np.uint64)


@dataclasses.dataclass(frozen=True)
class Sketch:
    """An article body's shingle hashes (sorted, unique) and their MinHash signature."""

    hashes: np.ndarray
    signature: np.ndarray


def shingles(text: str) -> np.ndarray:
    """Sorted hashes of the text's 5-word shingles, case and punctuation folded, so one edit changes few."""
    words = np.array([zlib.crc32(w.encode("utf-8")) for w in WORD.findall(text.casefold())], dtype=np.uint64)
    width = min(SHINGLE_WORDS, len(words))  # a text shorter than a shingle is one shingle
    count = len(words) - width + 1 if len(words) else 0
    mixed = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):
            mixed = mixed * _PRIME + words[k : k + count]
    return np.unique(mixed)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The minimum of each multiply-shift hash function over the shingles; equal minima estimate Jaccard."""
    if not len(hashes):
        return np.full(BANDS * ROWS, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (_MULTIPLY[:, None] * hashes[None, :] + _ADD[:, None]) >> np.uint64(32)
    return mixed.min(axis=1)


def sketch(text: str) -> Sketch:
    """Shingles and signature of one body, computed once per article version."""
    hashes = shingles(text)
    return Sketch(hashes, minhash(hashes))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, unique shingle-hash arrays."""
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def candidate_pairs(signatures: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """Index pairs that agree on at least one band of their signatures (the LSH step)."""
    pairs: set[tuple[int, int]] = set()
    if not len(signatures):
        return pairs
    matrix = np.stack(signatures)
    for band in range(BANDS):
        for members in same_rows(matrix[:, band * ROWS : (band + 1) * ROWS]):
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return pairs


def same_rows(rows: np.ndarray) -> list[list[int]]:
    """Groups (ascending indices) of two or more rows that are equal in every column."""
    order = np.lexsort(rows.T[::-1])  # stable: equal rows keep their ascending indices
    ordered = rows[order]
    bounds = np.flatnonzero(np.concatenate(([True], np.any(ordered[1:] != ordered[:-1], axis=1), [True])))
    return [order[start:end].tolist() for start, end in pairwise(bounds.tolist()) if end - start > 1]


def similar_pairs(sketches: Sequence[Sketch], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Index pairs whose exact shingle Jaccard reaches the threshold, with that Jaccard."""
    candidates = sorted(candidate_pairs([s.signature for s in sketches]))
    scored = ((a, b, jaccard(sketches[a].hashes, sketches[b].hashes)) for a, b in candidates)
    return [(a, b, j) for a, b, j in scored if j >= threshold]


def components(size: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components with more than one member (union-find), each sorted."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def cluster_sketches(sketches: Mapping[str, Sketch], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of keys whose bodies are copies of one story, each sorted, largest group first."""
    keys = list(sketches)
    pairs = similar_pairs([sketches[k] for k in keys], threshold)
    groups = [sorted(keys[i] for i in group) for group in components(len(keys), ((a, b) for a, b, _ in pairs))]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def find_clusters(texts: Mapping[str, str], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of keys whose texts are copies of one story (for callers holding plain texts)."""
    return cluster_sketches({key: sketch(text) for key, text in texts.items()}, threshold)


def origin_ids(clusters: Iterable[Sequence[str]]) -> dict[str, str]:
    """Each clustered key mapped to its cluster's id (its smallest key), so ids do not depend on scan order."""
    return {key: min(cluster) for cluster in clusters for key in cluster}


class SketchCache:
    """Sketches by article version, kept between runs of one process (`watch`) so only changed articles pay."""

    def __init__(self) -> None:
        self.by_version: dict[str, Sketch] = {}

    def sketches(self, manifest: Manifest, bodies: Mapping[str, str]) -> dict[str, Sketch]:
        """Every manifest article's sketch by article id; versions no longer indexed are forgotten."""
        fresh = {e.version: self.by_version.get(e.version) or sketch(bodies.get(e.article_id, ""))
                 for e in manifest.articles.values()}
        self.by_version = fresh
        return {article_id: fresh[e.version] for article_id, e in manifest.articles.items()}


CACHE = SketchCache()


def assign_origins(manifest: Manifest, bodies: Mapping[str, str], cache: SketchCache = CACHE) -> None:
    """Record on each manifest entry the wire cluster it belongs to (None when it stands alone)."""
    origin = origin_ids(cluster_sketches(cache.sketches(manifest, bodies)))
    manifest.articles = {
        article_id: dataclasses.replace(entry, origin=origin.get(article_id))
        for article_id, entry in manifest.articles.items()
    }
    manifest.wire = VERSION


def cluster_count(manifest: Manifest) -> int:
    """How many wire clusters (groups of two or more copies of one story) the manifest records."""
    return len({entry.origin for entry in manifest.articles.values() if entry.origin})
