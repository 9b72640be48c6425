"""Requests per second of POST /v1/ask on loopback at fixed concurrency, with a bounded asyncio client."""

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import httpx

from bench.timing import summary


async def _worker(url: str, jobs: asyncio.Queue[str], latencies: list[float], errors: list[str]) -> None:
    """Post questions from the queue until it is empty, over one kept-alive connection of its own (a shared
    httpx pool left connections idle for seconds under this load while requests queued on others)."""
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1)) as http:
        while True:
            try:
                question = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            try:
                r = await http.post("/v1/ask", json={"question": question, "top_k": 5})
                r.raise_for_status()
                latencies.append((time.perf_counter() - t0) * 1000)
            except httpx.HTTPError as exc:
                errors.append(repr(exc))


async def _level(url: str, questions: Sequence[str], concurrency: int, requests: int) -> dict[str, Any]:
    """`requests` questions (cycled) through `concurrency` workers; req/s and latency."""
    jobs: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        jobs.put_nowait(questions[i % len(questions)])
    latencies: list[float] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(_worker(url, jobs, latencies, errors) for _ in range(concurrency)))
    seconds = time.perf_counter() - t0
    return {
        "concurrency": concurrency,
        "requests": requests,
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "errors": len(errors),
        "latency": summary(latencies),
    }


def interleaved(
    urls: dict[str, str], questions: Sequence[str], levels: Sequence[int], requests: int
) -> dict[str, list[dict[str, Any]]]:
    """Each level against every server in turn, the order rotating per level, so that the load of a
    shared machine falls alike on all; each run after a warm-up of `concurrency` requests."""
    names = list(urls)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for i, concurrency in enumerate(levels):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            asyncio.run(_level(urls[name], questions, concurrency, concurrency))
            results[name].append(asyncio.run(_level(urls[name], questions, concurrency, requests)))
    return results
