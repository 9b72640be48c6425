import pytest

from answer.engine import QAEngine
from index.errors import EmptyQueryError
from index.hybrid import interleave, rrf


def test_rrf_rewards_items_ranked_well_by_both_lists() -> None:
    assert rrf([[1, 2, 3], [3, 1, 4]], k=60) == [1, 3, 2, 4]


def test_interleave_alternates_then_appends_the_rest() -> None:
    assert interleave([1, 2, 3, 4], [9, 8]) == [1, 9, 2, 8, 3, 4]
    assert interleave([], [5, 6]) == [5, 6]


def test_interleave_can_give_the_second_list_two_places_for_each_of_the_first() -> None:
    assert interleave([1, 2, 3], [9, 8, 7, 6, 5], 2) == [1, 9, 8, 2, 7, 6, 3, 5]
    assert interleave([1, 2, 3], [9], 2) == [1, 9, 2, 3]


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_english_query_finds_the_pass_numbers(engine: QAEngine, mode: str) -> None:
    hits = engine.search("how many people passed the AI trainer certification in 2025", 5, mode)  # type: ignore[arg-type]
    assert any("10,900" in h.chunk.text or "16,900" in h.chunk.text for h in hits)


def test_chinese_query_finds_the_chinese_article(engine: QAEngine) -> None:
    hits = engine.search("上海AI训练师岗位数量增长了多少", 5)
    assert hits[0].chunk.doc_id == "wanwei-trainer-career"
    assert "67%" in hits[0].chunk.text
    assert hits[1].chunk.doc_id != "wanwei-trainer-career"  # the best English passage comes next


def test_chinese_query_finds_an_english_only_fact(engine: QAEngine) -> None:
    hits = engine.search("培训课程理论和实践的比例是多少", 5)
    assert any("70 percent" in h.chunk.text for h in hits)


def test_english_query_finds_a_chinese_only_fact(engine: QAEngine) -> None:
    hits = engine.search("Where in Shanghai are most AI trainers concentrated?", 5)
    assert any("张江" in h.chunk.text for h in hits)


def test_empty_query_is_refused(engine: QAEngine) -> None:
    with pytest.raises(EmptyQueryError):
        engine.search("   ", 5)


@pytest.mark.parametrize(
    "query",
    [
        "Besides Shanghai, what Chinese city is given as an example of people training as AI specialists?",
        "培训班的实操课占多大比重",
        "who is the general manager quoted about the weekend classes",
    ],
)
def test_hybrid_search_ranks_first_the_passage_the_answer_is_read_from(engine: QAEngine, query: str) -> None:
    answer = engine.ask(query, 5)
    assert answer.short_answer is not None
    cited = answer.citations[answer.short_answer.n - 1]
    first = engine.search(query, 5)[0].chunk
    assert (first.doc_id, first.start, first.end) == (cited.chunk.doc_id, cited.chunk.start, cited.chunk.end)
    assert answer.short_answer.text in first.text


def test_dense_and_bm25_search_are_the_retrievers_alone(engine: QAEngine) -> None:
    query = "Besides Shanghai, what Chinese city is given as an example of people training as AI specialists?"
    for mode in ("dense", "bm25"):
        found = [h.chunk.chunk_id for h in engine.search(query, 5, mode)]  # type: ignore[arg-type]
        pool = engine.retriever.search(query, 20, mode)  # type: ignore[arg-type]
        assert found == [h.chunk.chunk_id for h in pool][:5]


def test_english_words_in_a_chinese_question_find_the_english_passage_holding_them(engine: QAEngine) -> None:
    hits = engine.retriever.search("文章说human-in-the-loop的环节对哪些领域很重要", 5, "hybrid")
    assert any("human-in-the-loop" in h.chunk.text for h in hits)
