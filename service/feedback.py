"""Answer feedback kept durably in SQLite (WAL mode): add a rating, export every row."""

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from service.errors import ProblemError
from service.sqlite_store import SQLiteStore

log = logging.getLogger("trainer_qa")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    index_version TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    history TEXT NOT NULL DEFAULT '[]',
    opened_related TEXT NOT NULL DEFAULT '[]',
    answerable INTEGER,
    origin TEXT
)
"""
# A reviewer's verdicts on a feedback row (service/review.py); deleting one undoes it.
_VERDICTS = """
CREATE TABLE IF NOT EXISTS verdicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id INTEGER NOT NULL REFERENCES feedback (id),
    kind TEXT NOT NULL CHECK (kind IN ('declining_right', 'curated', 'gold')),
    ref TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (feedback_id, kind)
)
"""
# Every answered /v1/ask (service/question_log.py), kept TRAINERQA_QUESTION_LOG_DAYS days.
_QUESTIONS = (
    """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    turns INTEGER NOT NULL,
    lang TEXT NOT NULL,
    answerable INTEGER NOT NULL,
    origin TEXT NOT NULL,
    index_version TEXT NOT NULL
)
""",
    "CREATE INDEX IF NOT EXISTS questions_created_at ON questions (created_at)",
)
# Columns added after the first release, with their definitions: an older database gets them on open.
# `answerable` is NULL in rows stored before it was sent: such a row was declined when it has no citations.
_ADDED = {
    "history": "TEXT NOT NULL DEFAULT '[]'",
    "opened_related": "TEXT NOT NULL DEFAULT '[]'",
    "answerable": "INTEGER",
    "origin": "TEXT",
}
_JSON_COLUMNS = ("citations", "history", "opened_related")
# Line breaks that JSON leaves raw but many line readers split on (str.splitlines, JavaScript).
_RAW_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
COLUMNS = (
    "id",
    "created_at",
    "question",
    "answer",
    "citations",
    "index_version",
    "rating",
    "comment",
    "history",
    "opened_related",
    "answerable",
    "origin",
)


class FeedbackStorageError(ProblemError):
    """The feedback database cannot be opened, read or written."""

    status = 503
    title = "Feedback storage unavailable"


class FeedbackStore(SQLiteStore):
    """The ratings, their review verdicts and the question log, in one SQLite file."""

    what = "feedback"
    error = FeedbackStorageError

    def add(self, row: dict[str, Any]) -> int:
        """Store one feedback row (citations, history and opened related passages as given) and return its id."""
        values = {
            **row,
            **{c: json.dumps(row.get(c, []), ensure_ascii=False) for c in _JSON_COLUMNS},
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        names = COLUMNS[1:]
        sql = f"INSERT INTO feedback ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        with self.connection() as conn, conn:
            cursor = conn.execute(sql, [values.get(n) for n in names])
        return int(cursor.lastrowid or 0)

    def export_lines(self) -> Iterator[str]:
        """Every row, oldest first, one JSON object a line; opening fails here, not mid-stream."""
        conn = self._open()
        try:
            cursor = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc) from exc
        return _lines(conn, cursor)

    def _create(self, conn: sqlite3.Connection) -> None:
        conn.execute(_SCHEMA)
        conn.execute(_VERDICTS)
        for statement in _QUESTIONS:
            conn.execute(statement)
        present = {r[1] for r in conn.execute("PRAGMA table_info(feedback)")}
        for name, definition in _ADDED.items():
            if name not in present:
                conn.execute(f"ALTER TABLE feedback ADD COLUMN {name} {definition}")


def decoded(values: Sequence[Any]) -> dict[str, Any]:
    """A row of the table (COLUMNS, in order) as exported: JSON columns parsed, `answerable` a bool or None."""
    row = dict(zip(COLUMNS, values, strict=True))
    row.update({c: json.loads(row[c]) for c in _JSON_COLUMNS})
    row["answerable"] = None if row["answerable"] is None else bool(row["answerable"])
    return row


def _lines(conn: sqlite3.Connection, cursor: sqlite3.Cursor) -> Iterator[str]:
    """Read the cursor in batches and close the connection when done or abandoned."""
    try:
        while batch := cursor.fetchmany(500):
            for values in batch:
                row = decoded(values)
                yield json.dumps(row, ensure_ascii=False).translate(_RAW_BREAKS) + "\n"
    finally:
        conn.close()
