"""Find sentences from different articles that give different figures or names for one thing."""

import re
from dataclasses import dataclass

from answer.constraints import place_names
from answer.spans import sentence_spans
from index.tokenize import tokenize
from index.types import Sentence

_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![A-Za-z0-9.,])\d+(?:\.\d+)?(?![\d.,])")
FIGURE_KINDS = frozenset({"count", "percent", "money"})  # the kinds of span that give a figure
DISPUTABLE = FIGURE_KINDS | {"person"}  # the span kinds two sources can be found to disagree on
_ROLE = re.compile(
    r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}), (?:the )?(?:company's )?"
    r"(?P<role>deputy director|director|general manager|head|president|chairman|mayor)"
    r" of (?:the )?(?P<org>[A-Z][\w ]+?)(?=[,.;\"”]|$)"
)


# Roles that head an organisation, and the words a question asks for its head by.
_HEADS = frozenset({"director", "head", "president", "chairman", "mayor"})
_HEAD_WORDS = frozenset(tokenize("head chief leader boss director"))
# A government body's director is the official who speaks for it: "那位官员叫什么", "which government
# official is quoted" ask for that name.
_GOVERNMENT = re.compile(r"\b(?:Bureau|Ministry|Commission|Government|Department)\b")
_OFFICIAL_WORDS = frozenset(tokenize("official government 官员 政府"))


@dataclass(frozen=True)
class Disagreement:
    """Two sentences that give different values for the same thing."""

    kind: str  # "figure" or "name"
    about: str
    value_a: str
    value_b: str
    # the words of what the values hold for a name (the role and its organisation, places aside):
    # a question asks about the disagreement only when it says one ("who said ...?" does not)
    role: frozenset[str] = frozenset()


def figures(sentence: Sentence) -> dict[tuple[str, float], str]:
    """Counts, shares and sums of money in the text, keyed by kind and value: a date or a class
    time is not a figure, and "1.2 trillion yuan" is not "1.2万 people"."""
    return {
        (s.kind, s.value): _digits(s.text)
        for s in sentence_spans(sentence)
        if s.kind in FIGURE_KINDS and s.value is not None
    }


def _digits(text: str) -> str:
    found = _NUMBER.search(text)
    return found.group() if found else text


def disagreement(a: Sentence, b: Sentence) -> Disagreement | None:
    """How a and b disagree, if they are about the same thing and differ on one value."""
    if a.doc_id == b.doc_id:
        return None
    return _figure_disagreement(a, b) or _name_disagreement(a.text, b.text)


def _figure_disagreement(a: Sentence, b: Sentence) -> Disagreement | None:
    """Both give a shared figure, and exactly one other figure each that differs."""
    fa, fb = figures(a), figures(b)
    shared = sorted(fa.keys() & fb.keys())
    only_a, only_b = fa.keys() - fb.keys(), fb.keys() - fa.keys()
    if not shared or len(only_a) != 1 or len(only_b) != 1:
        return None
    (key_a,), (key_b,) = only_a, only_b
    if key_a[0] != key_b[0]:
        return None  # a count against a share is not one thing reported twice
    anchor = fa[shared[0]]
    return Disagreement("figure", f"the figure reported together with {anchor}", fa[key_a], fb[key_b])


def _name_disagreement(a: str, b: str) -> Disagreement | None:
    """Both name a holder of the same role in the same organisation, but not the same person."""
    for ma in _ROLE.finditer(a):
        for mb in _ROLE.finditer(b):
            if ma["role"] == mb["role"] and _same_org(ma["org"], mb["org"]) and ma["name"] != mb["name"]:
                about = f"the name of the {ma['role']} of the {mb['org']}"
                role = frozenset(tokenize(f"{ma['role']} {mb['org']}")) - place_names().keys()
                if ma["role"] in _HEADS:  # "who heads it", 一把手: the one at the head of it, as said
                    role |= _HEAD_WORDS
                if _GOVERNMENT.search(ma["org"]):
                    role |= _OFFICIAL_WORDS
                return Disagreement("name", about, ma["name"], mb["name"], role)
    return None


def _same_org(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / len(wa | wb) >= 0.6
