"""Curated answers (issue 10): which curated question, if any, a new question asks again, and
whether a curated answer's citations still stand in the served index.

A question asks a curated question again only when they agree on what decides the answer: the
answer type (a count is no share), the years, the places and names (topic words such as Shanghai
aside), the words around the curated question's cue, what is counted, named or dated, which the
question must say ("how many *took* the exam" does not ask "how many *passed*"), and every word of
the question (topic and grammar aside), which the curated question must say ("... *on the first
try*" asks more), as written or through dictionary translations (CC-CEDICT and the domain glossary,
as retrieval uses them). Only then does the embedding decide: the agreeing curated questions are
ranked by dense similarity fused with BM25 (as passages are), and the best is taken when its
cosine reaches the threshold for its language pair. The e5 model scores a same-language near miss
("took" for "passed": 0.996) above a true cross-language paraphrase (0.83-0.92), so the cosine
alone cannot tell them apart; the thresholds are fitted by `python -m eval curated` on
eval/curated_paraphrases.jsonl.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from answer.constraints import constraints, romanised, unmet
from answer.evidence import SentenceTerms
from answer.qtypes import classify
from answer.query import head_terms
from index.glossary import Glossary
from index.hybrid import Retriever, rrf
from index.language import detect_lang, simplified
from index.lexical import LexicalIndex
from index.store import StoredIndex
from index.tokenize import tokenize
from index.types import Chunk, Document, Lang

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Thresholds:
    """The cosine a curated question must reach, for a question in its own and in the other language."""

    same_lang: float
    cross_lang: float

    def for_pair(self, a: Lang, b: Lang) -> float:
        """The threshold for a question in language a against a curated question in language b."""
        return self.same_lang if a == b else self.cross_lang


@dataclass(frozen=True)
class Asked:
    """What decides a question's answer, worked out once per question."""

    text: str
    lang: Lang
    kind: str
    years: frozenset[str]
    names: tuple[str, ...]
    spelled: str  # lower case, no spaces, its Chinese words also in pinyin: where names are looked for
    tokens: tuple[str, ...]
    known: frozenset[str]  # its tokens and their translations
    heads: frozenset[str]
    content: frozenset[str]  # every word that could name the fact asked (topic and grammar words aside)


# Auxiliaries and one- or two-letter tokens: how a question is phrased, never which fact it asks for.
_GRAMMAR = frozenset("do doe did can could would will shall should may might must get got".split())


def topic_words(index: StoredIndex, terms: SentenceTerms) -> frozenset[str]:
    """Search tokens that at least half of the documents hold: the corpus's topic, not a question's fact."""
    docs: dict[str, set[str]] = {}
    for sentence, tokens in zip(index.sentences, terms.tokens, strict=True):
        docs.setdefault(sentence.doc_id, set()).update(tokens)
    counts = Counter(t for tokens in docs.values() for t in tokens)
    return frozenset(t for t, n in counts.items() if n * 2 >= len(index.documents))


def asked(text: str, glossary: Glossary, documents: Iterable[Document], topic: frozenset[str]) -> Asked:
    """The question's answer type, years, places and names (topic words aside), tokens and head words
    (the words around its cue, or all its words when none of those is left; topic and grammar words aside)."""
    kind = classify(text)
    tokens = tuple(tokenize(text))
    content = _content(tokens, topic)
    heads = _content(head_terms(text, kind), topic) or content
    named = [c for c in constraints(text) if not _YEAR.fullmatch(c)]
    return Asked(
        text=text,
        lang=detect_lang(text),
        kind=kind.name,
        years=frozenset(_YEAR.findall(text)),
        names=tuple(unmet(named, [""], documents)),  # those that no more than half the articles mention
        spelled=_spelled(text, tokens),
        tokens=tokens,
        known=frozenset(tokens) | frozenset(glossary.translate(tokens)),
        heads=heads,
        content=content,
    )


def _content(words: Iterable[str], topic: frozenset[str]) -> frozenset[str]:
    """The words that say which fact is asked: not the corpus's topic, not grammar."""
    return frozenset(w for w in words if w not in topic and w not in _GRAMMAR and not re.fullmatch(r"[a-z]{1,2}", w))


def agree(asked: Asked, curated: Asked, glossary: Glossary) -> bool:
    """Whether a question asks for the fact a curated question asks for (everything but the embedding):
    the asked question may say nothing the curated one does not ("... on the first try"), and must say
    the curated question's head words. A question with nothing but topic words asks for no fact in
    particular and agrees with none."""
    return (
        bool(asked.heads)
        and bool(curated.heads)
        and asked.kind == curated.kind
        and asked.years == curated.years
        and all(_spelling(n) in curated.spelled for n in asked.names)
        and all(_spelling(n) in asked.spelled for n in curated.names)
        and all(_said([w], curated, glossary) for w in asked.content)
        and all(_said([h], asked, glossary) for h in curated.heads)
    )


def _spelling(name: str) -> str:
    """A place or name as both languages can be searched for it: pinyin for Chinese ("北京" -> "beijing")."""
    return romanised(name) or re.sub(r"\s", "", name.lower())


def _spelled(text: str, tokens: Sequence[str]) -> str:
    """The text in lower case without spaces, followed by the pinyin of its Chinese words."""
    return re.sub(r"\s", "", text.lower()) + " " + " ".join(filter(None, (romanised(t) for t in tokens)))


def _said(words: Sequence[str], other: Asked, glossary: Glossary) -> bool:
    """Whether every word is in the other question, as written or translated either way."""
    return all(w in other.known or bool(set(glossary.translate([w])) & other.known) for w in words)


@dataclass(frozen=True)
class Match:
    """The curated question a question asks again, and how close their embeddings are."""

    entry_id: int
    question: str
    score: float


@dataclass(frozen=True)
class Candidate:
    """A curated question that agrees with the asked one, with its cosine (for calibration)."""

    entry_id: int
    question: str
    cosine: float
    same_lang: bool


class CuratedIndex:
    """Curated questions (every question and paraphrase of every servable entry), searchable."""

    def __init__(
        self,
        questions: Sequence[tuple[int, str]],
        retriever: Retriever,
        topic: frozenset[str],
        vectors: NDArray[np.float32],
    ) -> None:
        self.retriever = retriever
        self.documents = list(retriever.index.documents.values())
        self.topic = topic
        self.questions = list(questions)
        self.asked = [asked(q, retriever.glossary, self.documents, topic) for _, q in self.questions]
        self.vectors = vectors
        self.lexical = LexicalIndex.build([q for _, q in self.questions]) if self.questions else None

    @classmethod
    def build(
        cls,
        questions: Sequence[tuple[int, str]],
        retriever: Retriever,
        topic: frozenset[str],
        cache: dict[str, NDArray[np.float32]],
    ) -> "CuratedIndex":
        """Embed the questions (reusing `cache`, text -> vector, which gains the new ones); `topic` from
        topic_words."""
        new = [q for _, q in questions if q not in cache]
        if new:
            cache.update(zip(new, retriever.embedder.embed_queries(new), strict=True))
        vectors = np.stack([cache[q] for _, q in questions]) if questions else np.zeros((0, 1), np.float32)
        return cls(questions, retriever, topic, vectors)

    def candidates(self, question: str) -> list[Candidate]:
        """The curated questions that agree with this one, best first (dense fused with BM25); a
        question in traditional Chinese is read in simplified."""
        if self.lexical is None:
            return []
        question = simplified(question)
        glossary = self.retriever.glossary
        query = asked(question, glossary, self.documents, self.topic)
        agreeing = [i for i, a in enumerate(self.asked) if agree(query, a, glossary)]
        if not agreeing:
            return []  # no embedding needed: most questions stop here
        cosines = self.vectors[agreeing] @ self.retriever.embed_query(question)
        dense = [agreeing[i] for i in np.argsort(-cosines, kind="stable")]
        scores = self.lexical.token_scores([*query.tokens, *glossary.translate(query.tokens)])
        lexical = sorted(agreeing, key=lambda i: (-scores[i], i))
        cosine = dict(zip(agreeing, cosines.tolist(), strict=True))
        return [
            Candidate(self.questions[i][0], self.questions[i][1], cosine[i], self.asked[i].lang == query.lang)
            for i in rrf([dense, lexical])
        ]

    def match(self, question: str, thresholds: Thresholds) -> Match | None:
        """The best agreeing curated question whose cosine reaches its threshold, or None."""
        for c in self.candidates(question):
            if c.cosine >= (thresholds.same_lang if c.same_lang else thresholds.cross_lang):
                return Match(c.entry_id, c.question, c.cosine)
        return None


@dataclass(frozen=True)
class CitedSpan:
    """A curated answer's citation as it stands in the served index."""

    document: Document
    start: int
    end: int
    text: str
    chunk: Chunk


def citation_problem(index: StoredIndex, doc_id: str, start: int, end: int) -> str | None:
    """Why [start:end] of doc_id cannot be cited in this index, or None when it can."""
    doc = index.documents.get(doc_id)
    if doc is None:
        return f"no document {doc_id!r} in the served index"
    if not 0 <= start < end <= len(doc.text):
        return f"[{start}:{end}] is not a span of {doc_id!r} (its text has {len(doc.text)} characters)"
    if not doc.text[start:end].strip():
        return f"[{start}:{end}] of {doc_id!r} is only whitespace"
    if passage_of(index, doc_id, start, end) is None:
        return f"[{start}:{end}] of {doc_id!r} is not within one passage"
    return None


def passage_of(index: StoredIndex, doc_id: str, start: int, end: int) -> Chunk | None:
    """The first passage of the document that holds the whole span."""
    return next((c for c in index.chunks if c.doc_id == doc_id and c.start <= start and end <= c.end), None)


def cited(index: StoredIndex, doc_id: str, start: int, end: int) -> CitedSpan:
    """A citable span (check it with citation_problem first)."""
    doc = index.documents[doc_id]
    chunk = passage_of(index, doc_id, start, end)
    assert chunk is not None, "checked by citation_problem"
    return CitedSpan(doc, start, end, doc.text[start:end], chunk)


def stale_reason(index: StoredIndex, citations: Iterable[tuple[str, int, int, str]]) -> str | None:
    """Why citations (doc_id, start, end, text as approved) no longer stand in this index, or None."""
    for doc_id, start, end, text in citations:
        doc = index.documents.get(doc_id)
        if doc is None:
            return f"the cited document {doc_id!r} is no longer in the corpus"
        if doc.text[start:end] != text:
            return f"the cited text of {doc_id!r} at [{start}:{end}] changed"
        if passage_of(index, doc_id, start, end) is None:
            return f"the cited text of {doc_id!r} at [{start}:{end}] is no longer within one passage"
    return None
