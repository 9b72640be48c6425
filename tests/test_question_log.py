"""The question log on real servers: every answered ask is logged (declined ones too, with their language and
origin), the dashboard counts questions nobody rated, the log can be turned off, old rows go, and a broken
database costs the log, never an answer."""

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from answer.engine import QAEngine
from bench.server import Server, running
from service.feedback import FeedbackStore
from service.question_log import QuestionLog
from service.settings import Settings
from tests.support import server_env

TOKEN = "question-log-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
ANSWERED_ZH = "AI训练师岗位数量增长了多少"
DECLINED_EN = ["What is the weather like in Paris tomorrow?", "Will it rain in Paris tomorrow?"]
CURATED = "How do I sign up for the AI trainer exam in Shanghai?"
TURNS = [{"question": "培训是周末吗", "answer": "简答：周末 [1]。"}, {"question": "学费多少"}]


@dataclass(frozen=True)
class Logged:
    """A server, its feedback database, and the answers it gave in the fixture."""

    server: Server
    db: Path
    answers: list[dict[str, Any]]


def _rows(db: Path) -> list[tuple[Any, ...]]:
    """The question log's rows, oldest first (none when the table is not there yet)."""
    if not db.exists():
        return []
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        try:
            return conn.execute(
                "SELECT created_at, question, turns, lang, answerable, origin, index_version FROM questions ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []


def _wait_for(db: Path, n: int, seconds: float = 10) -> list[tuple[Any, ...]]:
    """The rows once there are n of them (the writer is a background thread)."""
    return _wait_until(db, lambda rows: len(rows) >= n, seconds)


def _wait_until(db: Path, done: Callable[[list[tuple[Any, ...]]], bool], seconds: float = 10) -> list[tuple[Any, ...]]:
    """The rows once `done` says so, or when `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while not done(rows := _rows(db)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return rows


def _ask(server: Server, body: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{server.url}/v1/ask", json=body, timeout=30)
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def _stats(server: Server) -> dict[str, Any]:
    r = server.get("/v1/review/stats", params={"days": 7}, headers=ADMIN)
    assert r.status_code == 200, r.text
    stats: dict[str, Any] = r.json()
    return stats


@pytest.fixture(scope="module")
def logged(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Logged]:
    """A server with a fresh feedback database and curated answers that was asked one answerable Chinese
    question (with two earlier turns), two wordings of a declined English one, a curated one, and an invalid
    question; one answer rated down."""
    tmp = tmp_path_factory.mktemp("question-log")
    db = tmp / "feedback.sqlite3"
    env = server_env(settings, admin_token=TOKEN, feedback_db=db, curated_db=tmp / "curated.sqlite3")
    with running(env, tmp / "server.log") as server:
        entry = {"questions": [CURATED], "answers": {"en": "Online, on the city's exam site."}, "approved_by": "Wang"}
        assert httpx.post(f"{server.url}/v1/curated", json=entry, headers=ADMIN, timeout=30).status_code == 201
        answers = [_ask(server, {"question": ANSWERED_ZH, "history": TURNS})]
        answers += [_ask(server, {"question": q}) for q in DECLINED_EN]
        answers.append(_ask(server, {"question": CURATED}))
        assert answers[-1]["origin"] == "curated"
        assert httpx.post(f"{server.url}/v1/ask", json={"question": "  "}, timeout=30).status_code in (400, 422)
        rated = {"question": DECLINED_EN[0], "answer": answers[1]["answer"], "citations": []}
        rated |= {"index_version": answers[1]["index_version"], "rating": "down", "answerable": False}
        assert httpx.post(f"{server.url}/v1/feedback", json=rated, timeout=30).status_code == 201
        yield Logged(server, db, answers)


def test_every_answered_ask_is_logged_declined_ones_too(logged: Logged) -> None:
    rows = _wait_for(logged.db, 4)
    version = logged.answers[0]["index_version"]
    assert [r[1:] for r in rows] == [
        (ANSWERED_ZH, 2, "zh", 1, "corpus", version),
        (DECLINED_EN[0], 0, "en", 0, "corpus", version),
        (DECLINED_EN[1], 0, "en", 0, "corpus", version),
        (CURATED, 0, "en", 1, "curated", version),
    ]
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=5) < datetime.fromisoformat(r[0]) <= now for r in rows)
    with closing(sqlite3.connect(logged.db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_dashboard_counts_questions_nobody_rated(logged: Logged) -> None:
    _wait_for(logged.db, 4)
    stats = _stats(logged.server)
    assert stats["question_log"] is True
    assert stats["total"] == {
        "questions": 4,
        "declined": 2,
        "rated": 1,
        "down": 1,
        "declined_share": 0.5,
        "down_share": 0.25,
        "down_share_rated": 1.0,
    }
    assert stats["languages"]["zh"] == {
        "questions": 1,
        "declined": 0,
        "rated": 0,
        "down": 0,
        "declined_share": 0.0,
        "down_share": 0.0,
        "down_share_rated": None,
    }
    today = stats["days"][-1]
    assert (today["questions"], today["zh"], today["en"], today["declined"], today["rated"]) == (4, 1, 3, 2, 1)
    # both wordings were declined, only one was rated: the topic counts both
    assert stats["unanswered"]["en"] == [
        {"question": DECLINED_EN[1], "count": 2, "examples": [DECLINED_EN[1], DECLINED_EN[0]]}
    ]
    assert stats["unanswered"]["zh"] == []


def test_turned_off_the_log_stores_nothing(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    env = server_env(settings, admin_token=TOKEN, feedback_db=db, log_questions="false")
    with running(env, tmp_path / "server.log") as server:
        _ask(server, {"question": ANSWERED_ZH})
        _ask(server, {"question": DECLINED_EN[0]})
        stats = _stats(server)
    # the server has stopped, so anything queued would have been written by now
    assert _rows(db) == []
    assert stats["question_log"] is False and stats["total"]["questions"] == 0


def test_rows_older_than_the_retention_are_deleted(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    now = datetime.now(UTC)
    with FeedbackStore(db).connection() as conn, conn:
        for days_ago in (40, 31, 29, 1):
            created = (now - timedelta(days=days_ago)).isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO questions (created_at, question, turns, lang, answerable, origin, index_version) "
                "VALUES (?, ?, 0, 'en', 1, 'corpus', 'v1')",
                (created, f"asked {days_ago} days ago"),
            )
    env = server_env(settings, feedback_db=db, question_log_days=30)
    with running(env, tmp_path / "server.log") as server:
        _ask(server, {"question": DECLINED_EN[0]})
        expected = ["asked 29 days ago", "asked 1 days ago", DECLINED_EN[0]]
        rows = _wait_until(db, lambda rows: [r[1] for r in rows] == expected)
    assert [r[1] for r in rows] == expected


def test_a_broken_log_database_does_not_break_an_ask(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    db.mkdir()  # a folder where the database file should be: SQLite cannot open it
    log = tmp_path / "server.log"
    with running(server_env(settings, feedback_db=db), log) as server:
        for question in (ANSWERED_ZH, DECLINED_EN[0], ANSWERED_ZH):
            assert _ask(server, {"question": question})["answer"]
        server.wait_until(lambda: "feedback database" in log.read_text(encoding="utf-8"), 10)
        assert server.get("/healthz").status_code == 200


def test_a_full_queue_drops_and_counts_and_closing_writes_what_is_queued(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    questions = QuestionLog(FeedbackStore(db), keep_days=90, size=10)
    request = b'{"question": "AI\\u8bad\\u7ec3\\u5e08", "history": [{"question": "q"}]}'
    response = b'{"lang": "zh", "answerable": true, "origin": "curated", "index_version": "v1"}'
    started = time.perf_counter()
    for _ in range(15):
        questions.record(request, response)  # the writer is not running: the queue fills up
    assert time.perf_counter() - started < 0.5 and questions.dropped == 5
    questions.start()
    questions.close()
    assert [r[1:] for r in _rows(db)] == [("AI训练师", 1, "zh", 1, "curated", "v1")] * 10


def test_a_streamed_answer_is_logged_once_it_has_gone_out(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    with running(server_env(settings, feedback_db=db), tmp_path / "server.log") as server:
        body = {"question": ANSWERED_ZH, "stream": True}
        with httpx.stream("POST", f"{server.url}/v1/ask", json=body, timeout=30) as r:
            assert r.status_code == 200 and "event: answer" in r.read().decode()
        rows = _wait_for(db, 1)
    assert [r[1:5] for r in rows] == [(ANSWERED_ZH, 0, "zh", 1)]
