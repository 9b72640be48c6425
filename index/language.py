"""Tell Chinese from English text.

Only two languages matter here, and they differ by script, so counting Han characters
is exact where a statistical detector would guess on short questions.
"""

import re
from functools import lru_cache

import opencc

from index.types import Lang

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]+")


def detect_lang(text: str) -> Lang:
    """Return "zh" when Han characters carry at least as much of the text as Latin words."""
    han = len(_HAN.findall(text))
    latin_words = len(_LATIN.findall(text))
    return "zh" if han > 0 and han >= latin_words else "en"


def has_han(text: str) -> bool:
    """Whether the text holds any Han character."""
    return _HAN.search(text) is not None


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text with traditional Chinese characters and phrases in simplified form ("通過考試" is
    "通过考试"), as our articles are written; other text is returned as it is."""
    return _to_simplified().convert(text) if has_han(text) else text
