"""Plain data types shared by the index and the service."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

Lang = Literal["zh", "en"]
Mode = Literal["dense", "bm25", "hybrid"]


class Embedder(Protocol):
    """A text embedding model: separate batch calls for queries and passages."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> NDArray[np.float32]: ...

    def embed_passages(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


@dataclass(frozen=True)
class Document:
    """One article: manifest metadata plus its cleaned text."""

    doc_id: str
    title: str
    source: str
    published: str | None
    lang: Lang
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document, located by character offsets into its cleaned text."""

    sentence_id: int
    doc_id: str
    start: int
    end: int
    text: str
    lang: Lang


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: consecutive sentences of one document."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    first_sentence: int
    last_sentence: int


@dataclass(frozen=True)
class Hit:
    """A chunk found by a search, with its score and 1-based rank."""

    chunk: Chunk
    score: float
    rank: int
