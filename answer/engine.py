"""The question-answering engine: retrieval, evidence selection, conflicts, answer text."""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from answer import evidence as ev
from answer.cache import LRUCache, normalise_question
from answer.config import EngineConfig
from answer.conflicts import Disagreement, disagreement
from answer.constraints import unmet
from answer.followup import search_query
from answer.wording import abstention, conflict_sentence, lead
from index.config import open_index
from index.hybrid import Retriever
from index.language import detect_lang
from index.store import StoredIndex
from index.tokenize import warm_up
from index.types import Chunk, Document, Embedder, Hit, Lang, Mode, Sentence
from index.vector_store import VectorStore, make_vector_store

CONFLICT_COSINE = 0.80


@dataclass(frozen=True)
class Citation:
    """A cited sentence and the article it comes from."""

    n: int
    document: Document
    sentence: Sentence
    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Conflict:
    """Cited passages that give different values for one thing."""

    about: str
    values: list[tuple[str, list[int]]]


@dataclass
class Answer:
    """What /v1/ask returns, before it becomes JSON."""

    text: str
    lang: Lang
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    evidence_score: float = 0.0
    coverage: float = 0.0


class QAEngine:
    """Answers questions from one loaded index."""

    def __init__(
        self,
        index: StoredIndex,
        embedder: Embedder,
        abstain_below: float,
        min_coverage: float = 0.0,
        cache_size: int = 1024,
        vectors: VectorStore | None = None,
    ) -> None:
        self.index = index
        self.retriever = Retriever(index, embedder, vectors)
        self.terms = ev.SentenceTerms(index.sentences)
        self.abstain_below = abstain_below
        self.min_coverage = min_coverage
        self.cache: LRUCache[Answer] = LRUCache(cache_size)
        warm_up()

    @classmethod
    def open(
        cls, config: EngineConfig, embedder: Embedder | None = None, index: StoredIndex | None = None
    ) -> "QAEngine":
        """Serve `index`, or the published index, verified; built first when missing, damaged or
        stale and the configuration allows (see index.config.open_index)."""
        embedder = embedder or config.make_embedder()
        index = index or open_index(config, embedder)
        vectors = make_vector_store(index, config.vector_store, config.milvus_uri)
        return cls(index, embedder, config.abstain_below, config.min_coverage, config.answer_cache_size, vectors)

    def search(self, query: str, k: int, mode: Mode = "hybrid") -> list[Hit]:
        """The k best passages for the query."""
        return self.retriever.search(query, k, mode)

    def ask(
        self,
        question: str,
        top_k: int,
        lang: Lang | None = None,
        mode: Mode = "hybrid",
        history: Sequence[str] = (),
    ) -> Answer:
        """A cited answer in the question's language, or an honest abstention.

        `history` holds the earlier questions of the conversation, oldest first; an
        elliptical follow-up is searched together with the last of them."""
        clock = _Clock()
        key = (normalise_question(question), top_k, lang, mode, tuple(normalise_question(h) for h in history))
        cached = self.cache.get(key)
        if cached is not None:
            clock.lap("cache")
            return replace(cached, timings_ms={**clock.laps, "cached": 1.0})
        answer = self._answer(question, top_k, lang, mode, history, clock)
        self.cache.put(key, answer)
        return answer

    def _answer(
        self, question: str, top_k: int, lang: Lang | None, mode: Mode, history: Sequence[str], clock: "_Clock"
    ) -> Answer:
        lang = lang or detect_lang(question)
        query = search_query(question, history)
        vector = self.retriever.embed_query(query)
        clock.lap("embed")
        hits = self.retriever.search(query, top_k, mode, vector)
        clock.lap("retrieve")
        q_terms = self.terms.query_terms(query, self.retriever.glossary)
        ranked = ev.candidates(self.index, self.terms, query, vector, hits, lang, q_terms)
        answer = self._compose(query, lang, ranked, q_terms)
        clock.lap("compose")
        answer.timings_ms = clock.laps
        return answer

    def _compose(self, question: str, lang: Lang, ranked: list[ev.Evidence], q_terms: list[ev.QueryTerm]) -> Answer:
        best = ranked[0].score if ranked else 0.0
        chosen = ev.choose(self.index, ranked, lang)
        rivals = self._disagreements(chosen, ranked)
        chosen += [b for _, b, _ in rivals if b not in chosen]
        coverage = self.terms.coverage(q_terms, [e.sentence for e in chosen])
        weak = best < self.abstain_below or coverage < self.min_coverage
        if not chosen or weak or self._misses(question, chosen):
            return Answer(abstention(lang), lang, False, evidence_score=best, coverage=coverage)
        citations = [self._citation(i + 1, e) for i, e in enumerate(chosen)]
        number = {c.sentence.sentence_id: c.n for c in citations}
        conflicts = [
            Conflict(
                d.about, [(d.value_a, [number[a.sentence.sentence_id]]), (d.value_b, [number[b.sentence.sentence_id]])]
            )
            for a, b, d in rivals
        ]
        text = _answer_text(lang, citations, rivals, number)
        return Answer(text, lang, True, citations, conflicts, evidence_score=best, coverage=coverage)

    def _misses(self, question: str, chosen: list[ev.Evidence]) -> bool:
        """The evidence leaves out a place, person or year that the question names."""
        texts = [e.sentence.text for e in chosen]
        return bool(unmet(question, texts, self.index.documents.values()))

    def _disagreements(
        self, chosen: list[ev.Evidence], ranked: list[ev.Evidence]
    ) -> list[tuple[ev.Evidence, ev.Evidence, Disagreement]]:
        found = []
        for a in chosen:
            for b in ranked:
                d = disagreement(a.sentence, b.sentence)
                if d and ev.similarity(self.index, a.sentence, b.sentence) >= CONFLICT_COSINE:
                    found.append((a, b, d))
                    break
        return found

    def _citation(self, n: int, e: ev.Evidence) -> Citation:
        return Citation(n, self.index.documents[e.sentence.doc_id], e.sentence, e.chunk, e.score)


def _answer_text(
    lang: Lang,
    citations: list[Citation],
    rivals: list[tuple[ev.Evidence, ev.Evidence, Disagreement]],
    number: dict[int, int],
) -> str:
    source_langs = {c.sentence.lang for c in citations}
    parts = [lead(lang, source_langs)]
    parts += [f"{c.sentence.text} [{c.n}]" for c in citations]
    parts += [
        conflict_sentence(lang, d, number[a.sentence.sentence_id], number[b.sentence.sentence_id]) for a, b, d in rivals
    ]
    return " ".join(parts) if lang == "en" else "".join(parts)


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.last) * 1000, 3)
        self.laps["total"] = round((now - self.start) * 1000, 3)
        self.last = now


__all__ = ["Answer", "Citation", "Conflict", "QAEngine"]
