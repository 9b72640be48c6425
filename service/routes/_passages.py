"""Turn engine results into API passages."""

from answer.curated import CitedSpan
from answer.engine import Citation
from answer.related import Related
from index.types import Document, Hit
from service.schemas import Passage, RelatedPassage


def citation_passage(c: Citation) -> Passage:
    """A citation: the cited sentence, and the passage around it."""
    return _passage(
        c.n,
        c.document,
        c.sentence.text,
        c.sentence.start,
        c.sentence.end,
        c.score,
        c.chunk.text,
        c.chunk.start,
        c.chunk.end,
    )


def hit_passage(hit: Hit, doc: Document) -> Passage:
    """A search result: the whole passage."""
    c = hit.chunk
    return _passage(hit.rank, doc, c.text, c.start, c.end, hit.score, c.text, c.start, c.end)


def related_passage(r: Related) -> RelatedPassage:
    """A related passage: the whole passage, with its best sentence's offsets to highlight."""
    c = r.chunk
    p = _passage(r.n, r.document, c.text, c.start, c.end, r.score, c.text, c.start, c.end)
    return RelatedPassage(**p.model_dump(), highlight_start=r.sentence.start, highlight_end=r.sentence.end)


def curated_passage(n: int, c: CitedSpan, score: float) -> Passage:
    """A curated answer's citation: the approved span, and the passage around it."""
    return _passage(n, c.document, c.text, c.start, c.end, score, c.chunk.text, c.chunk.start, c.chunk.end)


def _passage(
    n: int,
    doc: Document,
    text: str,
    start: int,
    end: int,
    score: float,
    passage: str,
    p_start: int,
    p_end: int,
) -> Passage:
    return Passage(
        n=n,
        doc_id=doc.doc_id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        lang=doc.lang,
        text=text,
        start=start,
        end=end,
        score=round(score, 4),
        passage=passage,
        passage_start=p_start,
        passage_end=p_end,
    )
