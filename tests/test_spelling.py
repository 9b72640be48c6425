"""English words typed with a letter wrong are read as the words they stand for (answer/spelling.py),
over the real corpus; names and words the corpus or an English dictionary knows stay as typed."""

import pytest
from fastapi.testclient import TestClient

from answer.engine import QAEngine


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("univrsities", "universities"),  # a stem would cut it elsewhere (univrs / univers)
        ("Shanhai", "Shanghai"),  # the case typed is kept
        ("concntrated", "concentrated"),  # not the corpus's word: the English word one edit away
        ("wekends", "weekends"),
        ("tranier", "trainer"),  # two letters swapped: one edit
        ("Zhangijang", "Zhangjiang"),  # the glossary's word (the English articles never name it)
    ],
)
def test_a_misspelt_word_is_read_as_the_word_it_stands_for(engine: QAEngine, typed: str, meant: str) -> None:
    assert engine.terms.speller.read(f"the {typed} here") == f"the {meant} here"


@pytest.mark.parametrize(
    "typed",
    [
        "Changzhou",  # a city CC-CEDICT names, one letter from Hangzhou: another city, not a typo
        "chatbots",  # two edits from "chariots", but no corpus word: an English word it does not know
        "LinkedIn",  # capitals inside: a brand
        "trainees",  # an English word, inflected
        "gongzi",  # too far from any word (pinyin is the pinyin reader's)
        "Jiaotong",  # reads as pinyin, capitalised: a Chinese name no dictionary here lists, no typo
        "upcoming",  # an English word lemminflect knows, though CC-CEDICT's senses lack it: no "becoming"
        "outsourced",  # likewise: no "outsource" in the corpus to read it as
    ],
)
def test_names_and_known_words_stay_as_typed(engine: QAEngine, typed: str) -> None:
    assert engine.terms.speller.read(typed) == typed


def test_a_word_in_pinyin_among_chinese_is_left_to_the_pinyin_reader(engine: QAEngine) -> None:
    assert engine.terms.speller.read("一个月gongji多少") == "一个月gongji多少"  # 供给 is a corpus word; gongji stays


def test_a_question_with_a_misspelt_word_is_answered(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "how many univrsities opened new AI departments"}).json()
    assert body["answerable"] and body["short_answer"]["text"] == "621"
    named = client.post("/v1/ask", json={"question": "who offers the AI trainer course in Shanhai?"}).json()
    assert named["answerable"] and "skills development center" in named["answer"]
