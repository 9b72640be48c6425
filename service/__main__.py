"""python -m service: build the index if missing or stale, then serve it with uvicorn."""

from typing import Annotated

import typer
import uvicorn

from service.app import create_app
from service.settings import Settings

cli = typer.Typer(add_completion=False)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (TRAINERQA_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (TRAINERQA_PORT)")] = None,
) -> None:
    """Serve the question-answering API."""
    settings = Settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=overrides)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


if __name__ == "__main__":
    cli()
