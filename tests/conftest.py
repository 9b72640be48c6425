"""Shared fixtures: the real corpus, the real default model, one real index per session."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from service.app import create_app
from service.settings import Settings

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


def free_port() -> int:
    """A TCP port on loopback that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: QAEngine) -> Iterator[str]:
    """A real `python -m service` process on a loopback port; yields its base URL."""
    with running_server(
        {"TRAINERQA_CORPUS_DIR": str(settings.corpus_dir), "TRAINERQA_INDEX_DIR": str(settings.index_dir)}
    ) as url:
        yield url


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[str]:
    """A `python -m service` process with these TRAINERQA_* variables, once ready; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready in time")
