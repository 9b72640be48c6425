"""Curated answers (admin): list, create, show, replace, delete, history, approve again.

A citation is checked against the served index when it is given: the document must be in it
and [start:end] must be text within one of its passages (422 with the reason otherwise).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from service.auth import AdminDep
from service.curated import checked_citations
from service.deps import CuratedDep, EngineDep
from service.schemas import ApproveIn, CuratedEntry, CuratedIn, CuratedVersion, problem_responses
from service.state import EngineSlot

router = APIRouter(tags=["curated"], responses=problem_responses(401, 403))

EntryId = Annotated[int, Path(ge=1, le=1 << 62, description="the curated answer's id")]


@router.get("/v1/curated")
def list_curated(
    _: AdminDep, curated: CuratedDep, request: Request, stale: Annotated[bool | None, Query()] = None
) -> list[CuratedEntry]:
    """Every curated answer, oldest first; `?stale=true` for those waiting to be approved again."""
    _checked(curated, request)
    return [CuratedEntry.model_validate(e) for e in curated.store.entries(stale)]


@router.post("/v1/curated", status_code=status.HTTP_201_CREATED)
def create_curated(body: CuratedIn, _: AdminDep, curated: CuratedDep, engine: EngineDep) -> CuratedEntry:
    """Approve a curated answer: its questions, answer per language and citations."""
    fields = _fields(body, curated, engine)
    return CuratedEntry.model_validate(curated.store.create(fields, body.approved_by))


@router.get("/v1/curated/{entry_id}", responses=problem_responses(404))
def show_curated(entry_id: EntryId, _: AdminDep, curated: CuratedDep, request: Request) -> CuratedEntry:
    """One curated answer."""
    _checked(curated, request)
    return CuratedEntry.model_validate(curated.store.get(entry_id))


@router.put("/v1/curated/{entry_id}", responses=problem_responses(404))
def replace_curated(
    entry_id: EntryId, body: CuratedIn, _: AdminDep, curated: CuratedDep, engine: EngineDep
) -> CuratedEntry:
    """Replace a curated answer's content (a new version, approved now by `approved_by`)."""
    fields = _fields(body, curated, engine)
    return CuratedEntry.model_validate(curated.store.update(entry_id, fields, body.approved_by))


@router.delete("/v1/curated/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404))
def delete_curated(entry_id: EntryId, _: AdminDep, curated: CuratedDep) -> Response:
    """Stop serving a curated answer and remove it (its history stays)."""
    curated.store.delete(entry_id, "admin")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/curated/{entry_id}/history", responses=problem_responses(404))
def curated_history(entry_id: EntryId, _: AdminDep, curated: CuratedDep) -> list[CuratedVersion]:
    """Every version of a curated answer, newest first: what it became, who changed it and when."""
    return [CuratedVersion.model_validate(v) for v in curated.store.history(entry_id)]


@router.post("/v1/curated/{entry_id}/approve", responses=problem_responses(404))
def approve_curated(
    entry_id: EntryId, body: ApproveIn, _: AdminDep, curated: CuratedDep, engine: EngineDep
) -> CuratedEntry:
    """Approve a curated answer again, its citations as the served index reads them now (clears stale)."""
    entry = curated.store.get(entry_id)
    spans = [{k: c[k] for k in ("doc_id", "start", "end")} for c in entry["citations"]]
    citations = checked_citations(engine.index, spans)
    return CuratedEntry.model_validate(curated.store.approve(entry_id, citations, body.approved_by))


def _checked(curated: CuratedDep, request: Request) -> None:
    """Flag what the served index made stale before anyone looks (once the index is loaded)."""
    slot: EngineSlot = request.state.slot
    if slot.engine is not None:
        curated.refresh(slot.engine)


def _fields(body: CuratedIn, curated: CuratedDep, engine: EngineDep) -> dict[str, Any]:
    """The entry's content, its citations checked against the served index and given their text."""
    citations = checked_citations(engine.index, [c.model_dump() for c in body.citations])
    return {
        "questions": body.questions,
        "answers": body.answers.model_dump(),
        "citations": citations,
        "approved_by": body.approved_by,
        "feedback_id": body.feedback_id,
    }
