"""Quality gates: the eval's metrics on the gold set must not fall under what we measured.

The floors sit a little under the figures of `python -m eval` (see eval/report.md), so a
change that makes answers worse fails here instead of slipping through.
"""

from collections.abc import Callable

import pytest

from answer.engine import QAEngine
from answer.followup import corpus_knows
from eval.clients import InProcessClient
from eval.gold import load_gold, load_offtopic
from eval.run import QuestionResult, evaluate, summarise

FLOORS = {
    # split: metric -> floor, a little under what `python -m eval` measured (eval/report.md)
    "holdout": {
        "hit@5": 0.96,  # measured 0.974 (537 questions; 271 from the 12th to 29th blind batches)
        "mrr": 0.87,  # 0.885 (hybrid search puts the passages the answer cites first)
        "answered": 0.94,  # 0.957 (0.953 last stop)
        "fact_accuracy": 0.87,  # 0.889 (0.884 last stop)
        "abstention_recall": 0.90,  # 0.930
        "abstention_precision": 0.83,  # 0.856 (0.843 last stop)
        "answered_with_citation": 1.0,
        "utility": 0.84,  # 0.858 (0.855 last stop)
        # 0.889: 16 of the 18 answerable questions declined have their passage among the related
        # ones (0.900 last stop, of 20)
        "related_recall": 0.80,
        "conflict_recall": 0.88,  # 0.907: 39 of the 43 disagreements asked are flagged (0.860 last stop)
    },
    "tune": {
        "hit@5": 0.97,  # 0.987 (1,079 questions)
        "mrr": 0.91,  # 0.938
        "answered": 0.97,  # 0.994
        "fact_accuracy": 0.94,  # 0.962
        "abstention_recall": 0.95,  # 0.970
        "abstention_precision": 0.95,  # 0.978
        "answered_with_citation": 1.0,
        "utility": 0.93,  # 0.945
        "conflict_recall": 0.95,  # 0.971: 68 of 70
        # no related_recall floor: of the few answerable tune questions declined (5 now), the
        # passage is among the related ones or not by chance; the holdout's floor above measures it
    },
}


@pytest.fixture(scope="module")
def knows(engine: QAEngine) -> Callable[[str], bool]:
    return corpus_knows(engine.terms.df, engine.retriever.glossary)


@pytest.fixture(scope="module")
def results(engine: QAEngine, knows: Callable[[str], bool]) -> list[QuestionResult]:
    return evaluate(InProcessClient(engine), load_gold(engine.index.documents), ["hybrid"], knows)


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_hybrid_metrics_stay_above_their_floors(results: list[QuestionResult], split: str) -> None:
    summary = summarise([r for r in results if r.split == split])
    below = {m: (summary[m], floor) for m, floor in FLOORS[split].items() if summary[m] < floor}
    assert not below, f"metrics under their floors on {split}: {below}"


def test_hybrid_beats_dense_and_bm25_on_retrieval(engine: QAEngine, knows: Callable[[str], bool]) -> None:
    gold = load_gold(engine.index.documents)
    hit5 = {
        mode: summarise(evaluate(InProcessClient(engine), gold, [mode], knows))["hit@5"]
        for mode in ("dense", "bm25", "hybrid")
    }
    assert hit5["hybrid"] > max(hit5["dense"], hit5["bm25"]), hit5


def test_off_topic_questions_rarely_get_related_passages(engine: QAEngine, knows: Callable[[str], bool]) -> None:
    summary = summarise(evaluate(InProcessClient(engine), load_offtopic("holdout"), ["hybrid"], knows))
    # the never-tuned half: measured 1 of 11 (3 of 22 over both halves)
    assert summary["related_false_alarm"] <= 0.10, summary
