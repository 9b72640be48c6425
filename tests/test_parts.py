"""Questions that ask two things at once: split into their parts, each part answered, a part the
materials do not answer said so; a question asking one thing is left whole."""

import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine
from answer.parts import parts
from answer.query import build_query


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who teaches the class and when does it meet?", ["who teaches the class", "when does it meet"]),
        ("was the fee cut? by how much", ["was the fee cut", "by how much"]),
        ("谁负责这个项目，多久能学完？", ["谁负责这个项目", "多久能学完"]),
        ("证书是不是全国通用?考几门", ["证书是不是全国通用", "考几门"]),
        ("补贴多少钱 在哪申请", ["补贴多少钱", "在哪申请"]),  # a space between Chinese questions
        ("who released the subsidy figure, and in which year?", ["who released the subsidy figure", "in which year"]),
        ("实操比例咋样 理论占几成", ["实操比例咋样", "理论占几成"]),  # 咋样 asks how, as 怎样 does
        ("what's the split, like how much is theory", ["what's the split", "like how much is theory"]),
        ("was it 16,900 who passed? how many sat it", ["was it 16,900 who passed", "how many sat it"]),
    ],
)
def test_two_questions_are_split(question: str, expected: list[str]) -> None:
    assert parts(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "I work shifts, when are the lessons?",  # context, then one question
        "how much has demand grown, according to the manager?",
        "what do trainers do all day? like the daily routine",
        "除了北京,还有哪个城市在培养训练师",
        "how many people took and passed the exam",  # one question about two verbs
        "我女儿没学过编程，能报名吗",
        "a? b? c? d?",  # a string of four is read as one
        "did 10,900 people pass or more",  # the comma of a number splits nothing
        "训练师 证书 考试 哪年开始",  # keywords before one question
        # a clause carrying on the sentence after a comma asks nothing of its own
        "Why did Hangzhou, and not some other place, become the example where this is happening?",
    ],
)
def test_one_question_is_left_whole(question: str) -> None:
    assert parts(question) == [question]


def test_each_part_is_answered_with_its_own_short_answer(engine: QAEngine) -> None:
    answer = engine.ask("Who offers the AI trainer course, and how much have training subsidies gone up?", 5)
    assert answer.answerable
    assert "skills development cent" in answer.text and "30 percent" in answer.text
    opening = answer.text.split(".")[0]
    assert opening.startswith("Short answer:") and ";" in opening  # both parts' short answers lead
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert len({c.sentence.sentence_id for c in answer.citations}) == len(answer.citations)


def test_a_part_the_materials_do_not_answer_is_said_so(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "补贴涨了多少？报名费要交多少钱？"}).json()
    assert body["answerable"] and body["short_answer"] is not None
    assert "30" in body["short_answer"]["text"]
    assert "报名费要交多少钱" in body["answer"] and "没有说明" in body["answer"]


def test_no_part_answered_is_an_abstention(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "how much is the exam fee, and how old must I be?"}).json()
    assert body["answerable"] is False and body["citations"] == [] and body["short_answer"] is None


def test_a_later_part_is_read_with_what_the_first_was_read_with(engine: QAEngine) -> None:
    # the first part is a follow-up of the earlier turn; the second leans on both
    answer = engine.ask("那是哪年的 谁做的统计", 5, history=["上海AI训练师岗位数量涨了多少"])
    assert answer.answerable and answer.short_answer is not None
    assert "2023" in answer.text.split("根据")[0] and "上海市人社局" in answer.text.split("根据")[0], answer.text


def test_a_later_part_keeps_the_place_the_first_named(engine: QAEngine) -> None:
    # the examples asked for in the second part are those of the city the first part names
    query = build_query("有什么例子", ["杭州的AI训练专员做什么工作"], None, engine.retriever, engine.terms, leans=True)
    assert query.constraints == ["杭州"]
    # a part naming a place of its own keeps only its own
    query = build_query("北京呢", ["杭州的AI训练专员做什么工作"], None, engine.retriever, engine.terms, leans=True)
    assert query.constraints == ["北京"]


def test_a_question_in_traditional_characters_is_split_as_in_simplified(engine: QAEngine) -> None:
    answer = engine.ask("培訓課理論佔幾成？實操佔幾成？", 5)
    assert answer.answerable and "30" in answer.text.split("。")[0] and "70" in answer.text.split("。")[0], answer.text
