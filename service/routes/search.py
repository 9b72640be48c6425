"""GET /v1/search: the passages that best match a query."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from index.errors import EmptyQueryError
from service.deps import EngineDep
from service.errors import BadQueryError
from service.routes._passages import hit_passage
from service.schemas import SearchResponse, problem_responses

router = APIRouter(tags=["search"])


@router.get("/v1/search", responses=problem_responses(429))
def search(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
    mode: Annotated[Literal["dense", "bm25", "hybrid"], Query()] = "hybrid",
) -> SearchResponse:
    """Hybrid (dense + BM25) search over the passages."""
    try:
        q.encode("utf-8")
        hits = engine.search(q.replace("\x00", " "), k, mode)
    except (EmptyQueryError, UnicodeEncodeError) as exc:
        raise BadQueryError(f"q: {exc}") from exc
    docs = engine.index.documents
    return SearchResponse(results=[hit_passage(h, docs[h.chunk.doc_id]) for h in hits])
