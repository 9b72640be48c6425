"""Shared fixtures: the real corpus, the real default model, one real index per session."""

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from service.app import create_app
from service.settings import Settings
from tests.support import CORPUS, ROOT, free_port, running_server, server_env

# Other test modules (and branches) import these from here.
__all__ = ["CORPUS", "ROOT", "free_port", "running_server", "server_env"]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the real corpus, with an index folder, an empty curated answers' store and a feedback
    database (with the question log) of this test session (and no throttling)."""
    return Settings(
        corpus_dir=CORPUS,
        index_dir=tmp_path_factory.mktemp("index"),
        curated_db=tmp_path_factory.mktemp("curated") / "curated.sqlite3",
        feedback_db=tmp_path_factory.mktemp("feedback") / "feedback.sqlite3",
        rebuild="auto",
        rate_per_minute=1e9,
        rate_burst=1_000_000,
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
    with running_server(server_env(settings)) as url:
        yield url
