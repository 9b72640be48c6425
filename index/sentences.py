"""Split cleaned text into sentences, in both scripts, keeping character offsets."""

import re
from dataclasses import dataclass

from index.textmap import normalise

# The patterns run on the NFKC copy of the text, where full-width ！？；．） are ASCII; the
# offsets map back to the text as written.
# A sentence ends at Chinese 。！？； or at . ! ? followed by whitespace; closing quotes and
# brackets stay with their sentence.
_END = re.compile(r"""(?:[。!?;]|(?<=[^\s.])\.(?=[\s"”’)]|$))[”"’)）]*""")
# "Co., Ltd." and "Nov. 6" end no sentence.
_ABBREVIATIONS = (
    "Co.",
    "Ltd.",
    "Inc.",
    "Corp.",
    "Mr.",
    "Ms.",
    "Dr.",
    "St.",
    "No.",
    "U.S.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
    "vs.",
    "e.g.",
    "i.e.",
)


@dataclass(frozen=True)
class Span:
    """A sentence's [start, end) offsets into the text it came from."""

    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentences of the text, paragraph breaks included as boundaries, whitespace trimmed."""
    norm = normalise(text)
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", norm.text):
        spans.extend(_split_paragraph(norm.text, para.start(), para.end()))
    # A boundary inside one character's expansion ("㈱" is "(株)") moves to before it, so a
    # mapped span is trimmed again (and dropped if that leaves nothing).
    return [t for s in spans for t in _trimmed(text, *norm.span(s.start, s.end))]


def _split_paragraph(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, begin, stop) or _continues(text, stop, end):
            continue
        spans.extend(_trimmed(text, begin, stop))
        begin = stop
    spans.extend(_trimmed(text, begin, end))
    return spans


def _is_abbreviation(text: str, begin: int, stop: int) -> bool:
    head = text[begin:stop]
    return head.endswith(_ABBREVIATIONS)


def _continues(text: str, stop: int, end: int) -> bool:
    """A period followed by a lower-case word or a digit ends no sentence."""
    rest = text[stop:end].lstrip()
    return bool(rest) and text[stop - 1] == "." and (rest[0].islower() or rest[0].isdigit())


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if end > start else []
