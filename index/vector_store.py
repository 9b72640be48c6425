"""Where the dense search runs: FAISS in process (default) or Milvus (Lite here, a cluster in
production). Both search the vectors of one published index version; the version's
vectors.faiss file stays the source of truth from which a Milvus collection is filled."""

from collections.abc import Callable
from typing import Any, Protocol

import faiss
import numpy as np
from numpy.typing import NDArray

from index.errors import BackendUnavailableError, UnknownVectorStoreError
from index.store import StoredIndex


class VectorStore(Protocol):
    """Nearest chunks by inner product."""

    name: str

    def search(self, vector: NDArray[np.float32], k: int) -> list[int]: ...


class FaissStore:
    """The version's own FAISS index, memory-mapped."""

    name = "faiss"

    def __init__(self, index: StoredIndex) -> None:
        self._faiss = index.chunk_vectors
        # One question at a time: FAISS's OpenMP threads only contend with the model's
        # (exact search at 10k passages: 0.2 ms on one thread, 16 ms on two; docs/benchmarks).
        faiss.omp_set_num_threads(1)

    def search(self, vector: NDArray[np.float32], k: int) -> list[int]:
        """Ids of the k nearest chunks, best first."""
        _, ids = self._faiss.search(vector.reshape(1, -1), k)
        return [int(i) for i in ids[0] if i >= 0]


class MilvusStore:
    """A Milvus collection per index version (created and filled on first use), flat IP search."""

    name = "milvus"

    def __init__(self, index: StoredIndex, uri: str) -> None:
        try:
            from pymilvus import MilvusClient
        except ImportError as exc:
            raise BackendUnavailableError("the Milvus store needs its extra: pip install -e '.[milvus]'") from exc
        self._client = MilvusClient(uri)
        self.collection = "chunks_" + "".join(ch if ch.isalnum() else "_" for ch in index.version_id)
        if not self._client.has_collection(self.collection):
            self._create(index)

    def _create(self, index: StoredIndex) -> None:
        n, dim = len(index.chunks), index.params.dim
        schema = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", _dtype("INT64"), is_primary=True)
        schema.add_field("vector", _dtype("FLOAT_VECTOR"), dim=dim)
        params = self._client.prepare_index_params()
        params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
        self._client.create_collection(self.collection, schema=schema, index_params=params, consistency_level="Strong")
        vectors = np.asarray(index.chunk_vectors.reconstruct_n(0, n), dtype=np.float32)
        rows = [{"id": i, "vector": vectors[i].tolist()} for i in range(n)]
        for start in range(0, n, 1000):
            self._client.insert(self.collection, rows[start : start + 1000])

    def search(self, vector: NDArray[np.float32], k: int) -> list[int]:
        """Ids of the k nearest chunks, best first."""
        found: Any = self._client.search(
            self.collection, data=[vector.tolist()], limit=k, output_fields=[], search_params={"metric_type": "IP"}
        )
        return [int(hit["id"]) for hit in found[0]]


def _dtype(name: str) -> Any:
    from pymilvus import DataType

    return getattr(DataType, name)


_STORES: dict[str, Callable[[StoredIndex, str], VectorStore]] = {
    "faiss": lambda index, _uri: FaissStore(index),
    "milvus": MilvusStore,
}


def make_vector_store(index: StoredIndex, kind: str, milvus_uri: str = "") -> VectorStore:
    """The store the configuration names; an unknown name is an UnknownVectorStoreError."""
    if kind not in _STORES:
        raise UnknownVectorStoreError(f"unknown vector store {kind!r}; choose one of {sorted(_STORES)}")
    return _STORES[kind](index, milvus_uri)
