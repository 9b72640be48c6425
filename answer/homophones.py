"""Chinese typed with a character of the same sound in place of the right one, as a pinyin input
method lets slip ("上还形成" for 上海形成, "考是" for 考试, "实草" for 实操), read as meant: a
two-character corpus word that differs from two adjacent characters of the question in one
character of the same sound (toneless) is put in when it makes the whole run of Chinese markedly
likelier as a unigram model segments it (jieba's dictionary, with the corpus's words), by MARGIN;
one change per run. So "上还形成" becomes 上海形成, but "上还是" stays (上 + 还是 is likelier than
上海 + 是). Two characters that are a word already, or of which one belongs to a corpus word
written in the question, are kept."""

import math
import re

import jieba

from index.glossary import char_readings

MARGIN = 2.0  # natural-log units the run's likelihood must gain (about 7 times likelier)
WORD_FREQ = 100  # two characters jieba counts this often are a word as typed
CORPUS_FREQ = 1000  # what a corpus word counts in the model when jieba's dictionary counts it less
MAX_WORD = 6  # the longest word looked for in a run
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class HomophoneReader:
    """Reads the characters of a question typed for others of the same sound as the corpus words meant."""

    def __init__(self, corpus_words: frozenset[str]) -> None:
        jieba.initialize()
        self._corpus = corpus_words
        readings = char_readings()
        self._first: dict[tuple[str, str], list[str]] = {}  # (first character, second's sound) -> words
        self._second: dict[tuple[str, str], list[str]] = {}  # (first's sound, second character) -> words
        for word in corpus_words:
            if len(word) == 2 and _HAN_RUN.fullmatch(word):
                for r in readings.get(word[1], ()):
                    self._first.setdefault((word[0], r), []).append(word)
                for r in readings.get(word[0], ()):
                    self._second.setdefault((r, word[1]), []).append(word)

    def read(self, text: str) -> str:
        """The text with each run of Chinese read as meant."""
        return _HAN_RUN.sub(lambda m: self._run(m.group()), text)

    def _run(self, run: str) -> str:
        """The run with the one change that makes it likeliest by MARGIN or more, if any."""
        kept = self._covered(run)
        best, gain = run, MARGIN
        base = self._log_likelihood(run)
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if kept[i] or kept[i + 1] or jieba.dt.FREQ.get(pair, 0) >= WORD_FREQ:
                continue  # part of a corpus word ("上海是" is no 上海市), or a word already
            for word in self._candidates(pair):
                fixed = run[:i] + word + run[i + 2 :]
                if (g := self._log_likelihood(fixed) - base) > gain:
                    best, gain = fixed, g
        return best

    def _candidates(self, pair: str) -> set[str]:
        """Corpus words that differ from the pair in one character of the same sound."""
        readings = char_readings()
        found = {w for r in readings.get(pair[1], ()) for w in self._first.get((pair[0], r), ())}
        found |= {w for r in readings.get(pair[0], ()) for w in self._second.get((r, pair[1]), ())}
        return found - {pair}

    def _covered(self, run: str) -> list[bool]:
        """Which characters of the run belong to a corpus word written in it (训练师, 协同)."""
        kept = [False] * len(run)
        for start in range(len(run)):
            for end in range(start + 2, min(len(run), start + MAX_WORD) + 1):
                if run[start:end] in self._corpus:
                    kept[start:end] = [True] * (end - start)
        return kept

    def _log_likelihood(self, run: str) -> float:
        """The log-probability of the run's likeliest segmentation (jieba's route, corpus words counted too)."""
        total = math.log(jieba.dt.total)
        best = [0.0] * (len(run) + 1)
        for start in range(len(run) - 1, -1, -1):
            best[start] = max(
                math.log(self._freq(run[start:end])) - total + best[end]
                for end in range(start + 1, min(len(run), start + MAX_WORD) + 1)
                if end == start + 1 or self._freq(run[start:end]) > 1
            )
        return best[0]

    def _freq(self, word: str) -> float:
        known = jieba.dt.FREQ.get(word) or 1
        return max(known, CORPUS_FREQ) if word in self._corpus else known
