"""A client of any OpenAI-compatible chat API (vLLM, Ollama, llama.cpp's server, hosted APIs):
POST {base}/chat/completions with stream=true, read back as server-sent events.

Every failure (refused connection, time-out, a closed connection, a 429 or 5xx, a body that
is not the expected JSON) is one GeneratorError, so that the caller has one thing to fall back on.
"""

import json
from collections.abc import Iterator
from typing import Any

import httpx
from pydantic import SecretStr


class GeneratorError(Exception):
    """The model could not give an answer: the backend failed, timed out or sent garbage."""


class ChatClient:
    """Streams one completion at a time from an OpenAI-compatible server."""

    def __init__(self, base_url: str, model: str, api_key: SecretStr | None, max_tokens: int, temperature: float):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.max_tokens = max_tokens
        self.temperature = temperature
        headers = {"Authorization": f"Bearer {api_key.get_secret_value()}"} if api_key else {}
        self.http = httpx.Client(headers=headers)

    def stream(self, prompt: str, timeout: float) -> Iterator[str]:
        """The answer's text as it comes, piece by piece; GeneratorError on any failure."""
        body = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stream": True,
        }
        try:
            with self.http.stream("POST", self.url, json=body, timeout=timeout) as response:
                if response.status_code != 200:
                    raise GeneratorError(f"the model server answered {response.status_code}")
                if response.headers.get("content-type", "").startswith("application/json"):
                    yield _content(json.loads(response.read()), "message")  # a server that does not stream
                    return
                yield from _deltas(response.iter_lines())
        except httpx.HTTPError as exc:
            raise GeneratorError(f"the model server failed: {type(exc).__name__}: {exc}") from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GeneratorError(f"the model server sent malformed JSON: {exc}") from exc

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def _deltas(lines: Iterator[str]) -> Iterator[str]:
    """The text pieces of an OpenAI chat-completion event stream, up to `data: [DONE]`."""
    for line in lines:
        if not line.startswith("data:"):
            continue  # blank separators, comments, event names
        data = line.removeprefix("data:").strip()
        if data == "[DONE]":
            return
        piece = _content(json.loads(data), "delta")
        if piece:
            yield piece
    raise GeneratorError("the model's stream ended without [DONE]")


def _content(event: Any, key: str) -> str:
    """choices[0][key].content of a completion or a stream chunk ("" when the chunk has none)."""
    choice = event["choices"][0] if event["choices"] else {}
    content = (choice.get(key) or {}).get("content") or ""
    if not isinstance(content, str):
        raise TypeError(f"content is {type(content).__name__}, not text")
    return content
