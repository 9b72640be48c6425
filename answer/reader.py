"""Pick the answer out of the evidence: a typed short answer tied to the question's focus, or
the best sentences when the question asks for no short answer; decline when neither holds.

For a question that asks for a type (a count, a share, money, a date, a person...), every
span of that type in the retrieved sentences is a candidate. A candidate scores its
sentence's relevance plus how much of the question's focus (its terms, in either language
through the glossary) stands near it, in the same clause rather than merely the same
sentence: "16,300 took the exam, of which 16,900 passed" binds "passed" to 16,900. No
candidate of the asked type near the focus means "not covered", however on-topic the
sentences are: that is what keeps a fee or salary question from being answered with
job-growth figures.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from answer.conflicts import FIGURE_KINDS
from answer.constraints import ALSO, lies_in, mentions, romanised, set_apart, without_set_apart
from answer.evidence import Evidence, QueryTerm, SentenceTerms
from answer.qtypes import is_yes_no
from answer.query import Query
from answer.spans import Span, list_items, sentence_spans
from index.language import has_han
from index.tokenize import located_tokens, tokenize
from index.types import Sentence

FOCUS_WEIGHT = 0.5  # how much the focus near a candidate adds to its sentence's score
DECAY = {"en": 30, "zh": 10}  # characters at which a question term near a span counts half
CLASS_WEIGHT = 0.1  # how much a candidate gains when its sentence calls it what the question asks for
MEMBER = 2.0  # how many times that a candidate gains when it is a name of the class asked for
OFF_FOCUS_WEIGHT = 0.1  # how much the unasked words around a candidate take away
FULLER_NAME_MARGIN = 0.1  # a fuller name of the best candidate's person this close behind is shown instead
ANTECEDENT_DISCOUNT = 0.05  # a sentence read through the one pointing back to it scores this much less
PREDICATE_WEIGHT = 0.1  # what a count gains when the verb right after it is the question's ("16,300 people *took*")
CITED_WEIGHT = 0.1  # what an organisation gains, asked who gave a figure, when its sentence cites it as the source
POOL = 12  # sentences whose spans are considered, half from each language
# A question about what is to come, or this year's ("今年的考试什么时候"): a date the articles
# report is past ("last year").
_FUTURE = re.compile(
    r"\b(?:next|upcoming|coming|will|future|this year(?:'s)?)\b"
    r"|下次|下一[次期届轮场批]|明年|下个月|下半年|今后|将来|未来|即将|今年",
    re.I,
)
# A time that was ("last Saturday", 上周六): it answers a question about what happened then, not when
# something usually is ("when are the classes held?"); the question's words asking about the past.
_PAST_TIME = re.compile(r"^(?:last|this past|yesterday)\b|^(?:上(?:周|个?星期|个?礼拜)|昨天|前天)", re.I)
_PAST_ASKED = re.compile(
    r"\b(?:did|was|were|last|ago|happened|took place|gathered)\b"
    r"|上(?:周|个?星期|个?礼拜|次)|那次|那天|昨天|前天|新闻|报道",
    re.I,
)
# What a figure is counted or paid in ("16,300 *people*", "1.2 trillion *yuan*"): it says nothing
# about which figure it is.
UNITS = frozenset({"人", "个", "名", "位", "peopl", "person", "yuan", "元", "rmb", "人民币", "dollar", "美元", "块"})
# Words that only say a count is asked for ("考过的*人数*", "the *number* who passed"): nor do they.
COUNT_WORDS = frozenset({"人数", "数量", "总数", "数目", "人次", "number", "total", "count"})


@dataclass(frozen=True)
class Candidate:
    """A typed span in an evidence sentence, and how well it answers."""

    evidence: Evidence
    span: Span
    focus: float
    score: float
    via: Evidence | None = None  # the sentence pointing back to the candidate's ("Here, ...")
    called: float = 0.0  # how plainly it is one of what the question asks for (`_is_one`)


@dataclass(frozen=True)
class Reading:
    """The reader's verdict: the short answer (if the type has one) and the sentences to cite."""

    short: Candidate | None
    chosen: list[Evidence]
    focus: float


def candidates(query: Query, ranked: Sequence[Evidence], terms: SentenceTerms | None = None) -> list[Candidate]:
    """Spans of the asked type in the best sentences, best first."""
    kinds = query.answer_type.spans
    said = _said(query.text)
    asks = _Asks.of(query.text, query.leans)
    words = frozenset().union(*(t.near for t in query.terms))  # every word standing for the question's terms
    found: list[Candidate] = []
    # The best sentences of each language: the other language's answer must get its chance.
    pool = [e for lang in ("zh", "en") for e in [e for e in ranked if e.sentence.lang == lang][: POOL // 2]]
    if terms is not None and query.instance_of is not None and query.instance_of.instances:
        # a sentence naming one of the class asked for ("which other *city*": Hangzhou) is read too
        members = query.instance_of.instances
        pool += [e for e in ranked if e not in pool and terms.tokens[e.sentence.sentence_id] & members]
    via: dict[int, Evidence] = {}
    if terms is not None:
        # A sentence pointing back ("*Here*, professionals ...", "said Li Na, *the company's* general
        # manager") answers with the one before it: that one joins at the pointing sentence's score.
        held = {e.sentence.sentence_id: i for i, e in enumerate(pool)}
        for e in list(pool):
            prev = terms.beside(e.sentence, -1)
            if prev is None or not _points_back(e.sentence.text):
                continue
            lifted = Evidence(prev, e.chunk, e.cosine, e.coverage, e.score - ANTECEDENT_DISCOUNT)
            at = held.get(prev.sentence_id)
            if at is None:
                held[prev.sentence_id] = len(pool)
                pool.append(lifted)
            elif pool[at].score < lifted.score:
                pool[at] = lifted
            else:
                continue
            via[prev.sentence_id] = e
    choosing = terms is not None and chooses_among_people(query, terms.people)
    yes_no = is_yes_no(query.text)
    quoted = query.quoted_figures
    verbs: dict[int, float] = {}  # a count candidate's place in `found` -> its verb's weight as asked
    for e in pool:
        counts_it = _counts_it(query, e.sentence)
        before, after = (terms.beside(e.sentence, -1), terms.beside(e.sentence, 1)) if terms else (None, None)
        for span in sentence_spans(e.sentence):
            # an either-or question's option is its answer, though it says it; so is the time a
            # yes/no question asks to confirm ("are classes on weekends?": "on weekends")
            offered = asks.offers(span) or (asks.confirming and span.kind in ("schedule", "person"))
            offered = offered or (choosing and span.kind == "person")
            # and the figure a yes/no question asks to confirm ("I heard 16,900, was that the pass number?")
            offered = offered or (yes_no and span.kind in FIGURE_KINDS)
            if (
                span.kind in kinds
                and (offered or not named_in(span, said))
                and not (_is_the_subject(query, span) and not offered)
                and not _holds_the_asked_place(query, span)
                and not _in_what_is_set_apart(query, span)
                and not _holds_another_post(query, e.sentence, span)
                and not _figure_of_a_place_within(query, e.sentence, span)
                and not asks.rules_out(span, e.sentence, counts_it)
                and not _counts_another(query, e.sentence, span, terms)
                and not _rate_without_its_count(query, e.sentence, span, terms)
                and (offered or asks.confirming or not _gives_the_quoted(span, quoted))
            ):
                focus = focus_near(query.terms, e.sentence, span, before, after)
                off = off_focus(words, e.sentence, span, terms) if terms else 0.0
                score = e.score + FOCUS_WEIGHT * focus - OFF_FOCUS_WEIGHT * off
                called = _is_one(query, e.sentence, span)
                if span.kind == "count":
                    verbs[len(found)] = _verb_weight(query, e.sentence, span, terms)
                if asks.about_source and span.kind == "organisation" and _CITED.search(e.sentence.text[: span.start]):
                    score += CITED_WEIGHT  # "这个统计是哪家单位出的": 据上海市人社局……数据显示
                found.append(
                    Candidate(e, span, focus, score + CLASS_WEIGHT * called, via.get(e.sentence.sentence_id), called)
                )
    # the counts doing what the question asks ("how many *took* the exam": 16,300 *took*); of two
    # asked ("考了……最后*拿到*证的有多少人": took, earned), the heavier term's
    asked = max(verbs.values(), default=0.0)
    for at, weight in verbs.items():
        if weight and weight == asked:
            found[at] = replace(found[at], score=found[at].score + PREDICATE_WEIGHT)
    if quoted and not kinds & FIGURE_KINDS:
        # asked who gave, or when, a figure it quotes ("621所大学这数据谁统计的"): the sentence giving
        # that figure answers, when one among them does
        giving = [c for c in found if quoted & frozenset(tokenize(c.evidence.sentence.text))]
        found = giving or found
    if any(c.called >= MEMBER for c in found):
        # the corpus names one of the class asked for ("which *universities*": 复旦、交大、同济): what
        # nothing calls one of that class (a company beside the question's words) does not answer
        found = [c for c in found if c.called > 0]
    return sorted(found, key=lambda c: -c.score)


@dataclass(frozen=True)
class _Asks:
    """What the question's wording rules out, worked out once per question."""

    ahead: bool  # about what is to come ("when is the next exam")
    past: bool  # about what happened ("when did they gather", "新闻里那次培训"): a time that was answers
    day: bool  # asks for a day ("几号", "what date"): a year or "last year" does not answer
    year: bool  # asks which year ("哪年", "what year"): "last year" does not answer, "2025" does
    clock: bool  # asks for a time of day ("几点", "what time"): "on weekends" does not answer
    how_many: bool  # counts things ("how many", "几家", "多少个"): no sum of money answers
    own_times: frozenset[str]  # words it says itself, less the options of an either-or
    confirming: bool  # a yes/no or a fragment ("weekend classes?"): a time it names confirms it
    change: bool | None  # a percentage asked for is a change ("grew by how much"), a share ("占几成"), or either
    measure: str | None  # what a Chinese count counts by: people (多少人) or bodies (多少家), else None
    about_source: bool  # asks who reports or gives figures ("数据是哪个部门出的", "who reported")

    options: frozenset[str] = frozenset()  # the words of the options an either-or question offers
    leans: bool = False  # read with an earlier turn: "那是哪年的" asks the year of the figure it gave

    @classmethod
    def of(cls, question: str, leans: bool = False) -> "_Asks":
        text = question.lower()
        change = bool(_CHANGE_ASKED.search(text))
        options = _options(question)
        return cls(
            bool(_FUTURE.search(question)),
            bool(_PAST_ASKED.search(question)),
            bool(_DAY_ASKED.search(text)),
            bool(_YEAR_ASKED.search(text)),
            bool(_CLOCK_ASKED.search(text)),
            bool(_HOW_MANY.search(text)),
            frozenset(tokenize(question)) - options,
            is_yes_no(question) or not _WH.search(question),
            True if change else False if _SHARE_ASKED.search(text) else None,
            _measure(text),
            bool(_SOURCE_ASKED.search(text)),
            options,
            leans,
        )

    def offers(self, span: Span) -> bool:
        """Whether the span is one of the options the question offers ("on weekends" for
        "weekdays or weekends?")."""
        return bool(self.options) and any(w in self.options for w in tokenize(span.text))

    def rules_out(self, span: Span, sentence: Sentence, counts_it: bool) -> bool:
        """A span of the right kind that still does not answer: a count or rate of something else,
        a change for a share or a share for a change ("实操占几成" is not "增长67%"), a past date for
        a question about what is to come, or the very time a question with a question word names
        ("what time do the weekend classes start" is not "on weekends")."""
        if span.kind in ("count", "percent") and not counts_it:
            return True
        if span.kind == "percent" and self.change is not None and self.change != _is_change(span, sentence):
            return True
        if span.kind == "date" and self.ahead and not _FUTURE.search(span.text):
            return True
        if span.kind == "organisation" and _CITED.search(sentence.text[: span.start]) and not self.about_source:
            return True  # "According to the state-run Xinhua News Agency, ...": who reports, not who acts
        # "上海AI企业有多少家" is not answered by "超1.2万人"; a bare figure may count people or
        # bodies, never how many times ("一年考几次" is not answered by "16,300")
        unmarked = None if self.measure == "times" else self.measure
        if span.kind == "count" and self.measure and _MEASURES.get(span.text[-1], unmarked) != self.measure:
            return True
        if span.kind == "money" and self.how_many:
            return True  # "how many AI companies": a count, not the industry's 1.2 trillion yuan
        if span.kind == "date" and _DATES_DATA.match(sentence.text, span.end) and not (self.about_source or self.leans):
            return True  # "据上海市人社局2023年数据显示": the figures' year, not when anything happened
        if span.kind == "date" and self.day and not _DAY.search(span.text):
            return True  # "考试是几号" is not answered by "last year"
        if span.kind == "date" and self.year and not any(c.isdigit() for c in span.text):
            return True  # "是哪年的数" is not answered by "last year": the year is
        if span.kind == "schedule" and not self.past and _PAST_TIME.search(span.text):
            return True  # "when are the lessons?" is not answered by "last Saturday"
        if span.kind == "schedule" and self.clock and not _CLOCK.search(span.text):
            return True  # "通常几点上课" is not answered by "on weekends"
        if span.kind in ("list", "level") and _in_a_lack(sentence, span):
            return True  # "亦未说明……应届生占比、跨行业转入比例或平均从业年限": what the article lacks
        return span.kind == "schedule" and not self.confirming and _repeats(span, self.own_times)


_NOT_SAID = re.compile(r"未|没有|没|无(?!论)|并非|不是|\b(?:not|no|without|neither|nor)\b", re.I)


def _in_a_lack(sentence: Sentence, span: Span) -> bool:
    """Whether the span stands in a clause saying what the article does not say ("亦未说明现有
    1.2万名从业人员中,应届生占比、……"): the clause from the last semicolon or full stop in Chinese,
    from the last comma in English."""
    text = sentence.text
    clause = re.split(r"[;；。]" if has_han(text) else r"[,;:.]", text[: span.start])[-1]
    return bool(_NOT_SAID.search(clause))


# An organisation cited as the source of what its sentence says ("According to the state-run
# Xinhua News Agency, ...", "据上海市人社局2023年数据显示"), and questions asking for a source.
_CITED = re.compile(r"(?:\baccording to|据)\s*(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_DATES_DATA = re.compile(r"\s*年?的?(?:数据|统计|(?:data|figures|statistics)\b)", re.IGNORECASE)  # after a year
_SOURCE_ASKED = re.compile(
    r"数据|统计|数字|[这那]个数|发布|公布|出的|出处|报道|来源|消息|说的|\b(?:report\w*|data|figures?|numbers?|statistics?|stats?|"
    r"sources?|publish\w*|releas\w*|announc\w*|according to|puts? out|comes? from)\b",
    re.IGNORECASE,
)


# Measure words of a Chinese count: people (人, 名, 位), bodies (家 companies, 所 schools) or times (次).
_MEASURES = {"人": "people", "名": "people", "位": "people", "家": "bodies", "所": "bodies", "次": "times"}
_COUNTED_BY = re.compile(r"(?:多少|几)([人名位家所次])")


def _measure(question: str) -> str | None:
    """What a count question counts by ("有多少家": bodies, "how many times": times), or None."""
    if re.search(r"\bhow many times\b", question):
        return "times"
    found = _COUNTED_BY.search(question)
    return _MEASURES[found.group(1)] if found else None


_HOW_MANY = re.compile(r"\bhow many\b|(?<!哪)几(?:个|家|所|位|名|种|项)|多少(?:个|家|所|位|名|人)")
_CLOCK_ASKED = re.compile(r"几点|\bwhat time\b|\bwhat hours?\b|\bwhich hours?\b|\bstarts? at\b")
_CLOCK = re.compile(
    r"\d{1,2}[:：]\d{2}|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.|点|时)|上午|下午|早上|中午|晚上|\b(?:morning|afternoon|evening|noon)s?\b",
    re.I,
)
# (a deadline is a day: "报名啥时候截止" is not answered by "last year")
_DAY_ASKED = re.compile(
    r"几号|哪号|哪天|哪一天|几月|哪个?月|日期|截止|\b(?:what|which) (?:day|month)\b|\bdates?\b|\bdeadlines?\b"
)
_YEAR_ASKED = re.compile(r"哪一?年|什么年份|啥年份|\b(?:what|which) year\b|^\W*(?:the |in )?year\b")
_DAY = re.compile(
    r"月|日|号|周|星期|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|day\b|\d{1,2}/\d{1,2}", re.I
)


# A percentage is a change when its clause says so before it ("同比增长67%", "surged over 30 percent",
# "subsidies raised by 30 percent") or right after it ("30% year-on-year"); else it is a share.
_CHANGE_BEFORE = re.compile(
    r"(?:增长|增加|提高|提升|上涨|上升|下降|减少|增幅|涨幅|同比|增|涨|降)[^,，;；。]{0,4}$"
    r"|\b(?:surged?|soared?|grew|grow(?:s|n|th)?|increas\w*|rose|rise[sn]?|rais\w*|jump\w*|climb\w*|"
    r"fell|fall(?:s|en)?|dropp?\w*|declin\w*|up|down)\b[^,;.]{0,25}$|\bby\s*$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(r"^\s*(?:year[- ]on[- ]year|yoy)|^[^,，;；。]{0,2}(?:同比)", re.IGNORECASE)
_CHANGE_ASKED = re.compile(
    r"增长|增加|提高|提升|上涨|上升|涨|增速|多了|上调|下调|调高|调低|下降|降低|减少|\b(?:grow\w*|grew|rise|rose|increas\w*|rais\w*|surg\w*|jump\w*|"
    r"went up|go up|gone up|up by|faster)\b"
)
_SHARE_ASKED = re.compile(r"占|比例|几成|比重|份额|\b(?:share|proportion|split|ratio|percentage of|how much of)\b")


def _is_change(span: Span, sentence: Sentence) -> bool:
    before, after = sentence.text[: span.start], sentence.text[span.end :]
    return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.search(after))


# A sentence pointing back to the one before it: "*its* general manager", "the company's", 该中心.
_POINTS_BACK = re.compile(
    r"\b(?:its|their)\b|\bthe (?:company|centre|center|group|agency|bureau|programme|program)'s\b"
    r"|该|(?<![尤极与])其(?![中他它实余次])",
    re.I,
)


# A sentence opening by pointing back to the one before it ("Here, professionals ...", "He said ...").
_OPENS_BACK = re.compile(
    r"\s*(?:here|there|he|she|it|they|this|these|its|their|his|her)\b|\s*(?:这里|该|其|他|她|它)", re.I
)


def _points_back(text: str) -> bool:
    return bool(_OPENS_BACK.match(text) or _POINTS_BACK.search(text))


# Who or what a sentence is about is said only in the one before ("She credited ...", "said Li
# Na, *the company's* general manager"); a Chinese 其 inside a sentence mostly is not.
_NAMED_BEFORE = re.compile(r"\bthe (?:company|centre|center|group|agency|bureau|programme|program)'s\b", re.I)


def needs_the_one_before(text: str) -> bool:
    """Whether a reader of the sentence alone cannot tell whom or what it is about."""
    return bool(_OPENS_BACK.match(text) or _NAMED_BEFORE.search(text))


_WH = re.compile(r"\b(?:what|when|where|which|who|how)\b|什么|几(?!乎)|哪|怎么|多少|啥|咋", re.I)
_EITHER_OR = re.compile(r"(\S+ \S+) or (\S+(?: \S+)?)|([^\s，,]{1,6})还是([^\s，,]{1,6})", re.I)


def _either_or(question: str) -> list[tuple[str, str, bool]]:
    """The text before and after each "or"/还是 of an either-or question, and whether it is Chinese."""
    return [
        (m.group(1), m.group(2), False) if m.group(1) else (m.group(3), m.group(4), True)
        for m in _EITHER_OR.finditer(question)
    ]


def chooses_among_people(query: Query, people: frozenset[str]) -> bool:
    """Whether a question asking who names the corpus's people (`people`) to choose between or one to
    confirm ("局长是Yang Ying还是Yang Jiaying", "bureau chief name pls, is it Yang Jiaying?"): a person
    it names so may answer ("who did Chen Ke hear it from" asks about Chen Ke)."""
    if query.answer_type.name != "person":
        return False
    text = query.text
    at = [m.start() for p in people for m in re.finditer(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", text, re.I)]
    return len(at) >= 2 or any(_CONFIRMED.search(text[:start]) for start in at)


# What stands before a name the question asks to confirm ("is it Yang Jiaying", "the head is Yang
# Jiaying, right?", "是叫Yang Ying吗"); "who is Yang Ying" asks about her.
_CONFIRMED = re.compile(
    r"(?:\b(?:is|was) (?:it|that|he|she)|\bit's|(?<!\bwho )\b(?:is|was)|是不是|是|叫做?)\s*$", re.IGNORECASE
)


def _options(question: str) -> frozenset[str]:
    """The words of the options an either-or question offers: one of them is the answer."""
    sides = [(tokenize(before), tokenize(after)) for before, after, _ in _either_or(question)]
    return frozenset(t for before, after in sides if before and after for t in before + after)


def offered(question: str) -> list[tuple[str, ...]]:
    """The two options an either-or question offers, each by the word beside "or"/还是, as its
    tokens ("机考还是笔试": 机考, 笔试; "written or computer-based": write, comput + base); none
    when it offers none."""
    found = []
    for before, after, chinese in _either_or(question):
        first, second = tokenize(before.split()[-1]), tokenize(after.split()[0])
        if chinese:  # Chinese runs on: the words beside 还是
            first, second = first[-1:], second[:1]
        if first and second:
            found += [tuple(first), tuple(second)]
    return found


def _gives_the_quoted(span: Span, quoted: frozenset[str]) -> bool:
    """A figure the question itself gives, as what it knows already ("报考16300人 最后考出来多少"
    asks for another figure than 16,300; "was it 16,300?" confirms it, and is let through)."""
    return span.kind in FIGURE_KINDS and any(w in quoted for w in tokenize(span.text))


def _repeats(span: Span, own: frozenset[str]) -> bool:
    """The span's time is one the question names already ("weekend sessions" for "the weekend classes")."""
    return any(w in own for w in tokenize(span.text))


def _counts_it(query: Query, sentence: Sentence) -> bool:
    """Whether the sentence names what the question counts or rates (in either language), when it
    names it: "多少分算及格" is not answered by a count of people, "分几个等级" by no count when
    the materials never speak of levels, nor "通过率" by a share of anything but passing."""
    if query.counted is None:
        return True
    words = query.counted.near if query.counted.known or query.counted.synonyms else frozenset()
    return any(token in words for token, _ in _located(sentence))


# What an English count counts: the plural noun right after it ("16,300 *participants*") or ending
# it ("dozens of white-collar *workers*"); a count after "with" or "of which" is a part of the one
# before it ("16,300 participants ..., with 10,900 earning the credential").
_NOUN_AFTER = re.compile(r"\s+([a-z]+s)\b")
_NOUN_INSIDE = re.compile(r"\s([a-z]+s)$")
_SUBSET_BEFORE = re.compile(r"(?:\bwith|\bof which|\bof whom|\bamong them)\s*$", re.I)


def _counts_another(query: Query, sentence: Sentence, span: Span, terms: SentenceTerms | None = None) -> bool:
    """Whether an English count says it counts something other than what the question counts:
    "16,300 *participants* for AI trainers" does not answer "how many AI trainers", nor does the
    part of them it goes on to count ("with 10,900 earning the credential"), unless that part does
    what the question asks ("how many AI trainers were *certified*": those earning the credential)."""
    if query.counted is None or span.kind != "count":
        return False
    if sentence.lang == "zh":
        # the noun right after a Chinese count ("三项*任务*" is no score, "多少分")
        head = next((token for token, at in _located(sentence) if at == span.end), None)
        return head is not None and has_han(head) and head not in UNITS and head not in query.counted.near
    after = _NOUN_INSIDE.search(span.text) or _NOUN_AFTER.match(sentence.text, span.end)
    if after is None:
        if (
            _SUBSET_BEFORE.search(sentence.text[: span.start])
            and not _names_it_after(query.counted, sentence, span)
            and not _verb_weight(query, sentence, span, terms)
        ):
            whole = [s for s in sentence_spans(sentence) if s.kind == "count" and s.end <= span.start]
            return bool(whole) and _counts_another(query, sentence, whole[-1])
        return False
    noun = tokenize(after.group(1))
    return bool(noun) and noun[0] not in UNITS and noun[0] not in query.counted.near


# What a part counts, said after it up to the clause's end ("with 10,900 earning *the credential*").
_CLAUSE_AFTER = re.compile(r"[^,.;:!?]{0,40}")


def _names_it_after(counted: QueryTerm, sentence: Sentence, span: Span) -> bool:
    """Whether the clause after a count that is part of another ("..., with 10,900 earning the
    credential") names what the question counts (credentials): the part counts that."""
    clause = _CLAUSE_AFTER.match(sentence.text, span.end)
    return clause is not None and bool(counted.near.intersection(tokenize(clause.group(0))))


# The verb right after an English count, past the people or things it counts: "16,300 people *took*
# the exam, of which 16,900 *passed*", "with 10,900 *earning* the credential", "72 new jobs *announced*".
_VERB_AFTER = re.compile(r"\s+(?:(?:[a-z-]+\s+)?(?:[a-z-]+s|people)\s+)?([a-z]+(?:ed|ing)|took|sat|got|won|made)\b")


def _verb_weight(query: Query, sentence: Sentence, span: Span, terms: SentenceTerms | None) -> float:
    """The weight of the heaviest of the question's own terms that the verb right after an English
    count is, in either language ("how many took part", "参加考试的有多少人": 16,300 took; "通过了多少":
    16,900 passed), or says the same as by the glossary ("how many sat the exam": took); 0 when none."""
    verb = _VERB_AFTER.match(sentence.text, span.end)
    said = tokenize(verb.group(1)) if verb else []
    if not said:
        return 0.0
    words = (terms.same_verb.get(said[0]) if terms else None) or frozenset(said[:1])
    return max((t.weight for t in _own_terms(query) if words & t.variants), default=0.0)


def _own_terms(query: Query) -> list[QueryTerm]:
    """The question's terms, those of its own words when it is read with an earlier turn and has
    any ("how many passed?" ... "and how many sat it?": sat, not passed)."""
    if not query.leans or not query.own:
        return query.terms
    return [t for t in query.terms if t.variants & query.own] or query.terms


def _rate_without_its_count(query: Query, sentence: Sentence, span: Span, terms: SentenceTerms | None) -> bool:
    """Whether a count stands in for a rate (the materials give counts, not pass rates) and counts
    something else: a pass rate is answered by those who passed ("16,300 people took the exam, of which 16,900
    *passed*"), not by the workforce's 1.2万人."""
    return query.answer_type.name == "rate" and span.kind == "count" and not _verb_weight(query, sentence, span, terms)


def _is_one(query: Query, sentence: Sentence, span: Span) -> float:
    """How near the span its sentence calls it what the question asks for ("复旦、交大、同济等*高校*"
    for "which universities"): 1 beside it or within it, half at DECAY characters; MEMBER when the
    span is itself one of the corpus's names CC-CEDICT gives that class (Hangzhou for a city)."""
    if query.instance_of is None:
        return 0.0
    if query.instance_of.instances.intersection(tokenize(span.text)):
        return MEMBER
    words = query.instance_of.near - query.instance_of.instances
    gaps = [_gap(span, at, len(token)) for token, at in _located(sentence) if token in words]
    return 0.5 ** (min(gaps) / DECAY[sentence.lang]) if gaps else 0.0


def _said(question: str) -> tuple[str, frozenset[str]]:
    """The question lower-cased, with the countries its demonyms name ("which *Chinese* city" names
    China), and the pinyin of its Chinese words (once per question)."""
    text = question.lower()
    countries = [country for demonym, country in _DEMONYMS.items() if re.search(rf"\b{demonym}\b", text)]
    return " ".join([text, *countries]), frozenset({romanised(t) for t in tokenize(question)} - {""})


_DEMONYMS = {"chinese": "china", "japanese": "japan", "korean": "korea", "american": "america", "british": "britain"}


def named_in(span: Span, said: tuple[str, frozenset[str]]) -> bool:
    """The span only repeats what the question (`_said`) says ("who heads the Shanghai bureau?"
    is not answered by "Shanghai"), in either script."""
    text, spelled = said
    if span.text.lower() in text or (romanised(span.text) and romanised(span.text) in text.replace(" ", "")):
        return True
    return span.text.lower().replace(" ", "") in spelled


# A question giving a person's surname to ask for the full name ("姓杨的局长", "the GM, Mr Pan").
_SURNAME_GIVEN = re.compile(
    r"姓\s*[A-Za-z\u4e00-\u9fff]|\b(?:surname|last name|family name)\b|\b(?:mr|ms|mrs)\.? [a-z]", re.IGNORECASE
)


# A question asking for a country or a province: the place it names may lie in the answer.
_REGION_ASKED = re.compile(r"\b(?:country|countries|nation|province|provinces)\b|国家|哪国|省", re.IGNORECASE)


def _holds_the_asked_place(query: Query, span: Span) -> bool:
    """Whether a place is one that a place the question names lies in: "China" does not answer
    "which areas of Shanghai", as CC-CEDICT tells ("Shanghai municipality, central east China")."""
    if span.kind != "place" or _REGION_ASKED.search(query.text):
        return False
    return any(lies_in(c, span.text) for c in query.constraints)


def _figure_of_a_place_within(query: Query, sentence: Sentence, span: Span) -> bool:
    """Whether a figure is given for a place lying in the one the question asks about, which the
    sentence does not name: "全国去年多少人拿到证" is not answered by "16,300 ... in Shanghai"."""
    if span.kind not in FIGURE_KINDS:
        return False
    inner = [s.text for s in sentence_spans(sentence) if s.kind == "place"]
    return any(
        not mentions(sentence.text, c) and any(lies_in(p, name) for p in inner for name in c.split(ALSO))
        for c in query.constraints
    )


def _in_what_is_set_apart(query: Query, span: Span) -> bool:
    """Whether a place is, lies in, or holds one the question sets apart from its answer: "除了上海
    还有哪个城市" is answered neither by Shanghai nor by 浦东张江 (CC-CEDICT: Pudong, a district of
    Shanghai), "apart from Shanghai, which areas" not by China (unless it asks for a country)."""
    if span.kind != "place":
        return False
    around = not _REGION_ASKED.search(query.text)
    return any(
        mentions(span.text, c) or lies_in(span.text, c) or (around and lies_in(c, span.text))
        for c in set_apart(query.text)
    )


# A deputy's post ("副局长", "deputy director", "vice president").
_DEPUTY = re.compile(r"副|\b(?:deputy|vice|assistant)\b", re.IGNORECASE)


def _holds_another_post(query: Query, sentence: Sentence, span: Span) -> bool:
    """Whether a person named asked as a deputy is said to hold no deputy's post: "上海人社局副局长是谁"
    is not answered by the director."""
    return span.kind == "person" and bool(_DEPUTY.search(query.text)) and not _DEPUTY.search(sentence.text)


def _is_the_subject(query: Query, span: Span) -> bool:
    """Whether a name is what the question asks about rather than its answer: "who supports the
    skills *centre*" is not answered by the centre (unless it asks which centre); nor "模型优化这块
    主要干啥" by a list of tasks that holds 模型优化 (unless it asks to confirm an item)."""
    if span.kind == "list":
        if is_yes_no(query.text):
            return False  # "要懂哪几方面 语言学算吗": the item named is one to confirm
        own = frozenset(tokenize(without_set_apart(query.text)))  # "apart from computing": no subject
        # the question's own words, in either language ("the grads from Fudan": 复旦)
        asked = own.union(*(t.variants for t in query.terms if t.variants & own))
        return any((words := tokenize(item)) and asked.issuperset(words) for item in list_items(span.text))
    if span.kind not in ("organisation", "person", "place") or query.instance_of is not None:
        return False
    if span.kind == "person" and _SURNAME_GIVEN.search(query.text):
        return False  # "姓Pan的那个叫啥": the surname picks out whose full name is asked
    words = tokenize(span.text)
    return bool(words) and any(words[-1] in t.variants - t.instances for t in query.terms)


def focus_near(
    terms: Sequence[QueryTerm],
    sentence: Sentence,
    span: Span,
    before: Sentence | None = None,
    after: Sentence | None = None,
) -> float:
    """The weight share of the question's terms near the span, each term counted by how close
    its nearest mention is: fully beside the span, half at DECAY characters, little past that.
    A sentence that points back ("according to *its* general manager, Pan Pan") also holds the
    sentence `before` it, its words read as standing two DECAYs beyond the word that points back
    (a quarter of their weight); a sentence `after` it that points back holds its words for it
    the same way ("Hangzhou ... *Here*, professionals ... teaching machines")."""
    total = sum(t.weight for t in terms if t.known or t.synonyms) or 1.0
    decay = DECAY[sentence.lang]
    # (token, where it is read to stand, characters added to its distance, which word it is: the
    # sentence it is in, 0 this one, -1 before, -2 after, and its offset there, which on a tie in
    # distance puts the neighbours' later words first)
    located = [(token, at, 0, (0, at)) for token, at in _located(sentence)]
    back = _POINTS_BACK.search(sentence.text) if before is not None else None
    if back and before is not None:
        located += [(token, back.start(), 2 * decay, (-1, -at)) for token, at in _located(before)]
    if after is not None and _points_back(after.text):
        # "Hangzhou ... exemplifies this trend. *Here*, professionals are ... teaching machines."
        located += [(token, span.end, 2 * decay, (-2, -at)) for token, at in _located(after)]
    near = 0.0
    used: set[tuple[int, int]] = set()  # a word of the sentence stands for one term only ("new jobs" for 新 and 职业)
    for term in sorted(terms, key=lambda t: -t.weight):
        if term.variants <= UNITS | COUNT_WORDS:
            continue  # "16,300 people": the unit counted says nothing about which count it is
        words = term.near if term.known or term.synonyms else frozenset()
        gaps = [
            (_gap(span, at, len(token)) + extra, word)
            for token, at, extra, word in located
            if token in words
            and word not in used
            and (extra or token in term.variants or not _inside(span, at, len(token)))
        ]
        if gaps:
            gap, word = min(gaps)
            used.add(word)
            near += term.weight * 0.5 ** (gap / decay)
    return near / total


def off_focus(asked: frozenset[str], sentence: Sentence, span: Span, known: SentenceTerms) -> float:
    """The weight share of the words right around the span that the question does not say (`asked`:
    the words that stand for its terms): "16,300 people *took the exam*" answers a question about
    the exam, not about who works as a trainer. Each word counts by its rarity and its closeness
    to the span, as in `focus_near`."""
    total = off = 0.0
    for token, at in _located(sentence):
        if token in UNITS or token.replace(",", "").replace(".", "").isdigit() or span.start <= at < span.end:
            continue
        weight = known.idf(token) * 0.5 ** (_gap(span, at, len(token)) / DECAY[sentence.lang])
        total += weight
        off += weight if token not in asked else 0.0
    return off / total if total else 0.0


def _inside(span: Span, at: int, length: int) -> bool:
    """Whether a token at `at` overlaps the span: a loose synonym inside the answer itself (八成 in
    逾八成, which CC-CEDICT also gives as "probably") says nothing about which answer it is; the
    question's own word there ("weekend" in "are classes held on weekends?") does."""
    return at < span.end and at + length > span.start


BESIDE = {"en": 12, "zh": 4}  # characters between a figure and the word naming what it counts, at most


def beside(sentence: Sentence, kinds: frozenset[str], words: frozenset[str]) -> bool:
    """Whether a span of one of the kinds stands right beside one of the words ("30 percent *theory*")."""
    spans = [s for s in sentence_spans(sentence) if s.kind in kinds]
    return any(
        _gap(s, at, len(token)) <= BESIDE[sentence.lang]
        for token, at in _located(sentence)
        if token in words
        for s in spans
    )


def _gap(span: Span, at: int, length: int) -> int:
    """Characters between the span and a token at `at` (0 when they touch or overlap)."""
    return max(0, span.start - (at + length), at - span.end)


@lru_cache(maxsize=8192)
def _located(sentence: Sentence) -> tuple[tuple[str, int], ...]:
    return tuple(located_tokens(sentence.text))


def read_typed(query: Query, ranked: Sequence[Evidence], terms: SentenceTerms | None = None) -> Reading:
    """The best candidate, led by a sentence in the asker's language when one gives the same value."""
    found = candidates(query, ranked, terms)
    if not found:
        return Reading(None, [], 0.0)
    best = _fullest_name(found)
    if _in_a_lack(best.evidence.sentence, best.span):
        # "亦未说明现有1.2万名从业人员中,……" says what an article lacks: a sentence stating the same value plainly leads
        plain = (c for c in found if _same_value(c.span, best.span) and not _in_a_lack(c.evidence.sentence, c.span))
        best = next(plain, best)
    same = [c for c in found if _same_value(c.span, best.span) and c.evidence.sentence.lang == query.lang]
    support: Candidate | None
    if best.evidence.sentence.lang != query.lang and same and same[0].focus >= best.focus * 0.8:
        lead, support = same[0], best
    else:
        lead, support = best, next((c for c in found if c is not best and _same_value(c.span, best.span)), None)
    # Another article (or the other language) giving the same value supports it; the same
    # article repeating itself does not.
    other_source = support and support.evidence.sentence.doc_id != lead.evidence.sentence.doc_id
    chosen = (
        [lead.evidence] + ([lead.via] if lead.via else []) + ([support.evidence] if support and other_source else [])
    )
    return Reading(lead, chosen, best.focus)


def _fullest_name(found: Sequence[Candidate]) -> Candidate:
    """The best candidate, or the fuller name of the same person close behind it: an article that
    says "said Pan, general manager" names the Pan Pan another article names in full."""
    best = found[0]
    if best.span.kind != "person":
        return best
    short = best.span.text.split()
    fuller = [
        c
        for c in found
        if c.span.kind == "person"
        and len(words := c.span.text.split()) > len(short)
        and words[: len(short)] == short
        and c.score >= best.score - FULLER_NAME_MARGIN
    ]
    return fuller[0] if fuller else best


def _same_value(a: Span, b: Span) -> bool:
    if a.value is not None and b.value is not None:
        return a.value == b.value
    return a.text.lower() == b.text.lower()
