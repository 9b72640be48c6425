"""kill -9 a real server at chosen steps of a document change; no acknowledged document is lost."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from answer.engine import QAEngine
from service.settings import Settings
from tests.conftest import CORPUS, ROOT, free_port

TOKEN = "crash-test-token"
DOC = {
    "title": "Fengxian AI trainer camp",
    "source": "crash test",
    "text": "The Fengxian AI trainer camp trains 321 students in data annotation every summer.",
    "lang": "en",
    "doc_id": "fengxian-camp",
}


class Server:
    """A `python -m service` process over a corpus and index folder of the test's own."""

    def __init__(self, root: Path, crash_at: str = "", rebuild: str = "auto", wait: bool = True) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {
            **os.environ,
            "TRAINERQA_CORPUS_DIR": str(root / "corpus"),
            "TRAINERQA_INDEX_DIR": str(root / "index"),
            "TRAINERQA_ADMIN_TOKEN": TOKEN,
            "TRAINERQA_SYNC_SECONDS": "0.2",
            "TRAINERQA_FEEDBACK_DB": str(root / "fb.sqlite3"),
            "TRAINERQA_CRASH_AT": crash_at,
            "TRAINERQA_REBUILD": rebuild,
        }
        port = self.url.rsplit(":", 1)[1]
        self.log = root / f"server-{port}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service", "--port", port],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        if wait:
            self._wait(lambda: self.get("/readyz").status_code == 200)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30)

    def add(self) -> httpx.Response:
        return httpx.post(
            self.url + "/v1/documents", json=DOC, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        )

    def wait_dead(self) -> None:
        assert self.proc.wait(timeout=60) == -signal.SIGKILL

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def _wait(self, ready: object, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if ready():  # type: ignore[operator]
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError("server not ready")


@pytest.fixture
def root(tmp_path: Path, settings: Settings, engine: QAEngine) -> Iterator[Path]:
    """A copy of the corpus and of the built index."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    yield tmp_path


def listed(server: Server) -> set[str]:
    return {d["doc_id"] for d in server.get("/v1/documents").json()["documents"]}


def assert_consistent(server: Server, root: Path) -> None:
    """The served index holds the corpus as it is, and no half-written file is left."""
    server._wait(lambda: not server.get("/v1/documents").json()["pending"])
    docs = server.get("/v1/documents").json()["documents"]
    assert all(d["indexed"] for d in docs)
    leftovers = [p.name for p in (root / "corpus").iterdir() if p.name.endswith(".tmp")]
    leftovers += [p.name for p in (root / "index" / "versions").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert httpx.post(server.url + "/v1/ask", json={"question": "课程是周末上课吗"}, timeout=30).status_code == 200


def test_crash_before_the_manifest_commit_rolls_the_change_back(root: Path) -> None:
    server = Server(root, crash_at="article-written")
    with pytest.raises(httpx.TransportError):
        server.add()
    server.wait_dead()
    restarted = Server(root)
    try:
        assert "fengxian-camp" not in listed(restarted)
        assert not [p for p in (root / "corpus").iterdir() if p.name.startswith("fengxian-camp")]
        assert_consistent(restarted, root)
    finally:
        restarted.stop()


@pytest.mark.parametrize("crash_at", ["manifest-written", "index-version-written", "index-published"])
def test_crash_after_the_manifest_commit_finishes_the_change(root: Path, crash_at: str) -> None:
    server = Server(root, crash_at=crash_at)
    try:
        acknowledged = server.add().status_code == 201
    except httpx.TransportError:
        acknowledged = False  # died before it could answer: the change may or may not stand
    assert acknowledged == (crash_at != "manifest-written")
    server.wait_dead()
    restarted = Server(root)
    try:
        assert "fengxian-camp" in listed(restarted)  # committed before the crash, so it stays
        assert_consistent(restarted, root)
        hits = restarted.get("/v1/search?q=Fengxian%20camp%20students&k=3").json()["results"]
        assert hits[0]["doc_id"] == "fengxian-camp"
    finally:
        restarted.stop()


def test_kill_during_an_upload_loses_nothing_and_adds_nothing(root: Path) -> None:
    server = Server(root)
    before = listed(server)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        head = (
            f"POST /v1/documents HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"title": "half", "text": "' + b"x" * 5000)
        time.sleep(0.3)
        server.proc.send_signal(signal.SIGKILL)
        server.wait_dead()
    restarted = Server(root)
    try:
        assert listed(restarted) == before
        assert_consistent(restarted, root)
    finally:
        restarted.stop()
