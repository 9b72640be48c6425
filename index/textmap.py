"""NFKC with a way back: match patterns on the normalised text, cite offsets in the original.

Documents keep their text as written (index/cleaning.py); whatever needs full-width letters,
digits and punctuation folded to ASCII (tokens, sentence ends, typed spans) works on this copy.
"""

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Normalised:
    """`text` is NFKC(original); `origin[i]` is the original offset of text[i] (plus one end entry)."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of text[start:end]."""
        return self.origin[start], self.origin[end]


def normalise(original: str) -> Normalised:
    """NFKC character by character, remembering where each output character came from."""
    if unicodedata.is_normalized("NFKC", original):  # most text already is: skip the per-character walk
        return Normalised(original, list(range(len(original) + 1)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(original):
        mapped = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        out.append(mapped)
        origin.extend([i] * len(mapped))
    origin.append(len(original))
    return Normalised("".join(out), origin)
