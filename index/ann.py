"""Which FAISS index to use for a number of vectors: exact while it is fast enough, HNSW above.

Exact search (IndexFlatIP) scans every vector per query: on our 2-core machine about 0.06 ms
per 1,000 vectors of 384 dimensions on one thread, so ~12 ms at 200k, against ~20-30 ms to
embed the question; past that, a scan costs more than the model. HNSW answers in under a
millisecond at a million vectors. Both use inner product, so on L2-normalised vectors the
scores are cosines either way. Measurements and the efSearch sweep behind these numbers:
docs/benchmarks/README.md (`python -m bench`).
"""

from dataclasses import dataclass
from typing import Literal

import faiss

FLAT_MAX_VECTORS = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 128  # recall@10 >= 0.95 with room to spare on the benchmark's data; see its sweep

IndexKind = Literal["flat", "hnsw"]


@dataclass(frozen=True)
class IndexChoice:
    """A FAISS index type and its parameters, for inner product over normalised vectors."""

    kind: IndexKind
    dim: int
    m: int = 0
    ef_construction: int = 0
    ef_search: int = 0

    def new_index(self) -> faiss.Index:
        """An empty index of this kind; efSearch is set now and is saved with the index."""
        if self.kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, self.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.ef_construction
        index.hnsw.efSearch = self.ef_search
        return index


def choose_index(n_vectors: int, dim: int) -> IndexChoice:
    """Exact search up to FLAT_MAX_VECTORS vectors, HNSW (M=32, efSearch=128) above."""
    if n_vectors <= FLAT_MAX_VECTORS:
        return IndexChoice("flat", dim)
    return hnsw_choice(dim)


def hnsw_choice(dim: int, ef_search: int = HNSW_EF_SEARCH) -> IndexChoice:
    """The HNSW parameters choose_index uses, with efSearch overridable for tuning."""
    return IndexChoice("hnsw", dim, HNSW_M, HNSW_EF_CONSTRUCTION, ef_search)
