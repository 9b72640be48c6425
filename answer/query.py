"""One question's properties, computed once and passed down: the text asked, the text to
search (with the earlier question when it is a follow-up), the language (a `lang` in the
request wins everywhere, retrieval included), search tokens, vector, expected answer type,
focus terms and constraints."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import jieba.posseg
import numpy as np
from numpy.typing import NDArray

from answer.conflicts import FIGURE_KINDS
from answer.constraints import ALSO, constraints, is_place, is_year, mentions, spelled_names
from answer.evidence import QueryTerm, SentenceTerms, numeral_figures
from answer.followup import PREPOSITIONS, corpus_knows, points_to_person, search_query
from answer.qtypes import AnswerType, classify, cue_position, named
from answer.spans import find_spans
from index.embeddable import embeddable
from index.errors import EmptyQueryError
from index.glossary import Glossary
from index.hybrid import Retriever
from index.language import detect_lang, has_han, simplified
from index.tokenize import dictionary_parts, located_tokens, tokenize
from index.types import Lang

QUESTION_MAX_CHARS = 2000  # the API's own limit
FOLLOW_UP_OWN = 2.0  # how much more a follow-up's own words weigh than the earlier turn's


def _in_digits(text: str) -> frozenset[str]:
    """The digit writings (10900, 10,900) of the figures the text writes in Chinese numerals, which
    jieba cuts apart (一万/零/九百)."""
    return frozenset(form for _, _, digits in numeral_figures(text) for form in (digits, f"{int(digits):,}"))


@dataclass(frozen=True)
class Query:
    """A question as the engine sees it."""

    text: str
    search_text: str
    lang: Lang
    tokens: list[str]
    vector: NDArray[np.float32]
    answer_type: AnswerType
    terms: list[QueryTerm]
    constraints: list[str]
    # What a count counts or a rate measures ("how many *universities*", "*通过*率"), with its own
    # translations only: "实训*基地*" counts bases, not whatever "training" names.
    counted: QueryTerm | None = None
    # What the answer is one of, when the question names it ("which *universities*", "哪家*公司*").
    instance_of: QueryTerm | None = None
    # A follow-up's own words ("那*拿证*的呢" after "多少人报名考"); empty otherwise.
    own: frozenset[str] = frozenset()

    @property
    def quoted_figures(self) -> frozenset[str]:
        """The figures the question quotes ("who put out the *67 percent* figure?"), years aside; one
        in Chinese numerals as the articles write it in digits (一万零九百人: 10900, 10,900)."""
        return frozenset(
            form
            for term in self.terms
            for form in term.variants
            if any(ch.isdigit() for ch in form) and len(form.strip("%")) >= 2 and not is_year(form)
        ) | _in_digits(self.text)

    @property
    def leans(self) -> bool:
        """Whether the question is read with an earlier turn (a follow-up, or a later part)."""
        return self.search_text != self.text


def build_query(
    question: str,
    history: Sequence[str],
    lang: Lang | None,
    retriever: Retriever,
    terms: SentenceTerms,
    leans: bool = False,
) -> Query:
    """Analyse the question once: follow-up resolution, language, tokens, vector, type, focus.
    A question in traditional Chinese is read in simplified, the script our articles use. With
    `leans`, it is read with the last of `history` whatever it says (answer/followup.py)."""
    text = as_read(embeddable(question, QUESTION_MAX_CHARS), terms)
    if not text:
        raise EmptyQueryError("the question has nothing to search for")
    history = [as_read(turn, terms) for turn in history]
    search_text = search_query(text, history, corpus_knows(terms.df, retriever.glossary), leans)
    answer_type = _answer_type(text, search_text)
    asked = _asked_one_of(text)
    # a follow-up that says nothing beside its cue ("by how much?") asks about the words beside it
    # in the earlier turn it is read with ("did they raise the subsidy? by how much?")
    heads = head_terms(text, answer_type) or head_terms(search_text, answer_type)
    q_terms, named = _with_instances(
        asked, terms.query_terms(_AUXILIARY.sub(r"\1", search_text), retriever.glossary, heads), terms
    )
    kind = class_noun(text, answer_type)
    said = _with_instances(asked, terms.query_terms(kind, retriever.glossary), terms)[0][0] if kind else None
    # "any other Chinese *city*", "which chinese *city*": the class whose names the corpus holds is
    # what is asked for, rather than the word right after the question word
    # (a place or name the question sets is none: "which areas of *Shanghai*" asks for areas)
    found = _within_terms(_constraints(text, search_text, history, terms.people), text, retriever.glossary)
    if answer_type.name in ("person", "yesno"):
        found = [c for c in found if not _offered_name(text, c, terms.people)]
    named_by = _with_other_names(found, text, retriever.glossary)
    set_names = frozenset(w for c in named_by for w in tokenize(c))
    held = [t for t in [said, *q_terms] if t is not None and t.instances and not t.variants & set_names]
    instance_of = held[0] if held else said
    # a name of the articles that jieba cuts apart (陈可是 -> 陈/可是) is a term and a search token
    spelled = [n for n in spelled_names(search_text, terms.people) if n not in tokenize(search_text)]
    q_terms += [t for n in spelled for t in terms.query_terms(n, retriever.glossary)]
    # What a follow-up counts may be named by the earlier turn only ("多少个新职业" ... "其中跟AI有关的有几个").
    # (a share's subject is its own: "占了多大比例" after "分布在哪些区域" measures no area)
    borrows = search_text != text and answer_type.name == "count"
    noun = counted_noun(text, answer_type) or (counted_noun(search_text, answer_type) if borrows else None)
    own: frozenset[str] = frozenset()
    if search_text != text:
        # a follow-up's own words weigh more than the earlier turn's it is read with: "那*补贴*呢"
        # after a course question asks about subsidies; "其中跟AI*相关*的有几个" after "多少个新职业"
        # counts what is related to AI, not the new jobs
        # (its cue aside: the *name* of "what's his name" is what it asks for, not what about;
        # but the *pass* of "what was the pass count" is what a count's verb must say)
        cue = cue_position(text, answer_type)
        own = _own_words(text, retriever.glossary)
        weighed = _own_words(f"{text[: cue[0]]} {text[cue[1] :]}", retriever.glossary) if cue else own
        q_terms = [
            _saying_the_same(replace(t, weight=t.weight * FOLLOW_UP_OWN), terms) if t.variants & weighed else t
            for t in q_terms
        ]
    else:
        q_terms = [_saying_the_same(t, terms) for t in q_terms]
    if answer_type.name in _ASKING_WORDS:
        q_terms = _asking_weighs_nothing(text, q_terms, retriever.glossary, _ASKING_WORDS[answer_type.name])
    if answer_type.name == "yesno":
        # a figure claimed that no article gives ("拿证的有两万人，是这样吗") is checked against the one they
        # give: no sentence can hold it, and the sentences giving the figure of that thing answer
        q_terms = [replace(t, weight=0.0) if not t.known and _is_figure(t) else t for t in q_terms]
    return Query(
        text=text,
        search_text=search_text,
        lang=lang or detect_lang(text),
        tokens=search_tokens(search_text, terms) + named + spelled,
        vector=retriever.embed_query(search_text),
        answer_type=answer_type,
        terms=q_terms,
        constraints=named_by,
        counted=_counted_term(noun, search_text, retriever.glossary, terms) if noun else None,
        instance_of=instance_of,
        own=own,
    )


# The words asking for a name ("全名叫什么", "姓杨", "what's his full name", "she is called what"), not
# for whose: the role ("which bureau head") says that.
NAMING = re.compile(
    r"\b(?:(?:full|real|first|last|family|sur) ?)?names?\b|\b(?:called|named)\b"
    r"|全名|姓名|名字|大名|(?:英文|中文|拼音)名|叫.{0,2}(?:什么|啥)|姓",
    re.IGNORECASE,
)


# The words a yes/no question checks a claim with ("这个数靠谱吗", "真的假的", "is that right?") and
# where the asker heard it ("我在小红书上看到说", "听说", "I read on Weibo that"): no sentence that
# confirms or corrects the claim says them.
_CONFIRMING = re.compile(
    r"(?:[这那](?:个|些)?(?:数字?|数据|说法|消息|信息|事)?)?"
    r"(?:靠不靠谱|靠谱|准不准|准确|准(?=[吗么不])|可靠|可信|属实|是真的|真的假的|真假|对不对|对(?=[吗么吧])|没错|正确)"
    r"(?:吗|么|嘛|吧|不|呢)?"
    r"|(?:就?是)?[这那]个?数字?(?=[吗么吧呢])"
    r"|(?:我?(?:在|从)[^,，。？?！!\s]{1,8}?[上里])?(?:看到|看见|刷到|读到|听到)(?:有人|别人)?(?:说|讲)?"
    r"|(?:看|听|刷到|读到)了?[^,，。？?！!\s]{0,6}?(?:说|讲|写)|(?:有人|网上|别人)(?:说|讲)"
    r"|\b(?:is|was|are) (?:that|this|it|these|those)(?: (?:number|figure|claim))? "
    r"(?:right|true|correct|accurate|legit|reliable|real)\b|\btrue or (?:false|not)\b|\bfor real\b"
    r"|\bi (?:heard|read|saw)(?: (?:on|in) [\w' ]{1,30}?)?(?= that\b| somewhere\b|[,:]|$)|\bsomeone (?:told me|said)\b",
    re.IGNORECASE,
)
# The words only asking, per answer type, that weigh nothing in its focus.
_ASKING_WORDS = {"person": NAMING, "yesno": _CONFIRMING}


def _is_figure(term: QueryTerm) -> bool:
    """Whether the term is a figure (its forms are digits: 20000, 20,000, 2万)."""
    return all(any(ch.isdigit() for ch in form) for form in term.variants) and not any(
        is_year(f) for f in term.variants
    )


def _asking_weighs_nothing(
    text: str, q_terms: list[QueryTerm], glossary: Glossary, asking_words: re.Pattern[str]
) -> list[QueryTerm]:
    """The question's terms, those only of the words asking (`asking_words`) weighing nothing: a
    person question asks for a name, and the sentence that gives it never says "name" ("Yang Ying,
    director of ..."); a claim checked is confirmed by a sentence stating it, not saying it is
    "reliable". Such words would only lower the answering sentence's focus."""
    rest = _own_words(asking_words.sub(lambda m: " " * len(m.group()), text), glossary)
    asking = _own_words(text, glossary) - rest
    return [replace(t, weight=0.0) if t.variants & asking and not t.variants & rest else t for t in q_terms]


def _own_words(text: str, glossary: Glossary) -> frozenset[str]:
    """A follow-up's words, with the glossary terms written in them and the dictionary words of a
    word jieba's HMM made up (那拿证: the glossary's 拿证)."""
    words = tokenize(text)
    written = [text[s:e] for s, e, _ in glossary.written_in(text)]
    return frozenset(words + written) | {part for token in words for part, _ in dictionary_parts(token)}


def _saying_the_same(term: QueryTerm, terms: SentenceTerms) -> QueryTerm:
    """The term with the verbs the glossary says the same thing with beside an answer ("sat" the
    exam: "16,300 people *took* it"); a follow-up's own terms only, the earlier turn's verb being
    what it no longer asks ("how many sat it?" ... "and how many made it through?")."""
    same = frozenset().union(*(terms.same_verb.get(v, frozenset()) for v in term.variants)) - term.variants
    return replace(term, synonyms=term.synonyms | same) if same else term


# "do" asking the question ("when *does* the course run?", "which year *did* it become ...", "*did*
# they raise it?") is no term of it: the first do/does/did among its first words with a word after
# it; "what does a trainer *do*?" keeps the verb.
_AUXILIARY = re.compile(r"^(\W*(?:[\w']+\W+){0,4}?)(?:do|does|did)\b(?=\W+\w)", re.IGNORECASE)


# Words asking for one of a class: "which *city*", "any other *city*", "哪些*高校*".
_ASKS_ONE_OF = re.compile(r"\b(?:which|what|other|another)\b|哪|其他|其它|别的")


def _asked_one_of(text: str) -> frozenset[str]:
    """The search tokens from the question's first word asking for one of a class on (none when
    it has no such word): the class is among them."""
    asks = _ASKS_ONE_OF.search(text.lower())
    return frozenset(t for t, at in located_tokens(text.lower()) if at >= asks.start()) if asks else frozenset()


def _with_instances(
    asked: frozenset[str], q_terms: list[QueryTerm], terms: SentenceTerms
) -> tuple[list[QueryTerm], list[str]]:
    """The terms, the class a question asks one of (`asked`: "which *universities*", "还有哪个*城市*")
    also standing for the corpus's names of that class (CC-CEDICT: 复旦 is a university, Hangzhou a
    city): a sentence naming one holds the word. Also the names added, to be searched for."""
    widened: list[QueryTerm] = []
    named: list[str] = []
    for term in q_terms:
        members = terms.instances(term.variants) - term.variants if term.variants & asked else frozenset()
        widened.append(replace(term, variants=term.variants | members, instances=members) if members else term)
        named += sorted(members - set(named))
    return widened, named


def _with_other_names(found: list[str], text: str, glossary: Glossary) -> list[str]:
    """The constraints, each with its writings in the other script, and the names the glossary
    gives in both scripts that the question writes ("理想信息那家公司": Shanghai Ideal Information),
    though jieba sees no name in them."""
    written = [name for name in glossary.names if has_han(name) and name in text and not any(name in f for f in found)]
    return [ALSO.join([c, *glossary.other_names(c)]) for c in [*found, *written]]


def _within_terms(found: list[str], text: str, glossary: Glossary) -> list[str]:
    """The names found, less those jieba made across a glossary term's edge: "AI训练师考出来" is cut
    训练/师考/出来, and 师考 tagged a name, but 训练师 is a term."""
    terms = [(start, end) for start, end, _ in glossary.written_in(text)]

    def across(name: str) -> bool:
        at = [m.start() for m in re.finditer(re.escape(name), text)]
        return bool(at) and all(
            any(s < a < e < a + len(name) or a < s < a + len(name) < e for s, e in terms) for a in at
        )

    return [c for c in found if not (has_han(c) and across(c))]


# What stands before a name a question offers for the one it asks about ("局长是Yang Jing对吧", "is it
# Yang Jin?", "叫杨静吗"): the name, first word and all, is the caller's guess.
_OFFERING = re.compile(
    r"(?:\b(?:is|was) (?:it|that|he|she|the \w+)|\bit's|\b(?:called|named)|是不是|是|叫做?)\s*(?:[A-Z][a-z]+ )?$", re.I
)


def _offered_name(text: str, constraint: str, people: frozenset[str]) -> bool:
    """Whether a name that is none of the articles' people is offered as the guess a question checks:
    no sentence need name it, and those naming who holds the role answer."""
    if constraint.isdigit() or is_place(constraint) or any(mentions(p, constraint) for p in people):
        return False
    at = text.find(constraint.split(ALSO)[0])
    return at > 0 and _OFFERING.search(text[:at]) is not None


def _constraints(text: str, search_text: str, history: Sequence[str], people: frozenset[str]) -> list[str]:
    """The question's places, people and years (`people`: the corpus's romanised names). A
    follow-up naming a person by pronoun ("他学AI拿来干嘛") also holds the names of the earlier turn
    it is read with; one naming none of its own holds the places and years that turn names
    ("杭州那边的训练师做什么 举啥例子了": the examples are Hangzhou's)."""
    own = constraints(text, people)
    if search_text == text:
        return own
    if points_to_person(text):
        return own + [c for c in constraints(history[-1], people) if not c.isdigit() and c not in own]
    return own or [c for c in constraints(history[-1], people) if c.isdigit() or is_place(c)]


# Chat shorthand in English questions, written out as the articles write it ("how many ppl work
# as AI trainers rn" -> people, right now).
_SHORTHAND = {
    "ppl": "people",
    "rn": "right now",
    "yr": "year",
    "yrs": "years",
    "govt": "government",
    "gov": "government",
    "gm": "general manager",
    "abt": "about",
    "cert": "certificate",
    "certs": "certificates",
    "grad": "graduate",
    "grads": "graduates",
    "u": "you",
    "ur": "your",
    "bc": "because",
    "info": "information",
    "dept": "department",
    "uni": "university",
    "unis": "universities",
    "depts": "departments",
    "approx": "approximately",
    "avg": "average",
    "mgr": "manager",
    "wk": "week",
    "wks": "weeks",
    "hrs": "hours",
    "mins": "minutes",
    "thru": "through",
    "pls": "please",
    "plz": "please",
}
# The profession's name written out in full, as the articles abbreviate it ("人工智能训练师" -> AI训练师,
# "artificial intelligence trainers" -> AI trainers): they say "AI" twenty times for each full name.
_PROFESSION = re.compile(r"人工智能(?=训练)|\bartificial intelligence(?= train)", re.IGNORECASE)
_IT = re.compile(r"(?<![A-Za-z'])IT(?![A-Za-z'])")
_IT_ANY_CASE = re.compile(r"(?<![A-Za-z'])[Ii][Tt](?![A-Za-z'])")
# "it" typed in lower case is IT where a word saying which jobs comes before it and a job word after
# it ("other it jobs", "faster than it jobs"), never the pronoun ("is it a job", "does it pay")
_IT_LOWER = re.compile(
    r"\b(other|regular|ordinary|typical|traditional|general|average|than|for|of|in|and|or|vs|versus) it"
    r"(?= (?:jobs?|sector|industry|industries|workers?|professionals?|roles?|positions?|posts?|occupations?|careers?)"
    r"\b)",
    re.IGNORECASE,
)
# "HR" is human resources, as the articles write it ("the HR bureau", "HR局长"); not the "hr" of hours
# after a number ("2 hr", "3hr")
_HR = re.compile(r"(?<![\w'.])(?<!\d )HR(?![A-Za-z'])", re.IGNORECASE)
_SHORT_WORD = re.compile(r"(?<![\w'.])(" + "|".join(_SHORTHAND) + r")(?![\w']|\.\w)", re.IGNORECASE)


# How a question is relayed ("有市民来电问,", "我家孩子问", "来电问：", "热线转接：", "caller asks:", "my son
# wants to know", "hotline here - caller wants ..."): not its words. "whether"/"if" after it stays: it
# says the question is a yes/no one.
_CALLERS = "市民|学员|家长|用户|听众|群众|网友|朋友|同事|客户|阿姨|大爷|大妈|先生|女士|小姐|同学"
_RELAY_LINE = r"(?:热线|电话|接线员?|坐席|客服)(?:转接|转述|转来|转|记录|来电|咨询)?"
_RELAYED = re.compile(
    rf"^\s*{_RELAY_LINE}\s*[:：]\s*"
    rf"|^\s*(?:{_RELAY_LINE}[,，\s]*)?"
    rf"(?:(?:有(?:位|个|一位|名)?(?:来电的?)?(?:{_CALLERS}|人)|(?:来电的?)?(?:{_CALLERS})|我(?:家|们)?[\u4e00-\u9fff]{{0,2}})"
    r"(?:来电|打电话|打来电话)?|来电|打电话来)"
    r"(?:问|咨询|询问|想知道|想了解|想问|想咨询|打听)(?:一下)?[:：,，\s]*"
    r"|^\s*(?:(?:hotline|call cent(?:re|er)|phone line)(?: here| call| relay| transfer)?\s*[:,\-–—]\s*)?"
    r"(?:(?:a|the|my|our|one|this) )?(?:caller|customer|client|user|visitor|student|trainee|parent|friend|son|"
    r"daughter|cousin|mum|mom|dad|father|mother|colleague|someone|somebody|person|listener)(?:'s| is| was)? "
    r"(?:asks|asked|asking|wants to know|wanted to know|would like to know|wondering|wonders|enquires|inquires"
    r"|wants|wanted)"
    r"(?: about)?\s*[:,\-–—]?\s*(?=\S)(?!(?:if|whether)\b)"
    r"|^\s*(?:hotline|call cent(?:re|er)|phone line)(?: here| call| relay| transfer)?\s*[:\-–—]\s*",
    re.IGNORECASE,
)


# Greetings, politeness and fillers a caller wraps a question in ("您好，请问……", "说白了", "hi, ..."):
# not its words.
_FILLER = re.compile(
    r"您好|你好|请问(?:一下)?|麻烦(?:问|请教)?一下|我?想(?:问|咨询|了解|请教)一下|咨询一下|打扰(?:一下|了)|谢谢|"
    r"说白了|说实话|老实说|其实"
    r"|^\s*(?:我|俺)?(?:想|要)?(?:问|咨询|了解|请教|知道)(?:一?下|问)?(?=[,，:：\s])[,，:：\s]*"  # "想问下 ……"
    r"|^\s*(?:hi|hello|hey|excuse me|good (?:morning|afternoon|evening))\b[,!.\s]*"
    # asking to be told, before the question itself ("could you tell me how many ...", "do you know
    # who ..."); not before "if"/"whether", which say the question is a yes/no one, nor "about"
    r"|^\s*(?:(?:could|can|would) you (?:please )?(?:tell me|let me know)|(?:do|does) (?:you|anyone) know|"
    r"i(?:'d| would) like to know|i want(?:ed)? to know|i was wondering|please tell me|tell me)[,:\s]+"
    r"(?=\S)(?!(?:if|whether|about)\b)",
    re.IGNORECASE,
)


# A clause setting aside what is not asked, before another clause ("not exam takers, the actual
# workforce", "not the exam numbers - how many ...", "不是考试人数，是……"): not the question's words.
_SET_ASIDE = re.compile(
    r"(?:^|(?<=[,;.?!，；。？！]))\s*(?:not|rather than|instead of)\s+[^,;.?!\-–—]{1,40}?\s*[,;\-–—]+(?=\s*\w)"
    r"|(?:^|(?<=[,;.?!，；。？！]))\s*(?:不是|而不是|不要)[^,;.?!，；。？！]{1,15}[,，;；](?=\s*\w)",
    re.IGNORECASE,
)


# Asking whether a figure is given, after the figure's noun ("考下来的人数有公布吗", "岗位数量有统计吗"):
# what is asked is the figure, not who published or counted it.
_IF_GIVEN = re.compile(
    r"(?<=人数|数量|规模|数字|数据)\s*(?:有没有|有|是否)?(?:公布|统计|发布|披露|报道|数据)(?:过|了)?(?:吗|么|没有|没)?"
)


# A space in Chinese: the words either side of it, and how many characters of Chinese each side runs.
_SPACE_IN_CHINESE = re.compile(r"([\u4e00-\u9fff]+)[ \t\u3000]+(?=([\u4e00-\u9fff]+))")


def _between_words(space: re.Match[str]) -> str:
    """A space between Chinese words typed apart ("AI 训练 师 的 岗位": a word of one or two
    characters on either side) goes; one between two phrases ("可以线上上课吗 不想每周跑去上海")
    stays, as the break it is."""
    left, right = space.group(1), space.group(2)
    return left if min(len(left), len(right)) <= 2 else space.group(0)[: len(left) + 1]


def as_read(question: str, terms: SentenceTerms | None = None) -> str:
    """A question as every part of the engine reads it (with `terms`, the corpus's readers): words
    typed with a letter wrong spelt right, then Chinese words typed in pinyin written in Chinese,
    then characters typed for others of the same sound read as meant ("考是" -> 考试),
    simplified characters, shorthand written out, without the words relaying it ("有市民来电问,",
    "我家孩子问"), greetings and fillers ("您好，请问", "说白了"), a clause setting aside what it does
    not ask ("not the exam numbers - ...") or words asking whether a figure is given ("人数*有公布吗*")."""
    question = _SPACE_IN_CHINESE.sub(_between_words, question)
    text = written_out(
        simplified(terms.homophones.read(terms.pinyin.read(terms.speller.read(question))) if terms else question)
    )
    unwrapped = _FILLER.sub("", _FILLER.sub("", text).lstrip("，,、 "))  # "hi, could you tell me ..."
    relayed = _RELAYED.sub("", unwrapped.lstrip("，,、 "))
    text = _RELAYED.sub("", relayed) or relayed or text  # "热线转接：市民想了解……": relayed twice
    return _IF_GIVEN.sub("", _SET_ASIDE.sub(" ", text)).strip() or text


def search_tokens(text: str, terms: SentenceTerms) -> list[str]:
    """The text's search tokens, misspelt English words read as the corpus words they stand for."""
    return [terms.spelled(t) for t in tokenize(text)]


_THOUSANDS = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?) ?[kK](?![\w])")  # "12k", "1.5 k": thousands
# A year in two digits ("25年考下来的", "24年的数据"): 2025, 2024; not a span of years ("干了25年",
# "近20年", "25年以上", "20年来").
_SHORT_YEAR = re.compile(r"(?<![\d.了过近约满干做有第超共])([12]\d)(?=年(?![了以多左内来后前间代级]))")


def written_out(question: str) -> str:
    """The question with English chat shorthand written out ("ppl" -> "people", "GM" -> "general
    manager", "HR" -> "human resources", "12k" -> "12,000", "25年" -> "2025年"), and "IT" as the
    articles say it: "other IT jobs" is no "it", "IT职业" is 信息技术职业."""
    question = _SHORT_WORD.sub(lambda m: _SHORTHAND[m.group(1).lower()], question)
    question = _HR.sub("human resources", question)
    question = _THOUSANDS.sub(lambda m: f"{round(float(m.group(1)) * 1000):,}", question)
    question = _SHORT_YEAR.sub(r"20\1", question)
    question = _PROFESSION.sub("AI", question)
    if has_han(question):
        return _IT_ANY_CASE.sub("信息技术", question)
    if question.isupper():
        return question
    return _IT_LOWER.sub(r"\1 information technology", _IT.sub("information technology", question))


def _counted_term(noun: str, question: str, glossary: Glossary, terms: SentenceTerms) -> QueryTerm:
    """The counted word with its own translations, and the head of each glossary term it ends
    in the question ("新*职业*" -> new *jobs*, "实训*基地*" -> training *bases*), or of the other
    renderings of the term an English one it ends renders ("new *occupations*": 新职业 -> new *jobs*);
    not the term's other words ("training" counts no bases)."""
    own = terms.query_terms(noun, glossary)[0]
    phrases = glossary.phrases(tokenize(question))
    heads = {en[-1] for zh, en in phrases if zh and zh[-1] == noun and en[-1].isascii()}
    rendered = {zh for en, zh in phrases if en and en[-1] == noun and noun.isascii() and not zh[-1].isascii()}
    heads |= {en[-1] for zh, en in glossary.domain if zh in rendered and en[-1].isascii()}
    return replace(own, variants=own.variants | heads, known=own.known or any(h in terms.df for h in heads))


def _answer_type(text: str, search_text: str) -> AnswerType:
    """The question's own type; a follow-up with none ("那通过的呢") asks for the earlier turn's,
    unless it asks its own question ("what's he using the models for?" after "who is Yi Zhou?")."""
    own = _asked_after(text) or classify(text)
    offered = _offered_figures(text)
    if offered:
        return named(offered)  # "was it 10,900 or 16,900 who passed": a count, not a person
    part_of = _PART_OF.search(text)
    if part_of and is_place(part_of.group(1)):
        return named("place")  # "what part of Shanghai": a place in it, not a share
    if own.name != "other" or _ASKS_ITS_OWN.search(text):
        return own
    if _NAMES_A_ROLE.search(text) and not _ASKS_OTHERWISE.search(text):
        return named("person")  # "and the director of the bureau?"
    return own if search_text == text else classify(search_text)


# Where a relay says what the caller wants to know, past what they told of themselves ("前面补贴和
# 上课时间我都答过了，她最后还想知道…多少人拿证了", "she's been told the schedule and wants to know ...").
_WANTS_TO_KNOW = re.compile(r"想知道|想问问?|想了解|想打听|\b(?:wants?|wanted|would like) to know\b", re.IGNORECASE)


def _asked_after(text: str) -> AnswerType | None:
    """The type of what follows the last "wants to know" of a question that says more before it,
    when that says what it asks."""
    found = list(_WANTS_TO_KNOW.finditer(text))
    if not found or not text[: found[-1].start()].strip():
        return None
    asked = classify(text[found[-1].end() :])
    return asked if asked.name != "other" else None


def _offered_figures(text: str) -> str | None:
    """The kind of the figures an either-or question offers ("10,900 or 16,900", "1万还是1.6万"), if any."""
    spans = [s for s in find_spans(text, FIGURE_KINDS) if s.value is not None]
    for a, b in pairwise(spans):
        if a.kind == b.kind and _OR.fullmatch(text[a.end : b.start]):
            return a.kind
    return None


_OR = re.compile(r"\s*(?:\bor\b|还是|或者|或)\s*", re.IGNORECASE)


# A part of a place asked for ("which parts of Shanghai", "what part of Pudong").
_PART_OF = re.compile(r"\b(?:which|what) parts? of (?:the )?(\w+)", re.IGNORECASE)


# The holder of a post, named without a question word: the question asks who holds it ("Director
# of Shanghai's HR bureau in 2025?", "and the director of the city's HR bureau?" after "who runs
# the course?", "那局长呢").
_NAMES_A_ROLE = re.compile(
    r"\b(?:director|(?:general )?manager|head|chief|boss|leader|chairman|president|mayor|minister|founder|ceo)s?\b"
    r"|局长|总经理|经理|负责人|老总|一把手|主任|院长|校长|董事长|市长|部长|老板|领导",
    re.IGNORECASE,
)


# Chinese question words besides those: a post named beside one is the subject of another question
# ("李娜总经理说上海形成了怎样的生态").
_ASKS_OTHERWISE = re.compile(r"怎|如何|哪|多少|几|吗|说|\b(?:say|said|think)\b", re.IGNORECASE)


# A question word of its own; "what about ...?" asks the earlier question again, of something else.
_ASKS_ITS_OWN = re.compile(
    r"\b(?:what(?! about)|how(?! about)|why|which|who|where|when)\b|什么|啥|为什么|怎么|咋|干嘛", re.IGNORECASE
)


HEAD_REACH = {"en": (12, 25), "zh": (6, 6)}  # characters before and after the cue that hold its head


# Words saying a figure need only be approximate: they sit beside a cue but are not what is asked.
_HEDGES = frozenset(tokenize("大概 大约 约 差不多 左右 roughly approximately about around"))


def head_terms(question: str, answer_type: AnswerType) -> frozenset[str]:
    """The words right around the question's cue: what is counted, named or dated ("how many
    people *passed*", "有多少人*通过*"). They weigh more than the rest of the question."""
    where = cue_position(question, answer_type)
    if where is None:
        return frozenset()
    text = unicodedata.normalize("NFKC", question).lower()
    before, after = HEAD_REACH[detect_lang(text)]
    start, end = where
    return frozenset(
        token
        for token, at in located_tokens(text)
        if start - before <= at < end + after
        and not (start <= at and at + len(token) <= end)
        and token not in PREPOSITIONS  # "*from* which year": no head
        and token not in _HEDGES  # "*大概*占了多少": how exact the figure need be
    )


# Measure words between a Chinese count cue and what it counts ("多少*家*企业"), and words that
# count people: any count of people answers "how many people", whatever the sentence calls them;
# so does a count of those who sit an exam or a course ("how many *trainees* got certified").
_MEASURE_WORDS = "个家所名位种项次张门条"
_MEASURE_WORD = re.compile(rf"^[{_MEASURE_WORDS}]+|^[本份](?=$|[\s?？!！,，。;；呢啊呀吧])")
_PEOPLE = frozenset(
    {"peopl", "ppl", "person", "folk", "individu", "人", "人数", "名", "位", "traine", "candid", "examine", "taker"}
    | {"applic", "registr", "entrant", "particip", "learner"}  # applicants, registrants ... are people too
)


# jieba's tags of the words of a Chinese noun phrase: nouns, verbal nouns ("实训"), distinguishing
# words ("初级") and adjectives ("新"); any other word (a verb, particle, pronoun) ends it.
_NOUN_PHRASE = re.compile(r"n|vn|b|a$|eng$")


def _chinese_head(phrase: str) -> str | None:
    """The search token of the head of the Chinese noun phrase opening `phrase`: its last noun
    ("几个*训练师实训基地*" counts 基地, "多少个*新职业*" 职业, "多少*持证*训练师" 训练师), or None when
    no noun opens it."""
    head = None
    for i, (word, flag) in enumerate(jieba.posseg.lcut(phrase)):
        if i == 0 and flag == "v":
            continue  # a verb before the noun says which of them (持证: holding a certificate)
        if not _NOUN_PHRASE.match(flag):
            break
        if (flag.startswith("n") and flag != "vn") or flag == "b":
            head = word
    tokens = tokenize(head) if head else []
    return tokens[-1] if tokens else None


_WHICH = re.compile(
    r"\b(?:which|what) (?:other |another |local )?(\w+)"
    r"|(?:哪(?:个|家|所|座|些|位|一|几)?个?|什么|啥)(?:样的?)?([\u4e00-\u9fff]{1,4})"
)
# Names between the question word and the class ("which *Shanghai* universities"): not the class.
_NAMES_BEFORE_CLASS = re.compile(r"\b((?:[Ww]hich|[Ww]hat) )(?:[A-Z][\w-]* )+(?=[a-z])")
_NAMED_TYPES = frozenset({"organisation", "place", "person", "workplace"})
# Up to three words, no preposition among them, before the verb: "which tech *hub* is held up".
_PHRASE_BEFORE_VERB = re.compile(
    r"((?:(?!(?:in|of|at|for|from|with|on|to|by|near)\b)\w+ ){0,2}\w+)"
    r" (?:is|are|was|were|do|does|did|has|have|can|could|will|would)\b"
)
_NOT_CLASSES = frozenset(tokenize("is are was were do does did can could will would has have kind sort type"))


def class_noun(question: str, answer_type: AnswerType) -> str | None:
    """The search token of what a question asking for a name says its answer is ("which
    *universities*", "哪家*公司*", "哪个*城市*"), or None."""
    if answer_type.name not in _NAMED_TYPES:
        return None
    written = unicodedata.normalize("NFKC", question)
    found = _WHICH.search(_NAMES_BEFORE_CLASS.sub(r"\1", written).lower())
    if not found:
        return None
    if found.group(1):
        start = found.start(1)
        if is_place(found.group(1)):  # "which shanghai unis": the place written in lower case is no class
            start = found.end(1) + 1
        # "which tech *hub* is held up ...": a short phrase before the verb ends on its head noun
        phrase = _PHRASE_BEFORE_VERB.match(found.string, start)
        word = re.match(r"\w*", found.string[start:]).group()  # type: ignore[union-attr]
        words = [w for w in tokenize(phrase.group(1) if phrase else word) if w not in _NOT_CLASSES]
        return (words[-1] if phrase else words[0]) if words else None
    return _chinese_head(found.group(2))


# Count cues that are the noun of the count (人数: the number of people; 数量, 规模: of what precedes).
_NOUN_CUES = frozenset({"人数", "数量", "规模"})
# Words that sum up or press for a count ("一共多少", "具体多少个"): said before its cue or after it.
_SUMMING = ("一共", "总共", "大概", "大约", "大致", "具体", "究竟", "到底")
_BEFORE_CUE = re.compile(rf"(?:{'|'.join(_SUMMING)}|共|现在|目前|都|还|有|是|的|了|\s)+$")


def _subject(before: str) -> str | None:
    """The search token of the last noun before a closing count cue ("考证*补贴*有多少"), or None."""
    phrase = _BEFORE_CUE.sub("", before)[-12:]
    nouns = [w for w, flag in jieba.posseg.lcut(phrase) if flag in ("n", "ng", "nz")]  # no names
    part = len(nouns) > 1 and nouns[-1] in _PART_NOUNS and re.search(f"{re.escape(nouns[-2])}的?{nouns[-1]}$", phrase)
    if part:
        nouns.pop()  # "理论部分占几成", "实操的部分占多少": the theory, not the part
        phrase = phrase[: part.start() + len(nouns[-1])]
    tokens = tokenize(nouns[-1]) if nouns and phrase.endswith(nouns[-1]) else []
    return tokens[-1] if tokens else None


# Nouns naming a part of whatever the noun before them names ("理论*部分*", "实操*方面*").
_PART_NOUNS = frozenset({"部分", "方面", "板块"})
# What a share is a share of: "what share of AI trainers are *women*", "女性占多少".
_SHARE_OF = re.compile(
    r"\b(?:share|percentage|proportion|fraction|part|percent) of .+? (?:are|is|were|was) (?:a |an |the )?([a-z]+)"
)
_HOLDS_SHARE = re.compile(r"占(?:了)?(?:多少|几成|百分之|比例|比重|多大)")
_CHANGED_BY = re.compile(r"(?:增长|增加|提高|提升|上涨|上升|涨|上调|调高|(?<![参增追外叠])加)了?(?:多少|几)")
# Where an English noun phrase after "how many" ends: a verb, a preposition, a clause.
_NOUN_PHRASE_END = re.compile(
    r"[?,.;!]|\b(?:are|is|was|were|do|does|did|have|has|had|will|can|could|there|in|on|at|of|for|from|to|"
    r"that|who|which|took|passed|work|working|got|get|earned|said)\b"
)
# Words that only soften or sum up a count ("有多少 大概", "人数一共多少", "多少来着"), and the end of
# a clause after a count cue past them.
_COUNT_FILLERS = (*_SUMMING, "左右", "上下", "来着")
_CLAUSE_ENDS = re.compile(rf"(?:\s|{'|'.join(_COUNT_FILLERS)}|[呢啊呀吧啦哈])*(?:[?？!！,，。.;；]|$)")
_SCORE_ASKED = re.compile(r"(?:几|多少)分(?![钟之])|及格线|分数线")
_RATE = re.compile(r"([\u4e00-\u9fff]{2})率|([a-z]+) rate\b")


def counted_noun(question: str, answer_type: AnswerType) -> str | None:
    """The search token of what a count question counts ("how many *universities*", "多少所*大学*",
    "分几个*等级*") or a rate measures ("*通过*率", "*pass* rate"), or None (another type, or it counts
    people or nothing named)."""
    if answer_type.name == "percent":
        text = unicodedata.normalize("NFKC", question).lower()
        rate = _RATE.search(text)
        words = tokenize(rate.group(1) or rate.group(2)) if rate else []
        if not words and (part := _SHARE_OF.search(text)):
            words = tokenize(part.group(1))
        if not words and (held := _HOLDS_SHARE.search(text) or _CHANGED_BY.search(text)):
            return _subject(text[: held.start()])  # "女性*占*多少", "培训的补贴*涨了*多少": its subject
        return words[0] if words else None
    if answer_type.name != "count":
        return None
    where = cue_position(question, answer_type)
    if where is None:
        return None
    text = unicodedata.normalize("NFKC", question).lower()
    if _SCORE_ASKED.search(text):
        return "分数"  # "及格线是几分": a score, not people
    # the measure word after the cue ("多少*个*新职业"; "发了多少*本*", closing the clause: it counts the subject)
    rest = _MEASURE_WORD.sub("", text[where[1] :].lstrip(" "))
    if detect_lang(text) == "zh" and text[where[0] : where[1]] in _NOUN_CUES:
        # the cue is the noun of the count ("考过的*人数*有统计吗", "基地*数量*是几个"): what it counts
        # is people, or what stands before it; what follows asks about the count
        head = None if text[where[0]] == "人" else _subject(text[: where[0]])
        return None if head is None or head in _PEOPLE else head
    if detect_lang(text) == "zh":
        # What follows the cue ("多少个*新职业*"), else the subject it closes ("考证*补贴*有多少")
        head = _chinese_head(rest[:12])
        if head is None and _CLAUSE_ENDS.match(rest):
            head = _subject(text[: where[0]])
        if head is not None:
            return None if head in _PEOPLE else head
    if scored := re.match(r"(?:what|pass(?:ing)?|minimum|min|lowest|required) (score|mark|grade)", text[where[0] :]):
        return tokenize(scored.group(1))[0]  # "what score do you need to pass": a score, not people
    if re.match(r"how (?:big|large)\b|size\b", text[where[0] :]):
        # "how big is Shanghai's AI trainer *workforce*": the size of what the clause ends on
        words = tokenize(re.split(r"[?,.;!]|\b(?:in|at|for|on|across|within|around|right now|now)\b", rest)[0])
        return words[-1] if words and words[-1] not in _PEOPLE else None
    if re.match(r"[a-z]", rest):
        # English counts the plural noun that opens its phrase: "how many AI *companies* are there";
        # "how many *passed*", "how many *actually*" name nothing
        phrase = _NOUN_PHRASE_END.split(rest.strip(), maxsplit=1)[0].split()[:3]
        plural = [w for w in phrase if len(w) > 3 and w.endswith("s") and w.isalpha()]
        if not plural:
            return None
        counted = tokenize(plural[0])
        return counted[0] if counted and counted[0] not in _PEOPLE else None
    following = [(word, at) for word, at in located_tokens(rest[:12]) if word not in _COUNT_FILLERS]
    if not following or following[0][1] > 1:
        return None  # the cue ends the question or a clause ("多少", "how many?")
    noun = following[0][0]
    return None if noun in _PEOPLE or any(c.isdigit() for c in noun) else noun  # "pass numbers 2025": a year
