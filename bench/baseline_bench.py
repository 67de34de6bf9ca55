"""The pipeline a user would write from the LlamaIndex tutorial, measured beside newsdesk in the same run.

VectorStoreIndex over ChromaVectorStore, the same model through HuggingFaceEmbedding (sentence-transformers
on torch, LlamaIndex's default batch of 10), SentenceSplitter defaults, as_retriever(similarity_top_k=5).
The tutorial has no incremental path: re-indexing means building again, which re-embeds everything.
Run: `.venv/bin/python -m bench.baseline_bench [--limit N]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.common import SQUAD, bbc_rows, percentiles, save, table, timer
from bench.query_bench import questions
from index.model_files import packaged_model_dir


def tutorial_index(documents: list[Any], folder: Path) -> tuple[Any, float]:
    """Build the tutorial index into a fresh Chroma folder; return it and the seconds taken."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Settings, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    Settings.llm = None
    Settings.embed_model = HuggingFaceEmbedding(model_name=str(packaged_model_dir()), device="cpu")
    shutil.rmtree(folder, ignore_errors=True)
    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("tutorial", embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    with timer() as elapsed:
        index = VectorStoreIndex.from_documents(documents, storage_context=storage)
    return index, elapsed()


def bbc_documents(limit: int | None) -> list[Any]:
    """BBC articles as LlamaIndex Documents, the text newsdesk indexes."""
    from llama_index.core import Document

    return [Document(text=f"{r['title']}\n\n{r['text']}\n", id_=r["id"]) for r in bbc_rows(limit)]


def squad_hit5(folder: Path, limit: int = 1000) -> float:
    """Gold-paragraph hit@5 of the tutorial retriever on the first SQuAD questions (answerable ones)."""
    from llama_index.core import Document

    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    docs = []
    for article in data:
        for i, paragraph in enumerate(article["paragraphs"]):
            pid = f"{article['title']}-{i}"
            docs.append(Document(text=paragraph["context"], id_=pid))
    answerable_in_first = first_questions(data, limit)
    index, _ = tutorial_index(docs, folder)
    retriever = index.as_retriever(similarity_top_k=5)
    hits = sum(pid in {n.node.ref_doc_id for n in retriever.retrieve(q)} for q, pid in answerable_in_first)
    return hits / len(answerable_in_first)


def first_questions(data: list[dict], limit: int) -> list[tuple[str, str]]:
    """(question, paragraph id) of the answerable questions among the first `limit` questions."""
    out, seen = [], 0
    for article in data:
        for i, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                seen += 1
                if seen > limit:
                    return out
                if not qa.get("is_impossible"):
                    out.append((qa["question"], f"{article['title']}-{i}"))
    return out


def run(root: Path, limit: int | None) -> dict[str, Any]:
    """Build on BBC, rebuild (the tutorial's re-index), time retrieval, score SQuAD hit@5."""
    documents = bbc_documents(limit)
    index, build_s = tutorial_index(documents, root / "bbc")
    chunks = len(index.vector_store._collection.get(include=[])["ids"])
    index, rebuild_s = tutorial_index(documents, root / "bbc-again")
    retriever = index.as_retriever(similarity_top_k=5)
    qs = questions()
    for q in qs[:20]:
        retriever.retrieve(q)
    samples = []
    for q in qs:
        with timer() as elapsed:
            retriever.retrieve(q)
        samples.append(elapsed())
    return {"articles": len(documents), "chunks": chunks, "build_s": round(build_s, 1),
            "chunks_per_s": round(chunks / build_s, 2), "unchanged_reindex_s": round(rebuild_s, 1),
            "retrieve_ms": percentiles(samples), "squad_hit5": round(squad_hit5(root / "squad"), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N BBC articles")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="newsdesk-baseline-"))
    try:
        numbers = run(root, args.limit)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table("LlamaIndex tutorial pipeline (baseline)", numbers)
    if args.limit is None:
        save({"baseline_index_chunks_per_s_bbc": numbers["chunks_per_s"], "baseline_build_s_bbc": numbers["build_s"],
              "baseline_chunks_bbc": numbers["chunks"],
              "baseline_unchanged_reindex_s_bbc": numbers["unchanged_reindex_s"],
              "baseline_retrieve_p50_ms_bbc": numbers["retrieve_ms"]["p50"],
              "baseline_hit5_squad": numbers["squad_hit5"]})


if __name__ == "__main__":
    main()
