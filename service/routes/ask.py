"""POST /v1/ask: a cited answer in the question's language, as JSON or as server-sent events."""

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.sse import EventSourceResponse, format_sse_event

from answer.engine import Answer, QAEngine
from answer.generation.generator import Generated, Generator
from index.errors import EmptyQueryError
from service.deps import CuratedDep, EngineDep, GeneratorDep
from service.errors import BadQueryError
from service.routes._curated import curated_response
from service.routes._logged import LoggedAsk
from service.routes._passages import citation_passage, related_passage
from service.schemas import (
    AskRequest,
    AskResponse,
    ConflictOut,
    ConflictValue,
    DroppedSentence,
    ShortAnswerOut,
    VerificationOut,
    problem_responses,
)

router = APIRouter(tags=["ask"], route_class=LoggedAsk)

# One server-sent event: its data is JSON ({"text"} for a delta, the AskResponse for the answer).
_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {"event": {"type": "string", "enum": ["delta", "answer"]}, "data": {"type": "string"}},
}
_STREAM_DOC = (
    "With `stream: true` or `Accept: text/event-stream`: `delta` events carry the model's text as it comes "
    "(unverified, a draft), and one `answer` event, always the last, carries the AskResponse to show"
)


@router.post(
    "/v1/ask",
    response_model=AskResponse,
    responses={**problem_responses(429), 200: {"content": {"text/event-stream": {"itemSchema": _EVENT_SCHEMA}}}},
    description=_STREAM_DOC,
)
def ask(
    body: AskRequest, request: Request, engine: EngineDep, curated: CuratedDep, generator: GeneratorDep
) -> Response | AskResponse:
    """Answer from a staff-approved curated answer, or from the corpus with numbered citations, or abstain."""
    wants_stream = body.stream or "text/event-stream" in request.headers.get("accept", "")
    served = curated.answer(engine, body.question, body.lang)
    if served is not None:
        response = curated_response(served, engine.index.version_id)
        return _stream(iter([_event("answer", response.model_dump_json())])) if wants_stream else response
    answer = _extractive(body, engine)
    if wants_stream:
        return _stream(_events(body.question, answer, engine, generator))
    if generator is None:
        return _response(answer, engine)
    return _generated_response(generator.answer(body.question, answer), engine)


def corpus_response(body: AskRequest, engine: QAEngine) -> AskResponse:
    """The reader's answer from the corpus alone, as /v1/ask returns it without a curated answer or
    a generator (what `python -m bench` profiles)."""
    return _response(_extractive(body, engine), engine)


def _extractive(body: AskRequest, engine: QAEngine) -> Answer:
    try:
        history = [t.question for t in body.history if t.question.strip()]
        return engine.ask(body.question, body.top_k, body.lang, body.mode, history)
    except EmptyQueryError as exc:
        raise BadQueryError(str(exc)) from exc


def _events(question: str, answer: Answer, engine: QAEngine, generator: Generator | None) -> Iterator[bytes]:
    """delta events while the model writes, then the answer event; an extractive answer is one event."""
    if generator is None:
        yield _event("answer", _response(answer, engine).model_dump_json())
        return
    for item in generator.stream(question, answer):
        if isinstance(item, Generated):
            yield _event("answer", _generated_response(item, engine).model_dump_json())
        else:
            yield _event("delta", json.dumps({"text": item}, ensure_ascii=False))


def _stream(events: Iterator[bytes]) -> EventSourceResponse:
    """Server-sent events, past any proxy's buffer."""
    return EventSourceResponse(events, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _event(name: str, data: str) -> bytes:
    return format_sse_event(event=name, data_str=data)


def _generated_response(generated: Generated, engine: QAEngine) -> AskResponse:
    checked = generated.verification
    verification = VerificationOut(
        kept=len(checked.kept),
        dropped=[DroppedSentence(text=c.text, reason=c.reason or "") for c in checked.dropped],
        fallback=generated.fallback,
        prompt_version=generated.prompt_version,
    )
    response = _response(generated.answer, engine)
    return response.model_copy(update={"origin": generated.origin, "verification": verification})


def _response(answer: Answer, engine: QAEngine) -> AskResponse:
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
