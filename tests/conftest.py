"""Shared fixtures: the real corpus, the real default model, one real index per session."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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


def free_port() -> int:
    """A TCP port on loopback that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: QAEngine) -> Iterator[str]:
    """A real `python -m service` process on a loopback port; yields its base URL."""
    with running_server(server_env(settings)) as url:
        yield url


def server_env(settings: Settings, **variables: object) -> dict[str, str]:
    """The environment of a server over the session's corpus and index, plus TRAINERQA_<NAME> variables."""
    env = {"TRAINERQA_CORPUS_DIR": str(settings.corpus_dir), "TRAINERQA_INDEX_DIR": str(settings.index_dir)}
    return env | {f"TRAINERQA_{name.upper()}": str(value) for name, value in variables.items()}


@contextmanager
def running_server(env: dict[str, str], ready: str = "/readyz") -> Iterator[str]:
    """`python -m service` with these variables on a free port, once `ready` answers 200; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall the server
        cmd = [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_answering(url + ready, proc, log)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _wait_answering(url: str, proc: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not answering in time")


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    """Wait for a server started elsewhere (with its stderr on a pipe) to be ready."""
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
