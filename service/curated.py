"""Curated answers kept in SQLite (WAL mode), each change a version, and served from /v1/ask.

An entry is questions (the first the main one, the rest paraphrases, either language), an
approved answer per language, citations to corpus spans, who approved it and when. Every
create, update, re-approval, stale flag and deletion writes a version row (who, when, what the
entry became), so the history shows how an answer came to be. A `generation` counter, bumped
in the same transaction as each change, tells every worker process when to rebuild its matching
index; the index is also rebuilt when the served corpus index changes, after flagging entries
whose cited text changed or disappeared as stale: a stale entry is not served until re-approved.
"""

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from answer.curated import (
    CitedSpan,
    CuratedIndex,
    Match,
    Thresholds,
    citation_problem,
    cited,
    stale_reason,
    topic_words,
)
from answer.engine import QAEngine
from index.language import detect_lang
from index.store import StoredIndex
from index.types import Lang
from service.errors import NotFoundError, ProblemError
from service.sqlite_store import SQLiteStore

log = logging.getLogger("trainer_qa")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS curated (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS curated_versions (
    entry_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
);
CREATE TABLE IF NOT EXISTS curated_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO curated_meta VALUES ('generation', 0);
"""
SYSTEM = "system"  # who flags an entry stale


class CuratedStorageError(ProblemError):
    """The curated answers' database cannot be opened, read or written."""

    status = 503
    title = "Curated answers unavailable"


class CitationError(ProblemError):
    """A citation that does not point at a passage's text in the served index."""

    status = 422
    title = "Invalid citation"


def now() -> str:
    """The time of a change, ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class CuratedStore(SQLiteStore):
    """The curated answers and their versions, in one SQLite file.

    Entries are JSON objects in the shape of the API's CuratedEntry (id included)."""

    what = "curated answers"
    error = CuratedStorageError

    def create(self, fields: dict[str, Any], by: str) -> dict[str, Any]:
        """Store a new entry (questions, answers, citations with text, approved_by, feedback_id) as version 1."""
        with self.connection() as conn, conn:
            entry_id = int(conn.execute("INSERT INTO curated (entry) VALUES ('{}')").lastrowid or 0)
            entry = {"id": entry_id, **fields, "approved_at": now(), "version": 0, "stale": False, "stale_reason": None}
            return self._write(conn, entry, "create", by)

    def get(self, entry_id: int) -> dict[str, Any]:
        """The entry, or NotFoundError."""
        with self.connection() as conn:
            return self._get(conn, entry_id)

    def entries(self, stale: bool | None = None) -> list[dict[str, Any]]:
        """Every entry, oldest first; only the stale (or only the servable) ones when asked."""
        with self.connection() as conn:
            rows = [json.loads(r[0]) for r in conn.execute("SELECT entry FROM curated ORDER BY id")]
        return [e for e in rows if stale is None or e["stale"] == stale]

    def update(self, entry_id: int, fields: dict[str, Any], by: str) -> dict[str, Any]:
        """Replace an entry's content; approved again by `by`, now, so no longer stale."""
        with self.connection() as conn, conn:
            old = self._get(conn, entry_id)
            entry = {**old, **fields, "approved_at": now(), "stale": False, "stale_reason": None}
            return self._write(conn, entry, "update", by)

    def approve(self, entry_id: int, citations: list[dict[str, Any]], by: str) -> dict[str, Any]:
        """Approve an entry again (after its cited text changed): its citations as they read now."""
        with self.connection() as conn, conn:
            old = self._get(conn, entry_id)
            entry = {
                **old,
                "citations": citations,
                "approved_by": by,
                "approved_at": now(),
                "stale": False,
                "stale_reason": None,
            }
            return self._write(conn, entry, "approve", by)

    def flag_stale(self, entry_id: int, reason: str) -> bool:
        """Mark a servable entry stale; False when it was gone or stale already (another worker did it)."""
        with self.connection() as conn, conn:
            row = conn.execute("SELECT entry FROM curated WHERE id = ?", (entry_id,)).fetchone()
            if row is None or json.loads(row[0])["stale"]:
                return False
            entry = {**json.loads(row[0]), "stale": True, "stale_reason": reason}
            self._write(conn, entry, "stale", SYSTEM)
            return True

    def delete(self, entry_id: int, by: str) -> None:
        """Remove an entry; its history stays, ending with the deletion."""
        with self.connection() as conn, conn:
            entry = self._get(conn, entry_id)
            self._write(conn, entry, "delete", by)
            conn.execute("DELETE FROM curated WHERE id = ?", (entry_id,))

    def history(self, entry_id: int) -> list[dict[str, Any]]:
        """Every version of an entry, newest first (a deleted entry's too); NotFoundError if it never was."""
        with self.connection() as conn:
            rows = conn.execute(
                "SELECT version, action, changed_by, changed_at, entry FROM curated_versions "
                "WHERE entry_id = ? ORDER BY version DESC",
                (entry_id,),
            ).fetchall()
        if not rows:
            raise NotFoundError(f"no curated answer {entry_id}")
        names = ("version", "action", "changed_by", "changed_at")
        return [{**dict(zip(names, r[:4], strict=True)), "entry": json.loads(r[4])} for r in rows]

    def generation(self) -> int:
        """A number that changes with every change to the entries (in any process)."""
        with self.connection() as conn:
            return int(conn.execute("SELECT value FROM curated_meta WHERE name = 'generation'").fetchone()[0])

    def _get(self, conn: sqlite3.Connection, entry_id: int) -> dict[str, Any]:
        row = conn.execute("SELECT entry FROM curated WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no curated answer {entry_id}")
        entry: dict[str, Any] = json.loads(row[0])
        return entry

    def _write(self, conn: sqlite3.Connection, entry: dict[str, Any], action: str, by: str) -> dict[str, Any]:
        """Save the entry as its next version, with the version row and a new generation (one transaction)."""
        entry = {**entry, "version": entry["version"] + 1}
        text = json.dumps(entry, ensure_ascii=False)
        conn.execute("UPDATE curated SET entry = ? WHERE id = ?", (text, entry["id"]))
        conn.execute(
            "INSERT INTO curated_versions VALUES (?, ?, ?, ?, ?, ?)",
            (entry["id"], entry["version"], action, by, now(), text),
        )
        conn.execute("UPDATE curated_meta SET value = value + 1 WHERE name = 'generation'")
        return entry

    def _create(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)


def checked_citations(index: StoredIndex, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Citations (doc_id, start, end) with their text from the index; CitationError if one does not stand."""
    out = []
    for i, c in enumerate(citations):
        problem = citation_problem(index, c["doc_id"], c["start"], c["end"])
        if problem:
            raise CitationError(f"citations.{i}: {problem}")
        out.append({**c, "text": index.documents[c["doc_id"]].text[c["start"] : c["end"]]})
    return out


@dataclass(frozen=True)
class Served:
    """A curated entry answering a question: the text in the asker's language (or the other one's)."""

    entry: dict[str, Any]
    text: str
    lang: Lang
    citations: list[CitedSpan]
    score: float
    timings_ms: dict[str, float]


@dataclass(frozen=True)
class _Snapshot:
    """The matching index of one generation of the store over one index version."""

    generation: int
    index_version: str
    matcher: CuratedIndex
    entries: dict[int, dict[str, Any]]
    citations: dict[int, list[CitedSpan]]


class CuratedAnswers:
    """The store, and the matching index rebuilt whenever the entries or the served index change."""

    def __init__(self, store: CuratedStore, thresholds: Thresholds) -> None:
        self.store = store
        self.thresholds = thresholds
        self._snapshot: _Snapshot | None = None
        self._vectors: dict[str, NDArray[np.float32]] = {}  # question text -> embedding, across rebuilds
        self._topic_words: tuple[str, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def answer(self, engine: QAEngine, question: str, lang: Lang | None) -> Served | None:
        """The curated answer this question asks for, or None (also when the store cannot be read: the
        corpus still answers, and the error is in the log)."""
        start = time.perf_counter()
        try:
            snapshot = self.refresh(engine)
        except CuratedStorageError:
            return None
        if not snapshot.entries:
            return None
        match = snapshot.matcher.match(question, self.thresholds)
        if match is None:
            return None
        ms = round((time.perf_counter() - start) * 1000, 3)
        return self._served(snapshot, match, lang or detect_lang(question), {"curated": ms, "total": ms})

    def refresh(self, engine: QAEngine) -> _Snapshot:
        """The current matching index: rebuilt after a change to the entries or to the served index, once
        entries whose citations no longer stand in it are flagged stale."""
        generation, version = self.store.generation(), engine.index.version_id
        with self._lock:
            s = self._snapshot
            if s is None or s.generation != generation or s.index_version != version:
                self._snapshot = s = self._build(engine, generation)
            return s

    def _build(self, engine: QAEngine, generation: int) -> _Snapshot:
        """Flag the entries whose citations no longer stand as stale; index the others."""
        entries: dict[int, dict[str, Any]] = {}
        for entry in self.store.entries(stale=False):
            spans = [(c["doc_id"], c["start"], c["end"], c["text"]) for c in entry["citations"]]
            reason = stale_reason(engine.index, spans)
            if reason is None:
                entries[entry["id"]] = entry
            elif self.store.flag_stale(entry["id"], reason):
                # The flag is a change: the next call rebuilds once more, from the entries as they are then.
                log.warning("curated answer %s is stale, not served until approved again: %s", entry["id"], reason)
        questions = [(i, q) for i, e in entries.items() for q in e["questions"]]
        matcher = CuratedIndex.build(
            questions, engine.retriever, self._topic(engine) if entries else frozenset(), self._vectors
        )
        citations = {
            i: [cited(engine.index, c["doc_id"], c["start"], c["end"]) for c in e["citations"]]
            for i, e in entries.items()
        }
        return _Snapshot(generation, engine.index.version_id, matcher, entries, citations)

    def _topic(self, engine: QAEngine) -> frozenset[str]:
        """The served index's topic words, worked out once per index version."""
        version = engine.index.version_id
        if self._topic_words is None or self._topic_words[0] != version:
            self._topic_words = (version, topic_words(engine.index, engine.terms))
        return self._topic_words[1]

    def _served(self, snapshot: _Snapshot, match: Match, lang: Lang, timings_ms: dict[str, float]) -> Served:
        entry = snapshot.entries[match.entry_id]
        other: Lang = "en" if lang == "zh" else "zh"
        text = entry["answers"].get(lang) or entry["answers"][other]
        return Served(entry, text, lang, snapshot.citations[match.entry_id], match.score, timings_ms)
