"""POST /v1/ask: a cited answer in the question's language."""

import time

from fastapi import APIRouter

from index.errors import EmptyQueryError
from service.curated import Served
from service.deps import CuratedDep, EngineDep
from service.errors import BadQueryError
from service.routes._passages import citation_passage, curated_passage, related_passage
from service.schemas import (
    AskRequest,
    AskResponse,
    ConflictOut,
    ConflictValue,
    CuratedRef,
    ShortAnswerOut,
    problem_responses,
)

router = APIRouter(tags=["ask"])


@router.post("/v1/ask", responses=problem_responses(429))
def ask(body: AskRequest, engine: EngineDep, curated: CuratedDep) -> AskResponse:
    """Answer from a staff-approved curated answer, or from the corpus with numbered citations, or abstain."""
    start = time.perf_counter()
    served = curated.answer(engine, body.question, body.lang)
    if served is not None:
        return _curated_response(served, engine.index.version_id, (time.perf_counter() - start) * 1000)
    try:
        history = [t.question for t in body.history if t.question.strip()]
        answer = engine.ask(body.question, body.top_k, body.lang, body.mode, history)
    except EmptyQueryError as exc:
        raise BadQueryError(str(exc)) from exc
    short = answer.short_answer
    return AskResponse(
        answer=answer.text,
        short_answer=ShortAnswerOut(text=short.text, n=short.n, start=short.start, end=short.end) if short else None,
        lang=answer.lang,
        answerable=answer.answerable,
        citations=[citation_passage(c) for c in answer.citations],
        conflicts=[
            ConflictOut(about=c.about, values=[ConflictValue(value=v, citations=n) for v, n in c.values])
            for c in answer.conflicts
        ],
        related=[related_passage(r) for r in answer.related],
        timings_ms=answer.timings_ms,
        index_version=engine.index.version_id,
    )


def _curated_response(served: Served, index_version: str, ms: float) -> AskResponse:
    entry = served.entry
    return AskResponse(
        answer=served.text,
        lang=served.lang,
        answerable=True,
        citations=[curated_passage(i, c, served.score) for i, c in enumerate(served.citations, 1)],
        conflicts=[],
        timings_ms={"curated": round(ms, 3), "total": round(ms, 3)},
        index_version=index_version,
        origin="curated",
        curated=CuratedRef(id=entry["id"], approved_by=entry["approved_by"], approved_at=entry["approved_at"]),
    )
