"""Shared fixtures: the real corpus, the real default model, one real index per session."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.engine import QAEngine
from service.settings import Settings
from tests.live import running_server

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the real corpus, with an index folder of this test session (and no throttling)."""
    return Settings(
        corpus_dir=CORPUS,
        index_dir=tmp_path_factory.mktemp("index"),
        rebuild="auto",
        ask_rate_per_minute=1e9,
        ask_burst=1_000_000,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> QAEngine:
    """The engine on a freshly built index (built once per session)."""
    return QAEngine.open(settings)


@pytest.fixture(scope="session")
def client(settings: Settings, engine: QAEngine) -> Iterator[TestClient]:
    """The app through TestClient (lifespan included), once the index is loaded."""
    with TestClient(create_app(settings)) as tc:
        deadline = time.monotonic() + 60
        while tc.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        yield tc


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: QAEngine) -> Iterator[str]:
    """A real `python -m service` process on a loopback port; yields its base URL."""
    env = {"TRAINERQA_CORPUS_DIR": str(settings.corpus_dir), "TRAINERQA_INDEX_DIR": str(settings.index_dir)}
    with running_server(env) as url:
        yield url
