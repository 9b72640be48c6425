"""A generated answer, verified sentence by sentence, or the extractive answer it started from.

The model sees the passages the extractive reader cited (numbered as its citations) and the
reader's short answer as a hint. Its sentences are checked (answer.generation.verify); what
fails is dropped. The extractive answer is served instead when the reader found no answer, when
the model refuses, when nothing verified remains, and when the backend is slow, down, rate-limited
or sends garbage; a circuit breaker stops calling a backend that keeps failing.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from queue import Empty, Queue
from typing import Literal

import pybreaker

from answer.engine import Answer
from answer.generation.client import ChatClient, GeneratorError
from answer.generation.config import GeneratorConfig
from answer.generation.prompt import PROMPT_VERSION, Hint, build_prompt, refused
from answer.generation.verify import Source, Verification, facts, verify
from index.deadline import time_left

log = logging.getLogger("trainer_qa")

MARGIN_SECONDS = 0.5  # kept from the request's time for verifying and sending the answer
MIN_SECONDS = 0.5  # less time than this left: no use asking


@dataclass(frozen=True)
class Generated:
    """The answer to serve, where it came from, and what verification kept and dropped."""

    answer: Answer
    origin: Literal["generated", "extractive"]
    verification: Verification
    fallback: str | None = None  # why the extractive answer is served
    prompt_version: str = PROMPT_VERSION


class Generator:
    """Asks one OpenAI-compatible backend, behind a circuit breaker."""

    def __init__(self, config: GeneratorConfig) -> None:
        self.timeout = config.generator_timeout
        self.client = ChatClient(
            config.generator_url,
            config.generator_model,
            config.generator_api_key,
            config.generator_max_tokens,
            config.generator_temperature,
        )
        # Only the backend's failures count: a client that goes away mid-stream is no fault of it.
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=config.generator_breaker_failures,
            reset_timeout=config.generator_breaker_seconds,
            exclude=[lambda exc: not isinstance(exc, GeneratorError)],
            throw_new_error_on_trip=False,
        )

    def answer(self, question: str, extractive: Answer) -> Generated:
        """The verified generated answer, or the extractive one with the reason."""
        for item in self.stream(question, extractive):
            if isinstance(item, Generated):
                return item
        raise AssertionError("stream() ends with a Generated")

    def stream(self, question: str, extractive: Answer) -> Iterator[str | Generated]:
        """The model's text as it comes (unverified), then the Generated answer to serve."""
        started = time.perf_counter()
        budget = self._budget()
        if not extractive.answerable:
            yield _fallback(extractive, "the reader found no answer to verify one against", started)
            return
        if budget < MIN_SECONDS:
            yield _fallback(extractive, "no time left in the request for the model", started)
            return
        passages = [c.chunk.text for c in extractive.citations]
        short = extractive.short_answer
        prompt = build_prompt(question, extractive.lang, passages, Hint(short.text, short.n) if short else None)
        pieces: list[str] = []
        try:
            for piece in self.breaker.call(_bounded, self.client.stream(prompt, budget), budget):
                pieces.append(piece)
                yield piece
        except (GeneratorError, pybreaker.CircuitBreakerError) as exc:
            reason = f"the model failed: {exc}" if isinstance(exc, GeneratorError) else "the model is failing: paused"
            log.warning("generator: answering extractively, %s", reason)
            yield _fallback(extractive, reason, started)
            return
        yield _checked(question, extractive, "".join(pieces), passages, started)

    def _budget(self) -> float:
        left = time_left()
        return self.timeout if left is None else min(self.timeout, left - MARGIN_SECONDS)

    def close(self) -> None:
        """Close the backend connections."""
        self.client.close()


def make_generator(config: GeneratorConfig) -> Generator | None:
    """The configured generator; None for the extractive reader alone."""
    return Generator(config) if config.generator == "openai" else None


def _checked(question: str, extractive: Answer, text: str, passages: list[str], started: float) -> Generated:
    """The verified answer, or the extractive one when the model refused or nothing verified."""
    if refused(text):
        log.info("generator: the model refused where the reader answered; answering extractively")
        return _fallback(extractive, "the model said the passages do not answer", started)
    checked = verify(text, passages, question)
    if not checked.kept:
        log.info("generator: no sentence of %d verified; answering extractively", len(checked.dropped))
        return _fallback(extractive, "no generated sentence verified", started, checked)
    notes = [c.note for c in extractive.conflicts if c.note and not _says(checked.text(extractive.lang), c.values)]
    body = checked.text(extractive.lang)
    text = " ".join([body, *notes]) if extractive.lang == "en" else "".join([body, *notes])
    timings = {**extractive.timings_ms, "generate": _ms(started)}
    return Generated(replace(extractive, text=text, timings_ms=timings), "generated", checked)


def _says(text: str, values: list[tuple[str, list[int]]]) -> bool:
    """Whether the text gives every one of the disagreeing values (by figure or name, else as written)."""
    said = Source(text)
    for value, _ in values:
        wanted = facts(value)
        found = all(f in said.facts or (f[0] == "name" and said.has_name(f[1])) for f in wanted)
        if not (found if wanted else value in text):
            return False
    return True


def _fallback(extractive: Answer, reason: str, started: float, checked: Verification | None = None) -> Generated:
    timings = {**extractive.timings_ms, "generate": _ms(started)}
    verification = Verification([], checked.dropped if checked else [])
    return Generated(replace(extractive, timings_ms=timings), "extractive", verification, reason)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _bounded(pieces: Iterator[str], seconds: float) -> Iterator[str]:
    """The pieces, read in a thread of their own, as long as all of them come within `seconds`:
    httpx's timeouts bound each read, not the whole answer, and a server may trickle."""
    queue: Queue[str | BaseException | None] = Queue()
    stop = threading.Event()

    def pump() -> None:
        try:
            with closing(pieces):  # type: ignore[type-var]
                for piece in pieces:
                    if stop.is_set():
                        return
                    queue.put(piece)
            queue.put(None)
        except BaseException as exc:  # handed over to the reading side
            queue.put(exc)

    threading.Thread(target=pump, name="generator-stream", daemon=True).start()
    end = time.monotonic() + seconds
    try:
        while True:
            try:
                item = queue.get(timeout=max(0.0, end - time.monotonic()))
            except Empty:
                raise GeneratorError(f"no complete answer within {seconds:.1f} s") from None
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
