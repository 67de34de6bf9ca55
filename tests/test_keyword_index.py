"""The keyword index a re-index builds from cached terms is the one bm25s builds from scratch, term by term."""

from __future__ import annotations

import bm25s
import Stemmer

from index.bm25 import Bm25Index, TermCache, TermScores

TEXTS = [
    "Huawei's Ascend 910C chips run DeepSeek's inference, a tweet claimed.",
    "DeepSeek trained its model on Nvidia H800 GPUs for about $6 million.",
    "The training run cost $5 million, the company said; the chips were Nvidia's.",
    "Chelsea beat Liverpool 3-2 in the Carling Cup final after extra time.",
    "And then there were none of them at all.",  # stop words only: a document with no terms
]


def from_scratch(texts: list[str]) -> TermScores:
    """bm25s's own tokenizer and index over the texts, as the keyword index was built before the cache."""
    retriever = bm25s.BM25()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)
    retriever.index(tokens, show_progress=False)
    return TermScores.of(retriever)


def columns(scores: TermScores) -> dict[str, tuple[list[int], list[float]]]:
    """Each term's (chunk positions, scores): what a query reads, whatever number the term was given."""
    out = {}
    for term, column in scores.vocab.items():
        if column + 1 < len(scores.indptr):
            start, end = scores.indptr[column], scores.indptr[column + 1]
            out[term] = (scores.indices[start:end].tolist(), scores.data[start:end].tolist())
    return out


def built(ids: list[str], texts: list[str], cache: TermCache) -> TermScores:
    """The index Bm25Index.build makes with this cache."""
    scores = Bm25Index.build(ids, texts, cache).term_scores
    assert scores is not None
    return scores


def test_a_first_build_equals_bm25s_own() -> None:
    ids = [f"c{i}" for i in range(len(TEXTS))]
    ours = built(ids, TEXTS, TermCache())
    assert columns(ours) == columns(from_scratch(TEXTS))
    assert set(ours.vocab) == set(from_scratch(TEXTS).vocab)


def test_a_build_after_changes_equals_a_build_from_scratch() -> None:
    """One chunk edited (a new id), one removed, one added: cached terms give the scratch index exactly."""
    cache = TermCache()
    built([f"c{i}" for i in range(len(TEXTS))], TEXTS, cache)
    texts = [TEXTS[0] + " Huawei has not confirmed it.", *TEXTS[2:], "Mittal Steel employs 60,000 in Kazakhstan."]
    ids = ["c0-edited", "c2", "c3", "c4", "c5"]
    ours = built(ids, texts, cache)
    assert columns(ours) == columns(from_scratch(texts))
    assert sorted(cache.by_chunk) == sorted(zip(ids, map(hash, texts), strict=True))
    assert "h800" not in cache.vocab and sorted(cache.vocab.values()) == list(range(len(cache.vocab)))


def test_a_reused_chunk_id_with_other_text_is_tokenized_again() -> None:
    """The cache is keyed by the text too, so an id that comes back with new words never keeps its old terms."""
    cache = TermCache()
    built(["a", "b"], TEXTS[:2], cache)
    texts = [TEXTS[3], TEXTS[1]]
    assert columns(built(["a", "b"], texts, cache)) == columns(from_scratch(texts))
    assert built(["a", "b"], texts, cache).documents == 2
