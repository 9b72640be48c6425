"""How uvicorn runs the app: connection limits, so that idle and half-sent connections cannot pile up."""

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import Settings


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, except that a connection that has not sent a complete request head
    within `timeout_keep_alive` seconds of opening, or of its last response, is closed.

    uvicorn itself times out only a connection idle after a response, and any byte resets that
    timer; a client that opened connections and sent nothing, or one header line every few
    seconds, would hold them for ever, each counted against `limit_concurrency`.
    """

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._close_if_no_request)

    def _close_if_no_request(self) -> None:
        in_flight = self.cycle is not None and not self.cycle.response_complete
        if not in_flight and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn.run's keyword arguments from the settings (docs/security.md lists each limit)."""
    return {
        "host": settings.host,
        "port": settings.port,
        # h11 by name: httptools, if installed, would be chosen otherwise and ignore the head bounds.
        "http": BoundedH11Protocol,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
    }
