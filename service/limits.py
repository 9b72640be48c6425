"""Limits that keep the service up under load and attack, as pure ASGI middlewares.

They run before a body is parsed: the body size (413), the rate of the expensive routes per
client (429 with Retry-After) and the time a request may take (504). Each answers problem+json.
"""

import asyncio
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.deadline import Deadline, set_deadline
from service.errors import ProblemError, problem
from service.settings import Settings

log = logging.getLogger("trainer_qa")

UPLOAD_PREFIX = "/v1/documents"
# Each embeds a query (search as much as an ask: a 2000-char query takes 0.37 s of both cores)
# or writes to disk; they share one bucket per client.
RATE_LIMITED = frozenset({("POST", "/v1/ask"), ("GET", "/v1/search"), ("POST", "/v1/feedback")})
PROBES = frozenset({"/healthz", "/readyz"})
DRAIN_SECONDS = 30.0


class PayloadTooLargeError(ProblemError):
    """A request body over the limit of its path."""

    status = 413
    title = "Content too large"


class TooManyRequestsError(ProblemError):
    """A client over its rate (sent with Retry-After)."""

    status = 429
    title = "Too many requests"


class RequestTimeoutError(ProblemError):
    """A request that had no response within the time limit."""

    status = 504
    title = "Timed out"


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Add the limits; call before adding CORS, so that their errors carry CORS headers too."""
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout)
    buckets = TokenBuckets(settings.rate_per_minute / 60, settings.rate_burst, settings.rate_limit_clients)
    app.add_middleware(RateLimit, buckets=buckets, trust_forwarded_for=settings.trust_forwarded_for)


async def reply(
    scope: Scope, receive: Receive, send: Send, exc: ProblemError, headers: dict[str, str] | None = None
) -> None:
    """Send `exc` as a problem+json response."""
    response = problem(exc.status, exc.title, exc.detail, Request(scope))
    response.headers.update({**exc.headers, **(headers or {})})
    await response(scope, receive, send)


class BodyLimit:
    """413 for a body over its path's limit: by Content-Length at once, else counted as it streams."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit(self, path: str) -> int:
        """The byte limit for a request to `path`."""
        is_upload = path == UPLOAD_PREFIX or path.startswith(UPLOAD_PREFIX + "/")
        return self.max_upload if is_upload else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        too_large = PayloadTooLargeError(f"the request body is over the limit of {limit} bytes")
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await reply(scope, receive, send, too_large)
            return
        body = _CountedBody(receive, send, limit)
        try:
            await self.app(scope, body.receive, body.send)
        except Exception:
            if not body.exceeded or body.started:
                raise
        if body.exceeded and not body.started:
            await reply(scope, receive, send, too_large)


class _CountedBody:
    """Counts body bytes as the app reads them; past the limit, the app's own response is dropped."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive = receive
        self._send = send
        self.limit = limit
        self.seen = 0
        self.exceeded = False
        self.started = False

    async def receive(self) -> Message:
        """The next message; raises once the body passes the limit (nothing more is read)."""
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.exceeded = True
                raise PayloadTooLargeError(f"the request body is over the limit of {self.limit} bytes")
        return message

    async def send(self, message: Message) -> None:
        """Pass the app's response on, unless the body was too large (whatever the app made of that)."""
        if self.exceeded and not self.started:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    return int(value) if value is not None and value.strip().isdigit() else None


class TokenBuckets:
    """A token bucket per client: `rate` tokens a second up to `burst`; thread-safe, bounded in size."""

    def __init__(self, rate: float, burst: int, capacity: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.capacity = capacity
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for `key`: 0.0 when granted, else the seconds until one will be there."""
        with self._lock:
            now = self.clock()
            tokens = self._tokens(self._buckets.pop(key, None), now)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if tokens >= 1 else tokens, now)
            self._evict(now)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)

    def _tokens(self, bucket: tuple[float, float] | None, now: float) -> float:
        if bucket is None:
            return float(self.burst)
        tokens, when = bucket
        return min(float(self.burst), tokens + (now - when) * self.rate)

    def _evict(self, now: float) -> None:
        # Least recently seen first: a bucket that has refilled is the same as no bucket, so it
        # goes; past the capacity the least recently seen go even when not yet full.
        while self._buckets:
            key, bucket = next(iter(self._buckets.items()))
            if len(self._buckets) <= self.capacity and self._tokens(bucket, now) < self.burst:
                return
            del self._buckets[key]


def client_key(scope: Scope, trust_forwarded_for: bool) -> str:
    """The client's address; behind a trusted proxy, the last X-Forwarded-For hop (the one it added)."""
    if trust_forwarded_for:
        hops = [h.strip() for v in Headers(scope=scope).getlist("x-forwarded-for") for h in v.split(",")]
        hops = [h for h in hops if h]
        if hops:
            return hops[-1]
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimit:
    """429 with Retry-After when a client calls the RATE_LIMITED routes faster than its bucket allows."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, trust_forwarded_for: bool) -> None:
        self.app = app
        self.buckets = buckets
        self.trust_forwarded_for = trust_forwarded_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["method"], scope["path"]) in RATE_LIMITED:
            wait = self.buckets.take(client_key(scope, self.trust_forwarded_for))
            if wait > 0:
                retry = max(1, math.ceil(wait))
                exc = TooManyRequestsError(f"too many requests from this client; retry in {retry} s")
                await reply(scope, receive, send, exc, {"Retry-After": str(retry)})
                return
        await self.app(scope, receive, send)


class RequestTimeout:
    """504 when a request has no response within `seconds` (probes are not timed).

    The app runs in a task of its own under a Deadline (index.deadline). On time-out the
    client gets its 504 at once, the deadline is called off and the task cancelled. A sync
    handler (such as /v1/ask) goes on in its worker thread, since Python cannot stop a thread,
    but it gives up at the embedder's lock instead of embedding for no one; so it does when
    its client disconnects first. What it sends is dropped. Shutdown waits up to
    DRAIN_SECONDS for such handlers.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.abandoned: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, self._draining(receive), send)
        elif scope["type"] != "http" or scope["path"] in PROBES:
            await self.app(scope, receive, send)
        else:
            await self._timed(scope, receive, send)

    async def _timed(self, scope: Scope, receive: Receive, send: Send) -> None:
        deadline = Deadline(self.seconds)
        cutoff = _Cutoff(receive, send, deadline)
        if not _has_body(scope):
            cutoff.listen()
        task = asyncio.create_task(_run(self.app, scope, cutoff.receive, cutoff.send, deadline))
        try:
            if await _started_or_done(task, cutoff.started, self.seconds):
                await task  # once the response has started it may take as long as it needs
                return
        finally:
            cutoff.stop_listening()
        deadline.cancel()
        cutoff.cut = True
        self._abandon(task)
        exc = RequestTimeoutError(f"no response within {self.seconds:g} s; try a simpler request or retry later")
        await reply(scope, receive, send, exc)

    def _abandon(self, task: asyncio.Task[None]) -> None:
        task.cancel()
        self.abandoned.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self.abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a timed-out request failed afterwards: %r", task.exception())

    def _draining(self, receive: Receive) -> Receive:
        async def receive_after_drain() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown" and self.abandoned:
                await asyncio.wait(set(self.abandoned), timeout=DRAIN_SECONDS)
            return message

        return receive_after_drain


_DISCONNECT: Message = {"type": "http.disconnect"}


class _Cutoff:
    """The app's side of a timed request: notes when its response starts and when its client
    goes (calling the deadline off); after a 504, mutes it.

    Once the body is all read (at once, for a request without one) a listener reads on, which
    returns only when the client disconnects; anything it reads before goes to the app.
    """

    def __init__(self, receive: Receive, send: Send, deadline: Deadline) -> None:
        self._receive = receive
        self._send = send
        self.deadline = deadline
        self.started = asyncio.Event()
        self.cut = False
        self._heard: asyncio.Queue[Message] = asyncio.Queue()
        self._listener: asyncio.Task[None] | None = None

    def listen(self) -> None:
        """Start listening for the client's disconnect (nothing more of the body is to come)."""
        self._listener = asyncio.create_task(self._listen())

    def stop_listening(self) -> None:
        """The request is over (answered or timed out): stop listening."""
        if self._listener is not None:
            self._listener.cancel()

    async def _listen(self) -> None:
        while True:
            message = await self._receive()
            await self._heard.put(message)
            if message["type"] == "http.disconnect":
                self.deadline.cancel()
                return

    async def receive(self) -> Message:
        """The next request message, or a disconnect once the client has had its 504."""
        if self.cut:
            return _DISCONNECT
        if self._listener is None:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.deadline.cancel()
            elif message["type"] == "http.request" and not message.get("more_body", False):
                self.listen()
            return message
        if self._heard.empty() and self._listener.done():
            return _DISCONNECT
        return await self._heard.get()

    async def send(self, message: Message) -> None:
        """Pass the response on, unless the client has had its 504."""
        if self.cut:
            return
        if message["type"] == "http.response.start":
            self.started.set()
        await self._send(message)


def _has_body(scope: Scope) -> bool:
    headers = Headers(scope=scope)
    return "transfer-encoding" in headers or bool(_content_length(scope))


async def _run(app: ASGIApp, scope: Scope, receive: Receive, send: Send, deadline: Deadline) -> None:
    set_deadline(deadline)  # in this task's own copy of the context, which its worker threads get
    await app(scope, receive, send)


async def _started_or_done(task: asyncio.Task[None], started: asyncio.Event, seconds: float) -> bool:
    """Whether the response started (or the app ended) within `seconds`."""
    waiter = asyncio.ensure_future(started.wait())
    try:
        done, _ = await asyncio.wait({task, waiter}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        waiter.cancel()
    return bool(done)
