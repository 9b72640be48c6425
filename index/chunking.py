"""Group the sentences of a document into overlapping passages sized for citation."""

from collections.abc import Sequence

from index.language import detect_lang
from index.sentences import split_sentences
from index.types import Chunk, Document, Sentence


def document_sentences(doc: Document, first_id: int) -> list[Sentence]:
    """The document's sentences, numbered from first_id, each with its own language."""
    spans = split_sentences(doc.text)
    return [
        Sentence(
            first_id + i,
            doc.doc_id,
            s.start,
            s.end,
            doc.text[s.start : s.end],
            detect_lang(doc.text[s.start : s.end]),
        )
        for i, s in enumerate(spans)
    ]


def chunk_sentences(
    doc: Document, sentences: Sequence[Sentence], first_id: int, max_chars: int, overlap: int
) -> list[Chunk]:
    """Greedy windows of whole sentences up to max_chars, the next one repeating `overlap`."""
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = _window_end(sentences, i, max_chars)
        start, end = sentences[i].start, sentences[j - 1].end
        chunks.append(
            Chunk(
                first_id + len(chunks),
                doc.doc_id,
                start,
                end,
                doc.text[start:end],
                sentences[i].sentence_id,
                sentences[j - 1].sentence_id,
            )
        )
        if j == len(sentences):
            break
        i = max(i + 1, j - overlap)
    return chunks


def _window_end(sentences: Sequence[Sentence], i: int, max_chars: int) -> int:
    """Exclusive index of the last sentence that still fits; a long sentence stands alone."""
    j = i + 1
    while j < len(sentences) and sentences[j].end - sentences[i].start <= max_chars:
        j += 1
    return j
