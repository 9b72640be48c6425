"""POST /v1/ask: a cited answer in the question's language."""

from fastapi import APIRouter

from index.errors import EmptyQueryError
from service.deps import CuratedDep, EngineDep
from service.errors import BadQueryError
from service.routes._curated import curated_response
from service.routes._logged import LoggedAsk
from service.routes._passages import citation_passage, related_passage
from service.schemas import AskRequest, AskResponse, ConflictOut, ConflictValue, ShortAnswerOut, problem_responses

router = APIRouter(tags=["ask"], route_class=LoggedAsk)


@router.post("/v1/ask", responses=problem_responses(429))
def ask(body: AskRequest, engine: EngineDep, curated: CuratedDep) -> AskResponse:
    """Answer from a staff-approved curated answer, or from the corpus with numbered citations, or abstain."""
    served = curated.answer(engine, body.question, body.lang)
    if served is not None:
        return curated_response(served, engine.index.version_id)
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
