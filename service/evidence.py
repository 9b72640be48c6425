"""Score the sentences of retrieved passages against a question and pick the evidence."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from index.store import StoredIndex
from index.tokenize import tokenize
from index.types import Chunk, Hit, Lang, Sentence

LEXICAL_WEIGHT = 0.10  # how much word overlap adds to the cosine
SAME_LANG_BONUS = 0.02  # prefer the asker's language when two sentences say the same
DUPLICATE_COSINE = 0.93  # sentences this close say the same thing; cite one
SUPPORT_MARGIN = 0.03  # more sentences join the answer while this close to the best
MAX_SENTENCES = 3


@dataclass(frozen=True)
class Evidence:
    """A candidate sentence, the passage it was found in, and how well it answers."""

    sentence: Sentence
    chunk: Chunk
    cosine: float
    overlap: float
    score: float


def candidates(index: StoredIndex, question: str, vector: NDArray[np.float32],
               hits: Sequence[Hit], lang: Lang) -> list[Evidence]:
    """Every sentence of the hit passages, best first, each counted once."""
    seen: dict[int, Evidence] = {}
    q_tokens = set(tokenize(question))
    for hit in hits:
        for sid in range(hit.chunk.first_sentence, hit.chunk.last_sentence + 1):
            if sid not in seen:
                seen[sid] = _evidence(index, sid, hit.chunk, vector, q_tokens, lang)
    return sorted(seen.values(), key=lambda e: -e.score)


def _evidence(index: StoredIndex, sid: int, chunk: Chunk, vector: NDArray[np.float32],
              q_tokens: set[str], lang: Lang) -> Evidence:
    sentence = index.sentences[sid]
    cosine = float(index.sentence_vectors[sid] @ vector)
    overlap = len(q_tokens & set(tokenize(sentence.text))) / len(q_tokens) if q_tokens else 0.0
    bonus = SAME_LANG_BONUS if sentence.lang == lang else 0.0
    return Evidence(sentence, chunk, cosine, overlap, cosine + LEXICAL_WEIGHT * overlap + bonus)


def choose(index: StoredIndex, ranked: Sequence[Evidence]) -> list[Evidence]:
    """The best sentence, plus close runners-up that add something new."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    for ev in ranked[1:]:
        if len(chosen) == MAX_SENTENCES or ev.score < ranked[0].score - SUPPORT_MARGIN:
            break
        if not any(similarity(index, ev.sentence, c.sentence) >= DUPLICATE_COSINE for c in chosen):
            chosen.append(ev)
    return chosen


def similarity(index: StoredIndex, a: Sentence, b: Sentence) -> float:
    """Cosine of two corpus sentences' passage vectors."""
    return float(index.sentence_vectors[a.sentence_id] @ index.sentence_vectors[b.sentence_id])
