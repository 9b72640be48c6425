"""Limits: body size (413), rate of POST /v1/ask per client (429), time per request (504)."""

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from service.app import create_app
from service.limits import TokenBuckets
from service.settings import Settings

PROBLEM = "application/problem+json"
QUESTION = {"question": "How is the course split between theory and practice?"}


def limited(settings: Settings, tmp_path: Path, **limits: Any) -> TestClient:
    """A TestClient of the real app with these limits (enter it to start the app)."""
    return TestClient(create_app(settings.model_copy(update={"feedback_db": tmp_path / "f.sqlite3", **limits})))


def wait_ready(tc: TestClient) -> None:
    deadline = time.monotonic() + 60
    while tc.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "index not loaded in time"
        time.sleep(0.05)


def assert_problem(r: Any, status: int, path: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["instance"] == path and body["detail"]
    return body


@pytest.fixture(scope="module")
def small_bodies(
    settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app with a 1 KiB body limit and a 4 KiB upload limit."""
    with limited(settings, tmp_path_factory.mktemp("limits"), max_body_bytes=1024, max_upload_bytes=4096) as tc:
        yield tc


def chunks(total: int, size: int = 256) -> Iterator[bytes]:
    """A body of `total` bytes in pieces, sent without Content-Length (chunked)."""
    body = json.dumps({"question": "x" * total}).encode()[:total]
    for i in range(0, total, size):
        yield body[i : i + size]


def test_body_over_the_limit_by_content_length_is_413(small_bodies: TestClient) -> None:
    r = small_bodies.post("/v1/ask", json={"question": "x" * 1100})
    body = assert_problem(r, 413, "/v1/ask")
    assert "1024 bytes" in body["detail"]


def test_body_over_the_limit_sent_chunked_is_413(small_bodies: TestClient) -> None:
    r = small_bodies.post("/v1/ask", content=chunks(1100), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_problem(r, 413, "/v1/ask")


def test_body_under_the_limit_passes(small_bodies: TestClient) -> None:
    r = small_bodies.post("/v1/ask", content=chunks(1000), headers={"content-type": "application/json"})
    assert r.status_code == 422  # cut JSON: refused by validation, not by size


def test_documents_have_the_upload_limit(small_bodies: TestClient) -> None:
    assert small_bodies.post("/v1/documents", content=b"x" * 3000).status_code != 413
    assert_problem(small_bodies.post("/v1/documents", content=b"x" * 5000), 413, "/v1/documents")
    assert_problem(small_bodies.put("/v1/documents/a-doc", content=b"x" * 5000), 413, "/v1/documents/a-doc")
    assert_problem(small_bodies.post("/v1/documentsx", content=b"x" * 3000), 413, "/v1/documentsx")


def raw_request(url: str, head: str, body_parts: Iterator[bytes] | None = None) -> str:
    """Send a request head and body parts over a socket; the status line and headers of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode("latin-1"))
        for part in body_parts or ():
            sock.sendall(part)
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    return answer.split(b"\r\n\r\n")[0].decode("latin-1")


def test_real_server_refuses_a_declared_large_body_before_reading_it(live_server: str) -> None:
    head = f"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {2 << 20}\r\n\r\n"
    answer = raw_request(live_server, head)  # nothing of the body is sent
    assert answer.startswith("HTTP/1.1 413") and PROBLEM in answer


def test_real_server_stops_a_chunked_body_at_the_limit(live_server: str) -> None:
    head = "POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    piece = b"x" * 65536
    parts = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(17))  # 1 MiB + 64 KiB, never ended
    answer = raw_request(live_server, head, parts)
    assert answer.startswith("HTTP/1.1 413") and PROBLEM in answer


def test_asking_too_fast_is_429_with_retry_after_then_taken_again(
    settings: Settings, engine: QAEngine, tmp_path: Path
) -> None:
    with limited(settings, tmp_path, ask_rate_per_minute=60, ask_burst=3) as tc:
        wait_ready(tc)
        assert [tc.post("/v1/ask", json=QUESTION).status_code for _ in range(3)] == [200] * 3
        r = tc.post("/v1/ask", json=QUESTION)
        assert_problem(r, 429, "/v1/ask")
        retry = int(r.headers["retry-after"])
        assert 1 <= retry <= 2
        assert tc.get("/v1/search", params={"q": "course"}).status_code == 200  # only asking is limited
        time.sleep(retry)
        assert tc.post("/v1/ask", json=QUESTION).status_code == 200


def test_clients_are_told_apart_by_forwarded_for_only_when_trusted(
    settings: Settings, engine: QAEngine, tmp_path: Path
) -> None:
    bad = {"question": ""}  # refused by validation, but after the rate limit: cheap and still counted
    for trusted in (True, False):
        with limited(settings, tmp_path, ask_rate_per_minute=1, ask_burst=1, trust_forwarded_for=trusted) as tc:
            wait_ready(tc)
            first = {"X-Forwarded-For": "198.51.100.7, 203.0.113.1"}
            assert tc.post("/v1/ask", json=bad, headers=first).status_code == 422
            assert tc.post("/v1/ask", json=bad, headers=first).status_code == 429
            other = tc.post("/v1/ask", json=bad, headers={"X-Forwarded-For": "203.0.113.2"})
            assert other.status_code == (422 if trusted else 429)


def test_token_buckets_refill_and_stay_bounded() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, capacity=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.5]
    now[0] = 0.5
    assert buckets.take("a") == 0.0  # one token back after half a second
    for key in "bcdef":
        buckets.take(key)
    assert len(buckets) == 3  # the least recently seen went
    now[0] = 10.0
    buckets.take("g")
    assert len(buckets) == 1  # refilled buckets are forgotten


def test_a_slow_request_is_504_and_probes_are_not_timed(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    with limited(settings, tmp_path, request_timeout=0.001) as tc:
        wait_ready(tc)
        body = assert_problem(tc.post("/v1/ask", json=QUESTION), 504, "/v1/ask")
        assert "0.001 s" in body["detail"]
        assert tc.get("/healthz").status_code == 200
    # leaving the block shut the app down, after the abandoned handler had finished


def test_limits_are_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINERQA_MAX_UPLOAD_BYTES", "5")
    monkeypatch.setenv("TRAINERQA_ASK_RATE_PER_MINUTE", "6")
    monkeypatch.setenv("TRAINERQA_TRUST_FORWARDED_FOR", "true")
    monkeypatch.setenv("TRAINERQA_REQUEST_TIMEOUT", "2.5")
    s = Settings()
    assert (s.max_upload_bytes, s.ask_rate_per_minute, s.trust_forwarded_for, s.request_timeout) == (5, 6, True, 2.5)
    assert (s.max_body_bytes, s.ask_burst) == (1 << 20, 20)
