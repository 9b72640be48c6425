"""Score the sentences of retrieved passages against a question and pick the evidence.

A sentence's score adds, to the cosine of its vector with the question's:
- the share of the question's terms (weighted by rarity in the corpus) that it contains,
  a term counting when it or one of its CC-CEDICT translations appears;
- a bonus when it is in the question's language (the model scores cross-language pairs
  lower, so without it a Chinese question never gets an English answer, and with too much
  of it the reverse);
- a bonus for the rank of the passage it was found in, and one when it holds the kind of
  answer asked for (a figure for "how many / 多少", a year for "when / 哪年", a name for "who").
The weights were chosen on the tune split of the gold set (see eval/).
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from index.glossary import Glossary
from index.store import StoredIndex
from index.tokenize import tokenize
from index.types import Chunk, Hit, Lang, Sentence

OTHER_LANG_PENALTY = 0.05
COVERAGE_WEIGHT = 0.30
RANK_WEIGHT = 0.05
ANSWER_TYPE_WEIGHT = 0.05
DUPLICATE_COSINE = 0.93  # sentences this close say the same thing; cite one
SUPPORT_MARGIN = 0.05  # more sentences join the answer while this close to the best
MAX_SENTENCES = 3
OTHER_LANG_MARGIN = 0.20  # the other language's best sentence joins while this close

# Machine-written articles carry notes about their own sources ("the material does not
# say..."); they are not evidence about the profession.
_EDITORIAL = re.compile(r"资料中未|本节|零信息|原始数据支撑|无法展开")
_ASK_WHO = re.compile(r"\bwho(?:'s| is| was| are)\b|\bwhose\b|\bname of\b|是谁|叫什么|名字|哪位")
_ASK_WHEN = re.compile(r"\bwhen\b|which year|what year|哪年|哪一年|什么时候|何时")
_ASK_NUMBER = re.compile(r"how many|how much|percent|number of|ratio|proportion|split|多少|几|比例|百分|多大|占")
_PERSON = re.compile(r"[A-Z][a-z]+ [A-Z][a-z]+")
_YEAR = re.compile(r"\b(19|20)\d\d\b")


@dataclass(frozen=True)
class Evidence:
    """A candidate sentence, the passage it was found in, and how well it answers."""

    sentence: Sentence
    chunk: Chunk
    cosine: float
    coverage: float
    score: float


@dataclass(frozen=True)
class QueryTerm:
    """A question term, its translations, and its weight (inverse sentence frequency)."""

    variants: frozenset[str]
    weight: float
    known: bool


class SentenceTerms:
    """Search tokens of every corpus sentence and their document frequencies."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.tokens = [frozenset() if is_editorial(s.text) else frozenset(tokenize(s.text)) for s in sentences]
        self.df = Counter(t for ts in self.tokens for t in ts)
        self.n = len(sentences)

    def query_terms(self, question: str, glossary: Glossary) -> list[QueryTerm]:
        """The question's distinct terms, each with its translations and weight."""
        terms = []
        for token in dict.fromkeys(tokenize(question)):
            variants = frozenset({token, *glossary.translate([token])})
            dfs = [self.df[v] for v in variants if self.df.get(v)]
            terms.append(QueryTerm(variants, self._idf(max(dfs, default=0)), bool(dfs)))
        return terms

    def coverage(self, q_terms: Sequence[QueryTerm], sentences: Sequence[Sentence]) -> float:
        """The weight share of the question's terms that the sentences hold, in either language."""
        tokens: frozenset[str] = frozenset().union(*(self.tokens[s.sentence_id] for s in sentences))
        total = sum(t.weight for t in q_terms)
        return sum(t.weight for t in q_terms if t.variants & tokens) / total if total else 0.0

    def _idf(self, df: int) -> float:
        return math.log((self.n + 1) / (df + 0.5))


def is_editorial(text: str) -> bool:
    """A note of the article about its own sources rather than about its subject."""
    return bool(_EDITORIAL.search(text))


def answer_type(question: str) -> str | None:
    """ "who", "when", "number" or None, from the question's wording."""
    q = question.lower()
    for kind, pattern in (("who", _ASK_WHO), ("when", _ASK_WHEN), ("number", _ASK_NUMBER)):
        if pattern.search(q):
            return kind
    return None


def holds_answer_type(kind: str | None, text: str) -> bool:
    """Whether the sentence holds the kind of answer the question asks for."""
    if kind == "who":
        return bool(_PERSON.search(text))
    if kind == "when":
        return bool(_YEAR.search(text))
    if kind == "number":
        return bool(re.search(r"\d", _YEAR.sub("", text)))
    return False


def candidates(
    index: StoredIndex,
    terms: SentenceTerms,
    question: str,
    vector: NDArray[np.float32],
    hits: Sequence[Hit],
    lang: Lang,
    q_terms: Sequence[QueryTerm],
) -> list[Evidence]:
    """Every sentence of the hit passages (editorial notes aside), best first, each once."""
    kind = answer_type(question)
    total = sum(t.weight for t in q_terms) or 1.0
    seen: dict[int, Evidence] = {}
    for hit in hits:
        for sid in range(hit.chunk.first_sentence, hit.chunk.last_sentence + 1):
            sentence = index.sentences[sid]
            if sid in seen or is_editorial(sentence.text):
                continue
            cosine = float(index.sentence_vectors[sid] @ vector)
            coverage = sum(t.weight for t in q_terms if t.variants & terms.tokens[sid]) / total
            score = (
                cosine
                + COVERAGE_WEIGHT * coverage
                + RANK_WEIGHT / hit.rank
                + ANSWER_TYPE_WEIGHT * holds_answer_type(kind, sentence.text)
                - (OTHER_LANG_PENALTY if sentence.lang != lang else 0.0)
            )
            seen[sid] = Evidence(sentence, hit.chunk, cosine, coverage, score)
    return sorted(seen.values(), key=lambda e: -e.score)


def choose(index: StoredIndex, ranked: Sequence[Evidence], lang: Lang) -> list[Evidence]:
    """The best sentence, close runners-up that add something new, and the best sentence in
    the other language when it comes close (the model cannot tell reliably which language
    holds the answer, so a close call shows both)."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    for ev in ranked[1:]:
        if len(chosen) == MAX_SENTENCES or ev.score < ranked[0].score - SUPPORT_MARGIN:
            break
        if not any(similarity(index, ev.sentence, c.sentence) >= DUPLICATE_COSINE for c in chosen):
            chosen.append(ev)
    other = [e for e in ranked if e.sentence.lang != lang]
    if other and other[0] not in chosen and other[0].score >= ranked[0].score - OTHER_LANG_MARGIN:
        chosen.append(other[0])
    return chosen


def similarity(index: StoredIndex, a: Sentence, b: Sentence) -> float:
    """Cosine of two corpus sentences' passage vectors."""
    return float(index.sentence_vectors[a.sentence_id] @ index.sentence_vectors[b.sentence_id])
