"""Holds the served engine and keeps it in step with the corpus.

The engine loads (or builds) in a background thread, so /healthz answers at once and /readyz
says when the index is in. After that, a maintainer thread rebuilds whenever the corpus
changes (through the API, the CLI, or another worker), reusing the vectors of unchanged
texts, and swaps the new engine in with one assignment: a request holds the engine it
started with, so queries keep being answered from the last good index throughout.
"""

import logging
import threading

from answer.engine import QAEngine
from index.build import wanted_params
from index.config import ensure_current
from index.documents import DocumentStore
from index.errors import QAIndexError
from index.store import current_version
from service.settings import Settings

log = logging.getLogger("trainer_qa")


class EngineSlot:
    """The engine being served, and the thread that keeps it current."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: QAEngine | None = None
        self.error: str | None = None
        self.last_sync_error: str | None = None
        self.ready = threading.Event()
        self._wake = threading.Event()
        self._stop = threading.Event()

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
            self._wake.wait(timeout=self.settings.sync_seconds)
            self._wake.clear()
            if not self._stop.is_set():
                self.sync()

    def _load(self) -> None:
        try:
            removed = DocumentStore(self.settings.corpus_dir).recover()
            if removed:
                log.warning("removed the leftovers of an interrupted change: %s", removed)
            self.engine = QAEngine.open(self.settings)
        except (QAIndexError, OSError, ValueError) as exc:
            self.error = str(exc)
            log.error("index not loaded: %s", exc)
        finally:
            self.ready.set()

    def sync(self) -> None:
        """Rebuild if the corpus changed, load the newest published version, swap it in."""
        engine = self.engine
        if engine is None or self.settings.rebuild == "never":
            return
        s = self.settings
        try:
            embedder = engine.retriever.embedder
            ensure_current(s, embedder, progress=False, previous=engine.index)
            if current_version(s.index_dir) != engine.index.version_id:
                self.engine = QAEngine.open(s, embedder)
                log.info("serving index %s", self.engine.index.version_id)
            self.last_sync_error = None
        except (QAIndexError, OSError, ValueError) as exc:
            self.last_sync_error = str(exc)
            log.error("index not rebuilt, still serving %s: %s", engine.index.version_id, exc)
