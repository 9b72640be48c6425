"""kill -9 a real server at chosen steps of a document change; no acknowledged document is lost."""

import shutil
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from answer.engine import QAEngine
from service.settings import Settings
from tests.support import CORPUS, Server, server_over

TOKEN = "crash-test-token"
DOC = {
    "title": "Fengxian AI trainer camp",
    "source": "crash test",
    "text": "The Fengxian AI trainer camp trains 321 students in data annotation every summer.",
    "lang": "en",
    "doc_id": "fengxian-camp",
}


def start(root: Path, crash_at: str = "", rebuild: str = "auto", wait: bool = True) -> Server:
    """A server over root's corpus and index that kills itself at `crash_at` (the admin token set)."""
    return server_over(root, wait, admin_token=TOKEN, sync_seconds=0.2, crash_at=crash_at, rebuild=rebuild)


def add(server: Server) -> httpx.Response:
    """POST the test document."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return httpx.post(server.url + "/v1/documents", json=DOC, headers=headers, timeout=30)


def wait_dead(server: Server) -> None:
    """Wait for the server to be killed by its crash point (or by the test)."""
    assert server.proc is not None and server.proc.wait(timeout=60) == -signal.SIGKILL


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
    server.wait_until(lambda: not server.get("/v1/documents").json()["pending"], 90)
    docs = server.get("/v1/documents").json()["documents"]
    assert all(d["indexed"] for d in docs)
    leftovers = [p.name for p in (root / "corpus").iterdir() if p.name.endswith(".tmp")]
    leftovers += [p.name for p in (root / "index" / "versions").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert httpx.post(server.url + "/v1/ask", json={"question": "课程是周末上课吗"}, timeout=30).status_code == 200


def test_crash_before_the_manifest_commit_rolls_the_change_back(root: Path) -> None:
    server = start(root, crash_at="article-written")
    with pytest.raises(httpx.TransportError):
        add(server)
    wait_dead(server)
    restarted = start(root)
    try:
        assert "fengxian-camp" not in listed(restarted)
        assert not [p for p in (root / "corpus").iterdir() if p.name.startswith("fengxian-camp")]
        assert_consistent(restarted, root)
    finally:
        restarted.stop()


@pytest.mark.parametrize("crash_at", ["manifest-written", "index-version-written", "index-published"])
def test_crash_after_the_manifest_commit_finishes_the_change(root: Path, crash_at: str) -> None:
    server = start(root, crash_at=crash_at)
    try:
        acknowledged = add(server).status_code == 201
    except httpx.TransportError:
        acknowledged = False  # died before it could answer: the change may or may not stand
    assert acknowledged == (crash_at != "manifest-written")
    wait_dead(server)
    restarted = start(root)
    try:
        assert "fengxian-camp" in listed(restarted)  # committed before the crash, so it stays
        assert_consistent(restarted, root)
        hits = restarted.get("/v1/search?q=Fengxian%20camp%20students&k=3").json()["results"]
        assert hits[0]["doc_id"] == "fengxian-camp"
    finally:
        restarted.stop()


def test_kill_during_an_upload_loses_nothing_and_adds_nothing(root: Path) -> None:
    server = start(root)
    before = listed(server)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        head = (
            f"POST /v1/documents HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"title": "half", "text": "' + b"x" * 5000)
        time.sleep(0.3)
        assert server.proc is not None
        server.proc.send_signal(signal.SIGKILL)
        wait_dead(server)
    restarted = start(root)
    try:
        assert listed(restarted) == before
        assert_consistent(restarted, root)
    finally:
        restarted.stop()
