"""Two ways to put gold questions to the service: in process, or over HTTP by URL."""

import time
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import httpx

from answer.engine import QAEngine
from answer.generation.generator import Generator
from eval.metrics import Span
from index.types import Mode


@dataclass(frozen=True)
class AskResult:
    """What the eval needs of an answer."""

    answer: str
    answerable: bool
    citations: list[tuple[Span, str]]
    latency_ms: float
    evidence_score: float | None = None
    coverage: float | None = None
    short_answer: str | None = None
    conflicts: int = 0
    focus: float | None = None
    related: list[Span] = field(default_factory=list)  # declined answers: the related passages
    origin: str = "corpus"  # corpus, curated, generated or extractive (see AskResponse.origin)
    kept: int = 0  # generated sentences that verification kept
    dropped: int = 0  # and those it dropped


class Client(Protocol):
    """Something that searches and answers."""

    def search(self, query: str, k: int, mode: Mode) -> list[Span]: ...

    def ask(self, question: str, k: int, mode: Mode, history: list[dict[str, str]]) -> AskResult: ...


class InProcessClient:
    """Calls the engine directly, and the generator after it when one is given."""

    def __init__(self, engine: QAEngine, generator: Generator | None = None) -> None:
        self.engine = engine
        self.generator = generator

    def search(self, query: str, k: int, mode: Mode) -> list[Span]:
        """Spans of the k best chunks."""
        return [
            Span(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.chunk.text) for h in self.engine.search(query, k, mode)
        ]

    def ask(self, question: str, k: int, mode: Mode, history: list[dict[str, str]]) -> AskResult:
        """The engine's answer, timed."""
        t0 = time.perf_counter()
        a = self.engine.ask(question, k, None, mode, [t["question"] for t in history])
        generated = self.generator.answer(question, a) if self.generator else None
        a = generated.answer if generated else a
        ms = (time.perf_counter() - t0) * 1000
        cites = [
            (Span(c.document.doc_id, c.sentence.start, c.sentence.end, c.sentence.text), c.sentence.text)
            for c in a.citations
        ]
        short = a.short_answer.text if a.short_answer else None
        related = [Span(r.document.doc_id, r.chunk.start, r.chunk.end, r.chunk.text) for r in a.related]
        result = AskResult(
            a.text, a.answerable, cites, ms, a.evidence_score, a.coverage, short, len(a.conflicts), a.focus, related
        )
        if generated is None:
            return result
        checked = generated.verification
        return replace(result, origin=generated.origin, kept=len(checked.kept), dropped=len(checked.dropped))


class HttpClient:
    """Calls a running service's /v1/search and /v1/ask."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def search(self, query: str, k: int, mode: Mode) -> list[Span]:
        """Spans of the k best passages."""
        r = self.http.get("/v1/search", params={"q": query, "k": k, "mode": mode})
        r.raise_for_status()
        return [_span(p) for p in r.json()["results"]]

    def ask(self, question: str, k: int, mode: Mode, history: list[dict[str, str]]) -> AskResult:
        """The service's answer, timed over the wire."""
        body: dict[str, Any] = {"question": question, "top_k": k, "mode": mode, "history": history}
        t0 = time.perf_counter()
        r = self.http.post("/v1/ask", json=body)
        ms = (time.perf_counter() - t0) * 1000
        r.raise_for_status()
        data = r.json()
        cites = [(_span(c), c["text"]) for c in data["citations"]]
        short = (data.get("short_answer") or {}).get("text")
        related = [_span(p) for p in data.get("related", [])]
        checked = data.get("verification") or {"kept": 0, "dropped": []}
        return AskResult(
            data["answer"],
            data["answerable"],
            cites,
            ms,
            None,
            None,
            short,
            len(data["conflicts"]),
            None,
            related,
            data.get("origin", "corpus"),
            checked["kept"],
            len(checked["dropped"]),
        )


def _span(p: dict[str, Any]) -> Span:
    return Span(p["doc_id"], p["start"], p["end"], p["text"])
