"""A route class that hands each successful answer to the question log (service/question_log.py)."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from service.question_log import QuestionLog


class LoggedAsk(APIRoute):
    """After a 200, queue the request's body and the answer's JSON; the request never waits for the log."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's own handler, followed by the hand-over."""
        answer = super().get_route_handler()

        async def answer_and_log(request: Request) -> Response:
            response = await answer(request)
            questions: QuestionLog = request.state.question_log
            if response.status_code == 200:
                questions.record(await request.body(), bytes(response.body))
            return response

        return answer_and_log
