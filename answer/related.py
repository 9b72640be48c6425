"""Related passages for a declined question (issue 12): when no sentence answers it but
retrieval found passages on its topic, show them, each with its best sentence.

Two checks keep off-topic questions out. The best evidence score must reach a floor fitted on
the tune split of the gold set (`python -m eval related`: the highest floor that keeps every
tune question whose related passages hold its gold evidence). And the question must not name a
place or person that no article mentions: "成都去年GDP是多少" scores like an in-domain question
(its words are the corpus's), but nothing in the corpus is about Chengdu.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from answer import evidence as ev
from answer.constraints import english_name, unmet, whole
from answer.query import Query
from index.store import StoredIndex
from index.types import Chunk, Document, Sentence

MAX_RELATED = 3
OWN_LANG = 2  # at most this many from the question's language, so that the other's best gets a place


@dataclass(frozen=True)
class Related:
    """A passage on the question's topic and its best sentence (document.text[sentence.start:sentence.end])."""

    n: int
    document: Document
    sentence: Sentence
    chunk: Chunk
    score: float


def related(index: StoredIndex, query: Query, ranked: Sequence[ev.Evidence], floor: float) -> list[Related]:
    """Up to MAX_RELATED passages, the question's language first; none for an off-topic question."""
    if not ranked or ranked[0].score < floor or outside_corpus(query.constraints, index.documents.values()):
        return []
    chosen = _pick(_distinct(ranked), query.lang)
    chosen.sort(key=lambda e: e.sentence.lang != query.lang)  # stable: best first within a language
    return [
        Related(n, index.documents[e.sentence.doc_id], e.sentence, e.chunk, e.score) for n, e in enumerate(chosen, 1)
    ]


def _distinct(ranked: Sequence[ev.Evidence]) -> list[ev.Evidence]:
    """The best sentence of each passage, best first; a sentence repeated in another passage once."""
    kept: list[ev.Evidence] = []
    for e in ranked:
        if not any(e.chunk.chunk_id == k.chunk.chunk_id or e.sentence.text == k.sentence.text for k in kept):
            kept.append(e)
    return kept


def _pick(candidates: list[ev.Evidence], lang: str) -> list[ev.Evidence]:
    """The best OWN_LANG of the question's language and the other language's best, then the next best.

    The model ranks same-language sentences first, and an answer the Chinese article lacks may
    be in an English one (tune split: 10 of 13 declined answerable questions get their evidence
    this way, 9 when the three best are taken whatever their language)."""
    own = [e for e in candidates if e.sentence.lang == lang][:OWN_LANG]
    other = [e for e in candidates if e.sentence.lang != lang][:1]
    rest = [e for e in candidates if e not in own and e not in other]
    return (own + other + rest)[:MAX_RELATED]


def outside_corpus(constraints: Sequence[str], documents: Iterable[Document]) -> list[str]:
    """The places and names of the question that no article mentions, in any spelling we know
    (years and words without an English name, such as 临港, are not counted)."""
    if not constraints:
        return []
    docs = list(documents)
    return [c for c in unmet(constraints, [whole(d) for d in docs], docs) if english_name(c)]
