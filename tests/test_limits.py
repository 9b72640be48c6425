"""Limits: body size (413), rate of the expensive routes per client (429), time per request (504),
the connections uvicorn holds, and what errors tell the public."""

import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from service.app import create_app
from service.limits import TokenBuckets
from service.settings import Settings
from tests.conftest import ROOT, running_server, server_env

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
    # One token every 3 s: the three asks (slow on a loaded machine) cannot earn a fourth.
    with limited(settings, tmp_path, rate_per_minute=20, rate_burst=3) as tc:
        wait_ready(tc)
        assert [tc.post("/v1/ask", json=QUESTION).status_code for _ in range(3)] == [200] * 3
        r = tc.post("/v1/ask", json=QUESTION)
        assert_problem(r, 429, "/v1/ask")
        retry = int(r.headers["retry-after"])
        assert 1 <= retry <= 3
        assert_problem(tc.get("/v1/search", params={"q": "course"}), 429, "/v1/search")  # one bucket for both
        assert tc.get("/v1/documents").status_code == 200  # cheap routes are not limited
        time.sleep(retry)
        assert tc.post("/v1/ask", json=QUESTION).status_code == 200


def test_clients_are_told_apart_by_forwarded_for_only_when_trusted(
    settings: Settings, engine: QAEngine, tmp_path: Path
) -> None:
    bad = {"question": ""}  # refused by validation, but after the rate limit: cheap and still counted
    for trusted in (True, False):
        with limited(settings, tmp_path, rate_per_minute=1, rate_burst=1, trust_forwarded_for=trusted) as tc:
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
    monkeypatch.setenv("TRAINERQA_RATE_PER_MINUTE", "6")
    monkeypatch.setenv("TRAINERQA_TRUST_FORWARDED_FOR", "true")
    monkeypatch.setenv("TRAINERQA_REQUEST_TIMEOUT", "2.5")
    monkeypatch.setenv("TRAINERQA_MAX_CONNECTIONS", "50")
    s = Settings()
    assert (s.max_upload_bytes, s.rate_per_minute, s.trust_forwarded_for, s.request_timeout) == (5, 6, True, 2.5)
    assert (s.max_body_bytes, s.rate_burst, s.max_connections) == (1 << 20, 20, 50)
    assert (s.keep_alive_seconds, s.max_header_bytes) == (5, 16384)


def test_the_old_rate_variables_still_work_and_the_new_ones_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINERQA_ASK_RATE_PER_MINUTE", "7")
    monkeypatch.setenv("TRAINERQA_ASK_BURST", "3")
    assert (Settings().rate_per_minute, Settings().rate_burst) == (7, 3)
    monkeypatch.setenv("TRAINERQA_RATE_PER_MINUTE", "8")
    assert Settings().rate_per_minute == 8


# Real servers with the limits tight, so that each attack shows within seconds.


@pytest.fixture(scope="module")
def guarded_server(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with 6 requests a minute (burst 3) per X-Forwarded-For client, 1 s to send a
    request head, 6 connections and 4 KiB of request head at most."""
    env = server_env(
        settings,
        rate_per_minute=6,
        rate_burst=3,
        trust_forwarded_for="true",
        keep_alive_seconds=1,
        max_connections=6,
        max_header_bytes=4096,
        feedback_db=tmp_path_factory.mktemp("guarded") / "f.sqlite3",
    )
    with running_server(env) as url:
        yield url


def from_client(name: str) -> dict[str, str]:
    """Headers that make the guarded server see requests from their own client."""
    return {"X-Forwarded-For": f"client-{name}"}


def test_ask_search_and_feedback_share_one_rate_limit(guarded_server: str) -> None:
    client = httpx.Client(base_url=guarded_server, headers=from_client("mixed"), timeout=30)
    # Three cheap calls (refused after the limit is taken) empty the bucket of 3.
    assert client.get("/v1/search", params={"q": "course"}).status_code == 200
    assert client.post("/v1/ask", json={"question": ""}).status_code == 422
    assert client.post("/v1/feedback", json={}).status_code == 422
    for method, path in (("GET", "/v1/search?q=course"), ("POST", "/v1/ask"), ("POST", "/v1/feedback")):
        r = client.request(method, path, json={"question": "course"} if method == "POST" else None)
        assert_problem(r, 429, path.split("?")[0])
        assert 1 <= int(r.headers["retry-after"]) <= 10  # 6 a minute: a token every 10 s
    assert client.get("/v1/documents").status_code == 200  # cheap routes are not limited
    other = httpx.get(f"{guarded_server}/v1/search", params={"q": "course"}, headers=from_client("other"))
    assert other.status_code == 200


def test_a_slash_path_is_a_404_and_the_host_header_is_never_echoed(guarded_server: str) -> None:
    evil = {"Host": "evil.example", **from_client("host")}
    paths = ["/v1/ask/", "/v1/search/", "/v1/feedback/", "/v1/documents/", "/healthz/", "/readyz/", "/docs/", "/demo/"]
    for path in paths:
        for method in ("GET", "POST"):
            r = httpx.request(method, guarded_server + path, headers=evil, timeout=30)
            assert r.status_code in (404, 405), (method, path, r.status_code)
            assert r.headers["content-type"] == PROBLEM
            assert not any("evil.example" in v for v in r.headers.values()), r.headers
    assert_problem(httpx.post(guarded_server + "/v1/ask/", json=QUESTION, headers=evil), 404, "/v1/ask/")


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float:
    """Seconds until the server closes `sock`, sending `trickle` every 0.2 s meanwhile; fails past `seconds`."""
    start = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - start < seconds:
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - start
        except TimeoutError:
            pass
        except ConnectionError:
            return time.monotonic() - start
        try:
            sock.sendall(trickle)
        except OSError:
            return time.monotonic() - start
    raise AssertionError(f"the connection was still open after {seconds} s")


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def test_silent_and_half_sent_connections_are_closed(guarded_server: str) -> None:
    with connect(guarded_server) as silent:
        assert closed_within(silent, 4) < 3
    with connect(guarded_server) as slow:  # slowloris: one header line at a time, never the end
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert closed_within(slow, 4, trickle=b"X-a: b\r\n") < 3


def test_idle_connections_cannot_hold_the_server(guarded_server: str) -> None:
    idle = [connect(guarded_server) for _ in range(6)]
    try:
        time.sleep(0.2)
        r = httpx.get(f"{guarded_server}/healthz", timeout=5)
        assert r.status_code == 503  # uvicorn's limit_concurrency (plain text, before our app)
        time.sleep(2)  # they had 1 s to send a request head
        assert httpx.get(f"{guarded_server}/healthz", timeout=5).status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_a_request_head_that_outgrows_its_bound_is_refused(guarded_server: str) -> None:
    # h11 buffers an unfinished head up to the bound (4 KiB here), then answers 400 and closes.
    head = "GET /healthz HTTP/1.1\r\nHost: x\r\n" + "X-Pad: aaaaaaaa\r\n" * 400  # 6.8 KB, never ended
    assert raw_request(guarded_server, head).startswith("HTTP/1.1 400")
    head = f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Small: {'a' * 1000}\r\n\r\n"
    assert raw_request(guarded_server, head).startswith("HTTP/1.1 200")


def test_a_failed_index_is_reported_without_paths_or_error_text(tmp_path: Path) -> None:
    missing = tmp_path / "no-index-here"
    env = {"TRAINERQA_INDEX_DIR": str(missing), "TRAINERQA_REBUILD": "never", "TRAINERQA_CORPUS_DIR": "corpus"}
    with running_server(env, ready="/healthz") as url:
        deadline = time.monotonic() + 60
        while (ready := httpx.get(f"{url}/readyz", timeout=5)).json()["reason"] == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        ask = httpx.post(f"{url}/v1/ask", json=QUESTION, timeout=30)
    reason = "failed: no index has been built and rebuild is off; build it with `python -m index build`"
    assert ready.status_code == 503 and ready.json()["reason"] == reason
    assert assert_problem(ask, 503, "/v1/ask")["detail"] == reason
    for text in (ready.text, ask.text):
        assert str(tmp_path) not in text and "Errno" not in text


def flood(url: str, stop: threading.Event, patient: bool, seed: int) -> Counter[str]:
    """Search with 2000-char queries until `stop`: abandon each after 0.3 s, or wait for its answer."""
    rng = random.Random(seed)
    words = ["training", "课程", "theory", "practice", "考试", "exam", "证书", "certificate", "Shanghai", "人工智能"]
    seen: Counter[str] = Counter()
    with httpx.Client(timeout=60 if patient else 0.3) as client:
        while not stop.is_set():
            q = " ".join(rng.choice(words) for _ in range(400))[:2000]
            try:
                seen[str(client.get(f"{url}/v1/search", params={"q": q}).status_code)] += 1
            except httpx.TimeoutException:
                seen["abandoned"] += 1
    return seen


def gold_questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "gold.jsonl").read_text().splitlines()]
    return [row["question"] for row in rows if row["answerable"]][:n]


def test_a_search_flood_does_not_starve_ordinary_asks(settings: Settings, engine: QAEngine) -> None:
    """Six clients flood /v1/search with 2000-char queries (embedded as their first 512 characters,
    about 0.1-0.4 s each); three give up after 0.3 s, three wait for their answer. Requests that timed
    out or whose client has gone leave the embedder's queue instead of embedding for no one, so
    ordinary asks still get answers."""
    env = server_env(settings, rate_per_minute=1e9, rate_burst=1_000_000)  # 10 s to answer
    with running_server(env) as url:
        stop = threading.Event()
        with ThreadPoolExecutor(6) as pool:
            flooders = [pool.submit(flood, url, stop, patient=i % 2 == 0, seed=i) for i in range(6)]
            time.sleep(3)  # let the queue build up
            statuses, seconds = [], []
            try:
                for question in gold_questions(10):
                    start = time.monotonic()
                    statuses.append(httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=30).status_code)
                    seconds.append(time.monotonic() - start)
            finally:
                stop.set()
            floods = sum((f.result() for f in flooders), Counter())
    print(f"\nasks: {statuses}, {[round(s, 2) for s in seconds]} s; flood: {dict(floods)}")
    assert floods["abandoned"] >= 6 and floods["200"] >= 6  # the flood did flood
    assert statuses.count(200) >= 8, statuses
