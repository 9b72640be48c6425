import httpx


def test_real_server_answers_over_a_socket(live_server: str) -> None:
    r = httpx.post(f"{live_server}/v1/ask", json={"question": "课程是周末上课吗"}, timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["lang"] == "zh" and body["answerable"]
    assert "weekend" in body["answer"]


def test_real_server_reports_problems_and_refuses_unknown_origins(live_server: str) -> None:
    r = httpx.post(f"{live_server}/v1/ask", json={"question": ""}, timeout=30)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = httpx.get(f"{live_server}/healthz", headers={"Origin": "https://evil.example"}, timeout=30)
    assert "access-control-allow-origin" not in r.headers
