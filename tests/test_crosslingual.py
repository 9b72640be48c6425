"""The second encoder across languages: USE-multilingual, fused with e5 on the other language."""

import numpy as np
from fastapi.testclient import TestClient

from answer.crosslingual import CrossLingual, fuse
from index.types import Sentence


def _sentence(i: int, text: str) -> Sentence:
    return Sentence(i, "doc", 0, len(text), text, "en")


def test_use_ranks_the_translation_of_the_question_first() -> None:
    cross = CrossLingual()
    question = cross.query("课程理论和实践的比例是多少")
    sentences = [
        _sentence(1, "In 2025, Shanghai recorded 16,300 participants for AI trainers."),
        _sentence(2, "The course blends 30 percent theory with 70 percent hands-on practice."),
    ]
    cosines = cross.cosines(question, sentences)
    assert cosines[1] > cosines[0]
    assert np.allclose(cross.cosines(question, sentences), cosines)  # kept, not recomputed differently


def test_fusion_keeps_e5s_scale_and_follows_both_opinions() -> None:
    e5 = np.array([0.80, 0.79, 0.78, 0.77], dtype=np.float32)
    use = np.array([0.05, 0.05, 0.90, 0.05], dtype=np.float32)
    fused = fuse(e5, use)
    assert abs(float(fused.mean()) - float(e5.mean())) < 1e-5
    assert int(np.argmax(fused)) == 2  # USE's strong vote lifts the third sentence to the top
    assert fuse(e5[:1], use[:1])[0] == e5[0]


def test_a_glossary_rendering_of_a_question_term_reads_its_passage(client: TestClient) -> None:
    # "data annotation" is the glossary's 数据标注; the Chinese sentence saying what the annotator
    # adds ranks below English passages sharing the question's commoner words
    r = client.post("/v1/ask", json={"question": "what does the human add in the data annotation stage?"})
    body = r.json()
    assert body["answerable"] and "语义标签" in body["answer"], body["answer"]


def test_what_people_named_in_an_english_article_do_is_read_though_it_lists_nothing(client: TestClient) -> None:
    # a list is asked (干些啥) but none is given: the sentences saying what they do answer it
    body = client.post("/v1/ask", json={"question": "杭州的AI训练专员平时都干些啥"}).json()
    assert body["answerable"] and "teaching machines" in body["answer"], body["answer"]
