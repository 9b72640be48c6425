"""Chinese words typed in pinyin ("一个月gongzi多少", "xunlianshi日常工作", "rengong zhineng"), read
as the Chinese they stand for, the way an input method picks a word for a sound: the corpus's
own writing of that sound first (its most frequent word, or two words side by side), else the CC-CEDICT word
of that sound that jieba's dictionary counts most often. A word is read as pinyin only when it
is written in lower case (names are capitalised: "Chen Ke"), splits into two or more pinyin
syllables, and is no English word ("human", "salary" stay)."""

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

import jieba

from answer.constraints import romanised
from index.glossary import cedict_entries
from index.language import has_han

RUN_MAX = 5  # the longest corpus writing (a word, or two side by side: 训练+师) a pinyin word stands for
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
_LOWER_WORDS = re.compile(r"(?<![A-Za-z])[a-z]+(?: +[a-z]+)*(?![A-Za-z])")  # a run of them, a space apart


def toneless(pinyin: str) -> str:
    """CC-CEDICT's pinyin as a user types it: no tones or spaces, ü as v ("lu:4" -> "lv")."""
    return re.sub(r"[\d\s]", "", pinyin).lower().replace("u:", "v")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless syllable CC-CEDICT gives a single character."""
    return frozenset(toneless(e["pinyin"]) for e in cedict_entries() if len(e["simplified"]) == 1) - {""}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every lower-case word of CC-CEDICT's English senses, their pinyin cross-references ("[Wei1 xin4]") left out."""
    words: set[str] = set()
    for e in cedict_entries():
        for sense in e["definitions"]:
            words.update(re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", re.sub(r"\[[^\]]*\]", "", sense)))
    return frozenset(words)


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """Toneless pinyin -> the CC-CEDICT word of that sound that jieba's dictionary counts most often."""
    jieba.initialize()
    best: dict[str, tuple[int, str]] = {}
    for e in cedict_entries():
        word = e["simplified"]
        if len(word) >= 2 and has_han(word):
            sound, count = toneless(e["pinyin"]), jieba.dt.FREQ.get(word, 0)
            if sound not in best or count > best[sound][0]:
                best[sound] = (count, word)
    return {sound: word for sound, (_, word) in best.items()}


@lru_cache(maxsize=4096)
def syllable_count(word: str) -> int:
    """How many pinyin syllables the word splits into (the fewest), 0 when it does not split."""
    known = _syllables()
    fewest = [0] + [-1] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if fewest[start] >= 0 and word[start:end] in known:
                count = fewest[start] + 1
                fewest[end] = count if fewest[end] < 0 else min(fewest[end], count)
    return max(fewest[-1], 0)


class PinyinReader:
    """Reads the pinyin words of a question as Chinese, the corpus's writings first."""

    def __init__(self, texts: Iterable[str], english: Iterable[str] = ()) -> None:
        runs: Counter[str] = Counter()
        for text in texts:
            words = jieba.lcut(text)
            runs.update(w for w in jieba.lcut_for_search(text) if 2 <= len(w) <= RUN_MAX)  # 人工智能: also 智能
            runs.update(a + b for a, b in pairwise(words) if len(a + b) <= RUN_MAX)
        self._corpus: dict[str, str] = {}
        for run, _ in runs.most_common():
            sound = romanised(run).replace("u:", "v")
            if sound and sound not in self._corpus:
                self._corpus[sound] = run
        self._english = frozenset(english)
        english_words(), _dictionary(), _syllables()  # built now, not on the first question (about 1.5 s)

    def _is_english(self, word: str) -> bool:
        """Whether the lower-case word is English: the corpus's English articles or CC-CEDICT's senses use it."""
        return word in self._english or word in english_words()

    def word(self, typed: str) -> str | None:
        """The Chinese a lower-case word typed in pinyin stands for, or None (an English word, no
        pinyin, one syllable only, or a sound neither the corpus nor CC-CEDICT writes)."""
        if self._is_english(typed) or syllable_count(typed) < 2:
            return None
        return self._corpus.get(typed) or _dictionary().get(typed)

    def read(self, text: str) -> str:
        """The text with its pinyin words written in Chinese. A text without Chinese characters is
        read so only when it has two pinyin words or more, and more of them than English words ("ai
        xunlianshi kaozheng baoming fei duoshao qian"): an English question keeps its words."""
        typed = _LOWER_WORD.findall(text)
        found = {w: c for w in set(typed) if (c := self.word(w))}
        pinyin = sum(w in found for w in typed)
        english = sum(self._is_english(w) for w in typed)
        if not found or (not has_han(text) and (pinyin < 2 or pinyin <= english)):
            return text
        return _LOWER_WORDS.sub(lambda m: _joined(m.group().split(), found), text)


def _joined(words: list[str], found: dict[str, str]) -> str:
    """The words with those found written in Chinese, two Chinese ones side by side run together as
    Chinese is written ("rengong zhineng" -> 人工智能)."""
    out = found.get(words[0], words[0])
    for before, word in pairwise(words):
        out += ("" if before in found and word in found else " ") + found.get(word, word)
    return out
