"""The log of asked questions: each /v1/ask answer becomes a row of the feedback database's `questions`
table (service/feedback.py), so that the review dashboard counts every question, rated or not.

The answer never waits for the disk: a request only puts its raw body and its answer's JSON on a bounded
queue (when the queue is full the row is dropped and counted, never waited for); one thread parses them
and inserts them in batches, deletes rows older than the retention at start and daily, and writes what is
left when the app stops. A failing database is logged and costs the rows, never an answer.
"""

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from service.feedback import FeedbackStorageError, FeedbackStore

log = logging.getLogger("trainer_qa")

QUEUE_SIZE = 10_000
BATCH = 500
LINGER_SECONDS = 0.5  # how long the writer gathers a batch
DAY_SECONDS = 24 * 3600
COLUMNS = ("created_at", "question", "turns", "lang", "answerable", "origin", "index_version")
_INSERT = f"INSERT INTO questions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


@dataclass(frozen=True)
class Asked:
    """One answered ask as the request and the response carried it (parsed by the writer, not the request)."""

    created_at: str
    request: bytes
    response: bytes

    def values(self) -> tuple[object, ...]:
        """The row's values, in COLUMNS order."""
        asked, answered = json.loads(self.request), json.loads(self.response)
        return (
            self.created_at,
            asked["question"],
            len(asked.get("history") or []),
            answered["lang"],
            int(answered["answerable"]),
            answered.get("origin", "corpus"),
            answered["index_version"],
        )


class QuestionLog:
    """The queue and its writer thread over one feedback database; `record` is a no-op when not enabled."""

    def __init__(self, store: FeedbackStore, keep_days: int, enabled: bool = True, size: int = QUEUE_SIZE) -> None:
        self.store = store
        self.keep_days = keep_days
        self.enabled = enabled
        self.dropped = 0  # rows lost to a full queue or a failing database
        self._queue: queue.Queue[Asked | None] = queue.Queue(size)
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)

    def start(self) -> None:
        """Start the writer (it deletes expired rows first)."""
        self._thread.start()

    def record(self, request: bytes, response: bytes) -> None:
        """Queue an answered ask, or drop it when the queue is full; never blocks."""
        if not self.enabled:
            return
        try:
            self._queue.put_nowait(Asked(datetime.now(UTC).isoformat(timespec="seconds"), request, response))
        except queue.Full:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.warning("question log queue full: %d question(s) not logged so far", self.dropped)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the writer (waits at most about `timeout` seconds)."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            log.warning("question log: the writer did not keep up; %d queued questions lost", self._queue.qsize())
            return
        self._thread.join(timeout)

    def purge(self) -> int:
        """Delete the rows older than the retention; how many went."""
        cutoff = (datetime.now(UTC) - timedelta(days=self.keep_days)).isoformat(timespec="seconds")
        with self.store.connection() as conn, conn:
            return conn.execute("DELETE FROM questions WHERE created_at < ?", (cutoff,)).rowcount

    def _run(self) -> None:
        next_purge = 0.0
        while True:
            if time.monotonic() >= next_purge:
                self._safely(self.purge)
                next_purge = time.monotonic() + DAY_SECONDS
            try:
                first = self._queue.get(timeout=max(0.0, next_purge - time.monotonic()))
            except queue.Empty:
                continue
            batch = [first, *self._drain()]
            rows = [a for a in batch if a is not None]
            if rows and not self._safely(partial(self._write, rows)):
                self.dropped += len(rows)
            if None in batch:
                return

    def _drain(self) -> list[Asked | None]:
        """What else comes within LINGER_SECONDS, up to a batch: one transaction for many rows."""
        more: list[Asked | None] = []
        deadline = time.monotonic() + LINGER_SECONDS
        while len(more) < BATCH - 1 and None not in more:
            try:
                more.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return more

    def _write(self, rows: list[Asked]) -> None:
        with self.store.connection() as conn, conn:
            # WAL without a sync per commit: a power cut may cost the last rows, never the file
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executemany(_INSERT, [a.values() for a in rows])

    def _safely(self, work: Callable[[], object]) -> bool:
        """Run a database step; a failure is logged and the thread lives on. Whether it worked."""
        try:
            work()
        except FeedbackStorageError:
            return False  # FeedbackStore logged the cause
        except Exception:  # a malformed row must not end the writer
            log.exception("question log: rows not written")
            return False
        return True
