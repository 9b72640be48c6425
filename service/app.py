"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from answer.curated import Thresholds
from answer.generation.generator import make_generator
from service.curated import CuratedAnswers, CuratedStore
from service.errors import install_handlers
from service.feedback import FeedbackStore
from service.head import HeadAsGet
from service.limits import install_limits
from service.question_log import QuestionLog
from service.review import QuestionVectors
from service.reviewed_gold import ReviewedGold
from service.routes import ask, curated, documents, feedback, health, pages, review, search
from service.schemas import problem_responses
from service.settings import Settings
from service.state import EngineSlot


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the index loads in the background once it starts."""
    settings = settings or Settings()
    slot = EngineSlot(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        slot.start()
        feedback = FeedbackStore(settings.feedback_db)
        questions = QuestionLog(feedback, settings.question_log_days, settings.log_questions)
        questions.start()
        generator = make_generator(settings)
        yield {
            "settings": settings,
            "slot": slot,
            "feedback": feedback,
            "question_log": questions,
            "reviewed_gold": ReviewedGold(settings.reviewed_gold),
            "curated": curated_answers(settings),
            "question_vectors": QuestionVectors(),
            "generator": generator,
        }
        questions.close()
        slot.stop()
        if generator is not None:
            generator.close()

    # No redirect from "/v1/ask/" to "/v1/ask": Starlette builds its Location from the Host
    # header, so anyone could make us point a client at their own site.
    # /docs loads Swagger UI from this service (a packaged copy), not from a CDN that may be
    # unreachable; no validator badge (it calls swagger.io). No /redoc: its sidebar logo comes from a CDN.
    app = FastAPIOffline(
        title="trainer-qa",
        version="0.1.0",
        lifespan=lifespan,
        redirect_slashes=False,
        redoc_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
    install_limits(app, settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    app.add_middleware(HeadAsGet)
    install_handlers(app)
    app.include_router(health.router)
    app.include_router(pages.router)
    for module in (ask, search, documents, feedback, curated, review):
        # Any API request can be unreadable, too large, invalid, timed out, or come before the index is in.
        app.include_router(module.router, responses=problem_responses(400, 413, 422, 503, 504))
    return app


def curated_answers(settings: Settings) -> CuratedAnswers:
    """The curated answers' store and matching thresholds (issue 10)."""
    thresholds = Thresholds(settings.curated_same_lang, settings.curated_cross_lang)
    return CuratedAnswers(CuratedStore(settings.curated_db), thresholds)
