"""Feedback: stored durably in SQLite (WAL), exported as JSON lines to the admin only."""

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from answer.engine import QAEngine
from service.app import create_app
from service.feedback import FeedbackStore
from service.settings import Settings
from tests.conftest import running_server, server_env

PROBLEM = "application/problem+json"
TOKEN = "s3cret-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
QUESTION = "How is the course split between theory and practice?"


def app_settings(base: Settings, db: Path, token: str | None = TOKEN) -> Settings:
    """The session's settings with their own feedback database and admin token."""
    return base.model_copy(update={"feedback_db": db, "admin_token": SecretStr(token) if token else None})


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A feedback database in folders that do not exist yet."""
    return tmp_path_factory.mktemp("feedback") / "nested" / "dir" / "feedback.sqlite3"


@pytest.fixture(scope="module")
def fb_client(settings: Settings, engine: QAEngine, db_path: Path) -> Iterator[TestClient]:
    """The real app with an admin token and its own feedback database, once its index is loaded."""
    with TestClient(create_app(app_settings(settings, db_path))) as tc:
        deadline = time.monotonic() + 60
        while tc.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        yield tc


@pytest.fixture(scope="module")
def answer(fb_client: TestClient) -> dict[str, Any]:
    """A real answer (with citations) to rate."""
    r = fb_client.post("/v1/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["citations"]
    return body


def rating(answer: dict[str, Any], question: str, rating: str, comment: str | None = None) -> dict[str, Any]:
    """A feedback body for an answer as the widget sends it."""
    body = {
        "question": question,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "index_version": answer["index_version"],
        "rating": rating,
    }
    return body | ({"comment": comment} if comment is not None else {})


def export(client: TestClient) -> list[dict[str, Any]]:
    """Every stored row, through the admin export."""
    r = client.get("/v1/feedback", headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines()]


def test_feedback_is_stored_and_exported_as_json_lines(fb_client: TestClient, answer: dict[str, Any]) -> None:
    up = fb_client.post("/v1/feedback", json=rating(answer, QUESTION, "up"))
    down = fb_client.post("/v1/feedback", json=rating(answer, QUESTION, "down", "比例说明不清楚 <b>"))
    assert up.status_code == 201 and down.status_code == 201
    assert down.json()["id"] > up.json()["id"]
    rows = {row["id"]: row for row in export(fb_client)}
    stored_up, stored_down = rows[up.json()["id"]], rows[down.json()["id"]]
    assert stored_up["rating"] == "up" and stored_up["comment"] is None
    assert stored_down["rating"] == "down" and stored_down["comment"] == "比例说明不清楚 <b>"
    assert stored_down["question"] == QUESTION and stored_down["answer"] == answer["answer"]
    assert stored_down["citations"] == answer["citations"]
    assert stored_down["index_version"] == answer["index_version"] and stored_down["created_at"]


def test_history_and_opened_related_passages_are_stored_and_exported(fb_client: TestClient) -> None:
    history = [{"question": "课程是周末上课吗", "answer": "简答：周末 [1]。"}]
    r = fb_client.post("/v1/ask", json={"question": "who did Chen Ke hear about the course from?", "history": history})
    declined = r.json()
    assert declined["answerable"] is False and len(declined["related"]) == 3
    body = rating(declined, "who did Chen Ke hear about the course from?", "up") | {
        "history": history,
        "opened_related": [2],
    }
    fid = fb_client.post("/v1/feedback", json=body).json()["id"]
    plain = fb_client.post("/v1/feedback", json=rating(declined, "no extras", "down")).json()["id"]
    rows = {row["id"]: row for row in export(fb_client)}
    assert rows[fid]["history"] == history and rows[fid]["opened_related"] == [2]
    assert rows[plain]["history"] == [] and rows[plain]["opened_related"] == []


def test_an_older_database_gains_the_new_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:  # the table as the first release made it, with one row
        conn.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT "
            "NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, index_version TEXT NOT NULL, rating TEXT NOT "
            "NULL CHECK (rating IN ('up', 'down')), comment TEXT)"
        )
        conn.execute("INSERT INTO feedback VALUES (1, 'then', 'q', 'a', '[]', 'v', 'up', NULL)")
    conn.close()
    store = FeedbackStore(db)
    store.add(
        {
            "question": "q2",
            "answer": "a",
            "citations": [],
            "index_version": "v",
            "rating": "down",
            "comment": None,
            "history": [{"question": "h", "answer": ""}],
            "opened_related": [1, 3],
        }
    )
    old, new = [json.loads(line) for line in store.export_lines()]
    assert (old["history"], old["opened_related"]) == ([], [])
    assert (new["history"], new["opened_related"]) == ([{"question": "h", "answer": ""}], [1, 3])


def test_feedback_survives_a_restart(
    settings: Settings, engine: QAEngine, fb_client: TestClient, answer: dict[str, Any], db_path: Path
) -> None:
    fid = fb_client.post("/v1/feedback", json=rating(answer, "kept?", "up")).json()["id"]
    with TestClient(create_app(app_settings(settings, db_path))) as again:
        assert fid in {row["id"] for row in export(again)}


def test_the_database_is_in_wal_mode(fb_client: TestClient, answer: dict[str, Any], db_path: Path) -> None:
    assert fb_client.post("/v1/feedback", json=rating(answer, "wal?", "up")).status_code == 201
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", f"Basic {TOKEN}", TOKEN])
def test_export_without_a_bearer_token_is_401(fb_client: TestClient, header: str | None) -> None:
    r = fb_client.get("/v1/feedback", headers={} if header is None else {"Authorization": header})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert r.headers["www-authenticate"] == "Bearer"


def test_export_with_a_wrong_token_is_403(fb_client: TestClient) -> None:
    r = fb_client.get("/v1/feedback", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert r.status_code == 403 and r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "the admin token is wrong"


def test_export_is_off_without_a_configured_token(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    with TestClient(create_app(app_settings(settings, tmp_path / "f.sqlite3", token=None))) as tc:
        r = tc.get("/v1/feedback", headers=ADMIN)
    assert r.status_code == 403 and r.headers["content-type"] == PROBLEM
    assert "admin endpoints are off" in r.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": "meh"}, "rating"),
        ({"comment": "x" * 2001}, "comment"),
        ({"question": "   "}, "question"),
        ({"question": None}, "question"),
        ({"index_version": ""}, "index_version"),
        ({"citations": "none"}, "citations"),
        ({"user": "someone"}, "user"),
        ({"history": [{"question": "q"}] * 6}, "history"),
        ({"history": [{"question": "q", "answer": "x" * 8001}]}, "history"),
        ({"history": "earlier"}, "history"),
        ({"opened_related": [0]}, "opened_related"),
        ({"opened_related": [4]}, "opened_related"),
        ({"opened_related": [1, 2, 3, 1]}, "opened_related"),
        ({"opened_related": ["1"]}, "opened_related"),
        ({"opened_related": [True]}, "opened_related"),
    ],
)
def test_invalid_feedback_is_a_422_problem(
    fb_client: TestClient, answer: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    r = fb_client.post("/v1/feedback", json=rating(answer, "q", "up") | change)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert field in {e["loc"][1] for e in r.json()["errors"]}


@hypothesis.settings(max_examples=25, deadline=None)
@given(comment=st.text(st.characters(exclude_categories=["Cs"]), max_size=200))
def test_any_comment_round_trips_exactly(fb_client: TestClient, answer: dict[str, Any], comment: str) -> None:
    fid = fb_client.post("/v1/feedback", json=rating(answer, "round trip", "down", comment)).json()["id"]
    assert {row["id"]: row for row in export(fb_client)}[fid]["comment"] == comment


def test_exported_rows_stay_one_per_line(fb_client: TestClient, answer: dict[str, Any]) -> None:
    comment = "a\u2028b\u2029c\x85d\ne\rf"
    fid = fb_client.post("/v1/feedback", json=rating(answer, "line breaks", "down", comment)).json()["id"]
    body = fb_client.get("/v1/feedback", headers=ADMIN).text
    assert body.count("\n") == len(body.splitlines())
    assert {row["id"]: row for row in map(json.loads, body.splitlines())}[fid]["comment"] == comment


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "busy" / "feedback.sqlite3")
    row = {"question": "q", "answer": "a", "citations": [], "index_version": "v", "rating": "up", "comment": None}

    def write() -> None:
        for _ in range(20):
            store.add(row)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [json.loads(line)["id"] for line in store.export_lines()]
    assert len(ids) == 160 and len(set(ids)) == 160
    assert store.journal_mode() == "wal"


@pytest.fixture(scope="module")
def fb_server(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with an admin token and its own feedback database (no rate limit)."""
    db = tmp_path_factory.mktemp("fb-server") / "f.sqlite3"
    env = server_env(settings, admin_token=TOKEN, feedback_db=db, rate_per_minute=1e9, rate_burst=1_000_000)
    with running_server(env) as url:
        yield url


def post_raw(url: str, body: bytes) -> httpx.Response:
    """POST /v1/feedback with this exact body (JSON that json.dumps would not write)."""
    return httpx.post(f"{url}/v1/feedback", content=body, headers={"content-type": "application/json"}, timeout=30)


def strict_json(line: str) -> Any:
    """Parse as strict JSON readers do: NaN and Infinity are errors."""
    return json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the export"))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_and_never_exported(fb_server: str, answer: dict[str, Any], number: str) -> None:
    body = json.dumps(rating(answer, "NaN?", "up")).replace('"score": ', f'"score": {number}, "was": ', 1)
    r = post_raw(fb_server, body.encode())
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert "finite number" in r.json()["detail"]
    export = httpx.get(f"{fb_server}/v1/feedback", headers=ADMIN, timeout=30)
    assert "NaN?" not in {strict_json(line)["question"] for line in export.text.splitlines()}


def test_a_lone_surrogate_in_a_citation_is_a_422_problem(fb_server: str, answer: dict[str, Any]) -> None:
    body = json.dumps(rating(answer, "surrogate?", "up")).replace('"title": "', '"title": "\\ud800', 1)
    r = post_raw(fb_server, body.encode())
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert "not valid Unicode" in r.json()["detail"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"title": "t" * 301}, ["body", "citations", 0, "title"]),
        ({"source": "s" * 301}, ["body", "citations", 0, "source"]),
        ({"text": "x" * 10_001}, ["body", "citations", 0, "text"]),
        ({"passage": "p" * 10_001}, ["body", "citations", 0, "passage"]),
        ({"doc_id": "d" * 65}, ["body", "citations", 0, "doc_id"]),
        ({"lang": "l" * 9}, ["body", "citations", 0, "lang"]),
        ({"n": 10**30}, ["body", "citations", 0, "n"]),
    ],
)
def test_every_citation_field_is_bounded(
    fb_server: str, answer: dict[str, Any], change: dict[str, Any], where: list[Any]
) -> None:
    body = rating(answer, "bounded?", "up")
    body["citations"] = [body["citations"][0] | change]
    r = httpx.post(f"{fb_server}/v1/feedback", json=body, timeout=30)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert where in [e["loc"] for e in r.json()["errors"]]


def test_citations_together_are_bounded(fb_server: str, answer: dict[str, Any]) -> None:
    body = rating(answer, "bounded in total?", "up")
    body["citations"] = [body["citations"][0] | {"text": "x" * 9000, "passage": "p" * 9000}] * 3  # 54,000 chars
    r = httpx.post(f"{fb_server}/v1/feedback", json=body, timeout=30)
    assert r.status_code == 422 and "at most 40000" in r.json()["detail"]


def test_a_megabyte_of_feedback_is_never_stored(fb_server: str, answer: dict[str, Any]) -> None:
    rows_before = len(httpx.get(f"{fb_server}/v1/feedback", headers=ADMIN, timeout=30).text.splitlines())
    big = {"comment": "x" * 900_000}, {"answer": "y" * 900_000}, {"index_version": "v" * 900_000}
    for change in big:
        r = httpx.post(f"{fb_server}/v1/feedback", json=rating(answer, "big?", "up") | change, timeout=30)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    r = httpx.post(f"{fb_server}/v1/feedback", json=rating(answer, "big?", "up", "z" * (2 << 20)), timeout=30)
    assert r.status_code == 413
    rows_after = len(httpx.get(f"{fb_server}/v1/feedback", headers=ADMIN, timeout=30).text.splitlines())
    assert rows_after == rows_before


def test_a_real_rating_is_still_stored_and_exported_as_strict_json(fb_server: str, answer: dict[str, Any]) -> None:
    r = httpx.post(f"{fb_server}/v1/feedback", json=rating(answer, QUESTION, "up"), timeout=30)
    assert r.status_code == 201
    export = httpx.get(f"{fb_server}/v1/feedback", headers=ADMIN, timeout=30)
    rows = {row["id"]: row for row in map(strict_json, export.text.splitlines())}
    assert rows[r.json()["id"]]["citations"] == answer["citations"]


def test_an_unusable_database_is_a_503_that_names_no_path(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with TestClient(create_app(app_settings(settings, blocker / "feedback.sqlite3"))) as tc:
        r = tc.post("/v1/feedback", json={**rating({"answer": "a", "citations": [], "index_version": "v"}, "q", "up")})
    assert r.status_code == 503 and r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "feedback cannot be stored or read now; see the server log"
    assert str(tmp_path) not in r.text and "Errno" not in r.text
