"""A route class that hands each successful answer to the question log (service/question_log.py)."""

from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute

from service.question_log import QuestionLog

_ANSWER_EVENT = b"event: answer\ndata: "


class LoggedAsk(APIRoute):
    """After a 200, queue the request's body and the answer's JSON; the request never waits for the log.
    A streamed answer is logged once its last event, the answer, has gone out."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's own handler, followed by the hand-over."""
        answer = super().get_route_handler()

        async def answer_and_log(request: Request) -> Response:
            response = await answer(request)
            questions: QuestionLog = request.state.question_log
            if response.status_code != 200:
                return response
            if isinstance(response, StreamingResponse):
                response.body_iterator = _recording(response.body_iterator, await request.body(), questions)
            else:
                questions.record(await request.body(), bytes(response.body))
            return response

        return answer_and_log


async def _recording(events: AsyncIterable[Any], body: bytes, questions: QuestionLog) -> AsyncIterator[Any]:
    """The events as they are, then the answer event's JSON to the log (one event per chunk)."""
    async for chunk in events:
        yield chunk
        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        if data.startswith(_ANSWER_EVENT):
            questions.record(body, data.removeprefix(_ANSWER_EVENT).rstrip(b"\n"))
