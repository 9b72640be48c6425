"""Verification of generated answers on crafted sentences: what is kept, what is dropped, and why."""

from answer.generation.prompt import refused
from answer.generation.verify import split_sentences, verify

EXAM = "In 2025, 16,300 people took the AI trainer exam in Shanghai, and about 70% of them passed."
CERTIFIED = "Over 12,000 people have been certified as AI trainers in Shanghai."
DIRECTOR = "Yang Jiaying, deputy director of the training centre, said the course lasts three months."
ZH_COURSE = "课程共三个月，理论占三成，实操占七成。"


def test_a_sentence_with_an_unsupported_figure_is_dropped() -> None:
    checked = verify("16,300 people took the exam in 2025 [1]. 18,000 of them passed [1].", [EXAM])
    assert [c.text for c in checked.kept] == ["16,300 people took the exam in 2025 [1]."]
    assert [c.text for c in checked.dropped] == ["18,000 of them passed [1]."]
    assert checked.dropped[0].reason == "'18,000' is in no cited passage"


def test_a_figure_must_be_in_the_passage_cited_not_just_any() -> None:
    checked = verify("Over 12,000 people are certified [1].", [EXAM, CERTIFIED])
    assert checked.kept == [] and checked.dropped[0].reason == "'Over 12,000' is in no cited passage"
    assert [c.cites for c in verify("Over 12,000 people are certified [2].", [EXAM, CERTIFIED]).kept] == [(2,)]


def test_a_marker_pointing_nowhere_is_dropped() -> None:
    checked = verify("16,300 people took the exam [1]. About 70% passed [3].", [EXAM])
    assert [c.text for c in checked.kept] == ["16,300 people took the exam [1]."]
    assert checked.dropped[0].text == "About 70% passed [3]."
    assert checked.dropped[0].reason == "cites [3], which is no given passage"


def test_a_sentence_without_a_marker_is_dropped() -> None:
    checked = verify("16,300 people took the exam.", [EXAM])
    assert checked.kept == [] and checked.dropped[0].reason == "no [n] marker"


def test_a_chinese_sentence_with_1_2_wan_is_supported_by_12000() -> None:
    checked = verify("上海已有超过1.2万人获得人工智能训练师证书[1]。", [CERTIFIED])
    assert [c.text for c in checked.kept] == ["上海已有超过1.2万人获得人工智能训练师证书[1]。"]
    assert verify("上海已有超过1.3万人获得证书[1]。", [CERTIFIED]).kept == []


def test_shares_and_durations_match_across_scripts_and_units() -> None:
    assert len(verify("约七成考生通过了考试[1]。", [EXAM]).kept) == 1  # 七成 = 70%
    assert len(verify("The course is 70% practice and lasts 3 months [1].", [ZH_COURSE]).kept) == 1
    assert verify("The course is 80% practice [1].", [ZH_COURSE]).kept == []
    assert verify("About 70 people passed [1].", [EXAM]).kept == []  # a count is no share


def test_a_year_must_be_the_cited_one() -> None:
    assert (
        verify("In 2024, 16,300 people took the exam [1].", [EXAM]).dropped[0].reason == "'2024' is in no cited passage"
    )


def test_names_match_by_pinyin_and_an_unknown_name_is_dropped() -> None:
    assert len(verify("杨佳颖表示，课程为期三个月[1]。", [DIRECTOR]).kept) == 1
    assert verify("张伟表示，课程为期三个月[1]。", [DIRECTOR]).kept == []
    assert verify("16,300 people took the exam in Beijing [1].", [EXAM]).kept == []


def test_sentences_keep_their_markers_before_or_after_the_full_stop() -> None:
    assert split_sentences("A took it [1]. B passed. [2] 甲考了[1]。乙过了[1][2]。") == [
        "A took it [1].",
        "B passed. [2]",
        "甲考了[1]。",
        "乙过了[1][2]。",
    ]
    assert verify("It is 70% practice [1, 2].", [EXAM, ZH_COURSE]).kept[0].cites == (1, 2)


def test_the_refusal_phrase_in_either_language_is_a_refusal() -> None:
    assert refused("The passages do not answer this question.")
    assert refused(" 资料中没有这个问题的答案。")
    assert refused("")
    assert not refused("16,300 people took the exam [1].")


def test_a_sentence_that_repeats_the_question_is_dropped() -> None:
    checked = verify("[1] 课程实操占几成？", [ZH_COURSE], question="课程实操占几成?")
    assert checked.kept == [] and checked.dropped[0].reason == "repeats the question"
    assert len(verify("实操占七成[1]。", [ZH_COURSE], question="课程实操占几成?").kept) == 1
