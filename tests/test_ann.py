"""choose_index: exact search for small indexes, HNSW with good recall for large ones."""

import faiss
import numpy as np
import pytest
from numpy.typing import NDArray

from index.ann import FLAT_MAX_VECTORS, choose_index

DIM = 384


def clustered_unit_vectors(n: int, rng: np.random.Generator, centres: NDArray[np.float32]) -> NDArray[np.float32]:
    """Random unit vectors around random centres, the shape real embeddings have.

    Isotropic gaussian vectors in 384 dimensions are no use here: every point is about as far
    from a query as every other, so no graph index finds "the" ten nearest without visiting
    most of the data.
    """
    picks = centres[rng.integers(0, len(centres), n)]
    vectors = picks + rng.normal(0.0, 0.03, (n, DIM)).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def unit_vectors(n: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """Isotropic random unit vectors."""
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("n", [1, 35, 10_000, FLAT_MAX_VECTORS])
def test_small_indexes_are_exact(n: int) -> None:
    choice = choose_index(n, DIM)
    assert choice.kind == "flat"
    assert isinstance(choice.new_index(), faiss.IndexFlatIP)


@pytest.mark.parametrize("n", [FLAT_MAX_VECTORS + 1, 1_000_000, 10_000_000])
def test_large_indexes_are_hnsw(n: int) -> None:
    choice = choose_index(n, DIM)
    index = choice.new_index()
    assert choice.kind == "hnsw"
    assert isinstance(index, faiss.IndexHNSWFlat)
    assert index.metric_type == faiss.METRIC_INNER_PRODUCT
    assert (index.hnsw.efSearch, index.hnsw.efConstruction) == (choice.ef_search, choice.ef_construction)


def test_hnsw_recall_at_10_against_exact_search() -> None:
    rng = np.random.default_rng(7)
    centres = unit_vectors(400, rng)
    data, queries = clustered_unit_vectors(20_000, rng, centres), clustered_unit_vectors(200, rng, centres)
    exact, approx = faiss.IndexFlatIP(DIM), choose_index(10_000_000, DIM).new_index()
    exact.add(data)
    approx.add(data)
    _, truth = exact.search(queries, 10)
    _, found = approx.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
    assert recall >= 0.95
