"""Liveness and readiness."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from service.state import EngineSlot

router = APIRouter(tags=["health"])

_STATUS = {"application/json": {"schema": {"type": "object", "additionalProperties": {"type": "string"}}}}


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """200 while the process lives."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None, responses={503: {"description": "not ready", "content": _STATUS}})
def readyz(request: Request) -> JSONResponse | dict[str, str]:
    """200 once the index is loaded, 503 before (or when it failed to load)."""
    slot: EngineSlot = request.state.slot
    if slot.engine is None:
        return JSONResponse({"status": "not ready", "reason": slot.reason}, status_code=503)
    return {"status": "ready", "index_version": slot.engine.index.version_id}
