"""PNG charts of the results (matplotlib, Agg backend)."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot loads: no display here
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

DPI = 110
P50, P95 = "#1f77b4", "#aec7e8"


def _save(fig: Figure, path: Path) -> str:
    """Write the figure and close it; the file's name."""
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path.name


def _size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def latency_chart(latency: dict[str, Any], path: Path) -> str:
    """Horizontal bars of p50 and p95 per system, slowest at the top."""
    stats = latency["stats"]
    names = sorted(stats, key=lambda n: stats[n]["p50"])
    fig, ax = plt.subplots(figsize=(8, 4.2))
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], [stats[n]["p95"] for n in names], height=0.4, color=P95, label="p95")
    ax.barh([i - 0.2 for i in y], [stats[n]["p50"] for n in names], height=0.4, color=P50, label="p50")
    for i, n in enumerate(names):
        ax.text(stats[n]["p50"], i - 0.2, f" {stats[n]['p50']:.1f}", va="center", fontsize=8)
        ax.text(stats[n]["p95"], i + 0.2, f" {stats[n]['p95']:.1f}", va="center", fontsize=8)
    ax.set_yticks(list(y), names)
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds per question (log scale)")
    ax.set_title(f"Per-question latency, {latency['questions']} gold questions x {latency['rounds']} rounds")
    ax.legend(loc="lower right")
    ax.margins(x=0.25)
    return _save(fig, path)


def throughput_chart(default: list[dict[str, Any]], variants: dict[str, Any], path: Path) -> str:
    """Requests per second, and p50/p95 latency, against concurrency, per server environment."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    series = {"default": default, **{k: v["levels"] for k, v in variants.items()}}  # same colour per server
    for i, (name, levels) in enumerate(series.items()):
        conc, style = [lv["concurrency"] for lv in levels], {"color": f"C{i}", "marker": "osd^"[i % 4]}
        left.plot(conc, [lv["rps"] for lv in levels], label=name, **style)
        right.plot(conc, [lv["latency"]["p50"] for lv in levels], label=f"{name} p50", **style)
        right.plot(conc, [lv["latency"]["p95"] for lv in levels], linestyle=":", label=f"{name} p95", **style)
    _concurrency_axis(left, "requests per second", "POST /v1/ask throughput on loopback")
    left.set_ylim(bottom=0)
    _concurrency_axis(right, "milliseconds per request", "Latency under load")
    right.set_yscale("log")
    left.legend(fontsize=8)
    right.legend(fontsize=7)
    return _save(fig, path)


def _concurrency_axis(ax: Axes, ylabel: str, title: str) -> None:
    ax.set_xscale("log", base=2)
    ax.set_xticks([1, 4, 16], ["1", "4", "16"])
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)


def scale_latency_chart(sizes: list[dict[str, Any]], floor_ms: float | None, path: Path) -> str:
    """Query latency (p50) against corpus size for each index, log-log, with the embedding floor."""
    n = [s["n"] for s in sizes]
    lines = {
        "FAISS flat, default threads": [s["flat"]["latency"]["k10"]["p50"] for s in sizes],
        "FAISS flat, 1 thread": [s["flat"]["latency"]["k10_1thread"]["p50"] for s in sizes],
        "HNSW, efSearch of choose_index": [_at(s["hnsw"]["sweep"], "ef", s["hnsw"]["ef_search"]) for s in sizes],
        "IVF, smallest nprobe with recall@10 >= 0.95": [_tuned_p50(s["ivf"]) for s in sizes],
    }
    bm = [s for s in sizes if s["bm25"]]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for (label, ys), marker in zip(lines.items(), "os^d", strict=False):
        ax.plot(n, ys, marker=marker, label=label)
    ax.plot([s["n"] for s in bm], [s["bm25"]["scores"]["p50"] for s in bm], marker="x", label="BM25 scores")
    ax.plot(
        [s["n"] for s in bm],
        [s["bm25"]["scores"]["p50"] + s["bm25"]["top100_argsort"]["p50"] for s in bm],
        marker="x",
        linestyle="--",
        label="BM25 scores + top-100 argsort (as hybrid.py)",
    )
    if floor_ms:
        ax.axhline(floor_ms, color="grey", linestyle=":", label=f"embed the question, p50 ({floor_ms:.0f} ms)")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="chunks in the index",
        ylabel="p50 ms per query (k=10)",
        title="Query latency against corpus size (synthetic corpora)",
    )
    ax.set_xticks(n, [_size_label(v) for v in n])
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    return _save(fig, path)


def _tuned_p50(result: dict[str, Any]) -> float | None:
    tuned = result["tuned"]
    return None if tuned is None else float(tuned["latency"]["p50"])


def _at(sweep: list[dict[str, Any]], knob: str, value: int) -> float | None:
    return next((p["latency"]["p50"] for p in sweep if p[knob] == value), None)


def recall_chart(sizes: list[dict[str, Any]], path: Path) -> str:
    """Recall@10 against p50 latency along the efSearch and nprobe sweeps, one colour per size."""
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for s, colour in zip(sizes, ["C0", "C1", "C2", "C3", "C4"], strict=False):
        for kind, knob, style in (("hnsw", "ef", "-o"), ("ivf", "nprobe", "--s")):
            sweep = s[kind]["sweep"]
            ax.plot(
                [p["latency"]["p50"] for p in sweep],
                [p["recall@10"] for p in sweep],
                style,
                color=colour,
                markersize=4,
                label=f"{kind.upper()} {_size_label(s['n'])} ({knob} sweep)",
            )
    ax.axhline(0.95, color="grey", linestyle=":", label="target 0.95")
    ax.set(
        xscale="log",
        xlabel="p50 ms per query (k=10, one query at a time)",
        ylabel="recall@10 against exact",
        title="Approximate search: recall against latency",
    )
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, ncol=2)
    return _save(fig, path)


def build_chart(sizes: list[dict[str, Any]], path: Path) -> str:
    """Build seconds and index bytes against corpus size, per index."""
    n = [s["n"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for kind, label in (("flat", "FAISS flat"), ("hnsw", "HNSW"), ("ivf", "IVF")):
        left.plot(n, [s[kind]["build_s"] for s in sizes], marker="o", label=label)
        right.plot(n, [s[kind]["bytes"] / 2**20 for s in sizes], marker="o", label=label)
    bm = [s for s in sizes if s["bm25"]]
    left.plot([s["n"] for s in bm], [s["bm25"]["index_s"] for s in bm], marker="x", label="BM25 (pre-tokenized)")
    right.plot([s["n"] for s in bm], [s["bm25"]["bytes"] / 2**20 for s in bm], marker="x", label="BM25")
    for ax, ylabel, title in ((left, "seconds", "Index build time"), (right, "MiB", "Index size in memory")):
        ax.set(xscale="log", yscale="log", xlabel="chunks", ylabel=ylabel, title=title)
        ax.set_xticks(n, [_size_label(v) for v in n])
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    return _save(fig, path)


def profile_chart(rows: list[dict[str, Any]], path: Path) -> str:
    """Milliseconds per /v1/ask call by stage, log scale, largest at the top."""
    rows = sorted((r for r in rows if r["ms_per_call"] > 0), key=lambda r: r["ms_per_call"])
    fig, ax = plt.subplots(figsize=(9, 4.5))
    colours = [P50 if r["share"] is not None else "#ff7f0e" for r in rows]  # orange: measured over HTTP
    ax.barh(range(len(rows)), [r["ms_per_call"] for r in rows], color=colours)
    for i, r in enumerate(rows):
        ax.text(r["ms_per_call"], i, f" {r['ms_per_call']:.3g} ms", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [r["stage"] for r in rows], fontsize=8)
    ax.set(
        xscale="log",
        xlabel="ms per request, mean (log scale); orange: from HTTP timings, not the profile",
        title="Where the time of /v1/ask goes",
    )
    ax.margins(x=0.2)
    return _save(fig, path)
