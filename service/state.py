"""Holds the engine once it is loaded; the service answers /healthz before that."""

import logging
import threading

from index.errors import QAIndexError
from service.engine import QAEngine
from service.settings import Settings

log = logging.getLogger("trainer_qa")


class EngineSlot:
    """Loads (or builds) the engine in a background thread and hands it out when ready."""

    def __init__(self) -> None:
        self.engine: QAEngine | None = None
        self.error: str | None = None
        self.ready = threading.Event()

    def load(self, settings: Settings) -> None:
        """Open the engine; a failure is recorded and reported by /readyz, not raised."""
        try:
            self.engine = QAEngine.open(settings)
        except (QAIndexError, OSError, ValueError) as exc:
            self.error = str(exc)
            log.error("index not loaded: %s", exc)
        finally:
            self.ready.set()

    def start(self, settings: Settings) -> threading.Thread:
        """Begin loading in a daemon thread."""
        thread = threading.Thread(target=self.load, args=(settings,), name="engine-load", daemon=True)
        thread.start()
        return thread
