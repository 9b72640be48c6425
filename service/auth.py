"""Bearer-token access to the admin endpoints."""

import secrets
from typing import Annotated, ClassVar

from fastapi import Depends, Header

from service.deps import SettingsDep
from service.errors import ProblemError


class UnauthorizedError(ProblemError):
    """No usable bearer token was sent."""

    status = 401
    title = "Unauthorized"
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class ForbiddenError(ProblemError):
    """Admin endpoints are off, or the token is wrong."""

    status = 403
    title = "Forbidden"


def require_admin(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let the request through only with `Authorization: Bearer <TRAINERQA_ADMIN_TOKEN>`."""
    expected = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not expected:
        raise ForbiddenError("admin endpoints are off: the server has no TRAINERQA_ADMIN_TOKEN")
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("send the admin token as `Authorization: Bearer <token>`")
    if not secrets.compare_digest(token.strip().encode(), expected.encode()):
        raise ForbiddenError("the admin token is wrong")


AdminDep = Annotated[None, Depends(require_admin)]
