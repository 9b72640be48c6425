"""Which FAISS index to use for a number of vectors: exact while it is fast enough, HNSW above.

Exact search (IndexFlatIP) scans every vector per query: on our 2-core machine, one thread,
about 0.2 ms at 10k vectors of 384 dimensions, 5-6 ms at 100k and 55 ms at 1M, against 15-40 ms
to embed the question; at 200k a scan (~11 ms) is a third to two thirds of the model's time,
and it grows with the corpus. HNSW (M=32,
efSearch=128) answered in about 0.4 ms at 1M with recall@10 0.994 against exact search, after
a build of 2-3 minutes (1.7 GiB). Both use inner product, so on L2-normalised vectors the
scores are cosines either way. The measurements, the efSearch sweep and their caveats
(synthetic vectors): docs/benchmarks/README.md, made by `python -m bench`.
"""

from dataclasses import dataclass
from typing import Literal

import faiss

FLAT_MAX_VECTORS = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 128  # 4x the smallest value with recall@10 >= 0.95 at 1M in the benchmark (32)

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
