import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from index.build import split_corpus
from index.types import Document

WORDS = st.sampled_from(["AI", "训练师", "trainers", "16,300", "考试", "Shanghai", "passed", "课程"])
SENTENCE = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(WORDS, min_size=1, max_size=12),
    st.sampled_from([".", "。", "!", "?", ";"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)
TEXT = st.lists(PARAGRAPH, min_size=1, max_size=5).map("\n\n".join)


def doc(text: str) -> Document:
    return Document("d", "t", "s", None, "en", text)


@settings(max_examples=150)
@given(TEXT, st.integers(40, 600), st.integers(0, 3))
def test_chunk_offsets_slice_out_the_chunk_text(text: str, max_chars: int, overlap: int) -> None:
    sentences, chunks = split_corpus([doc(text)], max_chars, overlap)
    assert chunks
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.start == sentences[c.first_sentence].start
        assert c.end == sentences[c.last_sentence].end
        assert len(c.text) <= max_chars or c.first_sentence == c.last_sentence


@settings(max_examples=100)
@given(TEXT, st.integers(40, 600), st.integers(0, 3))
def test_every_sentence_is_in_some_chunk(text: str, max_chars: int, overlap: int) -> None:
    sentences, chunks = split_corpus([doc(text)], max_chars, overlap)
    covered = {i for c in chunks for i in range(c.first_sentence, c.last_sentence + 1)}
    assert covered == {s.sentence_id for s in sentences}


def test_consecutive_chunks_share_the_overlap_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(10))
    _, chunks = split_corpus([doc(text)], 60, 1)
    for a, b in itertools.pairwise(chunks):
        assert b.first_sentence == a.last_sentence
