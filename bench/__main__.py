"""python -m bench: measure, then regenerate docs/benchmarks/ (README.md, PNG charts, profile.txt)."""

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from bench.suite import PARTS, Options, run, save
from bench.workspace import ROOT

cli = typer.Typer(add_completion=False)

OUT = ROOT / "docs" / "benchmarks"
FULL_SIZES = "10k,100k,1M"
QUICK_SIZES = "10k,100k"


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def parse_list(text: str, allowed: tuple[str, ...]) -> frozenset[str]:
    """A comma-separated subset of allowed names; an unknown name is a usage error."""
    names = frozenset(t.strip() for t in text.split(",") if t.strip())
    if unknown := names - set(allowed):
        raise typer.BadParameter(f"unknown {sorted(unknown)}; choose from {', '.join(allowed)}")
    return names


@cli.command()
def main(
    quick: Annotated[bool, typer.Option(help=f"sizes {QUICK_SIZES}, fewer rounds and requests")] = False,
    sizes: Annotated[str | None, typer.Option(help=f"corpus sizes for the scale runs (default {FULL_SIZES})")] = None,
    parts: Annotated[str, typer.Option(help="comma-separated parts to run")] = ",".join(PARTS),
    st: Annotated[bool, typer.Option(help="also time the sentence-transformers backend")] = True,
    bm25_max: Annotated[str, typer.Option(help="largest corpus size that gets a BM25 index")] = "1M",
    out: Annotated[Path, typer.Option(help="output folder")] = OUT,
    report_only: Annotated[bool, typer.Option(help="re-render README and charts from results.json")] = False,
) -> None:
    """Measure latency, throughput, scale and the /v1/ask profile; write the report."""
    from bench.report import write_report

    out.mkdir(parents=True, exist_ok=True)
    if report_only:
        write_report(json.loads((out / "results.json").read_text(encoding="utf-8")), out)
        return
    chosen = [parse_size(s) for s in (sizes or (QUICK_SIZES if quick else FULL_SIZES)).split(",")]
    opts = Options(out=out, sizes=sorted(chosen), parts=parse_list(parts, PARTS), st=st, bm25_max=parse_size(bm25_max))
    if quick:
        opts = replace(opts, rounds=1, requests=48, cold_starts=1, embed_texts=32)
    results = merged(run(opts), out / "results.json", full=opts.parts == frozenset(PARTS))
    save(results, out / "results.json")
    write_report(results, out)
    typer.echo(f"wrote {out}")


def merged(new: dict[str, Any], path: Path, full: bool) -> dict[str, Any]:
    """A partial run's results laid over the last saved ones (each part keeps its own timestamp)."""
    if full or not path.exists():
        return new
    old: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {**old, **new}


if __name__ == "__main__":
    cli()
