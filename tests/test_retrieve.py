"""Hybrid retrieval over the five articles: typed passages whose offsets point into the files."""

from __future__ import annotations

from pathlib import Path

from index.handle import NewsIndex
from index.retrieve import rrf
from index.store import EF_SEARCH, ChunkStore, StoreConfig, forget_local_system


def test_inference_chip_question_finds_910c_first(built_index: NewsIndex) -> None:
    passages = built_index.search("Which chip runs DeepSeek R1 inference?", k=5)
    assert "910C" in passages[0].text
    assert len({p.chunk_id for p in passages}) == len(passages) == 5


def test_passages_carry_scores_and_metadata(built_index: NewsIndex) -> None:
    passage = built_index.search("SiliconFlow Azure AWS pricing", k=3)[0]
    assert passage.article_id == "deepseek-ascend-910x-siliconflow-pricing"
    assert passage.score > 0 and -1 <= passage.dense_score <= 1
    assert passage.bm25_score is not None and passage.bm25_rank == 1
    assert passage.path.endswith(".md") and passage.title


def test_every_chunk_round_trips_to_the_file(built_index: NewsIndex) -> None:
    corpus = built_index.config.corpus_dir
    manifest = built_index.manifests.load()
    stored = built_index.store().texts_and_vectors(sorted(manifest.chunk_ids()))
    assert len(stored) == manifest.chunk_count
    for entry in manifest.articles.values():
        text = Path(corpus, entry.path).read_text(encoding="utf-8")
        for cid, (start, end) in zip(entry.chunk_ids(), entry.spans, strict=True):
            assert stored[cid][0] == text[start:end]
            assert text[start:end].strip() == text[start:end] or text[start:end]


def test_chunks_fit_the_model_window(built_index: NewsIndex) -> None:
    embedder = built_index.embedder()
    manifest = built_index.manifests.load()
    texts = [t for t, _ in built_index.store().texts_and_vectors(sorted(manifest.chunk_ids())).values()]
    assert max(len(embedder.count_tokens(t)) for t in texts) <= 254


def test_keyword_only_matches_are_fused_in(built_index: NewsIndex) -> None:
    passages = built_index.search("2,048 Nvidia H800 processors", k=3)
    assert any("2,048" in p.text for p in passages)


def test_rrf_rewards_agreement() -> None:
    fused = rrf([["a", "b", "c"], ["b", "d"]])
    assert max(fused, key=fused.get) == "b"
    assert fused["a"] > fused["d"]


def test_a_store_made_with_chromas_default_search_breadth_is_widened(tmp_path: Path) -> None:
    """Chroma's default ef_search misses some true neighbours, differently per process; open() widens old stores."""
    import gc

    import chromadb
    from chromadb.config import Settings

    config = StoreConfig(tmp_path / "chroma")
    client = chromadb.PersistentClient(path=str(config.path), settings=Settings(anonymized_telemetry=False))
    client.get_or_create_collection(config.collection, embedding_function=None,
                                    configuration={"hnsw": {"space": "cosine"}})
    assert client.get_collection(config.collection).configuration["hnsw"]["ef_search"] < EF_SEARCH
    del client  # the old process is gone: its connection must not hold the database while the store widens it
    gc.collect()
    forget_local_system(config)

    store = ChunkStore(config)
    try:
        assert store._collection.configuration["hnsw"]["ef_search"] == EF_SEARCH
        assert store._collection.configuration["hnsw"]["space"] == "cosine"
    finally:
        store.close()
