"""python -m service.loadtest: concurrent clients ask for a while; latencies and throughput.

    python -m service.loadtest --url http://127.0.0.1:8000 --clients 50 --seconds 60 --out load.json

The questions (Chinese and English) come from eval/gold.jsonl. Every client comes from this
machine's address, so raise TRAINERQA_RATE_PER_MINUTE / _RATE_BURST on the target, or
expect 429s. Exits 1 when any request got a 5xx or failed in transport.
"""

import asyncio
import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from eval.gold import GOLD_PATH


@dataclass
class LoadReport:
    """What a load run saw: counts by status, transport errors, latency percentiles, throughput."""

    url: str
    clients: int
    seconds: float
    requests: int
    statuses: dict[str, int]
    transport_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    throughput_rps: float
    error_samples: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        """Responses with a 5xx status."""
        return sum(n for status, n in self.statuses.items() if status.startswith("5"))

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.requests} requests from {self.clients} clients in {self.seconds:.1f} s: "
            f"{self.throughput_rps:.1f} req/s, p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"p99 {self.p99_ms:.0f} ms, max {self.max_ms:.0f} ms; statuses {self.statuses}, "
            f"transport errors {self.transport_errors}"
        )


def ask_bodies(path: Path = GOLD_PATH) -> list[dict[str, Any]]:
    """A POST /v1/ask body for every gold question (follow-ups with their history)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"question": r["question"], **({"history": r["history"]} if r.get("history") else {})} for r in rows]


async def run_load(url: str, bodies: list[dict[str, Any]], clients: int, seconds: float) -> LoadReport:
    """`clients` concurrent clients post questions to `url` until `seconds` have passed."""
    results: list[tuple[float, int | None]] = []  # (seconds taken, status or None for a transport error)
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(_client(url, bodies, n, deadline, results, errors) for n in range(clients)))
    return _report(url, clients, time.perf_counter() - start, results, errors)


async def _client(
    url: str,
    bodies: list[dict[str, Any]],
    n: int,
    deadline: float,
    results: list[tuple[float, int | None]],
    errors: list[str],
) -> None:
    """One client, like one browser: its own connection, kept alive from one question to the next.

    Not one httpx pool for all: under this load it queued requests on a few connections and left others
    idle past the server's keep-alive (5 s); the server closed those, and now and then a request went out
    on one as it closed (a ReadError that was the pool's, not the service's)."""
    i = n * 7  # clients start at different questions
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=1)) as http:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                r = await http.post("/v1/ask", json=bodies[i % len(bodies)])
                results.append((time.perf_counter() - t0, r.status_code))
            except httpx.TransportError as exc:
                results.append((time.perf_counter() - t0, None))
                errors.append(f"{type(exc).__name__}: {exc}")
            i += 1


def _report(
    url: str, clients: int, elapsed: float, results: list[tuple[float, int | None]], errors: list[str]
) -> LoadReport:
    latencies = sorted(t * 1000 for t, status in results if status is not None)
    statuses: dict[str, int] = {}
    for _, status in results:
        if status is not None:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    return LoadReport(
        url=url,
        clients=clients,
        seconds=round(elapsed, 2),
        requests=len(results),
        statuses=dict(sorted(statuses.items())),
        transport_errors=len(errors),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=round(latencies[-1], 1) if latencies else 0.0,
        throughput_rps=round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        error_samples=errors[:5],
    )


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile of an ascending list (0.0 for none)."""
    if not ordered:
        return 0.0
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return round(ordered[rank - 1], 1)


def write_report(report: LoadReport, path: Path) -> None:
    """Save the report as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**asdict(report), "server_errors": report.server_errors}, indent=2) + "\n")


cli = typer.Typer(add_completion=False)


@cli.command()
def main(
    url: Annotated[str, typer.Option(help="base URL of the service")] = "http://127.0.0.1:8000",
    clients: Annotated[int, typer.Option(min=1, help="concurrent clients")] = 50,
    seconds: Annotated[float, typer.Option(min=0.1, help="how long to keep asking")] = 60.0,
    out: Annotated[Path | None, typer.Option(help="write the report here as JSON")] = None,
) -> None:
    """Load a running service with questions and report latency percentiles and throughput."""
    report = asyncio.run(run_load(url.rstrip("/"), ask_bodies(), clients, seconds))
    typer.echo(report.summary())
    if out:
        write_report(report, out)
    if report.server_errors or report.transport_errors:
        raise typer.Exit(1)


if __name__ == "__main__":
    cli()
