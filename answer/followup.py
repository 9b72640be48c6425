"""Resolve elliptical follow-up questions ("how much did it grow?", "那考试呢？") with the
earlier turn of the conversation, so that retrieval does not search them alone."""

import re
from collections.abc import Sequence

from index.tokenize import tokenize

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|that|this|those|these|he|she|his|her|there|then)\b"
    r"|^(and|what about|how about)\b|它|他们|她|他|这个|那个|这些|那些|那么|那|呢[?？]?$|^还有"
    r"|^(and|so)\b",
    re.IGNORECASE,
)
_FEW_TERMS = 2


def is_elliptical(question: str) -> bool:
    """A question that leans on an earlier turn: few content words, or a pronoun in place of its topic."""
    return len(tokenize(question)) <= _FEW_TERMS or bool(_ANAPHORA.search(question.strip()))


def search_query(question: str, history: Sequence[str]) -> str:
    """The text to search with: the question, preceded by the last earlier question if elliptical."""
    if history and is_elliptical(question):
        return f"{history[-1]} {question}"
    return question
