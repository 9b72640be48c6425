"""BM25 over our own tokens, on bm25s (sparse matrices, saved as plain files)."""

from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
from numpy.typing import NDArray

from index.tokenize import tokenize


class LexicalIndex:
    """BM25 scores of every chunk for a query."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        """Index the texts in order; row i of the scores is text i."""
        bm25 = bm25s.BM25()
        bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(bm25, len(texts))

    def save(self, folder: Path) -> None:
        """Write the index as bm25s's plain .npy and JSON files."""
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> "LexicalIndex":
        """Read an index written by save, memory-mapped."""
        return cls(bm25s.BM25.load(str(folder), mmap=True, show_progress=False), size)

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 score of each indexed text; all zeros when no query token is known."""
        return self.token_scores(tokenize(query))

    def indexed(self) -> int:
        """How many texts the saved index scores (a check against the chunks it was built from)."""
        return int(self._bm25.scores["num_docs"])

    def vocabulary(self) -> list[str]:
        """Every token the index knows."""
        return list(self._bm25.vocab_dict)

    def token_scores(self, tokens: Sequence[str]) -> NDArray[np.float32]:
        """BM25 score of each indexed text for already tokenized terms."""
        known = [t for t in tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
