"""Typed answer spans in a sentence: numbers with their units, shares, money, dates, schedules,
durations, names of people, organisations and places, and channels, with character offsets
into the sentence as written.

Patterns run on the NFKC copy of the sentence (full-width digits and punctuation become
ASCII) and map back to the original offsets. Chinese numerals and the 万/亿/成 scales are read
with cn2an, so a span also carries its value where it has one ("1.2万" -> 12000.0).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an
import jieba.posseg

from answer.constraints import ordinary_word
from index.glossary import cedict_senses, pinyin_surnames
from index.textmap import normalise
from index.types import Sentence

SpanKind = str  # age, count, ..., place, channel, list, level (ALL_KINDS)
ALL_KINDS = frozenset(
    "contact age count percent money date schedule duration person organisation place channel list level mode".split()
)

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUM = rf"[{_CN_DIGITS}]+"
# a Chinese numeral across its scales: 一万零九百, 一万六千九百, 三万
_CN_NUM_SCALED = rf"[{_CN_DIGITS}]+(?:(?:万亿|亿|万)[{_CN_DIGITS}]*)?"
_QUALIFIER_EN = r"(?:(?:over|more than|about|around|nearly|almost|up to|at least|roughly|approximately)\s+)?"
_QUALIFIER_ZH = r"(?:超过|超|逾|近|约|将近|大约|达|共|总计)?"
_SCALE_EN = r"(?:\s?(?:thousand|million|billion|trillion)|k(?![a-z]))?"  # "10.9k" as people type it
_WORD_NUMBERS = (
    r"(?<!the )(?<!no )one(?! (?:where|that|which|who|another)\b)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"dozens|hundreds|thousands|millions"
)

_PATTERNS: list[tuple[SpanKind, re.Pattern[str]]] = [
    ("contact", re.compile(r"\b\d{3,4}[- ]\d{7,8}\b|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")),
    # how a course is given: online, in person (线上课程, 面授)
    (
        "mode",
        re.compile(
            r"\b(?:online|remote) (?:courses?|class(?:es)?|training|programmes?|programs?)\b|\bin[- ]person\b"
            r"|线上(?:课程|课|培训|教学)|网课|在线(?:课程|培训)|面授|线下(?:课程|课|培训|教学)",
            re.IGNORECASE,
        ),
    ),
    # a certificate's level: 初级, 中级/高级证书, 三级, "level 3", "senior-level"
    (
        "level",
        re.compile(
            r"[初中高](?:/[初中高])+级别?|初级|中级|高级(?=证|职称|工|别)|[一二三四五]级(?!别)"
            r"|\blevel [1-5]\b|\b(?:junior|intermediate|senior|advanced|entry)[- ]level\b",
            re.IGNORECASE,
        ),
    ),
    (
        "age",
        re.compile(
            r"\b(?:aged? )?\d{1,2}(?: to \d{1,2})? years? old\b|\baged \d{1,2}\b|\d{1,2}(?:-\d{1,2})?岁", re.IGNORECASE
        ),
    ),
    (
        "percent",
        re.compile(
            rf"{_QUALIFIER_EN}(?:{_NUM})\s?(?:%|percent(?:age points?)?|per cent)"
            rf"|{_QUALIFIER_ZH}百分之[{_CN_DIGITS}\d.]+|{_QUALIFIER_ZH}(?:[{_CN_DIGITS}]|\d)成"
            rf"|(?:{_NUM}) times|(?:{_NUM})倍",
            re.IGNORECASE,
        ),
    ),
    (
        "money",
        re.compile(
            rf"{_QUALIFIER_EN}(?:{_NUM}){_SCALE_EN}\s?(?:yuan|rmb|dollars|us dollars)|[$¥￥]\s?(?:{_NUM}){_SCALE_EN}"
            rf"|{_QUALIFIER_ZH}(?:{_NUM}|{_CN_NUM})(?:万亿|亿|万|千)?元",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, )?(?:19|20)\d\d(?:年(?:\d{1,2}月)?(?:\d{1,2}日)?)?(?!\d|,\d)"
            r"|\b(?:last|this|next) year\b|去年|今年|明年|前年|\d{1,2}月\d{1,2}日",
            re.IGNORECASE,
        ),
    ),
    (
        "schedule",
        re.compile(
            r"\b(?:on )?weekends?\b(?: sessions?| classes)?|\bweekdays?\b|\bevenings?\b|\b(?:last )?(?:saturday|sunday)s?\b"
            r"|周末|工作日|晚上|双休日|业余时间",
            re.IGNORECASE,
        ),
    ),
    (
        "duration",
        re.compile(
            rf"\b(?:the )?(?:past|last|next|first) (?:{_NUM}|{_WORD_NUMBERS}) (?:years|months|weeks|days|hours|minutes)\b"
            rf"|\b(?:{_NUM}|{_WORD_NUMBERS}) (?:(?:consecutive|straight|successive|full|whole) )?"
            r"(?:minutes?|hours?|days?|weeks?|months?|years?)(?: long| in a row| running)?\b(?! old)"
            rf"|(?<!\d)(?:\d{{1,2}}|[{_CN_DIGITS}]+)(?:个)?(?:分钟|小时|天|周|星期|个月|月|年)(?!级|代|\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"{_QUALIFIER_EN}(?<![\w.,])(?:{_NUM}){_SCALE_EN}(?![\w.,%]|\s?(?:percent|per cent|yuan|times))"
            rf"|\b(?:{_WORD_NUMBERS})\b(?: (?:of|out of) \w+(?:(?:-\w+)+ \w+)?)?"  # "dozens of white-collar workers"
            rf"|{_QUALIFIER_ZH}(?:{_NUM})(?:万亿|亿|万|千)?(?:余)?(?:人|个|家|所|名|位|项|门|种)?(?![\d%成倍元年月日号])"
            # Chinese numerals count only with a measure word: 千 in 千行百业 is no number.
            rf"|{_QUALIFIER_ZH}{_CN_NUM_SCALED}(?:余)?(?:人|个|家|所|名|位|项|门|种)"
            # or with 多 or 余 after it, which only a quantity takes: "报名的才一万六千多"
            rf"|{_QUALIFIER_ZH}{_CN_NUM_SCALED}(?:多|余)(?:人|个|家|所|名|位|项|门|种)?",
            re.IGNORECASE,
        ),
    ),
    (
        "channel",
        re.compile(
            r"\b(?:on )?(?:wechat|social media|online|the internet|weibo|douyin)\b|微信|朋友圈|网上|线上|社交媒体",
            re.IGNORECASE,
        ),
    ),
]

_ORG_WORDS = (
    r"Cent(?:er|re)|Bureau|Ministry|University|Universities|Co\.,? Ltd\.?|Ltd\.?|Group|Agency|Company|Association"
    r"|Commission|Department|Journal|Institute|Academy|Shimbun|Expo|Corporation"
)
_ORG_EN = re.compile(
    rf"(?:the )?[A-Z][\w'&.-]*(?: (?:\(?[A-Z][\w'&.-]*\)?|of|and|the|for))* \(?(?:{_ORG_WORDS})\b"
    rf"(?: of [A-Z][\w'-]*(?: (?:and |of |the )?[A-Z][\w'-]*)*)?(?:\s?\([^)]*\))?(?:,? (?:Co\.,? )?Ltd\.?)?"
    rf"|\b(?:{_ORG_WORDS}) of [A-Z][\w'-]*(?: (?:and |of |the )?[A-Z][\w'-]*)*"  # Ministry of Human Resources ...
    r"|(?:(?<=agency )|(?<=company )|(?<=firm ))[A-Z][\w-]+(?: [A-Z][\w-]+)*"  # evaluation agency Micus
    # "a Japanese pharmaceutical R&D company"; not "the company" alone
    r"|\b(?:an?|the|its) (?:[A-Za-z][\w&-]* ){1,4}(?:cent(?:er|re)|company|bureau|agency|government)\b"
)
_ORG_ZH = re.compile(r"(?:据|由|在|从|对|向)?([\u4e00-\u9fff]{2,20}?(?:局|中心|公司|大学|学院|研究院|协会|委员会|部))")
# "复旦、交大、同济等高校": names listed before the class they belong to, one answer together.
_ENUMERATION_ZH = re.compile(
    r"([\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+)等(?:(高校|大学|院校|学校|企业|公司|机构|单位)|(城市|地区|省份|地))"
)
_PLACE_SUFFIX_ZH = re.compile(r"(?:新片区|科学城|开发区|自贸区|新区|园区|片区)")
_NAME_CUE = re.compile(r"说|表示|指出|称|局长|经理|主任|记者|教授|作者")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}\b")


@dataclass(frozen=True)
class Span:
    """A typed span: offsets into the sentence as written, and its numeric value if it has one."""

    kind: SpanKind
    start: int
    end: int
    text: str
    value: float | None = None


def find_spans(sentence: str, kinds: frozenset[SpanKind]) -> list[Span]:
    """The spans of the given kinds in the sentence, left to right; a span is never inside another."""
    norm = normalise(sentence)
    found: list[Span] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:  # in priority order: "30 percent" is not also the count 30
        for m in pattern.finditer(norm.text):
            start, end = _trim(norm.text, m.start(), m.end())
            if start >= end or any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            if kind in kinds:
                a, b = norm.span(start, end)
                found.append(Span(kind, a, b, sentence[a:b], _value(kind, norm.text[start:end])))
    found += [s for s in _names(sentence, kinds) if not any(s.start < b and a < s.end for a, b in taken)]
    if "list" in kinds:
        found += _enumerations(sentence)  # a list holds the names and figures it lists
    return sorted(found, key=lambda s: s.start)


# Items of a list: "A, B, and C", "A、B与C", "from A to B". An item ends at a little word ("quality
# control *across* ..."), and the first is cut as long as the one after it: items of one list
# read alike ("overseeing *data annotation*, model optimization, and quality control").
_ITEM_EN = r"[A-Za-z][\w'&-]*(?: [A-Za-z][\w'&-]*)*"
_LIST_EN = re.compile(rf"({_ITEM_EN})((?:, {_ITEM_EN})+),? (?:and|or) ({_ITEM_EN})")
_RANGE_EN = re.compile(r"\bfrom ((?:[a-z][\w-]* ){0,3}[a-z][\w-]*) to ((?:[a-z][\w-]* ){0,3}[a-z][\w-]*)")
_HAN_ITEM = r"(?:(?![与和及或的等、])[\u4e00-\u9fff]){1,8}"
_LIST_ZH = re.compile(rf"({_HAN_ITEM})((?:、{_HAN_ITEM})+)(?:(?:与|和|及|以及|或)({_HAN_ITEM}))?")
_ITEM_ENDS = frozenset(
    "the a an its their his her our this that these those such as in on at of for to from by with across "
    "into over under through via is are was were be been have has had will can which who where while "
    "including like".split()
)
_MAX_ITEM_WORDS = 4
_ITEM_SEPARATOR = re.compile(r"、|,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to)\s+|与|和|及|或")


def list_items(text: str) -> list[str]:
    """The items of a list span's text ("data annotation, model optimization, and quality control")."""
    return _ITEM_SEPARATOR.split(text)


def _enumerations(sentence: str) -> list[Span]:
    """Lists of three or more items, or a range of two ("from data labeling to model optimization")."""
    spans = []
    for m in _LIST_EN.finditer(sentence):
        items = [m.group(1), *(item.strip() for item in m.group(2).split(",") if item.strip())]
        width = len(items[-1].split())
        if width > _MAX_ITEM_WORDS or _ITEM_ENDS & set(items[-1].lower().split()):
            continue
        kept = 2  # items before "and", from the last back: the first of them, then while they read alike
        while (
            kept < len(items)
            and len(items[-kept].split()) <= width
            and not _ITEM_ENDS & set(items[-kept].lower().split())
        ):
            kept += 1
        first_words = items[-kept].split()
        cut = max((i + 1 for i, w in enumerate(first_words) if w.lower() in _ITEM_ENDS), default=0)
        first_words = first_words[max(cut, len(first_words) - width) :]
        last_words = []
        for word in m.group(3).split()[: min(width + 1, _MAX_ITEM_WORDS)]:
            if word.lower() in _ITEM_ENDS:
                break
            last_words.append(word)
        if not first_words or not last_words or all(w.endswith("ly") for w in (first_words[-1], last_words[-1])):
            continue  # "accurately, ethically, and efficiently" lists ways, not things
        first = " ".join(first_words)
        start = sentence.rfind(first, 0, m.end(2))
        end = m.start(3) + len(" ".join(last_words))
        spans.append(Span("list", start, end, sentence[start:end]))
    for m in _LIST_ZH.finditer(sentence):
        items = m.group(2).split("、")[1:]
        if not m.group(3) and len(items) < 2:
            continue  # "A、B" alone: too few to tell a list
        start = m.end(1) - min(len(m.group(1)), len(items[0]))
        end = m.end(3) if m.group(3) else m.end(2)
        spans.append(Span("list", start, end, sentence[start:end]))
    for m in _RANGE_EN.finditer(sentence):
        spans.append(Span("list", m.start(1), m.end(2), sentence[m.start(1) : m.end(2)]))
    return spans


@lru_cache(maxsize=8192)
def sentence_spans(sentence: Sentence) -> tuple[Span, ...]:
    """Every typed span of a corpus sentence (sentences are immutable values, so this is cached)."""
    return tuple(find_spans(sentence.text, ALL_KINDS))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,.;:()（）":
        start += 1
    while end > start and text[end - 1] in " ,.;:()（）":
        end -= 1
    return start, end


def _value(kind: SpanKind, text: str) -> float | None:
    """The number a count, percent or money span stands for (70% -> 70, 七成 -> 70, 1.2万 -> 12000)."""
    if kind not in ("count", "percent", "money"):
        return None
    digits = re.search(
        rf"[{_CN_DIGITS}\d.]+(?:万亿|亿|万|千)[{_CN_DIGITS}]*|{_NUM}(?:\s?(?:thousand|million|billion|trillion)|k(?![a-z]))?|[{_CN_DIGITS}]+",
        text,
    )
    if not digits:
        return None
    raw = digits.group().replace(",", "")
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3}
    for word, factor in scale.items():
        if raw.endswith(word):
            return round(float(raw.removesuffix(word).strip()) * factor, 6)
    value = cn_number(raw)
    if value is None:
        return None
    return value * 10 if kind == "percent" and "成" in text else value


def cn_number(raw: str) -> float | None:
    """A numeral in Arabic or Chinese digits ("1.2万", "三十") as a number; None when cn2an cannot read it."""
    try:
        return float(cn2an.cn2an(raw, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _names(sentence: str, kinds: frozenset[SpanKind]) -> list[Span]:
    """People, organisations and places: English by capitalisation and cue words, Chinese by jieba's tags."""
    spans: list[Span] = []
    if "organisation" in kinds:
        for pattern in (_ORG_EN, _ORG_ZH):
            for m in pattern.finditer(sentence):
                start = m.start(m.lastindex or 0)
                lead = re.match(r"(?:At|In|By|For|From|With|Of|the|an?) ", sentence[start : m.end()])
                start += lead.end() if lead else 0
                spans.append(Span("organisation", start, m.end(), sentence[start : m.end()]))
    orgs = [(s.start, s.end) for s in spans]
    for m in _CAPITALISED.finditer(sentence):
        if any(m.start() < b and a < m.end() for a, b in orgs):
            continue
        kind = _name_kind(m.group(), sentence[: m.start()])
        if kind in kinds:
            spans.append(Span(kind, m.start(), m.end(), m.group()))
    if "place" in kinds:
        spans += [Span("place", m.start(1), m.end(1), m.group(1)) for m in _VENUE_EN.finditer(sentence)]
    if kinds & {"person", "place", "organisation"} and re.search(r"[\u4e00-\u9fff]", sentence):
        spans += _chinese_names(sentence, kinds)
    return spans


# Where something takes place, named by what it is ("in a bustling Shanghai *office building*").
_VENUE_EN = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Ii]nside) (?:a|an|the) (?:[a-z]+ )?"
    r"((?:[A-Z][\w-]* ){0,2}(?:office building|building|campus|classroom|lecture hall|venue))\b"
)


def _name_kind(name: str, before: str) -> SpanKind | None:
    words = name.split()
    if words[0] in _NOT_NAMES:
        return None
    if len(words) >= 2 and words[0] in pinyin_surnames() and all(len(w) <= 8 for w in words):
        return "person"
    if len(words) == 1 and re.search(r"(?:said|told|noted|according to)\s+$", before) and words[0] in pinyin_surnames():
        return "person"
    if len(words) == 1 and name in pinyin_places():
        return "place"
    return None


def _chinese_names(sentence: str, kinds: frozenset[SpanKind]) -> list[Span]:
    spans: list[Span] = []
    for m in _ENUMERATION_ZH.finditer(sentence):
        listed_kind = "organisation" if m.group(2) else "place"
        if listed_kind in kinds:
            spans.append(Span(listed_kind, m.start(1), m.end(1), m.group(1)))
    listed = [(s.start, s.end) for s in spans]
    pos = 0
    tag_kind = {"nr": "person", "ns": "place", "nt": "organisation"}
    for word, flag in jieba.posseg.lcut(sentence):
        start = sentence.find(word, pos)
        pos = start + len(word) if start >= 0 else pos
        kind = tag_kind.get(flag)
        end = start + len(word)
        placed = bool(_PLACE_SUFFIX_ZH.match(sentence, end)) or any(s.kind == "place" and s.end == start for s in spans)
        if kind == "person" and placed:
            kind = "place"  # 张江 in 浦东张江 or 张江科学城
        # jieba tags many ordinary words "nr"; a Chinese name counts only beside a title or a verb of saying.
        if kind == "person" and not _NAME_CUE.search(sentence[max(0, start - 4) : end + 4]):
            continue
        # ... and some ordinary words "ns" (伦理, 深度): a place is one CC-CEDICT names as such, or does not know.
        if kind == "place" and ordinary_word(word):
            continue
        if any(a <= start < b for a, b in listed):
            continue
        if start >= 0 and kind in kinds and len(word) >= 2:
            suffix = _PLACE_SUFFIX_ZH.match(sentence, end) if kind == "place" else None
            end = suffix.end() if suffix else end  # 张江 + 科学城
            spans.append(Span(kind, start, end, sentence[start:end]))
    return _merge_adjacent(spans, sentence)


def _merge_adjacent(spans: list[Span], sentence: str) -> list[Span]:
    """浦东 + 张江 -> 浦东张江: places written together are one answer."""
    merged: list[Span] = []
    for s in spans:
        joined = {merged[-1].kind, s.kind} if merged and merged[-1].end == s.start else set()
        if joined and joined <= {"place", "person"} and "place" in joined:
            last = merged.pop()
            s = Span("place", last.start, s.end, sentence[last.start : s.end])
        merged.append(s)
    return merged


_NOT_NAMES = frozenset(
    "The A An In On At Of And But For As By With From To This That These Those It Its He She They We I "
    "AI According Many Some Universities Enterprises Analysts Despite Although While Along Course Photo "
    "Source Back Latest Here Their Through Even However Recognised Recognized Chinese".split()
)


@lru_cache(maxsize=1)
def pinyin_places() -> frozenset[str]:
    """Place names as English writes them, from CC-CEDICT's places ("杭州" -> "Hangzhou"), plus China."""
    from index.glossary import cedict_pinyin

    pinyin = cedict_pinyin()
    place = re.compile(r"\b(?:city|province|district|county|municipality|capital|prefecture)\b")
    names = {"China"}
    for word, senses in cedict_senses().items():
        if len(word) >= 2 and senses and place.search(senses[0]):
            names.add(re.sub(r"[\d\s]", "", pinyin.get(word, "")).capitalize())
    return frozenset(n for n in names if n.isalpha())
