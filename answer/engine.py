"""The question-answering engine: retrieval, evidence selection, conflicts, answer text."""

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from answer import evidence as ev
from answer.cache import LRUCache, normalise_question
from answer.config import EngineConfig
from answer.conflicts import DISPUTABLE, FIGURE_KINDS, Disagreement, disagreement
from answer.constraints import (
    ALSO,
    beyond_topic,
    chinese_place,
    constraints,
    is_place,
    lies_in,
    mentions,
    names_only,
    place_names,
    reported_years,
    spelled_names,
    unmet,
)
from answer.crosslingual import CrossLingual, fuse
from answer.evidence import QueryTerm
from answer.parts import parts
from answer.qtypes import named
from answer.query import NAMING, Query, as_read, build_query, search_tokens
from answer.reader import (
    CLASS_WEIGHT,
    Candidate,
    Reading,
    beside,
    chooses_among_people,
    needs_the_one_before,
    offered,
    read_typed,
)
from answer.related import Related, related
from answer.spans import Span, find_spans, sentence_spans
from answer.surroundings import Surroundings, unread
from answer.wording import abstention, conflict_sentence, lead, not_covered, short_lead
from index.config import open_index
from index.glossary import english_stems, load_domain_glossary
from index.hybrid import RRF_K, Retriever
from index.language import detect_lang, has_han, simplified
from index.store import StoredIndex
from index.tokenize import tokenize, warm_up
from index.types import Chunk, Document, Embedder, Hit, Lang, Mode, Sentence
from index.vector_store import VectorStore, make_vector_store

CONFLICT_COSINE = 0.80
NEIGHBOUR_PASSAGES = 5  # passages near a cited sentence searched for another source's value
# A yes/no question is about its own words: a sentence holding under this share of them confirms
# nothing (tune split: every rightly answered one held 0.31 or more, two unanswerable ones 0.2).
YESNO_MIN_COVERAGE = 0.3
# A typed answer's evidence score moves by FOCUS_EVIDENCE per unit of focus above or below FOCUS_PIVOT
# (fitted on the tune split with the threshold: 5-fold utility 0.732 -> 0.750).
FOCUS_EVIDENCE = 0.1
FOCUS_PIVOT = 0.1
RARE_KIND = 6  # a kind of answer span held by this many corpus sentences or fewer is read wherever it is
TYPED_PASSAGES = 2  # else the passages holding it that share most words with the question
# Not figures: the passages holding counts and shares that share words with a question count
# something else as often ("how many AI trainers are there" would read "16,300 people took the exam")
FIGURES = frozenset({"count", "percent"})
NAMED_PASSAGES = 6  # passages naming what the question names, added to those retrieved
READ_TOP_K = 5  # passages an answer reads (/v1/ask's default top_k): search puts those it cites first
SEARCH_POOL = 20  # passages a search ranks anew, those naming what the query names first


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
    note: str = ""  # the sentence of the answer that says so, in the asker's language


@dataclass(frozen=True)
class ShortAnswer:
    """The asked fact alone: `text` is the cited document's text[start:end], in citation n."""

    text: str
    n: int
    start: int
    end: int
    span: Span


@dataclass
class Answer:
    """What /v1/ask returns, before it becomes JSON."""

    text: str
    lang: Lang
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    short_answer: ShortAnswer | None = None
    related: list[Related] = field(default_factory=list)  # declined only: passages on the question's topic
    timings_ms: dict[str, float] = field(default_factory=dict)
    evidence_score: float = 0.0
    coverage: float = 0.0
    focus: float | None = None  # how much of the question stands near the short answer (typed questions)


class QAEngine:
    """Answers questions from one loaded index."""

    def __init__(
        self,
        index: StoredIndex,
        embedder: Embedder,
        abstain_below: float,
        min_coverage: float = 0.0,
        min_focus: float = 0.0,
        related_floor: float = float("inf"),
        cache_size: int = 1024,
        vectors: VectorStore | None = None,
        glossary: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.index = index
        self.retriever = Retriever(index, embedder, vectors, glossary)
        self.cross = CrossLingual()
        self.terms = ev.SentenceTerms(index.sentences, glossary)
        self.around = Surroundings(index)
        self.abstain_below = abstain_below
        self.min_coverage = min_coverage
        self.min_focus = min_focus
        self.related_floor = related_floor
        self.cache: LRUCache[Answer] = LRUCache(cache_size)
        _warm_up()

    @classmethod
    def open(
        cls, config: EngineConfig, embedder: Embedder | None = None, index: StoredIndex | None = None
    ) -> "QAEngine":
        """Serve `index`, or the published index, verified; built first when missing, damaged or
        stale and the configuration allows (see index.config.open_index)."""
        embedder = embedder or config.make_embedder()
        index = index or open_index(config, embedder)
        vectors = make_vector_store(index, config.vector_store, config.milvus_uri)
        return cls(
            index,
            embedder,
            config.abstain_below,
            config.min_coverage,
            config.min_focus,
            config.related_floor,
            config.answer_cache_size,
            vectors,
            load_domain_glossary(config.corpus_dir),
        )

    def search(self, query: str, k: int, mode: Mode = "hybrid") -> list[Hit]:
        """The k best passages for the query, read as a question is (answer/query.py `as_read`,
        misspelt words corrected); of the best SEARCH_POOL (or 2k) found, those naming the people, places and
        sources the query names come first ("易舟在什么单位上班": the passages around Yi Zhou). In the
        default hybrid mode the reader reranks: the passages /v1/ask's answer to the query cites come first,
        the short answer's first (the reader finds the passage that answers "which other city ..." where the
        fused ranks put it sixth); dense and bm25 are the retrievers alone."""
        text = as_read(query, self.terms)
        hits = self.retriever.search(text, max(2 * k, SEARCH_POOL), mode, tokens=search_tokens(text, self.terms))
        names = self._beyond_topic(constraints(text, self.terms.people))
        if names:
            hits = sorted(hits, key=lambda h: not all(mentions(self.around.text(h.chunk), c) for c in names))
        if mode == "hybrid":
            hits = self._cited_first(self.ask(text, READ_TOP_K, None, mode), hits)
        # scores by rank, as the retriever's are, so that they fall with the rank the reader gave
        return [replace(h, rank=rank, score=1.0 / (RRF_K + rank)) for rank, h in enumerate(hits[:k], 1)]

    @staticmethod
    def _cited_first(answer: Answer, hits: list[Hit]) -> list[Hit]:
        """The passages the answer cites first, the short answer's first of them, then the rest as ranked."""
        first = answer.short_answer.n if answer.short_answer else 0
        cited = sorted(answer.citations, key=lambda c: c.n != first)
        by_id = {h.chunk.chunk_id: h for h in hits}
        front: list[Hit] = []
        for c in cited:
            if all(h.chunk.chunk_id != c.chunk.chunk_id for h in front):
                front.append(by_id.get(c.chunk.chunk_id) or Hit(c.chunk, 0.0, 0))
        return front + [h for h in hits if h not in front]

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
        asked = parts(simplified(question))  # its parts are found by simplified characters' cues (幾 is 几)
        lang = lang or (detect_lang(question) if len(asked) > 1 else None)
        selections = []
        earlier = list(history)
        for i, part in enumerate(asked):
            # a later part is about what the first names, as a follow-up is ("who runs the course,
            # and where is it held?"), and what the first was read with ("这个数是哪年的 谁统计的")
            query = build_query(part, earlier, lang, self.retriever, self.terms, leans=i > 0)
            selections.append(self._select(query, top_k, mode, clock))
            earlier = [*history, query.search_text]
        answer = self._render(query.lang, selections)
        clock.lap("compose")
        answer.timings_ms = clock.laps
        return answer

    def _select(self, query: Query, top_k: int, mode: Mode, clock: "_Clock") -> "_Selection":
        """Retrieve and read the passages for one question."""
        use_vector = self.cross.query(query.search_text)
        clock.lap("embed")
        hits = self._read_passages(query, top_k, mode)
        names = self._names(query)
        hits = hits + self.around.naming(names, hits, NAMED_PASSAGES)
        hits = hits + self._naming_one_asked(query, hits)
        hits = hits + self._quoting_figures(query, hits)
        hits = hits + self._holding_the_kind(query, hits)
        hits = hits + self._rendering_its_terms(query, hits)
        clock.lap("retrieve")
        ranked = ev.candidates(
            self.index, self.terms, query, hits, lambda ss, e5: fuse(e5, self.cross.cosines(use_vector, ss))
        )
        years = [c for c in query.constraints if c.isdigit()]
        meeting = self._about_the_people(query, self._meeting_constraints(names, ranked, years, _asks_where(query)))
        return self._compose(query, ranked, meeting)

    def _about_the_people(self, query: Query, meeting: list[ev.Evidence]) -> list[ev.Evidence]:
        """Of the sentences meeting the question's names, those naming the people it names, when any
        do and the question asks for a span: where "Yi Zhou" works is said where he is named, not in
        his passage's other sentences. A sentence answers the other questions, and the one after
        the naming one ("He noted that ...") may be it."""
        if not query.answer_type.spans or chooses_among_people(query, self.terms.people):
            return meeting
        people = [c for c in query.constraints if any(mentions(p, c) for p in self.terms.people)]
        naming = [e for e in meeting if all(mentions(e.sentence.text, c) for c in people)] if people else []
        return naming or self._of_the_body(query, meeting, people) or meeting

    def _of_the_body(self, query: Query, meeting: list[ev.Evidence], people: list[str]) -> list[ev.Evidence]:
        """Asked who of an organisation the question names ("人社局的主管领导叫什么"), the sentences
        naming both it and a person: the one asked for is named where the organisation is, not in the
        passage's other sentences (the course's general manager, quoted beside the bureau's director)."""
        bodies = [c for c in query.constraints if c not in people and not c.isdigit() and not _is_place(c)]
        if query.answer_type.name != "person" or not bodies:
            return []
        return [
            e
            for e in meeting
            if all(mentions(e.sentence.text, c) for c in bodies)
            and any(s.kind == "person" for s in sentence_spans(e.sentence))
        ]

    def _read_passages(self, query: Query, top_k: int, mode: Mode) -> list[Hit]:
        """The top_k passages retrieved, and the question language's best ceil(top_k / 2) wherever
        they rank: search gives a small language (one Chinese article of five) fewer places, but an
        answer in the question's own language must still be read."""
        ranked = self.retriever.search(query.search_text, 2 * top_k, mode, query.vector, query.lang, query.tokens)
        own = [h for h in ranked if self.index.documents[h.chunk.doc_id].lang == query.lang][: -(-top_k // 2)]
        return ranked[:top_k] + [h for h in own if h not in ranked[:top_k]]

    def _compose(self, query: Query, ranked: list[ev.Evidence], meeting: list[ev.Evidence]) -> "_Selection":
        """What answers the question from the ranked evidence, read from the sentences `meeting` the
        question's names; declined when the evidence is weak or misses what the question names."""
        best = ranked[0].score if ranked else 0.0
        focus = None
        reading = read_typed(query, meeting, self.terms) if query.answer_type.spans else None
        if reading is not None and query.answer_type.spans_optional and not self._firm(reading, meeting or ranked):
            reading = None  # a list may be answered by a sentence listing nothing ("干啥活": "Their work involves ...")
        if reading is not None:
            chosen, short, focus = reading.chosen, reading.short, reading.focus
            # The evidence the answer would stand on: its sentence, and how much of the question
            # stands near the short answer in it (a figure bound to the asked words is firmer).
            best = (
                short.evidence.score + FOCUS_EVIDENCE * (reading.focus - FOCUS_PIVOT) + CLASS_WEIGHT * short.called
                if short
                else best
            )
            weak = short is None or reading.focus < self.min_focus or best < self.abstain_below
            if weak and short is not None and reading.focus >= self.min_focus:
                weak = not self._disputed(reading, ranked, query)
        else:
            pool = self._option_first(query, meeting or ranked)
            chosen, short = self._with_antecedents(ev.choose(self.index, pool, query.lang)), None
            yes_no = query.answer_type.name == "yesno"
            coverage = self.terms.coverage(_asked_terms(query) if yes_no else query.terms, [e.sentence for e in chosen])
            floor = max(self.min_coverage, YESNO_MIN_COVERAGE if yes_no else 0.0)
            weak = best < self.abstain_below or coverage < floor or self._offers_neither(query, chosen)
        rivals = []
        quoted = None if short is not None else _quoted(query, chosen + ranked, self.terms.people)
        asked = short.span if short is not None else quoted[0] if quoted else None
        if asked is not None and asked.kind in DISPUTABLE:
            holding = [*chosen, quoted[1]] if quoted and quoted[1] not in chosen else chosen
            rivals = self._disagreements(holding, ranked + self._neighbours(holding, query), asked, query)
        claimed = [s.kind for s in find_spans(query.text, FIGURE_KINDS) if s.value is not None and s.value >= 10]
        if query.answer_type.name == "yesno":  # "局长是杨静吗": a name offered is checked as a figure is
            claimed += [s.kind for s in find_spans(query.text, frozenset({"person"}))]
        if not rivals and short is None and chosen and claimed:
            rivals = self._claim_disputed(query, claimed[0], chosen + ranked)
        if not rivals and short is None and chosen and _ASKS_OF_A_DISAGREEMENT.search(query.text):
            # "why do I see two different names for the director?": the name or figure its words ask
            kinds = ("person", "count") if NAMING.search(query.text) else ("count", "person")
            rivals = next((r for k in kinds if (r := self._claim_disputed(query, k, chosen + ranked))), [])
        chosen = chosen + [e for a, b, _ in rivals for e in (a, b) if e not in chosen]
        coverage = self.terms.coverage(query.terms, [e.sentence for e in chosen])
        if not chosen or weak or self._misses(query, chosen):
            found = related(self.index, query, ranked, self.related_floor)
            return _Selection(query.text, [], None, [], best, coverage, focus, declined=True, related=found)
        if query.answer_type.name == "rate":
            short = None  # the count of those who passed is cited, never read out as the rate asked
        return _Selection(query.text, chosen, short, rivals, best, coverage, focus)

    def _disputed(self, reading: Reading, ranked: list[ev.Evidence], query: Query) -> bool:
        """Whether another article gives another value for the best candidate, and the question asks
        what they disagree on ("who heads the HR bureau?": Yang Jiaying, and Yang Ying in another
        article): the question is about that very fact, though the sentence shares few of its words,
        and the answer names both."""
        best = reading.short
        assert best is not None
        holding = [best.evidence]
        return bool(self._disagreements(holding, ranked + self._neighbours(holding, query), best.span, query))

    def _claim_disputed(
        self, query: Query, kind: str, read: list[ev.Evidence]
    ) -> list[tuple[ev.Evidence, ev.Evidence, Disagreement]]:
        """A claim of a figure or name the sources do not dispute or do not give ("有1.2万人拿证,对吗?",
        "is it true 16,300 passed?", "拿证的有两万人，是这样吗", "局长是杨静吗") is checked against the one
        the question's words ask for, read as a question for that kind ("how many got certified?"):
        when the sources disagree on that one, the caller hears both."""
        # the question's own figure may be the answer: "16,300 people sat the exam, right?" is confirmed
        unsaid = _without_figures(query.text)
        reading = read_typed(replace(query, text=unsaid, answer_type=named(kind)), read, self.terms)
        found = reading.short
        if found is None or found.focus < self.min_focus or found.span.kind not in DISPUTABLE:
            return []
        holding = [found.evidence]
        return self._disagreements(holding, read + self._neighbours(holding, query), found.span, query)

    def _firm(self, reading: Reading, ranked: list[ev.Evidence]) -> bool:
        """Whether a reading whose short answer is optional stands: it leads, and it is no weak answer."""
        short = reading.short
        if short is None or not _leads(reading, ranked):
            return False
        best = short.evidence.score + FOCUS_EVIDENCE * (reading.focus - FOCUS_PIVOT) + CLASS_WEIGHT * short.called
        return reading.focus >= self.min_focus and best >= self.abstain_below

    def _render(self, lang: Lang, selections: list["_Selection"]) -> Answer:
        """One answer from the selections for the question's parts, in the asker's language: the
        cited sentences numbered once, each part's short answer first, a part the materials do not
        answer said so. When no part is answered, the honest abstention."""
        answered = [s for s in selections if not s.declined]
        first = answered[0] if answered else selections[0]
        if not answered:
            return Answer(
                abstention(lang, bool(first.related)),
                lang,
                False,
                related=first.related,
                evidence_score=first.best,
                coverage=first.coverage,
                focus=first.focus,
            )
        citations: list[Citation] = []
        number: dict[int, int] = {}
        for s in answered:
            for e in s.chosen:
                if e.sentence.sentence_id not in number:
                    number[e.sentence.sentence_id] = len(citations) + 1
                    citations.append(self._citation(len(citations) + 1, e))
        conflicts = [
            Conflict(
                d.about,
                [(d.value_a, [number[a.sentence.sentence_id]]), (d.value_b, [number[b.sentence.sentence_id]])],
                conflict_sentence(lang, d, number[a.sentence.sentence_id], number[b.sentence.sentence_id]),
            )
            for a, b, d in _unique_rivals([r for s in answered for r in s.rivals])
        ]
        shorts = _unique([_short_answer(s.short, number) for s in answered if s.short])
        unanswered = [s.asked for s in selections if s.declined]
        text = _answer_text(lang, citations, [c.note for c in conflicts], shorts, unanswered, self._chinese_name)
        return Answer(
            text,
            lang,
            True,
            citations,
            conflicts,
            shorts[0] if shorts else None,
            evidence_score=first.best,
            coverage=first.coverage,
            focus=first.focus,
        )

    def _chinese_name(self, name: str) -> str | None:
        """An English name's Chinese name: the glossary's (Xinhua News Agency: 新华社), else the
        place CC-CEDICT names (Hangzhou: 杭州)."""
        written = [n for n in self.retriever.glossary.other_names(name) if has_han(n)]
        return written[0] if written else chinese_place(name)

    def _with_antecedents(self, chosen: list[ev.Evidence]) -> list[ev.Evidence]:
        """The chosen sentences, each that is about whom or what the one before it names ("She
        credited ...", "said Li Na, the company's general manager") after that one: a caller hears
        whom it is about."""
        held = {e.sentence.sentence_id for e in chosen}
        out: list[ev.Evidence] = []
        for e in chosen:
            prev = self.terms.beside(e.sentence, -1)
            if prev is not None and prev.sentence_id not in held and needs_the_one_before(e.sentence.text):
                out.append(ev.Evidence(prev, e.chunk, e.cosine, e.coverage, e.score))
                held.add(prev.sentence_id)
            out.append(e)
        return out

    def _offers_neither(self, query: Query, chosen: list[ev.Evidence]) -> bool:
        """An either-or question ("机考还是笔试") none of whose options the sentences name, in either language."""
        return bool(offered(query.text)) and not self._names_an_option(query, chosen)

    def _names_an_option(self, query: Query, chosen: list[ev.Evidence]) -> bool:
        """Whether the sentences name an option the either-or question offers."""
        options = offered(query.text)
        held = frozenset().union(*(self.terms.tokens[e.sentence.sentence_id] for e in chosen))
        # in the glossary's words too: 起点 ("starting point") names 开头 ("start"), 终审 最后
        held |= frozenset(self.retriever.glossary.translate([t for t in held if has_han(t)]))
        # a comparison names the option it compares by: 高于 and 远高于 ("higher than") name 高
        held |= {t[i - 1] for t in held if has_han(t) for i in range(1, len(t)) if t[i] == "于"}
        named = [[t for t in query.terms if t.variants & set(option)] for option in options]
        # an option's own words: not those it shares with the rest of the question (笔试, "written
        # examination", shares "examination" with 考试)
        rest = frozenset().union(*(t.variants for t in query.terms if not any(t in n for n in named)))
        # an option is named when each of its words is ("computer-based": not "computer science")
        return any(n and all((t.variants - rest) & held for t in n) for n in named)

    def _option_first(self, query: Query, ranked: list[ev.Evidence]) -> list[ev.Evidence]:
        """The sentences, the best naming an option the either-or question offers first when it
        comes close to the best ("开头还是结尾": 数据标注是起点 before the sentences sharing more words)."""
        if not ranked or not offered(query.text):
            return ranked
        close = (e for e in ranked if e.score >= ranked[0].score - ev.SENTENCE_MARGIN)
        naming = next((e for e in close if self._names_an_option(query, [e])), None)
        return ranked if naming is None else [naming, *(e for e in ranked if e is not naming)]

    def _misses(self, query: Query, chosen: list[ev.Evidence]) -> bool:
        """The evidence leaves out a place, person or year that the question names: a year in the
        cited sentences (an article dated 2026 says "last year" around a 2025 figure), a place or
        person in them or their passages ("..., said Li Na, the company's general manager")."""
        texts = [e.sentence.text for e in chosen]
        missing = unmet(query.constraints, texts, self.index.documents.values())
        around = " ".join(self.around.text(e.chunk) for e in chosen)
        # who held a post in a year: an article names a post's holder as of the year it reports
        # ("2025年上海人社局局长是谁": the article giving 2025's exam figures names the director)
        docs = {e.sentence.doc_id for e in chosen} if query.answer_type.name in HELD_ROLES else set()
        reported = frozenset().union(*(reported_years(self.index.documents[d]) for d in docs))
        return any(c not in reported if c.isdigit() else not _meets(around, c, _asks_where(query)) for c in missing)

    def _meeting_constraints(
        self, names: list[str], ranked: list[ev.Evidence], query_years: Sequence[str] = (), within: bool = False
    ) -> list[ev.Evidence]:
        """The sentences whose surroundings name every place and person of `names` (all of them
        when there are none) and that name no other year than the question's: an answer is read
        from these only (`within`: a place lying in a named one names it too, for a question asking
        where). A sentence naming no year may still hold it (an article dated 2026 says "last year"
        for 2025): `_misses` decides."""
        years = [int(c) for c in query_years]
        naming: dict[int, bool] = {}  # per passage: the sentences of one passage share its surroundings
        for e in ranked:
            if e.chunk.chunk_id not in naming:
                around = self.around.text(e.chunk)
                naming[e.chunk.chunk_id] = all(_meets(around, c, within) for c in names)
        return [e for e in ranked if naming[e.chunk.chunk_id] and names_only(e.sentence.text, years)]

    def _naming_one_asked(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Up to NAMED_PASSAGES passages, not among `hits`, naming one of the class the question asks
        for ("which other *city*": the passage naming Hangzhou shares no other word with it)."""
        members = query.instance_of.instances if query.instance_of else frozenset()
        chunks = (self.around.holding(self.index.sentences[sid]) for sid in self.terms.naming(members))
        return unread(chunks, hits, NAMED_PASSAGES)

    def _quoting_figures(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Up to NAMED_PASSAGES passages, not among `hits`, holding a figure the question quotes
        ("who put out the *67 percent* figure?": the passage saying 增长67%, in either language)."""
        figures = query.quoted_figures
        chunks = (self.around.holding(self.index.sentences[sid]) for sid in self.terms.holding(figures))
        return unread(chunks, hits, NAMED_PASSAGES) if figures else []

    def _rendering_its_terms(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Passages, not among `hits`, in the other language than the question's, holding a rendering
        the domain glossary gives of one of its terms that RARE_KIND sentences or fewer hold
        ("零基础能学吗": "enabling even *beginners* to acquire usable skills"): the maintainers' word
        for the term, which search ranks below the passages sharing the question's commoner words."""
        rendered = [
            frozenset(other)
            for _, other in self.retriever.glossary.phrases(query.tokens)
            if all(has_han(t) != (query.lang == "zh") for t in other)
        ]
        holding = [[s for s in self.terms.holding(words) if words <= self.terms.tokens[s]] for words in rendered]
        sids = sorted({sid for found in holding if len(found) <= RARE_KIND for sid in found})
        return unread((self.around.holding(self.index.sentences[sid]) for sid in sids), hits, TYPED_PASSAGES)

    def _holding_the_kind(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Passages, not among `hits`, holding a span of the kind the question asks for: all of them
        when the corpus holds that kind in RARE_KIND sentences or fewer ("when are the AI trainer
        classes held": every passage speaks of AI trainers, five sentences name a time of the week),
        else the TYPED_PASSAGES of them that share most words with the question, in either language
        (answer-type-aware retrieval: "since when is it an official occupation" reads the passage
        saying "listed in China's occupational classification system in 2020"), figures aside. Not a kind the
        corpus holds once: its one sum of money (the industry's 1.2 trillion yuan) would be read for
        every fee and salary question it does not answer."""
        sids = sorted({sid for k in query.answer_type.spans for sid in self.terms.of_kind.get(k, [])})
        if len(sids) < 2:
            return []
        chunks = [self.around.holding(self.index.sentences[sid]) for sid in sids]
        if len(sids) <= RARE_KIND:
            return unread(chunks, hits, RARE_KIND)
        if set(query.answer_type.spans) & FIGURES:
            # figures are everywhere: only those naming right beside them what is counted ("理论占多少":
            # "30 percent theory"), in either language
            counted = query.counted.variants if query.counted else frozenset()
            kinds = query.answer_type.spans
            held = [
                c
                for sid, c in zip(sids, chunks, strict=True)
                if counted and beside(self.index.sentences[sid], kinds, counted)
            ]
            return unread(held, hits, TYPED_PASSAGES)
        words = query.tokens + self.retriever.glossary.translate(query.tokens)
        scores = self.index.lexical.token_scores(words)
        best = sorted({c.chunk_id: c for c in chunks}.values(), key=lambda c: -scores[c.chunk_id])
        return unread((c for c in best if scores[c.chunk_id] > 0), hits, TYPED_PASSAGES)

    def _names(self, query: Query) -> list[str]:
        """The people, organisations and places the question names that are not the corpus's topic,
        less the people it asks to choose from or confirm (no sentence need name them all)."""
        names = self._beyond_topic(query.constraints)
        if chooses_among_people(query, self.terms.people):
            people = {p.lower() for p in self.terms.people}
            names = [c for c in names if c.lower() not in people]
        return names

    def _beyond_topic(self, named: list[str]) -> list[str]:
        """The names among constraints (not years) that are not the corpus's topic."""
        return [c for c in beyond_topic(named, self.index.documents.values()) if not c.isdigit()]

    def _neighbours(self, chosen: list[ev.Evidence], query: Query) -> list[ev.Evidence]:
        """Sentences of the passages nearest to each chosen sentence, wherever retrieval ranked them:
        another article may report the same figure in words the question did not use."""
        found = []
        for e in chosen:
            vector = np.asarray(self.index.sentence_vectors[e.sentence.sentence_id], dtype=np.float32)
            for chunk_id in self.retriever.vectors.search(vector, NEIGHBOUR_PASSAGES):
                chunk = self.index.chunks[chunk_id]
                for sid in range(chunk.first_sentence, chunk.last_sentence + 1):
                    cosine = float(self.index.sentence_vectors[sid] @ query.vector)
                    found.append(ev.Evidence(self.index.sentences[sid], chunk, cosine, 0.0, cosine))
        return found

    def _disagreements(
        self, chosen: list[ev.Evidence], ranked: list[ev.Evidence], asked: Span, query: Query
    ) -> list[tuple[ev.Evidence, ev.Evidence, Disagreement]]:
        """Sentences of other articles that give another value for the asked fact: a disagreement
        about some other figure of the same sentences is not the caller's concern."""
        found: list[tuple[ev.Evidence, ev.Evidence, Disagreement]] = []
        pairs: set[frozenset[int]] = set()
        for a in chosen:
            for b in ranked:
                d = disagreement(a.sentence, b.sentence)
                pair = frozenset({a.sentence.sentence_id, b.sentence.sentence_id})
                if d is None or pair in pairs or not _about(d, asked, query):
                    continue
                if ev.similarity(self.index, a.sentence, b.sentence) >= CONFLICT_COSINE:
                    found.append((a, b, d))
                    pairs.add(pair)
                    break
        return found

    def _citation(self, n: int, e: ev.Evidence) -> Citation:
        return Citation(n, self.index.documents[e.sentence.doc_id], e.sentence, e.chunk, e.score)


def _meets(text: str, constraint: str, within: bool) -> bool:
    """Whether the text names the constraint, or (`within`) a place lying in it: "Hangzhou, a
    technology hub in eastern China" answers "浙江哪个城市", CC-CEDICT's Hangzhou being in Zhejiang."""
    if mentions(text, constraint):
        return True
    return within and any(lies_in(s.text, constraint) for s in find_spans(text, frozenset({"place"})))


# The end of a sentence of the question ("I never studied coding. ... did he?").
_SENTENCE_END = re.compile(r"[.!;](?=\s)|[。！；]")
# A sentence in which the asker tells of their own situation ("I have zero coding background.",
# "我是文科生。"), not of a claim they heard and ask about ("I heard there are 12,000 ...").
_OWN_SITUATION = re.compile(
    r"^\s*(?:i\b(?!\s+(?:heard|read|saw|was told))|i'm\b|im\b|我(?!听说|看到|看过|读到))", re.IGNORECASE
)


def _asked_terms(query: Query) -> list[QueryTerm]:
    """The question's terms less those only of a sentence before the asking one in which the asker
    tells of their own situation: that is not what the evidence must hold."""
    sentences = [s for s in _SENTENCE_END.split(query.text) if s.strip()]
    own = [s for s in sentences[:-1] if _OWN_SITUATION.match(s)]
    if not own:
        return query.terms
    told = frozenset(tokenize(" ".join(own)))
    rest = frozenset(tokenize(" ".join(s for s in sentences if s not in own)))
    return [t for t in query.terms if not (t.variants & told) or t.variants & rest] or query.terms


def _is_place(constraint: str) -> bool:
    """Whether a constraint names a place in any of its writings ("Shanghai", "全国|China|中国")."""
    return any(is_place(name) for name in constraint.split(ALSO))


def _asks_where(query: Query) -> bool:
    """Whether the question asks for a place: a place lying in one it names names that one too."""
    return query.answer_type.name == "place"


# The answer types naming who holds a post or did a thing, which a sentence gives undated.
HELD_ROLES = frozenset({"person", "organisation"})


def _warm_up() -> None:
    """Build every table that is otherwise built on first use: jieba's dictionary, CC-CEDICT's
    places and English words, the verb lemmas, OpenCC. Left to the first requests, 50 concurrent
    ones each built them at once (an lru_cache does not wait for another thread's call) and timed out."""
    warm_up()
    place_names()
    english_stems()
    tokenize("said")
    simplified("說")


def _leads(reading: Reading, ranked: list[ev.Evidence]) -> bool:
    """Whether the reading's short answer is tied to the question and stands in one of the best sentences."""
    short = reading.short
    if short is None or short.focus <= 0 or short.evidence.coverage <= 0:
        return False
    return short.evidence.score >= ranked[0].score - ev.SUPPORT_MARGIN


def _without_figures(text: str) -> str:
    """The text with the figures it gives blanked out."""
    for span in sorted(find_spans(text, FIGURE_KINDS), key=lambda s: -s.start):
        text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    return text


# A question about sources disagreeing ("why do I see two different names", "数字对不上", "两篇报道写得
# 不一样").
_ASKS_OF_A_DISAGREEMENT = re.compile(
    r"\b(?:different|differing|conflicting|inconsistent|contradictory|two|both) "
    r"(?:names?|figures?|numbers?|spellings?|versions?)"
    r"|\bdiscrepanc|\bdon'?t (?:match|agree)|\bdisagree"
    r"|不一样|不一致|不同|对不上|矛盾|两个(?:名字|数|说法|版本)|两种(?:说法|写法)",
    re.IGNORECASE,
)


def _about(d: Disagreement, asked: Span, query: Query) -> bool:
    """Whether one of the disagreeing values is the asked fact: for a name, asked as the holder
    of its role ("who heads the bureau?", not "who said ...?")."""
    said = asked.text.replace(",", "").lower()
    if d.role and not any(t.variants & d.role for t in query.terms):
        return False
    return any(v.replace(",", "").lower() in said or said in v.replace(",", "").lower() for v in (d.value_a, d.value_b))


def _quoted(query: Query, read: list[ev.Evidence], people: frozenset[str]) -> tuple[Span, ev.Evidence] | None:
    """The first figure or name of the `read` sentences that the question itself quotes, to confirm
    it ("I read that 16,900 passed, is that right?"), with its sentence: another source's other
    value is the answer too. `people`: the corpus's names of people, found in a question however
    it is worded ("叫Yang Ying吗", "是杨颖吗")."""
    quoted = {_disputed(span) for span in find_spans(query.text, DISPUTABLE)}
    quoted |= {
        ("person", name.lower())
        for name in people
        if _writes_name(query.text, name) or spelled_names(query.text, [name])  # 杨佳颖: Yang Jiaying
    }
    return next(
        (
            (span, e)
            for e in read
            for span in sentence_spans(e.sentence)
            if span.kind in DISPUTABLE and _disputed(span) in quoted
        ),
        None,
    )


def _writes_name(text: str, name: str) -> bool:
    """Whether the text writes the name as a whole ("Yang Ying", not the "Yang" of "Yang Jiaying")."""
    return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text, re.IGNORECASE) is not None


def _disputed(span: Span) -> tuple[str, float | str]:
    """What a span says, as two sources may disagree on it: its kind and its value, or its name."""
    return span.kind, span.value if span.value is not None else span.text.lower()


def _short_answer(short: Candidate, number: dict[int, int]) -> ShortAnswer:
    """The short answer's span, in document offsets, and the citation it comes from."""
    sentence = short.evidence.sentence
    start = sentence.start + short.span.start
    return ShortAnswer(short.span.text, number[sentence.sentence_id], start, start + len(short.span.text), short.span)


def _unique_rivals(
    rivals: list[tuple[ev.Evidence, ev.Evidence, Disagreement]],
) -> list[tuple[ev.Evidence, ev.Evidence, Disagreement]]:
    """Each disagreement once, however many parts of the question found it ("通过率咋样 去年考过了多少人")."""
    seen: set[frozenset[int]] = set()
    kept = []
    for a, b, d in rivals:
        pair = frozenset({a.sentence.sentence_id, b.sentence.sentence_id})
        if pair not in seen:
            seen.add(pair)
            kept.append((a, b, d))
    return kept


def _unique(shorts: list[ShortAnswer]) -> list[ShortAnswer]:
    """The short answers, each once: two parts may ask the same ("规模有多大 多少人") and read it in
    the same place, or the same words in another sentence saying it again."""
    seen: set[tuple[int, int, int] | str] = set()
    kept = []
    for short in shorts:
        if (short.n, short.start, short.end) not in seen and short.text not in seen:
            seen |= {(short.n, short.start, short.end), short.text}
            kept.append(short)
    return kept


def _answer_text(
    lang: Lang,
    citations: list[Citation],
    notes: list[str],
    shorts: list[ShortAnswer],
    unanswered: list[str],
    chinese: Callable[[str], str | None],
) -> str:
    source_langs = {c.sentence.lang for c in citations}
    parts = [short_lead(lang, [(s.span, s.n) for s in shorts], chinese)] if shorts else []
    parts += [lead(lang, source_langs)]
    parts += [f"{c.sentence.text} [{c.n}]" for c in citations]
    parts += notes
    parts += [not_covered(lang, asked) for asked in unanswered]
    return " ".join(parts) if lang == "en" else "".join(parts)


@dataclass
class _Selection:
    """What answers one question (or one part of a question): the chosen evidence, its short
    answer and the disagreements found about it; or, declined, the related passages."""

    asked: str
    chosen: list[ev.Evidence]
    short: Candidate | None
    rivals: list[tuple[ev.Evidence, ev.Evidence, Disagreement]]
    best: float
    coverage: float
    focus: float | None
    declined: bool = False
    related: list[Related] = field(default_factory=list)


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Time since the last lap, added to this lap's (a question asking two things embeds twice)."""
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + (now - self.last) * 1000, 3)
        self.laps["total"] = round((now - self.start) * 1000, 3)
        self.last = now


__all__ = ["Answer", "Citation", "Conflict", "QAEngine"]
