"""POST /v1/feedback (anyone) and GET /v1/feedback (admin): answer ratings."""

from fastapi import APIRouter, status
from fastapi.responses import StreamingResponse

from service.auth import AdminDep
from service.deps import FeedbackDep
from service.schemas import FeedbackCreated, FeedbackIn, problem_responses

router = APIRouter(tags=["feedback"])

NDJSON = "application/x-ndjson"


@router.post("/v1/feedback", status_code=status.HTTP_201_CREATED, responses=problem_responses(429))
def add_feedback(body: FeedbackIn, store: FeedbackDep) -> FeedbackCreated:
    """Store a rating of an answer, with an optional comment."""
    return FeedbackCreated(id=store.add(body.model_dump()))


@router.get(
    "/v1/feedback",
    response_class=StreamingResponse,
    responses={200: {"content": {NDJSON: {}}, "description": "one JSON object a line"}, **problem_responses(401, 403)},
)
def export_feedback(_: AdminDep, store: FeedbackDep) -> StreamingResponse:
    """Every stored rating as JSON lines, oldest first (admin token required)."""
    return StreamingResponse(
        store.export_lines(),
        media_type=NDJSON,
        headers={"Content-Disposition": 'attachment; filename="feedback.jsonl"'},
    )
