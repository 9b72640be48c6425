"""Run the chosen parts of the benchmark in one process and collect their results."""

import datetime
import json
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench.embedding import embedding_report
from bench.latency import latency_report
from bench.profile import profile_report
from bench.scale import scale_report
from bench.server import Server, cold_starts, running, server_env
from bench.synthetic import mean_chars, sample_texts, synthetic_corpus
from bench.throughput import interleaved
from bench.timing import load_average, machine, self_peak_rss_mb
from bench.workspace import ROOT, Workspace, open_workspace

PARTS = ("latency", "throughput", "profile", "embedding", "scale")
PROFILE_QUESTIONS = 50
# Server environments tried besides the default: OpenMP's thread count and its idle spinning.
VARIANTS: dict[str, dict[str, str]] = {
    "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
    "OMP_WAIT_POLICY=passive": {"OMP_WAIT_POLICY": "passive"},
}


@dataclass(frozen=True)
class Options:
    """What to measure and how much."""

    out: Path
    sizes: list[int]
    parts: frozenset[str] = frozenset(PARTS)
    rounds: int = 3
    requests: int = 160
    levels: list[int] = field(default_factory=lambda: [1, 4, 16])
    cold_starts: int = 3
    embed_texts: int = 96
    st: bool = True
    bm25_max: int = 1_000_000


def started() -> dict[str, Any]:
    """The time and the machine's load average now, at the start of a part."""
    return {"at": datetime.datetime.now().isoformat(timespec="seconds"), "load_before": load_average()}


def finished(start: dict[str, Any]) -> dict[str, Any]:
    """The start stamp with the load average at the end added."""
    return {**start, "load_after": load_average()}


def stamped(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """fn's result with the time and the machine's load average before and after."""
    start = started()
    return {**fn(), **finished(start)}


def run(opts: Options) -> dict[str, Any]:
    """Every selected part, over one index of the real corpus built in a temporary folder."""
    results: dict[str, Any] = {"machine": machine(), "commit": _commit(), "options": _describe(opts)}
    with tempfile.TemporaryDirectory(prefix="trainerqa-bench-") as tmp:
        ws = open_workspace(Path(tmp))
        results["build"] = ws.build
        results.update(service_parts(ws, Path(tmp), opts))
        if "profile" in opts.parts:
            questions = [q.question for q in ws.answerable][:PROFILE_QUESTIONS]
            results["profile"] = stamped(lambda: profile_report(ws.engine, questions, opts.out / "profile.txt"))
        if opts.parts & {"embedding", "scale"}:
            results.update(vector_parts(ws, opts))
    results["bench_peak_rss_mb"] = self_peak_rss_mb()
    return results


def service_parts(ws: Workspace, tmp: Path, opts: Options) -> dict[str, Any]:
    """Latency beside llama-index, then cold start, throughput and memory of the real server."""
    out: dict[str, Any] = {}
    log = tmp / "server.log"
    # A benchmark measures answering: the limiter lets everything through, and no answer is cached.
    env = server_env(ws.settings, rebuild="never", rate_per_minute=1e9, rate_burst=1_000_000, answer_cache_size=0)
    if "throughput" in opts.parts:
        out["cold_start"] = stamped(lambda: cold_starts(env, log, opts.cold_starts))
    if not opts.parts & {"latency", "throughput"}:
        return out
    with running(env, log) as server:
        idle = server.memory_mb()
        if "latency" in opts.parts:
            out["latency"] = stamped(lambda: latency_report(ws.engine, ws.answerable, server.url, opts.rounds))
        if "throughput" in opts.parts:
            out["throughput"] = stamped(lambda: throughput_report(ws, server, log, opts))
            out["server_memory"] = {"idle": idle, "after_load": server.memory_mb()}
    return out


def throughput_report(ws: Workspace, default: Server, log: Path, opts: Options) -> dict[str, Any]:
    """The load test against the default server and one per VARIANTS environment, interleaved."""
    questions = [q.question for q in ws.answerable]
    with ExitStack() as stack:
        servers = {
            "default": default,
            **{name: stack.enter_context(running(default.env | env, log)) for name, env in VARIANTS.items()},
        }
        runs = interleaved({name: s.url for name, s in servers.items()}, questions, opts.levels, opts.requests)
        memory = {name: s.memory_mb() for name, s in servers.items()}
    variants = {name: {"env": env, "levels": runs[name], "memory": memory[name]} for name, env in VARIANTS.items()}
    return {"levels": runs["default"], "variants": variants}


def vector_parts(ws: Workspace, opts: Options) -> dict[str, Any]:
    """Embedding throughput on synthetic chunks (their vectors join the real ones), then the scale runs."""
    corpus = synthetic_corpus(ws.engine.index, opts.embed_texts, np.random.default_rng(1))
    texts, questions = sample_texts(corpus, opts.embed_texts), [q.question for q in ws.gold]
    embedder = ws.engine.retriever.embedder
    out: dict[str, Any] = {}
    start = started()
    report, synthetic_vectors = embedding_report(embedder, texts, questions, opts.st)
    out["embedding"] = {**report, "mean_chars": mean_chars(texts), **finished(start)}
    if "scale" in opts.parts:
        index = ws.engine.index
        bases = np.concatenate(
            [
                index.chunk_vectors.reconstruct_n(0, index.chunk_vectors.ntotal),
                np.asarray(index.sentence_vectors),
                synthetic_vectors,
            ]
        ).astype(np.float32)
        question_vectors = embedder.embed_queries(questions)
        out["scale"] = stamped(
            lambda: scale_report(index, opts.sizes, bases, question_vectors, questions, opts.bm25_max)
        )
    return out


def save(results: dict[str, Any], path: Path) -> None:
    """Write the results as JSON (the README and charts are made from it)."""
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _describe(opts: Options) -> dict[str, Any]:
    return {
        "sizes": opts.sizes,
        "parts": sorted(opts.parts),
        "rounds": opts.rounds,
        "requests": opts.requests,
        "levels": opts.levels,
        "cold_starts": opts.cold_starts,
        "embed_texts": opts.embed_texts,
        "st": opts.st,
        "bm25_max": opts.bm25_max,
    }
