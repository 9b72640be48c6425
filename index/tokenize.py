"""Search tokens for BM25: jieba words for Chinese, stemmed words for English."""

import logging
import re
from functools import lru_cache

import jieba
import lemminflect
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from index.language import has_han
from index.textmap import normalise

# Runs of Han characters go to jieba; the rest splits into words and numbers ("16,300", "67%").
# A number keeps its Chinese scale ("1.2万" is not the 1.2 of "1.2 trillion").
_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([A-Za-z]+|\d+(?:[.,]\d+)*(?:%|万亿|亿|万|千)?)")
_STOPWORDS_ZH = frozenset(
    "的 了 是 在 和 与 及 或 吗 呢 吧 啊 么 什么 多少 怎么 怎样 如何 哪些 哪个 哪里 为什么 是否 有 有没有 "
    "这 那 这个 那个 一个 其 之 为 被 把 也 都 就 还 而 并 对 从 向 到 会 能 可以 要 请问 请 我 你 他 她 我们 "
    "他们 个 年 中 跟 们 几 啥 咋 意思 啥意思 什么意思 "
    # the A-not-A question forms and the negations jieba's search mode cuts out of them ("是不是" -> 不是)
    "是不是 不是 就是 能不能 不能 会不会 不会 可不可以 可不 不可 要不要 不要 算不算 不算 没有 "
    # how a caller asks, not what about ("想问下", "麻烦问一下", "我想知道", "帮我查一下")
    "想 想问 问 问下 问一下 想知道 知道 一下 下 打听 打听一下 麻烦 帮 帮忙 我查 查 查一下 "
    # the "or" of an either-or question ("偏理论还是偏动手")
    "还是 "
    # the "if" of a condition, as English "if" is a stop word ("学完去考的话", "如果零基础")
    "如果 要是 假如 的话".split()
)
# Question words carry no topic ("what is it *like*"); bm25s's English list keeps some of them.
_QUESTION_WORDS_EN = frozenset("how many much what which who whom whose when where why whether like".split())
# What is left of "Shanghai's" and "don't" once the apostrophe splits them.
_CLITICS_EN = frozenset("s t d ll re ve m".split())
# Personal pronouns (as 我 你 他 她 are): "what's *his* name" asks about no one called "his". Not
# "us", which may be the United States.
_PRONOUNS_EN = frozenset("i me my mine he him his she her hers we our ours you your yours its them".split())
# "How big / long / high / far": "规模有*多大*", "占*多大*比重", "*多大*年纪", "工资*多高*", "在*多长*一段
# 时间内" (not the "many" of 很多, 许多, 更多 ...: "很多大学"); jieba cuts it whole or as 多/大.
# And the 来着 closing a question ("叫啥来着": what was it *again*) asks, as 呢 does (jieba cuts it 来/着,
# "come" and a verb's -ing).
_ASKING_RUNS = re.compile(r"(?<![很许好众诸繁大更最太较增过])多[大高长久远]|来着(?=[\s，,。？?！!呢吗吧]|$)")
_STOPWORDS = frozenset(STOPWORDS_EN) | _QUESTION_WORDS_EN | _CLITICS_EN | _PRONOUNS_EN | _STOPWORDS_ZH


# The tokens' scheme: a change makes every index stale (index/corpus.py's fingerprint holds it).
# 2: irregular English verb forms are read as their base form. 3: numbers keep their Chinese scale.
# 4: 跟 ("with", like 和 and 与) is a stop word. 5: so are the "s" of "Shanghai's" and the "t" of "don't".
# 6: the A-not-A question forms (是不是, 能不能, 会不会 ...) and the negations cut out of them.
# 7: "like" ("what's the course like?") is a question word.
# 8: British spellings are read as American ones ("centre" is center).
# 9: (an acronym kept as a word; withdrawn: questions write "IT" out, query.written_out)
# 10: the plural 们 ("讲师们") is a stop word.
# 11: the question words 几, 啥 and 咋 (as 多少, 什么 and 怎么 were).
# 12: 意思 of "X是什么意思" asks what X means; it is no word of the topic.
# 13: English personal pronouns ("his", "she") are stop words, as 我 你 他 她 were.
# 14: "how" + an adjective (有多大, 占多大, 要多久) is a question word, however jieba cuts it (多/大);
#     so are the words of asking itself (想问下, 麻烦问一下, 我想知道, 帮我查一下) and the 还是 of an either-or.
# 15: the 来着 closing a question ("叫啥来着") is a question word.
# 16: the "if" of a condition (如果, 要是, 假如, 的话), as English "if" is.
TOKENS_VERSION = 16


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


# British spellings, read as the American ones CC-CEDICT and some of our articles use when that is
# an English word ("centre" is center, "optimisation" optimization, "catalogue" catalog).
_BRITISH = (
    (re.compile(r"(?<=\w{3})is(ation|ations|e|es|ed|ing)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})([tb])re(s|d)?$"), r"\1er\2"),
    (re.compile(r"(?<=\w{3})mme(s)?$"), r"m\1"),
    (re.compile(r"(?<=\w{2})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
)


def _american(word: str) -> str:
    """The American spelling of a British-spelt word, when CC-CEDICT knows it; else the word."""
    for pattern, american in _BRITISH:
        spelt = pattern.sub(american, word)
        if spelt != word:
            return spelt if _stemmer().stemWord(spelt) in _dictionary_stems() else word
    return word


@lru_cache(maxsize=1)
def _dictionary_stems() -> frozenset[str]:
    from index.glossary import cedict_words  # the glossary tokenizes with this module

    return frozenset(_stemmer().stemWord(w) for w in cedict_words())


@lru_cache(maxsize=65536)
def _english_stem(word: str) -> str:
    """The stem of a lower-cased English word, an irregular verb form by its base form ("said" is
    say, "held" hold, "grew" grow), as dictionaries and questions write it; a form that is also a
    base ("found", "saw") stays itself; a British spelling as the American one."""
    word = _american(word)
    lemmas = lemminflect.getAllLemmas(word, upos="VERB").get("VERB", ())
    stem: str = _stemmer().stemWord(word)
    if len(lemmas) == 1 and lemmas[0] != word and _stemmer().stemWord(lemmas[0]) != stem:
        return str(_stemmer().stemWord(lemmas[0]))
    return stem


def stem_words(words: list[str]) -> list[str]:
    """The stems search tokens use for these lower-cased English words."""
    return [_english_stem(w) for w in words]


def warm_up() -> None:
    """Load jieba's dictionary now, so that the first query does not pay for it."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def is_stopword(token: str) -> bool:
    """Whether the token carries no meaning for search."""
    return token in _STOPWORDS


def tokenize(text: str) -> list[str]:
    """Lower-cased search tokens of the text, stop words removed."""
    return [token for token, _ in located_tokens(text)]


def located_tokens(text: str) -> list[tuple[str, int]]:
    """Search tokens of the text with the offset where each starts (for how near two words are).

    Tokens come from the NFKC copy ("６７％" is "67%"); offsets point into the text as given.
    """
    norm = normalise(text)
    tokens: list[tuple[str, int]] = []
    for match in _RUNS.finditer(norm.text):
        han, word = match.groups()
        if han:
            cues = [m.span() for m in _ASKING_RUNS.finditer(han)]
            tokens += [
                (w, match.start() + start)
                for word, at, _ in jieba.tokenize(han, mode="search")
                for w, start in _outside(word, at, cues)
            ]
        elif word.lower() not in _STOPWORDS:  # before stemming: "why" stems to "whi"
            tokens.append((_english_stem(word.lower()), match.start()))
    return [(t, norm.origin[at]) for t, at in tokens if t not in _STOPWORDS]


def _outside(word: str, at: int, cues: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """The word (at `at` in its run) less what of it lies in a question word's span ("占多大": 占)."""
    for a, b in cues:
        if a < at + len(word) and at < b:
            before, after = word[: max(0, a - at)], word[max(0, b - at) :]
            return [(w, start) for w, start in ((before, at), (after, b)) if w]
    return [(word, at)]


def dictionary_parts(word: str) -> list[tuple[str, int]]:
    """A Chinese word jieba's HMM made up ("老招" in "老招不到") as the dictionary words it is
    made of, with their offsets in it (招 at 1); a dictionary word, a number ("1.09万") or any
    other token as it is."""
    jieba.initialize()  # a no-op once done; the dictionary must be loaded to be asked
    if len(word) < 2 or not has_han(word) or word[0].isdigit() or jieba.get_FREQ(word):
        return [(word, 0)]
    return [(w, start) for w, start, _ in jieba.tokenize(word, HMM=False) if w not in _STOPWORDS]
