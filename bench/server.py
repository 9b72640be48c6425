"""A real `python -m service` process on a loopback port, timed from spawn to ready."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.timing import proc_memory_mb, proc_threads, summary
from bench.workspace import ROOT
from service.settings import Settings

READY_TIMEOUT_S = 180


class ServerError(RuntimeError):
    """The service process exited or never became ready."""


def free_port() -> int:
    """A TCP port on loopback that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One service process over an existing index; `start` returns when /readyz is 200."""

    def __init__(self, settings: Settings, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **os.environ,
            "TRAINERQA_CORPUS_DIR": str(settings.corpus_dir),
            "TRAINERQA_INDEX_DIR": str(settings.index_dir),
            "TRAINERQA_REBUILD": "never",
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.healthy_s = self.ready_s = 0.0

    def start(self) -> float:
        """Spawn the process and poll until ready; seconds from spawn to the first 200 of /readyz."""
        with open(self.log, "ab") as log:
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._poll_ready(t0)
        return self.ready_s

    def _poll_ready(self, t0: float) -> None:
        with httpx.Client(base_url=self.url, timeout=2) as http:
            while time.perf_counter() - t0 < READY_TIMEOUT_S:
                if self.proc is None or self.proc.poll() is not None:
                    raise ServerError(f"service exited; see {self.log}")
                if not self.healthy_s and _status(http, "/healthz") == 200:
                    self.healthy_s = time.perf_counter() - t0
                if _status(http, "/readyz") == 200:
                    self.ready_s = time.perf_counter() - t0
                    return
                time.sleep(0.01)
        raise ServerError(f"service not ready in {READY_TIMEOUT_S}s; see {self.log}")

    def memory_mb(self) -> dict[str, float]:
        """The server's resident memory now and at its peak, and its thread count."""
        assert self.proc is not None
        return {**proc_memory_mb(self.proc.pid), "threads": proc_threads(self.proc.pid)}

    def stop(self) -> None:
        """Terminate the process and wait for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _status(http: httpx.Client, path: str) -> int:
    try:
        return http.get(path).status_code
    except httpx.TransportError:
        return 0


@contextmanager
def running(settings: Settings, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A started server, stopped on exit."""
    server = Server(settings, log, env)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def cold_starts(settings: Settings, log: Path, runs: int) -> dict[str, Any]:
    """Spawn-to-ready and spawn-to-healthy seconds over several fresh processes."""
    ready, healthy = [], []
    for _ in range(runs):
        with running(settings, log) as server:
            ready.append(server.ready_s)
            healthy.append(server.healthy_s)
    return {
        "ready_s": ready,
        "healthy_s": healthy,
        "ready": summary([s * 1000 for s in ready]),
        "healthy": summary([s * 1000 for s in healthy]),
    }
