from fastapi.testclient import TestClient

from answer.cache import LRUCache, normalise_question
from answer.engine import QAEngine


def test_questions_that_differ_only_in_form_share_a_key() -> None:
    assert normalise_question("  How many  passed?? ") == normalise_question("how many passed")
    assert normalise_question("课程是周末上课吗？") == normalise_question("课程是周末上课吗")
    assert normalise_question("How many passed?") != normalise_question("How many failed?")


def test_lru_evicts_the_least_recently_used() -> None:
    cache: LRUCache[int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def test_a_repeated_question_is_answered_from_the_cache(client: TestClient, engine: QAEngine) -> None:
    first = client.post("/v1/ask", json={"question": "Are AI trainer classes held on weekends?"}).json()
    again = client.post("/v1/ask", json={"question": "are AI trainer classes held on weekends"}).json()
    assert "cached" not in first["timings_ms"] and again["timings_ms"]["cached"] == 1.0
    assert again["answer"] == first["answer"] and again["citations"] == first["citations"]
    other = client.post("/v1/ask", json={"question": "Are AI trainer classes held on weekends?", "top_k": 3}).json()
    assert "cached" not in other["timings_ms"]
