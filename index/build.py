"""Build an index version from the corpus folder and publish it."""

import time
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from index.chunking import chunk_sentences, document_sentences
from index.corpus import corpus_fingerprint, load_documents
from index.lexical import LexicalIndex
from index.store import FORMAT_VERSION, IndexParams, StoredIndex, publish, write_version
from index.types import Chunk, Document, Embedder, Sentence

_BATCH = 32


def wanted_params(corpus_dir: Path, embedder: Embedder, max_chars: int, overlap: int) -> IndexParams:
    """The parameters an index of this corpus and configuration must have."""
    return IndexParams(FORMAT_VERSION, embedder.name, embedder.dim, corpus_fingerprint(corpus_dir), max_chars, overlap)


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    max_chars: int,
    overlap: int,
    progress: bool = True,
) -> StoredIndex:
    """Clean, split, chunk and embed the corpus; write and publish a new version."""
    params = wanted_params(corpus_dir, embedder, max_chars, overlap)
    documents = load_documents(corpus_dir)
    sentences, chunks = split_corpus(documents, max_chars, overlap)
    chunk_vectors = embed_all(embedder, [c.text for c in chunks], "chunks", progress)
    sentence_vectors = embed_all(embedder, [s.text for s in sentences], "sentences", progress)
    flat = faiss.IndexFlatIP(embedder.dim)
    flat.add(chunk_vectors)
    version_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{params.corpus_sha256[:8]}"
    index = StoredIndex(
        version_id,
        params,
        {d.doc_id: d for d in documents},
        sentences,
        chunks,
        flat,
        sentence_vectors,
        LexicalIndex.build([c.text for c in chunks]),
    )
    write_version(index_dir, version_id, index)
    publish(index_dir, version_id)
    return index


def split_corpus(documents: Sequence[Document], max_chars: int, overlap: int) -> tuple[list[Sentence], list[Chunk]]:
    """All sentences and chunks of the corpus, numbered across documents."""
    sentences: list[Sentence] = []
    chunks: list[Chunk] = []
    for doc in documents:
        doc_sentences = document_sentences(doc, len(sentences))
        sentences.extend(doc_sentences)
        chunks.extend(chunk_sentences(doc, doc_sentences, len(chunks), max_chars, overlap))
    return sentences, chunks


def embed_all(embedder: Embedder, texts: Sequence[str], what: str, progress: bool) -> NDArray[np.float32]:
    """Passage vectors of the texts in batches, with a progress bar."""
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    with tqdm(total=len(texts), desc=f"embedding {what}", unit=what, disable=not progress) as bar:
        for i in range(0, len(texts), _BATCH):
            out[i : i + _BATCH] = embedder.embed_passages(texts[i : i + _BATCH])
            bar.update(len(texts[i : i + _BATCH]))
    return out
