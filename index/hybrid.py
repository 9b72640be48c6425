"""Dense, BM25 and fused (reciprocal-rank fusion) retrieval over a stored index."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from index.errors import EmptyQueryError
from index.store import StoredIndex
from index.types import Embedder, Hit, Mode

RRF_K = 60
_POOL = 50


class Retriever:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: StoredIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed_query(self, query: str) -> NDArray[np.float32]:
        """The query's vector; an empty query is an EmptyQueryError."""
        if not query.strip():
            raise EmptyQueryError("the query is empty")
        return self.embedder.embed_queries([query])[0]

    def search(
        self, query: str, k: int, mode: Mode = "hybrid", vector: NDArray[np.float32] | None = None
    ) -> list[Hit]:
        """The k best chunks for the query under the given mode."""
        if not query.strip():
            raise EmptyQueryError("the query is empty")
        if mode == "bm25":
            return self._hits(*self._bm25_ranking(query), k)
        dense = self._dense_ranking(vector if vector is not None else self.embed_query(query))
        if mode == "dense":
            return self._hits(*dense, k)
        return self._hits(*rrf([dense[0], self._bm25_ranking(query)[0]]), k)

    def _dense_ranking(self, vector: NDArray[np.float32]) -> tuple[list[int], list[float]]:
        n = min(_POOL, len(self.index.chunks))
        scores, ids = self.index.chunk_vectors.search(vector.reshape(1, -1), n)
        return [int(i) for i in ids[0] if i >= 0], [float(s) for s in scores[0][: n]]

    def _bm25_ranking(self, query: str) -> tuple[list[int], list[float]]:
        scores = self.index.lexical.scores(query)
        order = np.argsort(-scores, kind="stable")[:_POOL]
        kept = [int(i) for i in order if scores[i] > 0]
        return kept, [float(scores[i]) for i in kept]

    def _hits(self, ids: Sequence[int], scores: Sequence[float], k: int) -> list[Hit]:
        return [Hit(self.index.chunks[i], s, r + 1) for r, (i, s) in enumerate(zip(ids, scores, strict=False)) if r < k]


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> tuple[list[int], list[float]]:
    """Reciprocal-rank fusion: each list adds 1 / (k + rank) to the ids it ranks."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    order = sorted(fused, key=lambda i: (-fused[i], i))
    return order, [fused[i] for i in order]
