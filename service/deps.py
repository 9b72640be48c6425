"""Dependencies that routes declare: the settings, the ready engine, the feedback store, the curated answers."""

from typing import Annotated

from fastapi import Depends, Request

from answer.engine import QAEngine
from answer.generation.generator import Generator
from service.curated import CuratedAnswers
from service.errors import NotReadyError
from service.feedback import FeedbackStore
from service.settings import Settings
from service.state import EngineSlot


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.state.settings
    return settings


def get_engine(request: Request) -> QAEngine:
    """The loaded engine, or 503 while it is still loading or failed to load."""
    slot: EngineSlot = request.state.slot
    if slot.engine is None:
        raise NotReadyError(slot.reason)
    return slot.engine


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[QAEngine, Depends(get_engine)]


def get_feedback_store(request: Request) -> FeedbackStore:
    """The feedback database the app was created with."""
    store: FeedbackStore = request.state.feedback
    return store


FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback_store)]


def get_generator(request: Request) -> Generator | None:
    """The configured answer generator, or None (the extractive reader alone)."""
    generator: Generator | None = request.state.generator
    return generator


GeneratorDep = Annotated[Generator | None, Depends(get_generator)]


def get_curated(request: Request) -> CuratedAnswers:
    """The curated answers the app was created with."""
    curated: CuratedAnswers = request.state.curated
    return curated


CuratedDep = Annotated[CuratedAnswers, Depends(get_curated)]
