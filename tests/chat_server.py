"""A small OpenAI-compatible chat server for the tests, that answers well or misbehaves on purpose.

Its `behaviour` attribute says how it answers the next requests ("quote", "hang", "close",
"malformed", "429", ...). It crosses a process boundary we do not
own (a model server), so it stands in for one; our own code is never faked.
"""

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from answer.generation.prompt import REFUSAL


def quoting_answer(prompt: str) -> str:
    """A correct answer: the first sentence of passage [1], cited."""
    first = re.search(r"^\[1\] (.+?[。.!?！？])", prompt, re.MULTILINE)
    assert first, prompt
    return f"{first.group(1)} [1]"


ANSWERS = {
    "quote": quoting_answer,
    "invent": lambda prompt: "The exam had 987,654 takers [1]. It costs 4,321 yuan [1].",
    "mixed": lambda prompt: f"{quoting_answer(prompt)} It was 1,234,567 people [1]. Ask us [9].",
    "refuse": lambda prompt: REFUSAL["zh"] if "问题：" in prompt else REFUSAL["en"],
}


class ChatServer(ThreadingHTTPServer):
    """Serves POST /v1/chat/completions as `behaviour` says; counts the calls per behaviour."""

    daemon_threads = True  # a hanging handler must not hold up shutdown

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = "quote"
        self.calls: dict[str, int] = {}
        self.prompts: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        behaviour = self.server.behaviour
        self.server.calls[behaviour] = self.server.calls.get(behaviour, 0) + 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        self.server.prompts.append(prompt)
        if behaviour == "hang":
            time.sleep(60)
        elif behaviour == "close":
            self.close_connection = True
            self.connection.shutdown(2)
        elif behaviour in ("429", "500", "503"):
            self._send(int(behaviour), "application/json", b'{"error": "busy"}')
        elif behaviour == "malformed":
            self._send(
                200, "text/event-stream", b'data: {"choices": [{"delta": {"content": "Over 12\n\ndata: [DONE]\n\n'
            )
        elif behaviour == "plain":  # a server that ignores stream=true
            message = {"choices": [{"message": {"role": "assistant", "content": quoting_answer(prompt)}}]}
            self._send(200, "application/json", json.dumps(message).encode())
        elif behaviour.startswith("slow-"):  # a piece every 0.3 s, as a model on a CPU writes
            self._trickle(_events(ANSWERS[behaviour.removeprefix("slow-")](prompt)), 0.3)
        else:
            self._send(200, "text/event-stream", b"".join(_events(ANSWERS[behaviour](prompt))))

    def _trickle(self, events: Iterator[bytes], pause: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        for event in events:
            self.wfile.write(event)
            self.wfile.flush()
            time.sleep(pause)
        self.close_connection = True

    def _send(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _events(answer: str) -> Iterator[bytes]:
    """The answer as OpenAI chat-completion chunks, a few characters each, then [DONE]."""
    for i in range(0, len(answer), 8):
        chunk = {"choices": [{"index": 0, "delta": {"content": answer[i : i + 8]}}]}
        yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
    yield b"data: [DONE]\n\n"


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    """A ChatServer on a free loopback port, in a thread of its own."""
    server = ChatServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
