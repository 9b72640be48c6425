"""Constraints a question puts on its answer: places, people and years it names.

A question about Beijing is not answered by a sentence about Shanghai, however close their
vectors. A constraint that most documents mention (the corpus's home, Shanghai) is topic,
not constraint. Chinese names are matched against English text by their pinyin.
"""

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

import jieba.posseg

from index.glossary import cedict_entries, cedict_pinyin, cedict_senses, surname_chars, syllables
from index.tokenize import is_stopword
from index.types import Document

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # "2024年" too: \b does not split 4 and 年
_CAPITALISED = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")
# Days and months are times, not names an answer must be about ("I work Monday to Friday").
_NOT_NAMES = frozenset(
    {"AI", "I", "What", "How", "Who", "Whom", "Whose", "Why", "Where", "When", "Which", "Is", "Are", "Was", "Were"}
    | {"Can", "Could", "Do", "Does", "Did", "Will", "Would", "Should", "Has", "Have", "Tell", "Please", "Hi", "Hello"}
    | set(calendar.day_name)
    | set(calendar.month_name[1:])
)
# Words of nationality name no place or person the answer must be about ("which *Chinese* city":
# the article says "eastern China"; "a *Japanese* company").
_NATIONALITIES = frozenset({"Chinese", "Japanese", "Korean", "American", "British", "English", "European", "Asian"})
_NAME = re.compile(r"^[A-Z][\w'-]*(?:[ -][A-Z][\w'-]*)*")
_OPENING_NAME = re.compile(r"^([A-Z][a-z]+) ([A-Z][a-z]+)(?![A-Za-z])")
_GENERIC_PLACES = frozenset({"城市", "地方", "地区", "国内", "国外", "全国", "全市", "当地", "本地"})
# The whole country asked about ("全国去年多少人考过", "how many nationwide"): China, in either script.
_WHOLE_COUNTRY = re.compile(
    r"全国|全中国|\b(?:nationwide|nationally|across (?:the )?(?:country|nation|china)|(?:the )?whole country)\b",
    re.IGNORECASE,
)
WHOLE_COUNTRY = "全国|China|中国"
# jieba tags an unknown word glued to a conjunction, preposition or place word as a name ("理论和实操"
# -> "和实操"/nr, "课程里实操" -> "里实操"/nr), or to the suffix of a word for a kind of person
# ("训练师列成" -> "师列成"/nr): a name does not start with one of these.
_NOT_NAME_START = frozenset("和与及跟同对把被在从向给让或里内中那这师员")
_ASKING = re.compile(r"谁|什么|啥|哪|几|多少")  # a word holding a question word names no one


# What a question sets apart from its answer ("*besides Shanghai*, which city ...", "除了上海以外"):
# the answer need not name it.
_BESIDES = re.compile(
    r"\b(?:besides|apart from|aside from|other than|except(?: for)?|excluding)\s+"
    r"[A-Za-z\u4e00-\u9fff]+(?-i: [A-Z][a-z]+)?"
    r"|除了?[^,，。？?、\s]{1,10}?(?:以外|之外|外|(?=[,，、\s还也]))",
    re.IGNORECASE,
)


# A clause in which the asker says where they are ("我是宝山的", "我在静安上班", "I work in recruitment
# in Pudong"), or a hotline relay says who is calling or where one of theirs works ("来电的是一位在徐汇
# 上班的宝妈", "她儿子在张江上班", "caller from a small training provider in Jing'an", "Caller is an HR
# manager at a logistics company in Minhang"), or where the asker read a claim ("在小红书上看到", "I read on
# Weibo that"): the place or name is the caller's, not one the answer must be about.
_KIN = "儿子|女儿|孩子|小孩|老公|丈夫|妻子|老婆|爱人|家人|朋友|同事|亲戚|妹妹|弟弟|哥哥|姐姐|父母|爸爸|妈妈"
_OWN_PLACE = re.compile(
    r"(?:^|(?<=[,，。.!！?？;；:：]))\s*(?:(?:你好|您好|hi|hello)\W*)?"
    r"(?:我(?:是|在|住在?|家在|老家在?|人在|目前在|现在在|平时在)[^,，。.!！?？;；\s]*"
    r"|(?i:i(?: am|'m|m)? (?:work|live|study|stay)s?\b|i(?: am|'m|m) (?:from|based|in)\b)[^,，。.!！?？;；]*"
    r"|来电(?:的|人|者)?(?:是|为)[^,，。.!！?？;；:：]*"
    rf"|[^,，。.!！?？;；:：\s]{{0,8}}?(?:她|他|我|对方)(?:的|家)?(?:{_KIN})(?:在|住在?)[^,，。.!！?？;；:：]*"
    r"|我?在[^,，。.!！?？;；:：\s]{1,8}?[上里](?:看到|看见|刷到|读到)"
    r"|(?i:i (?:read|saw|heard)(?: it)? (?:on|in) [\w' ]{1,30}?(?= that\b|[,:]|$))"
    r"|(?i:(?:i've got|i have|got|there's|we have) (?:a|an|one) (?:caller|customer|client|visitor)\b"
    r"|(?:the |a |our |this )?caller(?: is|'s| here is| was)? (?:a|an|from|at|with)\b)[^,，。.!！?？;；:：]*)",
)


def constraints(question: str, people: Iterable[str] = ()) -> list[str]:
    """Places, person names and years the question names, as written, save those it sets apart
    ("besides Shanghai") and a place named only where the asker says where they are ("我在静安上班");
    `people` are romanised names ("Chen Ke") whose Chinese writing the question may hold where
    jieba sees no name."""
    apart = _set_apart_text(question)
    found = [c for c in _named(without_set_apart(question), people) if not (apart and c in apart)]
    own = " ".join(m.group() for m in _OWN_PLACE.finditer(question))
    if not own:
        return found
    rest = _OWN_PLACE.sub(" ", question)
    return [c for c in found if not (c in own and c not in rest)]


@lru_cache(maxsize=256)
def set_apart(question: str) -> tuple[str, ...]:
    """The names the question sets apart from its answer ("*besides Shanghai*, which city ...")."""
    apart = _set_apart_text(question)
    return tuple(_named(apart, ())) if apart else ()


def _set_apart_text(question: str) -> str:
    """The question's words setting something apart from its answer ("besides Shanghai")."""
    return " ".join(m.group() for m in _BESIDES.finditer(question))


def without_set_apart(question: str) -> str:
    """The question without what it sets apart from its answer ("apart from computing, ...")."""
    return _BESIDES.sub(" ", question)


# Years named by how long ago they were ("前年", "two years ago"): this year less the count. "去年"
# and "last year" are left as written, as the articles write them; "this year" and "next year"
# often date the asker's own plans ("我今年48了", "明年高考"), not the answer.
_YEARS_AGO = re.compile(
    r"(大)?前年|(?<![\w.])([两二三]|two|three|2|3) ?(?:年前|years? ago)|\bthe year before last\b", re.IGNORECASE
)
_COUNTS = {"两": 2, "二": 2, "三": 3, "two": 2, "three": 3, "2": 2, "3": 3}


def _years_ago(question: str, today: date) -> list[str]:
    found = []
    for m in _YEARS_AGO.finditer(question):
        back = 3 if m.group(1) else _COUNTS[m.group(2).lower()] if m.group(2) else 2
        found.append(str(today.year - back))
    return found


def _named(question: str, people: Iterable[str]) -> list[str]:
    found = [m.group() for m in _YEAR.finditer(question)]
    found += [y for y in _years_ago(question, date.today()) if y not in found]
    spelled = spelled_names(question, people)
    found += spelled
    found += [
        w.word
        for w in jieba.posseg.cut(question)
        if w.flag in ("ns", "nr")
        and len(w.word) > 1  # 上 of 写字楼上, 沪: no name of one character
        and not any(w.word in name for name in spelled)  # 陈 of 陈可
        and _has_han(w.word)
        and w.word not in _GENERIC_PLACES
        and not (w.flag == "nr" and len(w.word) > 2 and w.word[0] in _NOT_NAME_START)
        and not _ASKING.search(w.word)  # jieba tags 姓甚名谁 ("what's the name") a name
        and not ordinary_word(w.word)
        and not _of_ordinary_words(w.word)
    ]
    found += [m.group() for m in _CAPITALISED.finditer(question) if m.group() not in _NOT_NAMES | _NATIONALITIES]
    titled = _by_surname_and_title(question, people)
    if titled:  # 李总 is Li Na, not a name of its own
        found = [f for f in found if not any(f in t for t, _ in titled)] + [name for _, name in titled]
    opening = _OPENING_NAME.match(question)  # "Yi Zhou是谁": two capitalised words open it
    if opening and opening.group(1) not in _NOT_NAMES and not is_stopword(opening.group(1).lower()):  # "In Hangzhou"
        found = [opening.group()] + [f for f in found if f not in opening.group()]
    found += [place for place in _places_in(question) if place.lower() not in {f.lower() for f in found}]
    if _WHOLE_COUNTRY.search(question) and not any(f.lower() in ("china", "中国") for f in found):
        found.append(WHOLE_COUNTRY)
    found += [school for school in _schools_in(question) if not any(school in f for f in found)]
    return list(dict.fromkeys(found))


# A CC-CEDICT sense naming one university ("Jiaotong University", "Fudan University, Shanghai",
# 同济's "abbr. of 同濟大學|同济大学[Tong2 ji4 Da4 xue2]", its reading capitalised as a name's),
# not a kind of one (师大: "abbr. for 師範大學|师范大学[shi1 fan4 da4 xue2], normal university").
_SCHOOL_SENSE = re.compile(r"^(?:[A-Z][a-z]+ )+University\b|^University of [A-Z]|^abbr\. (?:of|for) \S*大[學学]\[[A-Z]")


def _schools_in(question: str) -> list[str]:
    """The universities a question names in Chinese, as CC-CEDICT names them, however jieba cuts
    the words around them ("交大学生" is 交/大学生 to jieba, but names 交大)."""
    senses = cedict_senses()
    found: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", question):
        for size in (4, 3, 2):
            for start in range(len(run) - size + 1):
                word = run[start : start + size]
                if word.endswith("大学") and run[start + size : start + size + 1] == "生":
                    continue  # 上海大学生: Shanghai's students, not Shanghai University's
                if any(_SCHOOL_SENSE.match(s) for s in senses.get(word, ())[:1]) and not any(word in f for f in found):
                    found.append(word)
    return found


# A person named by surname and title, as Chinese speakers address managers and officials ("李总",
# "潘经理", "杨局长").
_TITLED = re.compile(r"([\u4e00-\u9fff])(总经理|总监|总|经理|局长|局|主任|老师|董事长|董)")


def _by_surname_and_title(question: str, people: Iterable[str]) -> list[tuple[str, str]]:
    """(as written, the corpus's people of that surname joined by ALSO) for each person the question
    names by surname and title: 李总 is Li Na, 杨局长 either director the articles name."""
    found = []
    for m in _TITLED.finditer(question):
        surname = surname_chars().get(m.group(1))
        named = sorted(p for p in people if surname and p.lower().split()[0] == surname)
        if named:
            found.append((m.group(), ALSO.join(named)))
    return found


def _of_ordinary_words(word: str) -> bool:
    """A word jieba calls a name that is two ordinary words run together ("公司老总": company, boss),
    or an ordinary word and a suffix naming a kind of person ("文科生": liberal-arts student), or a
    kind of name ("英文名": an English name)."""
    if _KIND_OF_NAME.fullmatch(word):
        return True
    if len(word) >= 3 and word[-1] in _PERSON_SUFFIXES and ordinary_word(word[:-1]):
        return True
    return any(ordinary_word(word[:cut]) and ordinary_word(word[cut:]) for cut in range(2, len(word) - 1))


_PERSON_SUFFIXES = frozenset("生员师者家人")
_KIND_OF_NAME = re.compile(r"(?:英文|中文|拼音|外文|真|全|网|艺|笔)名(?:字)?")


def spelled_names(question: str, people: Iterable[str]) -> list[str]:
    """The Chinese writings in the question of romanised names, matched by their characters'
    readings: "陈可是怎么知道的" holds Chen Ke, though jieba cuts it 陈/可是."""
    wanted = {re.sub(r"[\s-]", "", p.lower()) for p in people}
    found: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", question):
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                word = run[start : start + size]
                if (
                    "".join(syllables(word)) in wanted
                    and word[0] in surname_chars()  # 里那 in 文章里那些 reads lina, but is no name
                    and not (start and run[start - 1 : start + 1] in cedict_senses())  # nor 利拿 in 顺利拿证
                    and not any(word in f or f in word for f in found)
                ):
                    found.append(word)
    return found


_PLACE_SENSE = re.compile(
    r"^([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?),? [^;]*\b(?:city|province|county|district|municipality|capital|prefecture)\b"
)


def _places_in(question: str) -> list[str]:
    """Chinese places a question writes in lower case ("job numbers in hangzhou"), as CC-CEDICT
    names them; a place whose name is also an English word ("Nice") is left out."""
    places = place_names()
    found = []
    for m in re.finditer(r"[A-Za-z]+", question):
        pair = re.match(r"[A-Za-z]+[ -][A-Za-z]+", question[m.start() :])
        for words in ([pair.group()] if pair else []) + [m.group()]:
            if words.lower() in places:
                found.append(places[words.lower()])
                break
    return found


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Lower-cased English name -> name, for the places CC-CEDICT's first sense names as a city,
    province, county or district, when no word of the name is an ordinary lower-case word."""
    return {lowered: name for lowered, (name, _) in _places().items()}


def chinese_place(name: str) -> str | None:
    """The Chinese name of a place CC-CEDICT names ("Hangzhou" -> 杭州), or None."""
    found = _places().get(name.lower())
    return found[1] if found else None


def is_place(name: str) -> bool:
    """Whether CC-CEDICT names the constraint a place, in English or Chinese ("Hangzhou", 杭州)."""
    return name.lower() in _places() or name in _chinese_places()


@lru_cache(maxsize=1)
def _chinese_places() -> frozenset[str]:
    return frozenset(chinese for _, chinese in _places().values())


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str]]:
    """Lower-cased English name -> (name, simplified Chinese name), as `place_names` selects them."""
    entries = cedict_entries()
    lower = {w for e in entries for d in e["definitions"] for w in re.findall(r"\b[a-z]+\b", d)}
    names: dict[str, tuple[str, str]] = {}
    for e in entries:
        sense = _PLACE_SENSE.match(e["definitions"][0]) if len(e["simplified"]) >= 2 and e["definitions"] else None
        if sense and not any(w in lower for w in re.split(r"[ -]", sense.group(1).lower())):
            names.setdefault(sense.group(1).lower(), (sense.group(1), e["simplified"]))
    return names


def lies_in(inner: str, outer: str) -> bool:
    """Whether CC-CEDICT's first sense of the place `inner` says it lies in `outer`, in either
    script ("Shanghai municipality, central east China": Shanghai lies in China and 中国), or in
    a place that does ("Pudong, subprovincial district of Shanghai": Pudong lies in China too)."""
    gloss = _place_gloss(inner)
    if outer.lower() == inner.lower() or not gloss:
        return False
    if _says_in(gloss, outer):
        return True
    within = _LIES_WITHIN.search(gloss)
    return (
        within is not None
        and within.group(1).lower() != outer.lower()
        and _says_in(_place_gloss(within.group(1)), outer)
    )


def _place_gloss(place: str) -> str:
    """CC-CEDICT's first sense of a place, up to what it goes on to list ("..., abbr. 浙, capital Hangzhou")."""
    zh = place if _has_han(place) else chinese_place(place)
    # a place written after the place it lies in (浦东张江: Zhangjiang, in Pudong) lies where that does
    zh = next((zh[:end] for end in range(len(zh or ""), 1, -1) if zh and zh[:end] in cedict_senses()), zh)
    return re.split(r", (?:abbr|capital)\b", (cedict_senses().get(zh) or [""])[0])[0] if zh else ""


def _says_in(gloss: str, outer: str) -> bool:
    """Whether a place's sense names `outer` (in either script) as where it lies."""
    bare = re.sub(r"(?<=..)[省市]$", "", outer)  # 浙江省: Zhejiang
    english = outer if outer.isascii() else _english_places().get(bare, cedict_senses().get(bare, [""])[0])
    return bool(english) and re.search(rf"\b{re.escape(english)}\b", gloss, re.IGNORECASE) is not None


# The place a CC-CEDICT sense says a place is part of ("district of *Shanghai*").
_LIES_WITHIN = re.compile(r"\b(?:of|in) ([A-Z][a-z]+)\b")


@lru_cache(maxsize=1)
def _english_places() -> dict[str, str]:
    """Simplified Chinese name -> English name, for the places `place_names` holds."""
    return {chinese: name for name, chinese in _places().values()}


def is_year(token: str) -> bool:
    """Whether a token is a year ("2025", "2025年")."""
    return bool(_YEAR.fullmatch(token.removesuffix("年")))


def names_only(text: str, years: Sequence[int]) -> bool:
    """Whether a sentence names no years of its own but the asked ones: no year at all, an asked
    year, or a span of years around it ("from 2018 to 2024" holds 2020)."""
    named = [int(y) for y in _YEAR.findall(text)]
    if not years or not named:
        return True
    return all(y in named or (len(named) > 1 and min(named) <= y <= max(named)) for y in years)


@lru_cache(maxsize=64)
def reported_years(document: Document) -> frozenset[str]:
    """The years an article reports on: the latest it names and the year it was published."""
    named = _YEAR.findall(document.text)
    return frozenset([max(named)] if named else []) | ({document.published[:4]} if document.published else set())


def unmet(wanted: Sequence[str], evidence: Sequence[str], documents: Iterable[Document]) -> list[str]:
    """The constraints (from `constraints`) that no evidence sentence meets (topic words aside)."""
    haystack = " ".join(evidence)
    return [c for c in beyond_topic(wanted, documents) if not mentions(haystack, c)]


def beyond_topic(wanted: Sequence[str], documents: Iterable[Document]) -> list[str]:
    """The constraints that are not the corpus's topic (named by half its documents or more)."""
    docs = list(documents)
    return [c for c in wanted if not _is_topic(c, docs)]


def _is_topic(constraint: str, docs: Sequence[Document]) -> bool:
    return sum(mentions(whole(d), constraint) for d in docs) * 2 >= len(docs)


def whole(document: Document) -> str:
    """The article with its title and source: "the US Asia Journal piece" names an article by its source."""
    return f"{document.title}\n{document.source}\n{document.text}"


ALSO = "|"  # joins a name and its other writings into one constraint: "寒武纪|Cambricon"


def mentions(text: str, constraint: str) -> bool:
    """Whether the text names the constraint, as written, or (a Chinese name) in pinyin or by its
    English name ("日本" where an article says "Japanese", "中国" where it says "China")."""
    if ALSO in constraint:  # a name with its writings in the other script
        return any(mentions(text, name) for name in constraint.split(ALSO))
    lowered, squashed = _searchable(text)
    constraint = unicodedata.normalize("NFKC", constraint)
    if all(word in lowered for word in constraint.lower().split()):
        return True
    spelled = romanised(constraint)
    if spelled and spelled in squashed:
        return True
    if not _has_han(constraint):
        # an English or pinyin name in Chinese text: "Zhangjiang" in 浦东张江
        spelled = re.sub(r"[\s-]", "", constraint.lower())
        # or by the English name of a Chinese name: "Jiaotong" in 交大 (Jiaotong University)
        return len(spelled) >= 4 and (spelled in _pinyin(text) or spelled in _english_names(text))
    name = english_name(constraint)
    return bool(name) and re.search(rf"\b{re.escape(name.lower())}", lowered) is not None


@lru_cache(maxsize=512)
def _pinyin(text: str) -> str:
    """The Chinese names of the text in toneless pinyin, run together ("浦东张江" -> pudongzhangjiang);
    ordinary words name nothing (背景, "background", reads beijing too)."""
    if not _has_han(text):
        return ""
    return "".join((not ordinary_word(word) and romanised(word)) or "|" for word in jieba.lcut(text) if _has_han(word))


@lru_cache(maxsize=512)
def _english_names(text: str) -> str:
    """The English names CC-CEDICT gives the Chinese words of the text, lower-cased and run
    together ("复旦、交大" -> fudanuniversity|jiaotonguniversity)."""
    if not _has_han(text):
        return ""
    names = (english_name(word) for word in jieba.lcut(text) if _has_han(word))
    return "|".join(re.sub(r"[\s-]", "", name.lower()) for name in names if name)


@lru_cache(maxsize=512)
def _searchable(text: str) -> tuple[str, str]:
    """The text NFKC-normalised and lower-cased, and that without spaces and hyphens (for pinyin).
    Cached: every question with a name checks the same articles and passages again."""
    # Documents keep full-width characters as written: "２０２４" in an article is 2024 asked.
    lowered = unicodedata.normalize("NFKC", text).lower()
    return lowered, re.sub(r"[\s-]", "", lowered)


def english_name(constraint: str) -> str:
    """The constraint's name in English ("成都" -> "Chengdu"), or "" when it names nothing: a
    capitalised English word, or a Chinese word whose CC-CEDICT sense starts with a name."""
    if constraint.isascii():
        return constraint if _NAME.match(constraint) else ""
    senses = cedict_senses().get(constraint, [])
    found = _NAME.match(senses[0]) if senses else None
    return found.group().rstrip("'-,") if found else ""


def ordinary_word(word: str) -> bool:
    """A Chinese word that CC-CEDICT knows, but not as a name (jieba calls 扎堆 a name, 伦理 a place)."""
    senses = cedict_senses().get(word, [])
    return _has_han(word) and len(word) >= 2 and bool(senses) and not _NAME.match(senses[0])


@lru_cache(maxsize=4096)
def romanised(word: str) -> str:
    """Toneless pinyin of a Chinese word ("北京" -> "beijing"); "" when unknown or not Chinese."""
    if not _has_han(word):
        return ""
    listed = cedict_pinyin().get(word)
    if listed is not None:
        return re.sub(r"[\d\s]", "", listed).lower()
    # A name CC-CEDICT does not list ("潘攀" -> panpan): its characters' readings.
    return "".join(syllables(word)) if 2 <= len(word) <= 4 else ""


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
