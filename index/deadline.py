"""The time left to the request that work is done for, so that no one embeds for a lost cause.

The service sets a Deadline for each timed request in a context variable; threads started for
the request (FastAPI's worker threads copy the context) see it. The embedder checks it while
it waits for its lock and once it holds it: a request that timed out, or whose client went
away, while queued behind other embeddings leaves the queue instead of embedding for no one.
Work outside a request (index builds) has no deadline and waits as long as it takes.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from index.errors import DeadlineExceededError


class Deadline:
    """A point in time (monotonic clock), and whether the work was called off before it."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.cancelled = False

    def cancel(self) -> None:
        """Call the work off now (its client has gone, or has had its time-out answer)."""
        self.cancelled = True

    def remaining(self) -> float:
        """Seconds left; 0.0 once passed or called off."""
        return 0.0 if self.cancelled else max(0.0, self.at - time.monotonic())


_GONE = "the request timed out or its client went away before its turn to embed"
_current: ContextVar[Deadline | None] = ContextVar("deadline", default=None)


def set_deadline(deadline: Deadline) -> None:
    """Make `deadline` apply to the work of the current context (a request's task)."""
    _current.set(deadline)


@contextmanager
def holding(lock: threading.Lock) -> Iterator[None]:
    """Hold `lock`, waiting no longer than the current deadline; DeadlineExceededError once it is gone."""
    deadline = _current.get()
    if deadline is None:
        with lock:
            yield
        return
    if not lock.acquire(timeout=deadline.remaining()):
        raise DeadlineExceededError(_GONE)
    try:
        if deadline.remaining() == 0.0:  # called off while we waited
            raise DeadlineExceededError(_GONE)
        yield
    finally:
        lock.release()


def time_left() -> float | None:
    """Seconds left to the current request's deadline (0.0 once called off); None outside a request."""
    deadline = _current.get()
    return None if deadline is None else deadline.remaining()
