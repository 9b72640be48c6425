"""The review view's admin API: feedback to review, verdicts on it, the dashboard, reviewed gold questions."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi import Path as PathParam

from service.auth import AdminDep
from service.deps import EngineDep, FeedbackDep, SettingsDep
from service.review import FeedbackFilter, QuestionVectors, ReviewStore
from service.reviewed_gold import ReviewedGold
from service.schemas import (
    GoldIn,
    GoldList,
    GoldRow,
    ReviewPage,
    ReviewRow,
    ReviewStats,
    Verdict,
    VerdictIn,
    problem_responses,
)

router = APIRouter(tags=["review"], responses=problem_responses(401, 403))


def get_review(store: FeedbackDep) -> ReviewStore:
    """The review queries over the app's feedback database."""
    return ReviewStore(store)


def get_reviewed_gold(request: Request) -> ReviewedGold:
    """The reviewed gold file the app was created with."""
    gold: ReviewedGold = request.state.reviewed_gold
    return gold


def get_question_vectors(request: Request) -> QuestionVectors:
    """The app's cache of question vectors (for the dashboard's clusters)."""
    vectors: QuestionVectors = request.state.question_vectors
    return vectors


ReviewDep = Annotated[ReviewStore, Depends(get_review)]
VectorsDep = Annotated[QuestionVectors, Depends(get_question_vectors)]
GoldDep = Annotated[ReviewedGold, Depends(get_reviewed_gold)]


@router.get("/v1/review/feedback")
def review_feedback(
    _: AdminDep,
    review: ReviewDep,
    lang: Annotated[Literal["zh", "en"] | None, Query(description="the question's language")] = None,
    rating: Literal["up", "down"] | None = None,
    since: Annotated[date | None, Query(description="first day (UTC), YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="last day (UTC), YYYY-MM-DD, included")] = None,
    index_version: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1 << 31)] = 0,
) -> ReviewPage:
    """Rated answers to review, thumbs-down first and newest first, with the verdicts on them."""
    where = FeedbackFilter(lang, rating, since, until, index_version)
    rows, total = review.rows(where, limit, offset)
    return ReviewPage(items=[ReviewRow(**r) for r in rows], total=total, limit=limit, offset=offset)


@router.post(
    "/v1/review/feedback/{feedback_id}/verdicts",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409),
)
def add_verdict(
    _: AdminDep, review: ReviewDep, feedback_id: Annotated[int, PathParam(ge=1, le=1 << 62)], body: VerdictIn
) -> Verdict:
    """Record a verdict on a feedback row: declining was right, or the curated entry / gold question made from it."""
    return Verdict(**review.add_verdict(feedback_id, body.kind, body.ref))


@router.delete(
    "/v1/review/verdicts/{verdict_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404)
)
def delete_verdict(_: AdminDep, review: ReviewDep, verdict_id: Annotated[int, PathParam(ge=1, le=1 << 62)]) -> Response:
    """Undo a verdict."""
    review.delete_verdict(verdict_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/review/stats")
def review_stats(
    _: AdminDep,
    review: ReviewDep,
    engine: EngineDep,
    vectors: VectorsDep,
    settings: SettingsDep,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> ReviewStats:
    """The dashboard: questions asked per day, shares declined and thumbs-down, top unanswered topics, per language."""
    embedder = engine.retriever.embedder
    stats = review.stats(days, lambda texts: vectors.of(embedder, texts))
    return ReviewStats(**stats, question_log=settings.log_questions)


@router.get("/v1/gold")
def list_gold(_: AdminDep, gold: GoldDep) -> GoldList:
    """Every reviewed gold question, oldest first."""
    return GoldList(items=[GoldRow(**r) for r in gold.rows()])


@router.post("/v1/gold", status_code=status.HTTP_201_CREATED)
def add_gold(_: AdminDep, gold: GoldDep, engine: EngineDep, body: GoldIn) -> GoldRow:
    """Add a reviewed gold question; every evidence quote must be in its corpus article (422 otherwise)."""
    return GoldRow(**gold.add(body.model_dump(), engine.index.documents))


@router.delete("/v1/gold/{gold_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404))
def delete_gold(_: AdminDep, gold: GoldDep, gold_id: Annotated[str, PathParam(max_length=64)]) -> Response:
    """Remove a reviewed gold question."""
    gold.delete(gold_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
