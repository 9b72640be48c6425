"""FAISS (exact, HNSW and IVF) and BM25 on synthetic corpora of 10k to 1M chunks.

Vectors: the real ones (corpus chunks and sentences, and freshly embedded synthetic chunks),
then levels of perturbed copies of them (see synthetic.copies_of_copies); one level of copies
is kept as a stress case. Queries: the gold questions' vectors, then perturbed copies.
Each size runs its phases one after another and frees each index before the next, so that
the 1M run stays within a few GB. Approximate indexes are searched on one FAISS thread (a
single query gains nothing from more, and on a busy 2-core machine loses a lot); exact search
is timed both ways.
"""

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import bm25s
import faiss
import numpy as np
from numpy.typing import NDArray

from bench.synthetic import (
    NOISE_SIGMA,
    TREE_DECAY,
    TREE_FACTOR,
    TREE_SIGMA,
    SyntheticCorpus,
    copies_of_copies,
    perturbed,
    query_vectors,
    sample_texts,
    synthetic_corpus,
    token_ids,
)
from bench.timing import self_peak_rss_mb, summary
from index.ann import choose_index, hnsw_choice
from index.store import StoredIndex
from index.tokenize import tokenize

EF_SWEEP = (16, 32, 64, 128, 256, 512, 1024)
NPROBE_SWEEP = (1, 2, 4, 8, 16, 32, 64, 128)
IVF_TRAIN_PER_LIST = 40  # faiss wants at least 39 training points per list
POOL = 100  # the dense pool that index/hybrid.py asks FAISS for
RECALL_TARGET = 0.95
STRESS_SIZE = 100_000  # the one-level data set: HNSW needs very large efSearch on it already here


@contextmanager
def faiss_threads(n: int) -> Iterator[None]:
    """FAISS's OpenMP thread count set to n inside the block."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def single_query_ms(index: faiss.Index, queries: NDArray[np.float32], k: int) -> list[float]:
    """Milliseconds per search of one query at a time, as the service searches."""
    index.search(queries[:1], k)
    out = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(q.reshape(1, -1), k)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def recall(truth: NDArray[np.int64], found: NDArray[np.int64]) -> float:
    """Mean share of the exact top-k that the approximate top-k holds."""
    k = truth.shape[1]
    return float(np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found, strict=True)]))


def flat_phase(
    xb: NDArray[np.float32], xq: NDArray[np.float32], n_latency: int
) -> tuple[dict[str, Any], NDArray[np.int64]]:
    """Exact search: build time, bytes, single-query latency (default and 1 thread), exact top-100."""
    t0 = time.perf_counter()
    flat = faiss.IndexFlatIP(xb.shape[1])
    flat.add(xb)
    build_s = time.perf_counter() - t0
    scores, truth = flat.search(xq, POOL)
    few = xq[:n_latency]
    latency = {"k10": summary(single_query_ms(flat, few, 10))}
    with faiss_threads(1):
        latency["k10_1thread"] = summary(single_query_ms(flat, few, 10))
        latency["k100_1thread"] = summary(single_query_ms(flat, few, POOL))
    shape = {"top1_cos": float(scores[:, 0].mean()), "top10_cos": float(scores[:, 9].mean())}
    return {"build_s": build_s, "bytes": flat.ntotal * flat.d * 4, "latency": latency, "neighbours": shape}, truth


def hnsw_phase(xb: NDArray[np.float32], xq: NDArray[np.float32], truth: NDArray[np.int64]) -> dict[str, Any]:
    """HNSW with choose_index's parameters: build time, bytes, and an efSearch sweep of recall and latency."""
    choice = hnsw_choice(xb.shape[1])
    index: Any = choice.new_index()
    t0 = time.perf_counter()
    index.add(xb)
    build_s = time.perf_counter() - t0
    with faiss_threads(1):
        sweep = [_point(index, xq, truth, "ef", ef) for ef in EF_SWEEP]
        index.hnsw.efSearch = choice.ef_search
        _, found = index.search(xq, POOL)
        pool = {"recall@100": recall(truth, found), "latency": summary(single_query_ms(index, xq, POOL))}
    return {
        "m": choice.m,
        "ef_construction": choice.ef_construction,
        "ef_search": choice.ef_search,
        "build_s": build_s,
        "bytes": hnsw_bytes(index),
        "sweep": sweep,
        "pool_k100": pool,
        "tuned": _smallest_meeting_target(sweep, "ef"),
    }


def ivf_phase(xb: NDArray[np.float32], xq: NDArray[np.float32], truth: NDArray[np.int64], seed: int) -> dict[str, Any]:
    """IVF-Flat with about sqrt(n) lists, trained on a sample: build time, bytes, an nprobe sweep."""
    n, dim = xb.shape
    nlist = ivf_lists(n)
    quantizer = faiss.IndexFlatIP(dim)
    index: Any = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = xb[np.random.default_rng(seed).choice(n, min(n, IVF_TRAIN_PER_LIST * nlist), replace=False)]
    t0 = time.perf_counter()
    index.train(sample)
    index.add(xb)
    build_s = time.perf_counter() - t0
    with faiss_threads(1):
        sweep = [_point(index, xq, truth, "nprobe", p) for p in NPROBE_SWEEP if p <= nlist]
    return {
        "nlist": nlist,
        "build_s": build_s,
        "bytes": n * (dim * 4 + 8) + nlist * dim * 4,
        "imbalance": float(index.invlists.imbalance_factor()),
        "sweep": sweep,
        "tuned": _smallest_meeting_target(sweep, "nprobe"),
    }


def ivf_lists(n: int) -> int:
    """A power of two near sqrt(n), at least 16."""
    return max(16, 1 << round(math.log2(math.sqrt(n))))


def _point(index: Any, xq: NDArray[np.float32], truth: NDArray[np.int64], knob: str, value: int) -> dict[str, Any]:
    """Recall@10 and single-query latency with the search knob (efSearch or nprobe) set to value."""
    if knob == "ef":
        index.hnsw.efSearch = value
    else:
        index.nprobe = value
    _, found = index.search(xq, 10)
    return {knob: value, "recall@10": recall(truth[:, :10], found), "latency": summary(single_query_ms(index, xq, 10))}


def _smallest_meeting_target(sweep: list[dict[str, Any]], knob: str) -> dict[str, Any] | None:
    return next(({"knob": knob, **p} for p in sweep if p["recall@10"] >= RECALL_TARGET), None)


def hnsw_bytes(index: Any) -> int:
    """Bytes of the stored vectors plus the graph (neighbour lists, offsets, levels)."""
    graph = index.hnsw
    return int(
        index.ntotal * index.d * 4 + graph.neighbors.size() * 4 + graph.offsets.size() * 8 + graph.levels.size() * 4
    )


def bm25_phase(corpus: SyntheticCorpus, questions: Sequence[str]) -> dict[str, Any]:
    """bm25s index time on pre-tokenized chunks, bytes, and query latency (scores, then top 100)."""
    chunks, vocab = token_ids(corpus)
    tokens = sum(len(c) for c in chunks)
    bm25 = bm25s.BM25()
    t0 = time.perf_counter()
    bm25.index((chunks, vocab), show_progress=False)
    index_s = time.perf_counter() - t0
    del chunks
    nbytes = sum(int(bm25.scores[k].nbytes) for k in ("data", "indices", "indptr"))
    return {
        "docs": len(corpus),
        "tokens_per_doc": tokens / len(corpus),
        "index_s": index_s,
        "docs_per_s": len(corpus) / index_s,
        "bytes": nbytes,
        **_bm25_latency(bm25, questions),
    }


def _bm25_latency(bm25: bm25s.BM25, questions: Sequence[str]) -> dict[str, Any]:
    """Per question: scores of all chunks; then the top 100 by full argsort (as hybrid.py) or argpartition."""
    scores_ms, argsort_ms, partition_ms = [], [], []
    for q in questions:
        known = [t for t in tokenize(q) if t in bm25.vocab_dict]
        t0 = time.perf_counter()
        scores = bm25.get_scores(known) if known else np.zeros(bm25.scores["num_docs"], dtype=np.float32)
        t1 = time.perf_counter()
        np.argsort(-scores, kind="stable")[:POOL]
        t2 = time.perf_counter()
        top = np.argpartition(-scores, POOL)[:POOL] if len(scores) > POOL else np.arange(len(scores))
        top[np.argsort(-scores[top], kind="stable")]
        t3 = time.perf_counter()
        scores_ms.append((t1 - t0) * 1000)
        argsort_ms.append((t2 - t1) * 1000)
        partition_ms.append((t3 - t2) * 1000)
    return {
        "scores": summary(scores_ms),
        "top100_argsort": summary(argsort_ms),
        "top100_argpartition": summary(partition_ms),
    }


def tokenize_rate(corpus: SyntheticCorpus, n: int) -> dict[str, float]:
    """Chunks per second through our tokenizer (jieba / stemmer), on synthetic chunk texts."""
    texts = sample_texts(corpus, n)
    tokenize(texts[0])
    t0 = time.perf_counter()
    for text in texts:
        tokenize(text)
    return {"chunks": len(texts), "chunks_per_s": len(texts) / (time.perf_counter() - t0)}


def one_size(
    index: StoredIndex,
    n: int,
    bases: NDArray[np.float32],
    xq: NDArray[np.float32],
    questions: Sequence[str],
    bm25_max: int,
    seed: int,
) -> dict[str, Any]:
    """Every phase at one corpus size."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    xb = copies_of_copies(bases, n, rng)
    flat, truth = flat_phase(xb, xq, n_latency=min(len(xq), max(50, 20_000_000 // n)))
    hnsw = hnsw_phase(xb, xq, truth)
    ivf = ivf_phase(xb, xq, truth, seed)
    del xb
    bm25 = bm25_phase(synthetic_corpus(index, n, rng), questions) if n <= bm25_max else None
    choice = choose_index(n, bases.shape[1])
    return {
        "n": n,
        "choice": choice.kind,
        "flat": flat,
        "hnsw": hnsw,
        "ivf": ivf,
        "bm25": bm25,
        "seconds": time.perf_counter() - t0,
        "peak_rss_mb": self_peak_rss_mb(),
    }


def one_level_stress(n: int, bases: NDArray[np.float32], xq: NDArray[np.float32]) -> dict[str, Any]:
    """HNSW and IVF sweeps on one level of perturbed copies (every vector n/len(bases) near-identical copies)."""
    xb = perturbed(bases, n, np.random.default_rng(n + 1))
    exact = faiss.IndexFlatIP(xb.shape[1])
    exact.add(xb)
    scores, truth = exact.search(xq, POOL)
    del exact
    return {
        "n": n,
        "neighbours": {"top1_cos": float(scores[:, 0].mean()), "top10_cos": float(scores[:, 9].mean())},
        "hnsw": hnsw_phase(xb, xq, truth),
        "ivf": ivf_phase(xb, xq, truth, n),
    }


def scale_report(
    index: StoredIndex,
    sizes: Sequence[int],
    bases: NDArray[np.float32],
    question_vectors: NDArray[np.float32],
    questions: Sequence[str],
    bm25_max: int,
    n_queries: int = 200,
) -> dict[str, Any]:
    """All sizes, smallest first, with the inputs described."""
    rng = np.random.default_rng(0)
    xq = query_vectors(question_vectors, n_queries, rng)
    corpus = synthetic_corpus(index, 2000, rng)
    return {
        "bases": len(bases),
        "queries": len(xq),
        "query_sigma": NOISE_SIGMA,
        "tree_sigma": TREE_SIGMA,
        "tree_decay": TREE_DECAY,
        "tree_factor": TREE_FACTOR,
        "bm25_max": bm25_max,
        "tokenize": tokenize_rate(corpus, 2000),
        "sizes": [one_size(index, n, bases, xq, questions, bm25_max, seed=n) for n in sizes],
        "one_level": one_level_stress(min(STRESS_SIZE, max(sizes)), bases, xq),
    }
