"""One question's properties, computed once and passed down: the text asked, the text to
search (with the earlier question when it is a follow-up), the language (a `lang` in the
request wins everywhere, retrieval included), search tokens, vector, expected answer type,
focus terms and constraints."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from answer.constraints import constraints
from answer.evidence import QueryTerm, SentenceTerms
from answer.followup import corpus_knows, search_query
from answer.qtypes import AnswerType, classify, cue_position
from index.embeddable import embeddable
from index.errors import EmptyQueryError
from index.hybrid import Retriever
from index.language import detect_lang
from index.tokenize import located_tokens, tokenize
from index.types import Lang

QUESTION_MAX_CHARS = 2000  # the API's own limit


@dataclass(frozen=True)
class Query:
    """A question as the engine sees it."""

    text: str
    search_text: str
    lang: Lang
    tokens: list[str]
    vector: NDArray[np.float32]
    answer_type: AnswerType
    terms: list[QueryTerm]
    constraints: list[str]


def build_query(
    question: str, history: Sequence[str], lang: Lang | None, retriever: Retriever, terms: SentenceTerms
) -> Query:
    """Analyse the question once: follow-up resolution, language, tokens, vector, type, focus."""
    text = embeddable(question, QUESTION_MAX_CHARS)
    if not text:
        raise EmptyQueryError("the question has nothing to search for")
    search_text = search_query(text, history, corpus_knows(terms.df, retriever.glossary))
    answer_type = _answer_type(text, search_text)
    return Query(
        text=text,
        search_text=search_text,
        lang=lang or detect_lang(text),
        tokens=tokenize(search_text),
        vector=retriever.embed_query(search_text),
        answer_type=answer_type,
        terms=terms.query_terms(search_text, retriever.glossary, head_terms(text, answer_type)),
        constraints=constraints(text),
    )


def _answer_type(text: str, search_text: str) -> AnswerType:
    """The question's own type; a follow-up with none ("那通过的呢") asks for the earlier turn's."""
    own = classify(text)
    return classify(search_text) if own.name == "other" and search_text != text else own


HEAD_REACH = {"en": (12, 25), "zh": (6, 6)}  # characters before and after the cue that hold its head


def head_terms(question: str, answer_type: AnswerType) -> frozenset[str]:
    """The words right around the question's cue: what is counted, named or dated ("how many
    people *passed*", "有多少人*通过*"). They weigh more than the rest of the question."""
    where = cue_position(question, answer_type)
    if where is None:
        return frozenset()
    text = unicodedata.normalize("NFKC", question).lower()
    before, after = HEAD_REACH[detect_lang(text)]
    start, end = where
    return frozenset(
        token
        for token, at in located_tokens(text)
        if start - before <= at < end + after and not (start <= at and at + len(token) <= end)
    )
