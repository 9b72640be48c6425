"""Real `python -m service` processes on loopback ports, timed from spawn to ready.

The one place that starts servers: the benchmarks use it as it is, the tests through tests/support.py.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.timing import proc_memory_mb, proc_threads, summary
from bench.workspace import ROOT
from service.settings import Settings

READY_TIMEOUT_S = 180
LOG_TAIL_LINES = 40


class ServerError(RuntimeError):
    """The service process exited or never became ready; the message ends with the tail of its log."""


def free_port() -> int:
    """A TCP port on loopback that nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def trainerqa_env(**variables: object) -> dict[str, str]:
    """TRAINERQA_<NAME> variables: the settings a server reads."""
    return {f"TRAINERQA_{name.upper()}": str(value) for name, value in variables.items()}


def server_env(settings: Settings, **variables: object) -> dict[str, str]:
    """The environment of a server over these settings' corpus, index, curated answers, feedback database and
    rate limits, plus TRAINERQA_<NAME> variables."""
    return trainerqa_env(
        **{
            "corpus_dir": settings.corpus_dir,
            "index_dir": settings.index_dir,
            "curated_db": settings.curated_db,
            "feedback_db": settings.feedback_db,
            "rate_per_minute": settings.rate_per_minute,
            "rate_burst": settings.rate_burst,
        }
        | variables
    )


class Server:
    """One service process with these variables (over os.environ) and extra command-line `args`.

    Its stdout and stderr are appended to `log`, a file: a pipe nobody reads would stall it when full."""

    def __init__(self, env: Mapping[str, str], log: Path, args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, **env}
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.healthy_s = self.ready_s = 0.0
        self._t0 = 0.0

    def spawn(self) -> "Server":
        """Start the process without waiting for it."""
        cmd = [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(self.port), *self.args]
        with open(self.log, "ab") as log:
            self._t0 = time.perf_counter()
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def start(self, ready: str = "/readyz", seconds: float = READY_TIMEOUT_S) -> float:
        """Spawn the process and poll until `ready` answers 200; seconds from spawn to that 200."""
        self.spawn()
        with httpx.Client(base_url=self.url, timeout=2) as http:
            self.wait_until(lambda: self._answers(http, ready), seconds, poll_s=0.01)
        return self.ready_s

    def _answers(self, http: httpx.Client, ready: str) -> bool:
        if not self.healthy_s and _status(http, "/healthz") == 200:
            self.healthy_s = time.perf_counter() - self._t0
        if _status(http, ready) != 200:
            return False
        self.ready_s = time.perf_counter() - self._t0
        return True

    def wait_until(self, done: Callable[[], bool], seconds: float, poll_s: float = 0.1) -> None:
        """Poll `done` (a transport error counts as not yet) until it is true; a ServerError with the
        log's tail if the process exits first or `seconds` pass."""
        deadline = time.monotonic() + seconds
        while True:
            self.check_running()
            try:
                if done():
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"{self.url} not there in {seconds:.0f} s; {self._tail()}")
            time.sleep(poll_s)

    def check_running(self) -> None:
        """A ServerError, with the log's tail, unless the process is running."""
        if self.proc is None:
            raise ServerError("service not started")
        if self.proc.poll() is not None:
            raise ServerError(f"service exited with status {self.proc.returncode}; {self._tail()}")

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines the process (and any other writing to the same log) wrote."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _tail(self) -> str:
        return f"the last lines of {self.log}:\n{self.log_tail()}"

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET a path of this server."""
        return httpx.get(self.url + path, **{"timeout": 30, **kwargs})

    def memory_mb(self) -> dict[str, float]:
        """The server's resident memory now and at its peak, and its thread count."""
        assert self.proc is not None
        return {**proc_memory_mb(self.proc.pid), "threads": proc_threads(self.proc.pid)}

    def stop(self, seconds: float = 30) -> None:
        """Terminate the process and wait for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=seconds)


def _status(http: httpx.Client, path: str) -> int:
    try:
        return http.get(path).status_code
    except httpx.TransportError:
        return 0


@contextmanager
def running(env: Mapping[str, str], log: Path, args: Sequence[str] = (), ready: str = "/readyz") -> Iterator[Server]:
    """A started server, stopped on exit."""
    server = Server(env, log, args)
    try:
        server.start(ready)
        yield server
    finally:
        server.stop()


def cold_starts(env: Mapping[str, str], log: Path, runs: int) -> dict[str, Any]:
    """Spawn-to-ready and spawn-to-healthy seconds over several fresh processes."""
    ready, healthy = [], []
    for _ in range(runs):
        with running(env, log) as server:
            ready.append(server.ready_s)
            healthy.append(server.healthy_s)
    return {
        "ready_s": ready,
        "healthy_s": healthy,
        "ready": summary([s * 1000 for s in ready]),
        "healthy": summary([s * 1000 for s in healthy]),
    }
