"""Score the sentences of retrieved passages against a question and pick the evidence.

A sentence's score adds, to the cosine of its vector with the question's:
- the share of the question's terms (weighted by rarity in the corpus) that it contains,
  a term counting when it or one of its CC-CEDICT translations appears;
- a bonus when it is in the question's language (the model scores cross-language pairs
  lower, so without it a Chinese question never gets an English answer, and with too much
  of it the reverse);
- a bonus for the rank of the passage it was found in, and one when it holds a span of the
  type the question asks for (answer/qtypes.py, answer/spans.py).
The weights were chosen on the tune split of the gold set (see eval/).
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA

from answer.conflicts import FIGURE_KINDS
from answer.followup import opens_with_person
from answer.homophones import HomophoneReader
from answer.pinyin_input import PinyinReader
from answer.qtypes import AnswerType
from answer.spans import find_spans, sentence_spans
from answer.spelling import LONG, MIN_LENGTH, Speller
from index.glossary import Glossary, cedict_senses, english_stems, kinds
from index.language import has_han
from index.store import StoredIndex
from index.tokenize import dictionary_parts, is_stopword, located_tokens, tokenize
from index.types import Chunk, Hit, Lang, Sentence

if TYPE_CHECKING:
    from answer.query import Query

OTHER_LANG_PENALTY = 0.05
LANG_EQUALISE = 0.7
HEAD_WEIGHT = 2.0
COVERAGE_WEIGHT = 0.30
RANK_WEIGHT = 0.05
ANSWER_TYPE_WEIGHT = 0.05
DUPLICATE_COSINE = 0.93  # sentences this close say the same thing; cite one
SUPPORT_MARGIN = 0.05  # a short answer's sentence leads while this close to the best sentence
# More sentences join an answer of sentences while this close to the best (fitted on the tune split:
# 0.05 -> 0.10 fixed four rows and lost none; past 0.10 nothing changes).
SENTENCE_MARGIN = 0.10
MAX_SENTENCES = 3
OTHER_LANG_MARGIN = 0.20  # the other language's best sentence joins while this close

# A sentence opening with a word that points back to the one before it, whose opening names its subject.
_OPENS_POINTING_BACK = re.compile(r"(?:其(?![中他它实余次])|它们?)|(?:its|their|they)\b", re.IGNORECASE)
SUBJECT_CHARS = 8  # a Chinese sentence's subject stands in its first characters ...
SUBJECT_WORDS = 3  # ... an English one's in its first words

# Machine-written articles carry notes about their own sources ("the material does not
# say..."); they are not evidence about the profession.
_EDITORIAL = re.compile(r"资料中未|本节|零信息|原始数据支撑|无法展开")


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
    synonyms: frozenset[str] = frozenset()  # looser: for nearness to a short answer only
    instances: frozenset[str] = frozenset()  # the names among the variants of what the term names ("hangzhou" for city)

    @property
    def near(self) -> frozenset[str]:
        """The words that stand for the term beside a short answer."""
        return self.variants | self.synonyms


class SentenceTerms:
    """Search tokens of every corpus sentence and their document frequencies."""

    def __init__(self, sentences: Sequence[Sentence], glossary: Sequence[tuple[str, str]] = ()) -> None:
        """`glossary`: the corpus's (Chinese term, English term) pairs."""
        self.tokens = [frozenset() if is_editorial(s.text) else frozenset(tokenize(s.text)) for s in sentences]
        self._sentences = sentences
        self.df = Counter(t for ts in self.tokens for t in ts)
        # A sentence opening with "He"/"She" (他/她) is about the person the one before it names: it
        # holds that person's name and role too ("said Li Na, the company's general manager." /
        # "She credited local policies ...") for the question asking about them.
        for sid in range(1, len(sentences)):
            if opens_with_person(sentences[sid].text) and sentences[sid - 1].doc_id == sentences[sid].doc_id:
                self.tokens[sid] = self.tokens[sid] | _person_words(sentences[sid - 1])
        self.n = len(sentences)
        self._said = [self._with_subject(s) for s in sentences]
        self._words = sorted(t for t in self.df if t.isascii() and t.isalpha())
        self._kinds = {t: k for t in self.df if (k := kinds(t))}
        # Chinese words a question types in pinyin, as the Chinese article writes them
        english = {w for s in sentences if s.lang == "en" for w in re.findall(r"[a-z]+", s.text.lower())}
        self.pinyin = PinyinReader([s.text for s in sentences if s.lang == "zh"], english)
        # English words typed with a letter wrong, read as the articles' words or the glossary's ("Lingang")
        self.speller = Speller(chain((s.text for s in sentences), (en for _, en in glossary)))
        # Chinese typed with a character of the same sound; the corpus's words and the glossary's are kept
        self.homophones = HomophoneReader(frozenset(t for t in self.df if has_han(t)) | {zh for zh, _ in glossary})
        # Verbs opening the glossary's renderings of one Chinese term ("*took* the exam", "*sat* the
        # exam": 参考; "*passed*", "*earning* the credential", "*certified*": 通过) say the same thing,
        # and so does the term: a count's verb, or a question's, is read as any of them.
        openers: dict[str, set[str]] = {}
        for zh, en in glossary:
            if _OPENING_VERB.match(en) and (words := tokenize(en)):
                openers.setdefault(zh, set()).add(words[0])
        self.same_verb: dict[str, frozenset[str]] = {}
        for zh, group in openers.items():
            for word in group:
                self.same_verb[word] = self.same_verb.get(word, frozenset()) | group | {zh}
        self._holding: dict[str, list[int]] = {}  # a name of some class -> the sentences naming it
        # the people the articles name in English ("Chen Ke"): a question may write them in Chinese
        self.people = frozenset(
            span.text for s in sentences if s.lang == "en" for span in sentence_spans(s) if span.kind == "person"
        )
        for sid, tokens in enumerate(self.tokens):
            for t in tokens & self._kinds.keys():
                self._holding.setdefault(t, []).append(sid)
        # the sentences holding a span of each kind ("on weekends": schedule)
        self.of_kind: dict[str, list[int]] = {}
        for sid, sentence in enumerate(sentences):
            for kind in sorted({span.kind for span in sentence_spans(sentence)}):
                self.of_kind.setdefault(kind, []).append(sid)

    def naming(self, words: frozenset[str]) -> list[int]:
        """The sentences that hold one of these names (of those CC-CEDICT gives a class), in order."""
        return sorted({sid for w in words for sid in self._holding.get(w, [])})

    def holding(self, words: frozenset[str]) -> list[int]:
        """The sentences that hold one of these search tokens, in order."""
        return [sid for sid, tokens in enumerate(self.tokens) if tokens & words]

    def instances(self, words: frozenset[str]) -> frozenset[str]:
        """The corpus's names of what the words name, as CC-CEDICT tells (杭州 and "hangzhou" for
        a city, 复旦 for a university)."""
        return frozenset(t for t, k in self._kinds.items() if k & words)

    def said_of(self, sentence: Sentence) -> frozenset[str]:
        """The sentence's tokens, and when it opens by pointing back to the sentence before it, the
        tokens that one opens with, its subject ("其核心工作涵盖数据标注……": *its* core work, the work
        of 人工智能训练师, which opens the sentence before)."""
        return self._said[sentence.sentence_id]

    def _with_subject(self, sentence: Sentence) -> frozenset[str]:
        own = self.tokens[sentence.sentence_id]
        before = self.beside(sentence, -1) if _OPENS_POINTING_BACK.match(sentence.text) else None
        if before is None:
            return own
        opening = before.text[:SUBJECT_CHARS] if before.lang == "zh" else " ".join(before.text.split()[:SUBJECT_WORDS])
        return own | frozenset(tokenize(opening))

    def beside(self, sentence: Sentence, step: int) -> Sentence | None:
        """The sentence before (-1) or after (1) this one in its document, if any (as
        `Surroundings.beside` for passages)."""
        at = sentence.sentence_id + step
        other = self._sentences[at] if 0 <= at < len(self._sentences) else None
        return other if other is not None and other.doc_id == sentence.doc_id else None

    def spelled(self, token: str) -> str:
        """The corpus's word for a misspelt English token ("natinally" -> nation): one edit away
        (two from eight letters on), when the token is neither in the corpus nor an English word
        CC-CEDICT knows (a stem of a misspelt word that `Speller` left as typed, having no word
        as near); else the token itself."""
        if len(token) < MIN_LENGTH or not token.isascii() or not token.isalpha() or token in self.df:
            return token
        if token in english_stems():
            return token
        most = 1 if len(token) < LONG else 2
        found = process.extractOne(token, self._words, scorer=OSA.distance, score_cutoff=most)
        return str(found[0]) if found else token

    def query_terms(self, question: str, glossary: Glossary, head: frozenset[str] = frozenset()) -> list[QueryTerm]:
        """The question's distinct terms, each with its translations and weight (its `head`
        words, those around the question's cue, weigh HEAD_WEIGHT times more)."""
        written = glossary.written_in(question)
        # a word jieba made up that neither the corpus nor the glossary knows (not even as part of
        # a glossary term written in the question: 社部 in 人社部) stands for its dictionary words
        located = [
            (part, at + offset)
            for token, at in _outside_terms(_numerals_in_digits(question, located_tokens(question)), written)
            for part, offset in (
                dictionary_parts(token)
                if self._unread(token, glossary) and not any(start <= at < end for start, end, _ in written)
                else [(token, 0)]
            )
        ]
        tokens = list(dict.fromkeys(t for t, _ in located))
        phrases = glossary.phrases(tokens)
        # a word that is a term of its own written inside a longer one means only the longer one (考 in 考下来)
        inside = {t for t, at in located for s, e, _ in written if s <= at and at + len(t) <= e and e - s > len(t)}
        by_token: dict[str, QueryTerm] = {}
        for token in tokens:
            bare = _unglued(token) if token not in self.df else token
            meant = self.spelled(token if bare in tokens else bare)  # 是因为 beside 因为: left to _unknown_compound
            whole = [
                t for own, other in phrases if token in own and not (own == (token,) and token in inside) for t in other
            ]
            whole += [
                t
                for at in (a for w, a in located if w == token)
                for start, end, other in written
                if start <= at and at + len(token) <= end
                for t in other
            ]
            translated = glossary.translate([meant], terms=token not in inside)
            variants = frozenset({token, meant, *whole, *translated, *_figure_forms(token)})
            dfs = [self.df[v] for v in variants if self.df.get(v)]
            boost = HEAD_WEIGHT if token in head else 1.0
            by_token[token] = QueryTerm(
                variants,
                boost * self._idf(max(dfs, default=0)),
                bool(dfs),
                self._synonyms(token, translated, glossary),
            )
        return [term for token, term in by_token.items() if not _unknown_compound(token, located, by_token)]

    def _unread(self, token: str, glossary: Glossary) -> bool:
        """Whether neither the corpus nor the glossary knows the token (nor a name it spells)."""
        return token not in self.df and not glossary.translate([token])

    def _synonyms(self, token: str, translated: Sequence[str], glossary: Glossary) -> frozenset[str]:
        """The corpus's Chinese words for a Chinese word, through their English senses (大学 ->
        university -> 高校, 扎堆 -> together -> 集中): too loose to find evidence by, close enough
        to tie a short answer to the question."""
        if not has_han(token):
            # the domain glossary's other English words for its term (course: programme), unless
            # much commoner than the word itself (course: training, which every article says)
            most = 2 * max(self.df.get(token, 0), 1)
            return frozenset(w for w in glossary.siblings.get(token, ()) if 0 < self.df.get(w, 0) <= most)
        return frozenset(w for w in glossary.translate(translated) if has_han(w) and self.df.get(w))

    def coverage(self, q_terms: Sequence[QueryTerm], sentences: Sequence[Sentence]) -> float:
        """The weight share of the question's terms that the sentences hold, in either language."""
        tokens: frozenset[str] = frozenset().union(*(self.tokens[s.sentence_id] for s in sentences))
        total = sum(t.weight for t in q_terms)
        return sum(t.weight for t in q_terms if t.variants & tokens) / total if total else 0.0

    def idf(self, token: str) -> float:
        """The token's inverse sentence frequency in the corpus."""
        return self._idf(self.df.get(token, 0))

    def _idf(self, df: int) -> float:
        return math.log((self.n + 1) / (df + 0.5))


# A rendering opening with a verb in the past or -ing form ("took the exam", "earning the credential").
_OPENING_VERB = re.compile(r"(?:[a-z]+(?:ed|ing)|took|sat|got|won|made(?! it\b))(?:\s|$)")


# Function characters jieba sometimes glues to a word ("课是" in "课是周末上吗", "建了").
_GLUED = re.compile(r"^[是的了在和与也都就还把被对从那这]|[是的了过着在和与也都就吗呢吧啊]$")


def _unglued(token: str) -> str:
    """A Chinese token without a function character jieba glued to it ("课是" -> 课), else the token."""
    if not has_han(token) or len(token) < 2 or token in cedict_senses():
        return token  # a word of its own (通过, 考过), not one with a function character glued on
    stripped = _GLUED.sub("", token)
    return stripped or token


def _outside_terms(
    located: Sequence[tuple[str, int]], written: Sequence[tuple[int, int, tuple[str, ...]]]
) -> list[tuple[str, int]]:
    """The tokens, a word jieba cut across the edge of a glossary term written in the question
    (师课 in 训练师课, 师证 in 训练师证: the term's last character glued to the next word) as
    its part outside the term (课, 证): the part inside is the term's, which other tokens carry;
    a term the word ends with whole (考 in 人考) is a token of its own, and what comes before it
    one, unless a stop word (那 in 那拿证)."""
    kept = []
    for token, at in located:
        end = at + len(token)
        edge = next((e for s, e, _ in written if s < at < e < end), None)
        if edge is not None:
            kept.append((token[edge - at :], edge))
            continue
        start, stop = next(((s, e) for s, e, _ in written if at < s < end <= e), (None, None))
        if start is None:
            kept.append((token, at))
            continue
        if not is_stopword(token[: start - at]):  # 那 of 那拿证 is no term
            kept.append((token[: start - at], at))
        if stop == end:
            kept.append((token[start - at :], start))
    return kept


def _unknown_compound(token: str, located: Sequence[tuple[str, int]], terms: dict[str, QueryTerm]) -> bool:
    """A word jieba's search mode gives beside its parts (招人难 with 招人, 是因为 with 因为) that the
    corpus does not know: its known parts stand for it, and it is no term of its own."""
    if terms[token].known or not has_han(token):
        return False
    spans = [(at, at + len(token)) for t, at in located if t == token]
    return any(
        part != token and terms[part].known and start <= at and at + len(part) <= end
        for part, at in located
        for start, end in spans
    )


def is_editorial(text: str) -> bool:
    """A note of the article about its own sources rather than about its subject."""
    return bool(_EDITORIAL.search(text))


def candidates(
    index: StoredIndex,
    terms: SentenceTerms,
    query: "Query",
    hits: Sequence[Hit],
    other_lang: Callable[[list[Sentence], NDArray[np.float32]], NDArray[np.float32]] | None = None,
) -> list[Evidence]:
    """Every sentence of the hit passages (editorial notes aside), best first, each once.

    The model scores a pair in one language far above a pair across languages, so each
    language's cosines are lifted by LANG_EQUALISE of the gap between its best and the overall
    best: the English sentence that answers a Chinese question then competes on its merits."""
    q_terms, vector, lang, answer_type = query.terms, query.vector, query.lang, query.answer_type
    total = sum(t.weight for t in q_terms) or 1.0
    found: dict[int, tuple[Sentence, Hit, float]] = {}
    for hit in hits:
        for sid in range(hit.chunk.first_sentence, hit.chunk.last_sentence + 1):
            sentence = index.sentences[sid]
            if sid not in found and not is_editorial(sentence.text):
                found[sid] = (sentence, hit, float(index.sentence_vectors[sid] @ vector))
    others = [sid for sid, (sentence, _, _) in found.items() if sentence.lang != lang]
    if other_lang is not None and len(others) > 1:  # a second opinion on the other language's sentences
        fused = other_lang([found[sid][0] for sid in others], np.array([found[sid][2] for sid in others]))
        for sid, cosine in zip(others, fused, strict=True):
            found[sid] = (found[sid][0], found[sid][1], float(cosine))
    top = max((c for _, _, c in found.values()), default=0.0)
    top_by_lang: dict[str, float] = {}
    for sentence, _, cosine in found.values():
        top_by_lang[sentence.lang] = max(top_by_lang.get(sentence.lang, -1.0), cosine)
    ranked = []
    for sentence, hit, cosine in found.values():
        coverage = sum(t.weight for t in q_terms if t.variants & terms.said_of(sentence)) / total
        score = (
            cosine
            + LANG_EQUALISE * (top - top_by_lang[sentence.lang])
            + COVERAGE_WEIGHT * coverage
            + RANK_WEIGHT / hit.rank
            + ANSWER_TYPE_WEIGHT * _of_type(sentence, answer_type)
            - (OTHER_LANG_PENALTY if sentence.lang != lang else 0.0)
        )
        ranked.append(Evidence(sentence, hit.chunk, cosine, coverage, score))
    return sorted(ranked, key=lambda e: -e.score)


def _of_type(sentence: Sentence, answer_type: AnswerType) -> bool:
    """Whether the sentence holds a span of a kind that answers the type, or bears its marker."""
    kinds = answer_type.spans
    return any(s.kind in kinds for s in sentence_spans(sentence)) or answer_type.marks(sentence.text, sentence.lang)


_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_NUMERAL_TOKEN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+[多余]?")  # "一万六千多": sixteen thousand odd


def _numerals_in_digits(question: str, located: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The tokens, those of a figure written in Chinese numerals (一万零九百, which jieba cuts
    一万/零/九百) as one token, its digits (10900): a term whose other forms the articles write."""
    figures = numeral_figures(question) if _NUMERAL.search(question) else ()
    if not figures:
        return located
    kept: list[tuple[str, int]] = []
    for token, at in located:
        figure = next((f for f in figures if f[0] <= at < f[1]), None) if _NUMERAL_TOKEN.fullmatch(token) else None
        if figure is None:
            kept.append((token, at))
        elif (figure[2], figure[0]) not in kept:
            kept.append((figure[2], figure[0]))
    return kept


@lru_cache(maxsize=4096)
def numeral_figures(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, digits) of each figure of ten or more the text writes in Chinese numerals only."""
    return tuple(
        (span.start, span.end, str(int(span.value)))
        for span in find_spans(text, FIGURE_KINDS)
        if span.value is not None
        and span.value >= 10
        and span.value.is_integer()
        and has_han(span.text)
        and not any(ch.isdigit() for ch in span.text)
    )


def _figure_forms(token: str) -> tuple[str, ...]:
    """A figure's other written forms: "67 percent" is tokenised 67, "67%" as written; 16300 is
    16,300 and the reverse; 12,000 is 1.2万 and the reverse."""
    if token.endswith("%") and token[:-1].replace(".", "").isdigit():
        return (token[:-1],)
    wan = _WAN.fullmatch(token)
    if wan:
        n = round(float(wan.group(1)) * 10_000)
        return (str(n), f"{n:,}")
    plain = token.replace(",", "")
    if not plain.isdigit():
        return (f"{token}%",) if token.replace(".", "").isdigit() else ()
    n = int(plain)
    forms = (plain, f"{n:,}", f"{token}%", *((f"{n / 10_000:g}万",) if n >= 10_000 else ()))
    return tuple(dict.fromkeys(f for f in forms if f != token))


_WAN = re.compile(r"(\d+(?:\.\d+)?)万")


_PERSON_REACH = 40  # characters after a person's name that say who they are ("Li Na, the company's general manager")


def _person_words(sentence: Sentence) -> frozenset[str]:
    """The tokens of the people a sentence names, and of the words right after each name."""
    found: set[str] = set()
    for span in sentence_spans(sentence):
        if span.kind == "person":
            found.update(tokenize(sentence.text[span.start : span.end + _PERSON_REACH]))
    return frozenset(found)


def choose(index: StoredIndex, ranked: Sequence[Evidence], lang: Lang) -> list[Evidence]:
    """The best sentence, close runners-up that add something new, and the best sentence in
    the other language when it comes close (the model cannot tell reliably which language
    holds the answer, so a close call shows both)."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    for ev in ranked[1:]:
        if len(chosen) == MAX_SENTENCES or ev.score < ranked[0].score - SENTENCE_MARGIN:
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
