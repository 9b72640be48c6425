import pytest
from fastapi.testclient import TestClient

from answer.followup import is_elliptical, search_query


@pytest.mark.parametrize(
    "question",
    ["and how many took it?", "how much did it grow?", "那考试呢?", "那从业人员有多少呢?", "他说了什么?", "why?"],
)
def test_elliptical_follow_ups_are_recognised(question: str) -> None:
    assert is_elliptical(question)


@pytest.mark.parametrize(
    "question", ["How many people passed the AI trainer exam in Shanghai in 2025?", "上海AI训练师岗位数量增长了多少"]
)
def test_self_contained_questions_are_searched_alone(question: str) -> None:
    assert not is_elliptical(question)
    assert search_query(question, ["Who is Chen Ke?"]) == question


def test_follow_up_is_searched_with_the_last_earlier_question() -> None:
    assert search_query("and how many took it?", ["a", "How many passed?"]) == "How many passed? and how many took it?"
    assert search_query("and how many took it?", []) == "and how many took it?"


def test_follow_up_is_answered_from_the_earlier_turn(client: TestClient) -> None:
    history = [{"question": "How many people passed the AI trainer exam in Shanghai in 2025?", "answer": "..."}]
    r = client.post("/v1/ask", json={"question": "and how many took it?", "history": history})
    assert r.status_code == 200
    body = r.json()
    assert body["answerable"] and "16,300" in body["answer"]


def test_history_is_bounded(client: TestClient) -> None:
    turns = [{"question": f"q{i}", "answer": "a"} for i in range(6)]
    r = client.post("/v1/ask", json={"question": "and then?", "history": turns})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = client.post("/v1/ask", json={"question": "ok", "history": [{"question": "x" * 2001}]})
    assert r.status_code == 422
