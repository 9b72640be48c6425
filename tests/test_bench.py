"""The benchmark's own helpers: size parsing, the synthetic vectors it searches, the handler it profiles."""

import json

import numpy as np
import pytest

from answer.engine import QAEngine
from bench.__main__ import parse_size
from bench.profile import handle
from bench.synthetic import TREE_FACTOR, copies_of_copies, perturbed


@pytest.mark.parametrize(
    ("text", "n"), [("10k", 10_000), ("100K", 100_000), ("1M", 1_000_000), ("2.5k", 2_500), ("777", 777)]
)
def test_parse_size(text: str, n: int) -> None:
    assert parse_size(text) == n


def _bases(n: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    bases = rng.standard_normal((n, 16)).astype(np.float32)
    return bases / np.linalg.norm(bases, axis=1, keepdims=True)


@pytest.mark.parametrize("make", [perturbed, copies_of_copies])
def test_synthetic_vectors_keep_the_real_ones_first_and_are_unit_length(make: object) -> None:
    bases = _bases(7)
    vectors = make(bases, 7 * TREE_FACTOR**2 + 3, np.random.default_rng(0))  # type: ignore[operator]
    assert vectors.shape == (7 * TREE_FACTOR**2 + 3, 16)
    assert vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[:7], bases)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_copies_stay_near_their_originals() -> None:
    bases = _bases(5)
    vectors = copies_of_copies(bases, 5_000, np.random.default_rng(0))
    nearest_base = (vectors @ bases.T).max(axis=1)
    assert nearest_base.min() > 0.9


def test_profiled_handler_is_the_routes_own_answer(engine: QAEngine) -> None:
    """bench.profile times what /v1/ask does in process: the route's own response."""
    body = json.loads(handle(engine, "how many people took the AI trainer exam in Shanghai in 2025?"))
    assert body["answerable"] is True
    assert body["short_answer"]["text"] == "16,300"
    assert body["citations"]
