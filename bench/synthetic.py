"""Synthetic corpora re-combined from the real corpus: chunk texts, BM25 tokens and vectors.

A synthetic chunk takes a random real chunk as its template (its language and its number of
sentences) and fills it with sentences of that language drawn at random from the whole corpus.
Chunks are kept as sentence ids (offsets + ids, as in a CSR matrix) so that a million of them
fit in a few MB; texts and token lists are made from them on demand.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from index.store import StoredIndex
from index.tokenize import tokenize

NOISE_SIGMA = 0.02  # per dimension: a perturbed copy keeps a cosine of about 0.93 with its original
TREE_SIGMA = 0.04  # the first level of copies of copies_of_copies, which then shrinks
TREE_DECAY = 0.7
TREE_FACTOR = 10


@dataclass(frozen=True)
class SyntheticCorpus:
    """n chunks as runs of sentence ids into the real corpus."""

    index: StoredIndex
    offsets: NDArray[np.int64]
    sentence_ids: NDArray[np.int32]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def ids(self, i: int) -> NDArray[np.int32]:
        """Sentence ids of chunk i."""
        return self.sentence_ids[self.offsets[i] : self.offsets[i + 1]]

    def text(self, i: int) -> str:
        """The text of chunk i: its sentences joined as the language joins them."""
        sentences = [self.index.sentences[s] for s in self.ids(i)]
        glue = "" if sentences and sentences[0].lang == "zh" else " "
        return glue.join(s.text for s in sentences)


def synthetic_corpus(index: StoredIndex, n: int, rng: np.random.Generator) -> SyntheticCorpus:
    """n chunks shaped like random real chunks, filled with random real sentences of their language."""
    chunk_lang = np.array([index.documents[c.doc_id].lang for c in index.chunks])
    chunk_len = np.array([c.last_sentence - c.first_sentence + 1 for c in index.chunks])
    templates = rng.integers(0, len(index.chunks), n)
    counts = chunk_len[templates]
    slot_lang = np.repeat(chunk_lang[templates], counts)
    sentence_ids = np.empty(int(counts.sum()), dtype=np.int32)
    for lang in np.unique(chunk_lang):
        pool = np.array([s.sentence_id for s in index.sentences if s.lang == lang], dtype=np.int32)
        mask = slot_lang == lang
        sentence_ids[mask] = pool[rng.integers(0, len(pool), int(mask.sum()))]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return SyntheticCorpus(index, offsets, sentence_ids)


def token_ids(corpus: SyntheticCorpus) -> tuple[list[list[int]], dict[str, int]]:
    """Each chunk's BM25 token ids (its sentences' tokens, tokenized once each) and the vocabulary."""
    sentence_tokens = [tokenize(s.text) for s in corpus.index.sentences]
    vocab = {t: i for i, t in enumerate(dict.fromkeys(itertools.chain.from_iterable(sentence_tokens)))}
    per_sentence = [[vocab[t] for t in tokens] for tokens in sentence_tokens]
    ids = corpus.sentence_ids.tolist()
    offsets = corpus.offsets.tolist()
    chunks = [
        list(itertools.chain.from_iterable(per_sentence[s] for s in ids[a:b])) for a, b in itertools.pairwise(offsets)
    ]
    return chunks, vocab


def perturbed(
    bases: NDArray[np.float32], n: int, rng: np.random.Generator, sigma: float = NOISE_SIGMA
) -> NDArray[np.float32]:
    """The real vectors, then noisy copies of random ones (renormalised) up to n rows: one level."""
    out = np.empty((n, bases.shape[1]), dtype=np.float32)
    k = min(n, len(bases))
    out[:k] = bases[:k]
    _fill_copies(out, k, n, out[:k], sigma, rng)
    return out


def copies_of_copies(
    bases: NDArray[np.float32], n: int, rng: np.random.Generator, sigma: float = TREE_SIGMA
) -> NDArray[np.float32]:
    """The real vectors, then levels of noisy copies, each level TREE_FACTOR times the one before.

    Each level copies random vectors of all the levels before it, with noise TREE_DECAY times
    the previous level's: topics, then sub-topics, then near-paraphrases, as a real corpus has.
    One level of copies (`perturbed`) would give every real vector thousands of copies that
    differ only by isotropic noise, near-ties that no graph index can tell apart.
    """
    out = np.empty((n, bases.shape[1]), dtype=np.float32)
    filled = min(n, len(bases))
    out[:filled] = bases[:filled]
    while filled < n:
        stop = min(n, filled * TREE_FACTOR)
        _fill_copies(out, filled, stop, out[:filled], sigma, rng)
        filled, sigma = stop, sigma * TREE_DECAY
    return out


def _fill_copies(
    out: NDArray[np.float32],
    start: int,
    stop: int,
    sources: NDArray[np.float32],
    sigma: float,
    rng: np.random.Generator,
    block: int = 100_000,
) -> None:
    """Rows start..stop of out: random sources plus gaussian noise, renormalised, a block at a time."""
    for a in range(start, stop, block):
        b = min(stop, a + block)
        rows = sources[rng.integers(0, len(sources), b - a)]
        rows += sigma * rng.standard_normal(rows.shape, dtype=np.float32)
        out[a:b] = rows / np.linalg.norm(rows, axis=1, keepdims=True)


def query_vectors(question_vectors: NDArray[np.float32], n: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """The gold questions' vectors, then noisy copies of them up to n queries."""
    return perturbed(question_vectors, max(n, len(question_vectors)), rng)[:n]


def sample_texts(corpus: SyntheticCorpus, n: int) -> list[str]:
    """The texts of the first n chunks."""
    return [corpus.text(i) for i in range(min(n, len(corpus)))]


def mean_chars(texts: Sequence[str]) -> float:
    """Average length of the texts in characters."""
    return sum(len(t) for t in texts) / max(1, len(texts))
