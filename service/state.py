"""Holds the served engine and keeps it in step with the corpus.

The engine loads in a background thread, so /healthz answers at once and /readyz says when
the index is in. At start the published index is verified (sizes, counts and SHA-256) and
served at once even when the corpus has changed since it was built; only when there is no
usable index (none, damaged, or of another embedder or chunking) is one built first. After
that, a maintainer thread rebuilds whenever the corpus changes (through the API, the CLI, or
another worker), reusing the vectors of unchanged texts, and swaps the new engine in with one
assignment: a request holds the engine it started with, so queries keep being answered from
the last good index throughout.

`state` and `reason` are what clients may see (short, no paths); `error` is the full detail
of a failed start, which goes to the log.
"""

import logging
import threading
from typing import Literal

from answer.engine import QAEngine
from index.build import wanted_params
from index.config import is_current, open_index
from index.documents import DocumentStore
from index.errors import IndexDamagedError, IndexMismatchError, IndexMissingError, QAIndexError
from index.store import current_version
from index.types import Embedder
from service.settings import Settings

log = logging.getLogger("trainer_qa")

State = Literal["loading", "rebuilding", "ready", "failed"]

# Why there is no index to serve, in words for clients.
_WHY: list[tuple[type[QAIndexError], str]] = [
    (IndexDamagedError, "the index on disk is damaged"),
    (IndexMissingError, "no index has been built"),
    (IndexMismatchError, "the index does not match the corpus or configuration"),
]


class EngineSlot:
    """The engine being served, and the thread that keeps it current."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: QAEngine | None = None
        self.error: str | None = None
        self.last_sync_error: str | None = None
        self.ready = threading.Event()
        self._status: tuple[State, str] = ("loading", "loading: the index is being loaded; retry in a few seconds")
        self._wake = threading.Event()
        self._stop = threading.Event()

    @property
    def state(self) -> State:
        """loading, rebuilding (no index to serve yet), ready or failed."""
        return self._status[0]

    @property
    def reason(self) -> str:
        """A short public sentence about the state, without paths or internals."""
        return self._status[1]

    def start(self) -> threading.Thread:
        """Load the engine, then keep it current, in a daemon thread."""
        thread = threading.Thread(target=self._run, name="index-maintainer", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Let the maintainer thread end."""
        self._stop.set()
        self._wake.set()

    def request_sync(self) -> None:
        """Ask for a rebuild now (the corpus changed)."""
        self._wake.set()

    def pending(self) -> bool:
        """Whether the corpus has changes that the served index does not hold yet."""
        engine = self.engine
        if engine is None:
            return True
        s = self.settings
        embedder = engine.retriever.embedder
        return wanted_params(s.corpus_dir, embedder, s.max_chars, s.overlap) != engine.index.params

    def _run(self) -> None:
        self._load()
        while self.engine is not None and not self._stop.is_set():
            self.sync()  # at once: the index served at start may be stale
            self._wake.wait(timeout=self.settings.sync_seconds)
            self._wake.clear()

    def _load(self) -> None:
        """Serve the published index if it verifies (stale or not); build first only without one."""
        try:
            removed = DocumentStore(self.settings.corpus_dir).recover()
            if removed:
                log.warning("removed the leftovers of an interrupted change: %s", removed)
            self.engine = self._open(self.settings.make_embedder())
            self._status = ("ready", f"serving index {self.engine.index.version_id}")
            log.info("serving index %s", self.engine.index.version_id)
        except Exception as exc:  # any failure must reach /readyz, never leave it "loading"
            self._fail(exc)
        finally:
            self.ready.set()

    def _open(self, embedder: Embedder) -> QAEngine:
        s = self.settings
        stale_ok = s.rebuild == "auto"  # `never` refuses a stale index rather than serve it for good
        index = open_index(s, embedder, stale_ok=stale_ok, progress=False, on_build=self._building)
        return QAEngine.open(s, embedder, index)

    def _building(self, problem: QAIndexError) -> None:
        self._status = ("rebuilding", f"rebuilding: {_why(problem) or 'the index'}; retry in a minute")
        log.warning("building the index before serving: %s", problem)

    def _fail(self, exc: Exception) -> None:
        was_building = self.state == "rebuilding"
        self.error = str(exc) if isinstance(exc, QAIndexError) else f"{type(exc).__name__}: {exc}"
        why = _why(exc)
        if was_building:
            reason = "failed: the index could not be rebuilt; see the server log"
        elif why and self.settings.rebuild == "never":
            reason = f"failed: {why} and rebuild is off; build it with `python -m index build`"
        else:
            reason = "failed: the index could not be loaded; see the server log"
        self._status = ("failed", reason)
        log.error("index not loaded: %s", self.error, exc_info=not isinstance(exc, QAIndexError))

    def sync(self) -> None:
        """Rebuild if the corpus changed, load the newest published version, swap it in."""
        engine = self.engine
        if engine is None or self.settings.rebuild == "never":
            return
        s = self.settings
        embedder = engine.retriever.embedder
        try:
            if current_version(s.index_dir) == engine.index.version_id and is_current(s, embedder):
                self.last_sync_error = None
                return
            # Hashes were checked at start; a version built since is checked by size and counts.
            index = open_index(s, embedder, check_hashes=False, progress=False, previous=engine.index)
            if index.version_id != engine.index.version_id:
                self.engine = QAEngine.open(s, embedder, index)
                self._status = ("ready", f"serving index {index.version_id}")
                log.info("serving index %s", index.version_id)
            self.last_sync_error = None
        except Exception as exc:  # the maintainer must outlive any failure; the last good index stays
            self.last_sync_error = str(exc)
            log.error(
                "index not rebuilt, still serving %s: %s",
                engine.index.version_id,
                exc,
                exc_info=not isinstance(exc, QAIndexError),
            )


def _why(exc: Exception) -> str | None:
    return next((why for kind, why in _WHY if isinstance(exc, kind)), None)
