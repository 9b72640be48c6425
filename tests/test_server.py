import httpx
import pytest

from answer.engine import QAEngine
from service.settings import Settings
from tests.support import ServerError, running_server, server_env


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


def test_several_workers_share_one_published_index(settings: Settings, engine: QAEngine) -> None:
    with running_server(server_env(settings), args=["--workers", "2"]) as url:
        versions = set()
        for _ in range(20):
            r = httpx.post(f"{url}/v1/ask", json={"question": "课程是周末上课吗"}, timeout=30)
            assert r.status_code == 200
            versions.add(r.json()["index_version"])
    assert versions == {engine.index.version_id}  # no worker built an index of its own


def test_a_server_that_dies_at_start_is_reported_with_its_log(settings: Settings) -> None:
    env = server_env(settings, max_chars=5)  # under the least passage size: refused at start-up
    with pytest.raises(ServerError, match=r"exited with status [1-9]") as failed:
        with running_server(env):
            pass
    assert "max_chars" in str(failed.value)  # the tail of the server's own output
