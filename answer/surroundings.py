"""What stands around a passage: the passages on either side of it in its article, and the
article's title and source. A question that names a person or a company is answered from where
the articles name them: "..., said Li Na, the company's general manager" names its company a
passage earlier, and what she said may come a passage before her name; "according to the US
Asia Journal" names an article by its source."""

import bisect
from collections.abc import Iterable, Sequence

from answer.constraints import mentions
from index.store import StoredIndex
from index.types import Chunk, Hit, Sentence


class Surroundings:
    """The neighbourhoods of one index's passages."""

    def __init__(self, index: StoredIndex) -> None:
        self.index = index
        self._texts: dict[int, str] = {}  # by chunk id: one string each, so names are looked up in it once
        self._owns: dict[int, str] = {}  # the same for `_own`

    def beside(self, chunk: Chunk, step: int) -> Chunk | None:
        """The passage before (-1) or after (1) this one in its article, if any."""
        at = chunk.chunk_id + step
        other = self.index.chunks[at] if 0 <= at < len(self.index.chunks) else None
        return other if other is not None and other.doc_id == chunk.doc_id else None

    def holding(self, sentence: Sentence) -> Chunk:
        """A passage holding the sentence: the last to start at or before it (passages overlap)."""
        chunks = self.index.chunks
        at = bisect.bisect_right(chunks, sentence.sentence_id, key=lambda c: c.first_sentence) - 1
        return chunks[at]

    def text(self, chunk: Chunk) -> str:
        """The passage, the ones on either side of it, and its article's title and source."""
        if chunk.chunk_id not in self._texts:
            document = self.index.documents[chunk.doc_id]
            beside = [c.text for c in (self.beside(chunk, -1), chunk, self.beside(chunk, 1)) if c is not None]
            self._texts[chunk.chunk_id] = "\n".join((document.title, document.source, *beside))
        return self._texts[chunk.chunk_id]

    def _own(self, chunk: Chunk) -> str:
        """The passage with its article's title and source: an article names itself by its source."""
        if chunk.chunk_id not in self._owns:
            document = self.index.documents[chunk.doc_id]
            self._owns[chunk.chunk_id] = "\n".join((document.title, document.source, chunk.text))
        return self._owns[chunk.chunk_id]

    def naming(self, names: Sequence[str], hits: Sequence[Hit], limit: int) -> list[Hit]:
        """Up to `limit` passages that name all of `names` (in their text, or the article's title or
        source: "the US Asia Journal piece"), and those on either side of each, that retrieval did
        not rank among `hits`: what a named person said or did is told around their name, in words
        the question need not share."""
        if not names:
            return []
        named = (
            near
            for chunk in self.index.chunks
            if all(mentions(self._own(chunk), c) for c in names)
            for near in (self.beside(chunk, -1), chunk, self.beside(chunk, 1))
            if near is not None
        )
        return unread(named, hits, limit)


def unread(chunks: Iterable[Chunk], hits: Sequence[Hit], limit: int) -> list[Hit]:
    """Up to `limit` of the chunks, each once and none among `hits`, as hits ranked after them."""
    found = {h.chunk.chunk_id for h in hits}
    extra: list[Hit] = []
    for chunk in chunks:
        if len(extra) == limit:
            break
        if chunk.chunk_id not in found:
            found.add(chunk.chunk_id)
            extra.append(Hit(chunk, 0.0, len(hits) + len(extra) + 1))
    return extra
