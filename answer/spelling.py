"""English words typed with a letter wrong ("univrsities", "Shanhai", "tranier"), read as the words
they stand for: the corpus word one edit away (two from eight letters on; two letters swapped are
one edit), else the English word one edit away, else (for a capitalised word) the Chinese name one
edit away, the nearest one only (none when two are as near).
Only a word that is neither the corpus's, nor an English word CC-CEDICT's senses use or lemminflect's
lexicon holds ("upcoming" is no misspelt "becoming"), nor the name
of a Chinese place or person CC-CEDICT writes in pinyin ("Changzhou" is a city, not a misspelt
Hangzhou), nor a brand or acronym with capitals inside ("LinkedIn"). The word is compared as typed,
before stemming: a stem cuts a misspelt word elsewhere than the right one ("concntrated" ->
concntrat, "concentrated" -> concentr)."""

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from lemminflect import getAllLemmas
from rapidfuzz import process
from rapidfuzz.distance import OSA

from answer.pinyin_input import english_words, syllable_count, toneless
from index.glossary import cedict_entries
from index.language import has_han
from index.tokenize import stem_words

MIN_LENGTH = 5  # shorter unknown words ("ppl", "rn") are abbreviations more often than typos
LONG = 8  # from this length on, a word may be two edits away
_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?![A-Za-z])")


class Speller:
    """Reads the misspelt English words of a question as the corpus words they stand for."""

    def __init__(self, texts: Iterable[str]) -> None:
        """`texts`: the corpus's sentences and its glossary's English terms ("Lingang New Area")."""
        self._words = sorted({w.lower() for text in texts for w in _WORD.findall(text) if len(w) >= 3})
        self._known = frozenset(self._words)
        _english_stems(), _english_list(), _name_list()  # built now, not on the first question

    def word(self, typed: str, among_chinese: bool = False) -> str | None:
        """The word a typed word stands for (lower case), or None when it is no typo or when two
        words are as near. Among Chinese, a lower-case word of a Chinese word's sound is pinyin ("gongzi")."""
        low = typed.lower()
        if len(low) < MIN_LENGTH or low in self._known or low in _chinese_names() or not typed[1:].islower():
            return None  # short, known, a Chinese name, or a brand or acronym ("LinkedIn", "HKUST")
        if among_chinese and typed.islower() and syllable_count(low) >= 2:
            return None
        if low in english_words() or stem_words([low])[0] in _english_stems() or getAllLemmas(low):
            return None  # an English word CC-CEDICT's senses or lemminflect's lexicon know ("upcoming")
        # The corpus's words; any English word one edit away ("chatbots" is no "chariots"); a Chinese
        # name for a capitalised word, one edit away. The nearest wins, on a tie the first. A word
        # that reads as pinyin is matched with the corpus's words only ("gongzi" is no "gongbi"),
        # and if capitalised, one edit away: it may be a Chinese name the dictionaries lack
        # ("Jiaotong", "Changzhuo"), but "Shanhai" is Shanghai.
        pinyin = syllable_count(low) >= 2
        choices = [(self._words, 1 if len(low) < LONG or (pinyin and typed[0].isupper()) else 2)]
        if not pinyin:
            choices.append((_english_list(), 1))
            if typed[0].isupper():
                choices.append((_name_list(), 1))
        best: tuple[float, str | None] = (math.inf, None)
        for words, most in choices:
            found = process.extract(low, words, scorer=OSA.distance, score_cutoff=most, limit=2)
            if found and found[0][1] < best[0]:
                tied = len(found) == 2 and found[0][1] == found[1][1]
                best = (found[0][1], None if tied else str(found[0][0]))
        return best[1]

    def read(self, text: str) -> str:
        """The text with its misspelt English words written as the corpus writes them, in the case typed."""
        chinese = has_han(text)
        return _WORD.sub(lambda m: _cased_like(m.group(), self.word(m.group(), chinese)), text)


def _cased_like(typed: str, word: str | None) -> str:
    if word is None:
        return typed
    if typed.isupper():
        return word.upper()
    return word.capitalize() if typed[0].isupper() else word


@lru_cache(maxsize=1)
def _english_list() -> list[str]:
    """CC-CEDICT's lower-case English words of MIN_LENGTH letters or more, sorted."""
    return sorted(w for w in english_words() if len(w) >= MIN_LENGTH)


@lru_cache(maxsize=1)
def _name_list() -> list[str]:
    """The Chinese names of `_chinese_names` of MIN_LENGTH letters or more, sorted."""
    return sorted(w for w in _chinese_names() if len(w) >= MIN_LENGTH)


@lru_cache(maxsize=1)
def _english_stems() -> frozenset[str]:
    """The stems of CC-CEDICT's lower-case English words: an inflected English word ("trainees") is no typo."""
    return frozenset(stem_words(sorted(english_words())))


@lru_cache(maxsize=1)
def _chinese_names() -> frozenset[str]:
    """Every name CC-CEDICT writes with capitalised pinyin, as typed ("Chang2 zhou1" -> changzhou)."""
    return frozenset(toneless(e["pinyin"]) for e in cedict_entries() if e["pinyin"][:1].isupper()) - {""}
