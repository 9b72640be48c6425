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


def test_several_workers_share_one_published_index(settings, engine) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, _wait_ready, free_port

    port = free_port()
    env = {
        **os.environ,
        "TRAINERQA_CORPUS_DIR": str(settings.corpus_dir),
        "TRAINERQA_INDEX_DIR": str(settings.index_dir),
    }
    cmd = [sys.executable, "-m", "service", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        versions = set()
        for _ in range(20):
            r = httpx.post(f"{url}/v1/ask", json={"question": "课程是周末上课吗"}, timeout=30)
            assert r.status_code == 200
            versions.add(r.json()["index_version"])
        assert versions == {engine.index.version_id}  # no worker built an index of its own
    finally:
        proc.terminate()
        proc.wait(timeout=30)
