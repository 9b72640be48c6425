"""Resolve elliptical follow-up questions ("how much did it grow?", "那考试呢？") with the
earlier turn of the conversation, so that retrieval does not search them alone."""

import re
import unicodedata
from collections.abc import Callable, Container, Sequence

from answer.qtypes import classify, cue_position
from index.glossary import Glossary
from index.tokenize import tokenize

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|that|this|those|these|he|she|his|her|there)\b|\bthen\b(?!\W*$)"
    r"|它|他们|她|他|这个|那个|这些|那些|^这|其中|其余|当中",
    re.IGNORECASE,
)
# Openers that carry on the conversation ("and ...?", "那补贴呢", "... then?"): the question leans on the
# earlier turn unless it asks something of its own ("那补贴提高了多少" asks how much subsidies rose;
# "what's the pass number for the 2025 exam then" how many passed). A "then" inside it is a time.
_OPENER = re.compile(r"^(?:and|so|what about|how about)\b|^那么?|呢[?？]?$|^还有|\bthen\W*$", re.IGNORECASE)

# A follow-up naming a person by pronoun ("what does *he* use the models for?") asks about the
# person the earlier turn named.
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers)\b|他(?!们)|她(?!们)", re.IGNORECASE)


def points_to_person(question: str) -> bool:
    """Whether the question refers to a person by pronoun."""
    return bool(_PERSON_PRONOUN.search(question))


_LEADING = re.compile(r"^\W+")  # quotes and spaces before a sentence's first word


def opens_with_person(text: str) -> bool:
    """Whether the text opens on a personal pronoun ("She credited ...", "他表示……"): it is about
    someone named before it."""
    return bool(_PERSON_PRONOUN.match(text, len(text) - len(_LEADING.sub("", text, count=1))))


# Search keeps these (bm25s's stop words do not list them), but they name no topic: "over which years?"
PREPOSITIONS = frozenset(
    tokenize(
        "over under during between since until within across after before per via from through into onto upon among"
    )
)


def corpus_knows(vocabulary: Container[str], glossary: Glossary) -> Callable[[str], bool]:
    """Whether a search token, or one of its translations, occurs in the corpus."""
    return lambda token: token in vocabulary or any(t in vocabulary for t in glossary.translate([token]))


def is_elliptical(question: str, knows: Callable[[str], bool]) -> bool:
    """A question that leans on an earlier turn: a pronoun or an "and ...?" in place of its topic,
    or no term of its own that the corpus knows. Its length does not matter: "补贴提高了多少？"
    is short and stands alone."""
    if _ANAPHORA.search(question.strip()):
        return True
    # The words that only say what kind of answer is wanted ("over which *years*?") are no topic.
    text = unicodedata.normalize("NFKC", question).lower()
    cue = cue_position(text, classify(text))
    if _OPENER.search(text.strip()) and cue is None:
        return True
    topic = text[: cue[0]] + " " + text[cue[1] :] if cue else text
    return not any(knows(token) and token not in PREPOSITIONS for token in tokenize(topic))


def search_query(question: str, history: Sequence[str], knows: Callable[[str], bool], leans: bool = False) -> str:
    """The text to search with: the question, preceded by the last earlier question if elliptical
    or if it `leans` on it regardless (a later part of a question asking two things: "who runs the
    course, and where are the classes?") (`knows`: whether the corpus knows a search token, as
    `corpus_knows` tells)."""
    if history and (leans or is_elliptical(question, knows)):
        return f"{history[-1]} {question}"
    return question
