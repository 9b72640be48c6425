"""Generated answers through the real app and index, against a small chat server that answers well or
misbehaves (tests/chat_server.py): what is kept, what falls back to the extractive answer, and that a
failing model never costs a 5xx or the request's time."""

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from service.app import create_app
from service.settings import Settings
from tests.chat_server import ChatServer, chat_server
from tests.conftest import running_server, server_env

COURSE = "How much of the course is practice and how much theory?"
PASSED_2025 = "2025年上海有多少人通过了AI训练师考试?"
REQUEST_TIMEOUT = 10.0  # generous: the tests share two cores with other work


def generating(settings: Settings, url: str, **more: object) -> Settings:
    return settings.model_copy(
        update={
            "generator": "openai",
            "generator_url": url,
            "generator_model": "test-model",
            "request_timeout": REQUEST_TIMEOUT,
            "generator_timeout": 4.0,
            "generator_breaker_failures": 1000,
            **more,
        }
    )


def ready(client: TestClient) -> TestClient:
    deadline = time.monotonic() + 60
    while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    return client


@pytest.fixture(scope="module")
def model() -> Iterator[ChatServer]:
    with chat_server() as server:
        yield server


@pytest.fixture(scope="module")
def gen_client(settings: Settings, engine: QAEngine, model: ChatServer) -> Iterator[TestClient]:
    with TestClient(create_app(generating(settings, model.url))) as tc:
        yield ready(tc)


def ask(client: TestClient, model: ChatServer, behaviour: str, question: str = COURSE) -> dict:  # type: ignore[type-arg]
    model.behaviour = behaviour
    r = client.post("/v1/ask", json={"question": question})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_a_verified_answer_is_served_as_generated(
    gen_client: TestClient, model: ChatServer, client: TestClient
) -> None:
    body = ask(gen_client, model, "quote")
    extractive = client.post("/v1/ask", json={"question": COURSE}).json()
    assert body["origin"] == "generated" and extractive["origin"] == "corpus"
    assert body["verification"] == {"kept": 1, "dropped": [], "fallback": None, "prompt_version": "v1"}
    assert body["answer"].endswith("[1]") and body["answer"] != extractive["answer"]
    assert body["citations"] == extractive["citations"]  # the numbers the model saw are the citations
    assert body["answer"].removesuffix(" [1]") in body["citations"][0]["passage"]
    assert "generate" in body["timings_ms"]


def test_the_prompt_holds_the_cited_passages_and_the_short_answer(gen_client: TestClient, model: ChatServer) -> None:
    body = ask(gen_client, model, "quote", PASSED_2025)
    prompt = model.prompts[-1]
    assert "问题：2025年上海有多少人通过了AI训练师考试?" in prompt and "资料中没有这个问题的答案。" in prompt
    for c in body["citations"]:
        assert f"[{c['n']}] {c['passage']}" in prompt
    assert f"“{body['short_answer']['text']}”（见 [{body['short_answer']['n']}]）" in prompt


def test_unverified_sentences_are_dropped_and_the_rest_kept(gen_client: TestClient, model: ChatServer) -> None:
    body = ask(gen_client, model, "mixed")
    assert body["origin"] == "generated" and body["verification"]["kept"] == 1
    assert body["verification"]["dropped"] == [
        {"text": "It was 1,234,567 people [1].", "reason": "'1,234,567' is in no cited passage"},
        {"text": "Ask us [9].", "reason": "cites [9], which is no given passage"},
    ]
    assert "1,234,567" not in body["answer"] and "[9]" not in body["answer"]


def test_nothing_verified_serves_the_extractive_answer(
    gen_client: TestClient, model: ChatServer, client: TestClient
) -> None:
    body = ask(gen_client, model, "invent")
    assert body["origin"] == "extractive"
    assert body["verification"]["fallback"] == "no generated sentence verified"
    assert len(body["verification"]["dropped"]) == 2
    assert body["answer"] == client.post("/v1/ask", json={"question": COURSE}).json()["answer"]


def test_a_refusal_where_the_reader_answered_serves_the_extractive_answer(
    gen_client: TestClient, model: ChatServer
) -> None:
    body = ask(gen_client, model, "refuse", PASSED_2025)
    assert body["origin"] == "extractive" and body["answerable"]
    assert body["verification"]["fallback"] == "the model said the passages do not answer"


def test_the_readers_conflict_note_survives_generation(gen_client: TestClient, model: ChatServer) -> None:
    body = ask(gen_client, model, "quote", PASSED_2025)
    assert body["origin"] == "generated" and body["conflicts"]
    values = [v["value"] for v in body["conflicts"][0]["values"]]
    assert body["answer"].count("注意：") == 1 and all(v in body["answer"] for v in values)


def test_a_declined_question_does_not_call_the_model(gen_client: TestClient, model: ChatServer) -> None:
    before = sum(model.calls.values())
    body = ask(gen_client, model, "quote", "What is the weather in Chengdu tomorrow?")
    assert not body["answerable"] and body["origin"] == "extractive"
    assert sum(model.calls.values()) == before


def test_a_server_that_does_not_stream_is_read_whole(gen_client: TestClient, model: ChatServer) -> None:
    assert ask(gen_client, model, "plain")["origin"] == "generated"


@pytest.mark.parametrize("behaviour", ["hang", "close", "malformed", "429", "500", "503"])
def test_a_failing_model_gets_the_extractive_answer(gen_client: TestClient, model: ChatServer, behaviour: str) -> None:
    t0 = time.monotonic()
    body = ask(gen_client, model, behaviour)
    assert time.monotonic() - t0 < 4.0 + 2.0  # the generator's time-out, and some for the reader
    assert body["origin"] == "extractive" and body["answerable"]
    assert body["verification"]["fallback"].startswith("the model failed: ")


def test_a_hung_model_is_given_up_within_the_request_time_out(
    settings: Settings, engine: QAEngine, model: ChatServer
) -> None:
    config = generating(settings, model.url, generator_timeout=60.0, request_timeout=5.0)
    with TestClient(create_app(config)) as tc:
        model.behaviour = "quote"
        for _ in range(3):  # a new engine's first answer loads models: it may take longer than 5 s
            if ready(tc).post("/v1/ask", json={"question": COURSE}).status_code == 200:
                break
        t0 = time.monotonic()
        body = ask(tc, model, "hang")
        assert 4.0 < time.monotonic() - t0 < 5.0
        assert body["verification"]["fallback"] == "the model failed: no complete answer within 4.5 s"
        t0 = time.monotonic()  # streamed: the response starts at once, and still ends in time
        with tc.stream("POST", "/v1/ask", json={"question": COURSE, "stream": True}) as r:
            events = sse(r)
        assert time.monotonic() - t0 < 5.0
        assert [(n, d["origin"]) for n, d in events] == [("answer", "extractive")]


def test_the_breaker_stops_calling_a_failing_model(settings: Settings, engine: QAEngine, model: ChatServer) -> None:
    model.behaviour, model.calls = "500", {}
    config = generating(settings, model.url, generator_breaker_failures=2, generator_breaker_seconds=1.0)
    with TestClient(create_app(config)) as tc:
        fallbacks = [ask(ready(tc), model, "500")["verification"]["fallback"] for _ in range(4)]
        assert model.calls == {"500": 2}
        assert fallbacks[2:] == ["the model is failing: paused"] * 2
        time.sleep(1.1)  # the breaker lets one call through again
        assert ask(tc, model, "quote")["origin"] == "generated"


def sse(response: httpx.Response) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    events, name = [], ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            events.append((name, json.loads(line.removeprefix("data: "))))
    return events


def test_a_stream_from_a_real_server_ends_with_the_verified_answer(
    settings: Settings, engine: QAEngine, model: ChatServer, live_server: str
) -> None:
    model.behaviour = "mixed"
    env = server_env(settings, generator="openai", generator_url=model.url, generator_model="test-model")
    with (
        running_server(env) as url,
        httpx.stream("POST", f"{url}/v1/ask", json={"question": COURSE, "stream": True}) as r,
    ):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse(r)
    names = [name for name, _ in events]
    assert set(names[:-1]) == {"delta"} and names[-1] == "answer"
    draft = "".join(data["text"] for _, data in events[:-1])
    final = events[-1][1]
    assert "1,234,567" in draft and "1,234,567" not in final["answer"]  # shown as it came, then swapped
    assert final["origin"] == "generated" and final["verification"]["kept"] == 1 and final["citations"]
    headers = {"Accept": "text/event-stream"}
    with httpx.stream("POST", f"{live_server}/v1/ask", json={"question": COURSE}, headers=headers) as r:
        assert [(n, d["origin"]) for n, d in sse(r)] == [("answer", "corpus")]  # extractive: one event
