"""Chinese typed with a character of the same sound in place of the right one is read as meant
(answer/homophones.py), over the real corpus; words that are right as typed stay."""

import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("训练师为什么在上还这么吃香", "训练师为什么在上海这么吃香"),  # 还 for 海 (hai)
        ("去年考是一共过了多少人", "去年考试一共过了多少人"),  # 是 for 试 (shi)
        ("周末的课实草多吗", "周末的课实操多吗"),  # 草 for 操 (cao)
    ],
)
def test_a_character_typed_for_another_of_its_sound_is_read_as_meant(engine: QAEngine, typed: str, meant: str) -> None:
    assert engine.terms.homophones.read(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "课在周末上还是平时上",  # 上 + 还是 is likelier than 上海 + 是
        "人社局有没有热线",  # 局有 is no 具有: 人社局 is the corpus's word
        "我是文科生能学吗",  # 我是 is no typo of anything
    ],
)
def test_words_right_as_typed_stay(engine: QAEngine, typed: str) -> None:
    assert engine.terms.homophones.read(typed) == typed


def test_a_question_with_a_character_of_the_same_sound_is_answered_as_if_typed_right(client: TestClient) -> None:
    typo = client.post("/v1/ask", json={"question": "训练师的课理论和实草各占多少"}).json()
    right = client.post("/v1/ask", json={"question": "训练师的课理论和实操各占多少"}).json()
    assert typo["answerable"] and "70 percent hands-on" in typo["answer"]
    assert typo["answer"] == right["answer"]
