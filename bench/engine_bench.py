"""Embedding routes side by side on 1,000 BBC chunks: throughput, query latency, load time, neighbour agreement.

Routes: sentence-transformers (torch fp32), onnxruntime fp32 (newsdesk's default) and int8. Also the
batch size sweep behind index/embedding.py's BATCH_SIZE. Median of 3 runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

import numpy as np

from bench.common import REPO, bbc_rows, save, table, timer
from index.chunking import CHUNK_TOKENS
from index.embedding import Embedder
from index.model_files import default_cache_dir, ensure_model, packaged_model_dir

N_CHUNKS = 1000
QUERIES = ["Which chip runs DeepSeek R1 inference?", "Why did the shares of the company fall?",
           "Who won the match on Saturday?", "What did the minister say about taxes?"]


def bbc_chunks(embedder: Embedder) -> list[str]:
    """About 1,000 chunks of ~250 word pieces cut from BBC articles."""
    chunks = []
    for row in bbc_rows():
        ids = embedder.tokenizer.encode(row["text"], add_special_tokens=False).ids
        for first in range(0, len(ids) - CHUNK_TOKENS, CHUNK_TOKENS):
            chunks.append(embedder.tokenizer.decode(ids[first : first + CHUNK_TOKENS]))
        if len(chunks) >= N_CHUNKS:
            return chunks[:N_CHUNKS]
    return chunks


def load_seconds(code: str) -> float:
    """Seconds to import and load a route in a fresh process (median of 3)."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


ORT_LOAD = """
import time; t = time.perf_counter()
from index.embedding import Embedder; from index.model_files import ensure_model, default_cache_dir
Embedder(ensure_model(default_cache_dir(), "{precision}")).embed_query("warm"); print(time.perf_counter() - t)
"""
ST_LOAD = """
import time, os; os.environ["HF_HUB_OFFLINE"] = "1"; t = time.perf_counter()
from sentence_transformers import SentenceTransformer
SentenceTransformer("{path}", device="cpu").encode(["warm"]); print(time.perf_counter() - t)
"""


def route_numbers(encode, query, texts: list[str]) -> tuple[float, float, np.ndarray]:
    """(chunks/s median of 3, one-query ms, vectors)."""
    rates, vectors = [], None
    for _ in range(3):
        with timer() as elapsed:
            vectors = encode(texts)
        rates.append(len(texts) / elapsed())
    times = []
    for q in QUERIES * 5:
        with timer() as elapsed:
            query(q)
        times.append(elapsed())
    return statistics.median(rates), statistics.median(times) * 1000, vectors


def agreement(reference: np.ndarray, other: np.ndarray, queries: np.ndarray, other_q: np.ndarray) -> float:
    """Share of top-5 neighbours (over the chunk set) that match the fp32 reference, across queries."""
    same = 0
    for q_ref, q_other in zip(queries, other_q, strict=True):
        top_ref = set(np.argsort(-(reference @ q_ref))[:5])
        top_other = set(np.argsort(-(other @ q_other))[:5])
        same += len(top_ref & top_other)
    return same / (5 * len(queries))


def main() -> None:
    cache = default_cache_dir()
    fp32 = Embedder(ensure_model(cache, "fp32"))
    texts = bbc_chunks(fp32)
    probe = [t[:200] for t in texts[::10]]  # 100 pseudo-queries for neighbour agreement
    results = {}
    ref_rate, ref_q, ref = route_numbers(fp32.embed, fp32.embed_query, texts)
    ref_probe = fp32.embed(probe)
    results["onnx fp32"] = (ref_rate, ref_q, load_seconds(ORT_LOAD.format(precision="fp32")), 1.0)
    int8 = Embedder(ensure_model(cache, "int8"))
    rate, q_ms, vecs = route_numbers(int8.embed, int8.embed_query, texts)
    results["onnx int8"] = (rate, q_ms, load_seconds(ORT_LOAD.format(precision="int8")),
                            agreement(ref, vecs, ref_probe, int8.embed(probe)))
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(packaged_model_dir()), device="cpu")
    encode = lambda xs: st.encode(xs, batch_size=32, normalize_embeddings=True)  # noqa: E731
    rate, q_ms, vecs = route_numbers(encode, lambda q: encode([q]), texts)
    results["sentence-transformers fp32"] = (rate, q_ms, load_seconds(ST_LOAD.format(path=packaged_model_dir())),
                                             agreement(ref, vecs, ref_probe, encode(probe)))
    print(f"\nembedding routes on {len(texts)} BBC chunks of {CHUNK_TOKENS} word pieces (median of 3)")
    print(f"  {'route':28} {'chunks/s':>9} {'query ms':>9} {'load s':>7} {'top-5 same':>10}")
    for name, (rate, q_ms, load, agree) in results.items():
        print(f"  {name:28} {rate:9.1f} {q_ms:9.1f} {load:7.2f} {agree:10.0%}")
    sweep = {}
    for batch in (8, 16, 32, 64):
        fp32.batch_size = batch
        with timer() as elapsed:
            fp32.embed(texts[:300])
        sweep[f"batch {batch}"] = f"{300 / elapsed():.1f} chunks/s"
    table("batch size sweep (onnx fp32, 300 chunks)", sweep)
    save({
        "engine_fp32_chunks_per_s": round(results["onnx fp32"][0], 2),
        "engine_int8_chunks_per_s": round(results["onnx int8"][0], 2),
        "engine_st_chunks_per_s": round(results["sentence-transformers fp32"][0], 2),
        "engine_fp32_query_ms": round(results["onnx fp32"][1], 2),
        "engine_int8_query_ms": round(results["onnx int8"][1], 2),
        "engine_st_query_ms": round(results["sentence-transformers fp32"][1], 2),
        "engine_fp32_load_s": round(results["onnx fp32"][2], 2),
        "engine_int8_load_s": round(results["onnx int8"][2], 2),
        "engine_st_load_s": round(results["sentence-transformers fp32"][2], 2),
        "engine_int8_top5_agreement": round(results["onnx int8"][3], 3),
        "engine_st_top5_agreement": round(results["sentence-transformers fp32"][3], 3),
    })


if __name__ == "__main__":
    main()
