"""Timers, latency summaries, memory readings and a description of the machine."""

import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from eval.metrics import percentile


def summary(ms: Sequence[float]) -> dict[str, float]:
    """Count, p50, p95, mean and max of latencies in milliseconds."""
    if not ms:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "mean": 0.0, "max": 0.0}
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "mean": sum(ms) / len(ms),
        "max": max(ms),
    }


def time_ms(fn: Callable[[], object]) -> float:
    """Milliseconds that one call of fn takes."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def seconds_since(t0: float) -> float:
    """Seconds elapsed since a time.perf_counter() reading."""
    return time.perf_counter() - t0


def proc_memory_mb(pid: int | str = "self") -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MiB, from /proc."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def proc_threads(pid: int) -> int:
    """How many threads the process runs now."""
    return len(os.listdir(f"/proc/{pid}/task"))


def self_peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> float:
    """The 1-minute load average: how busy the (shared) machine was."""
    return os.getloadavg()[0]


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import bm25s
    import faiss

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpu": _cpu_model(),
        "faiss": faiss.__version__,
        "bm25s": bm25s.__version__,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "unset"),
        "faiss_threads": faiss.omp_get_max_threads(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            return next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?")
    except OSError:
        return "?"
