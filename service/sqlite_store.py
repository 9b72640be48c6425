"""The shape every SQLite store of the service shares: one file in WAL mode, made with its tables
on first use, and a connection of its own per call, so threads never share one."""

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import ClassVar

from service.errors import ProblemError

log = logging.getLogger("trainer_qa")


class SQLiteStore:
    """A store's file; subclasses name what they hold (`what`), the 503 they raise (`error`) and
    make their tables (`_create`)."""

    what: ClassVar[str]
    error: ClassVar[type[ProblemError]]

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    def journal_mode(self) -> str:
        """The database's journal mode ("wal" once opened)."""
        with self.connection() as conn:
            return str(conn.execute("PRAGMA journal_mode").fetchone()[0])

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own (closed after); storage errors become the store's `error`."""
        conn = self._open()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        finally:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        """A new connection; before the first, make the folder, the WAL journal and the tables."""
        try:
            with self._lock:
                if not self._ready:
                    self._prepare()
            return sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise self._error(exc) from exc

    def _prepare(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # persistent: kept in the file
            self._create(conn)
            conn.commit()
        self._ready = True

    def _create(self, conn: sqlite3.Connection) -> None:
        """Make the store's tables (and bring an older file's up to date)."""
        raise NotImplementedError

    def _error(self, exc: Exception) -> ProblemError:
        # The path and the OS's words are for the operator, not for the client.
        log.error("%s database %s: %s", self.what, self.path, exc)
        return self.error(f"{self.what} cannot be stored or read now; see the server log")
