"""RFC 9457 problem details: one error base class and one handler for all of them."""

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import DeadlineExceededError

PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """An error a client can act on; subclasses set the status and title."""

    status = 400
    title = "Bad request"
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotReadyError(ProblemError):
    """The index is still loading or building."""

    status = 503
    title = "Not ready"


class BadQueryError(ProblemError):
    """A question or query with nothing to search for."""

    status = 422
    title = "Unprocessable question"


class NotFoundError(ProblemError):
    """No such resource."""

    status = 404
    title = "Not found"


class ConflictError(ProblemError):
    """The resource exists already."""

    status = 409
    title = "Conflict"


class UnsupportedMediaError(ProblemError):
    """A body or upload of a type we do not take, or whose content does not match its name."""

    status = 415
    title = "Unsupported media type"


class UnprocessableDocumentError(ProblemError):
    """An upload of a type we take that cannot be parsed: encrypted, malformed, or too slow to parse."""

    status = 422
    title = "Unprocessable document"


class CorpusUnreadableError(ProblemError):
    """The corpus manifest cannot be read; an operator has to repair it."""

    status = 503
    title = "Corpus unreadable"


def problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_handlers(app: FastAPI) -> None:
    """Map our errors, HTTP errors and validation errors to problem+json."""

    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, exc: ProblemError) -> JSONResponse:
        response = problem(exc.status, exc.title, exc.detail, request)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(DeadlineExceededError)
    async def on_deadline(request: Request, exc: DeadlineExceededError) -> JSONResponse:
        # Mostly unseen: the client has had its 504 from RequestTimeout already, or has gone.
        return problem(504, "Timed out", str(exc), request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail), request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": _message(e), "type": e["type"]} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "Invalid request", detail, request, errors=errors)


def _message(error: dict[str, Any]) -> str:
    """The error's message, with the parser's reason when it has one ("JSON decode error" alone says little)."""
    reason = error.get("ctx", {}).get("error")
    return f"{error['msg']}: {reason}" if isinstance(reason, str) and reason else str(error["msg"])


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
