"""Build an index version from the corpus folder and publish it."""

import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from index.ann import choose_index
from index.chunking import chunk_sentences, document_sentences
from index.corpus import corpus_fingerprint, load_documents
from index.faults import crash_point
from index.lexical import LexicalIndex
from index.store import (
    FORMAT_VERSION,
    IndexParams,
    StoredIndex,
    build_lock,
    publish,
    remove_partial_versions,
    write_version,
)
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
    previous: StoredIndex | None = None,
) -> StoredIndex:
    """Clean, split, chunk and embed the corpus; write and publish a new version.

    Texts that `previous` (an index built with the same embedder) already embedded keep their
    vectors, so adding one article embeds only that article's passages and sentences.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with build_lock(index_dir):
        remove_partial_versions(index_dir)
        return _build(corpus_dir, index_dir, embedder, max_chars, overlap, progress, previous)


def _build(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    max_chars: int,
    overlap: int,
    progress: bool,
    previous: StoredIndex | None,
) -> StoredIndex:
    params = wanted_params(corpus_dir, embedder, max_chars, overlap)
    documents = load_documents(corpus_dir)
    sentences, chunks = split_corpus(documents, max_chars, overlap)
    known = known_vectors(previous, embedder)
    chunk_vectors = embed_all(embedder, [c.text for c in chunks], "chunks", progress, known)
    sentence_vectors = embed_all(embedder, [s.text for s in sentences], "sentences", progress, known)
    dense = choose_index(len(chunks), embedder.dim).new_index()  # exact, or HNSW past 200k passages
    dense.add(chunk_vectors)
    version_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{params.corpus_sha256[:8]}-{uuid.uuid4().hex[:6]}"
    index = StoredIndex(
        version_id,
        params,
        {d.doc_id: d for d in documents},
        sentences,
        chunks,
        dense,
        sentence_vectors,
        LexicalIndex.build([c.text for c in chunks]),
    )
    write_version(index_dir, version_id, index)
    crash_point("index-version-written")
    publish(index_dir, version_id)
    crash_point("index-published")
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


def known_vectors(previous: StoredIndex | None, embedder: Embedder) -> dict[str, NDArray[np.float32]]:
    """Text -> vector for every passage and sentence of a previous index of the same embedder."""
    if previous is None or previous.params.embedder != embedder.name:
        return {}
    chunk_vectors = np.asarray(previous.chunk_vectors.reconstruct_n(0, len(previous.chunks)), dtype=np.float32)
    known = {c.text: chunk_vectors[i] for i, c in enumerate(previous.chunks)}
    sentence_vectors = np.asarray(previous.sentence_vectors, dtype=np.float32)
    known.update({s.text: sentence_vectors[i] for i, s in enumerate(previous.sentences)})
    return known


def embed_all(
    embedder: Embedder,
    texts: Sequence[str],
    what: str,
    progress: bool,
    known: dict[str, NDArray[np.float32]] | None = None,
) -> NDArray[np.float32]:
    """Passage vectors of the texts in batches, with a progress bar; known texts are not re-embedded."""
    known = known or {}
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t not in known]
    for i, t in enumerate(texts):
        if t in known:
            out[i] = known[t]
    with tqdm(total=len(todo), desc=f"embedding {what}", unit=what, disable=not progress) as bar:
        for start in range(0, len(todo), _BATCH):
            batch = todo[start : start + _BATCH]
            out[batch] = embedder.embed_passages([texts[i] for i in batch])
            bar.update(len(batch))
    return out
