"""Run the gold set through a client and aggregate the metrics by mode, split and slice."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from answer.followup import search_query
from eval import metrics as m
from eval.clients import Client
from eval.gold import OFFTOPIC, GoldQuestion
from index.types import Mode

MODES: tuple[Mode, ...] = ("dense", "bm25", "hybrid")


@dataclass(frozen=True)
class QuestionResult:
    """One gold question's outcome under one retrieval mode."""

    id: str
    split: str
    slice: str
    type: str
    mode: str
    answerable: bool
    abstained: bool
    hit1: float
    hit5: float
    rr: float
    ndcg10: float
    facts_ok: bool
    citations: int
    relevant_citations: int
    latency_ms: float
    evidence_score: float | None
    answer: str
    short_answer: str | None
    short_ok: bool  # the short answer, when one is given, is one of the gold's
    conflict: bool  # the gold says the sources disagree
    flagged: bool  # the answer says they disagree
    related: int = 0  # related passages given with a declined answer
    related_hit: bool = False  # some related passage holds the gold evidence
    origin: str = "corpus"  # with a generator: generated, or extractive when it fell back
    kept: int = 0  # generated sentences kept by verification
    dropped: int = 0  # and dropped


def evaluate(
    client: Client,
    gold: Sequence[GoldQuestion],
    modes: Sequence[Mode],
    knows: Callable[[str], bool],
    k: int = 5,
    label: str = "",
) -> list[QuestionResult]:
    """Every question under every mode (`knows`: answer.followup.corpus_knows, to resolve follow-ups);
    `label` is added to the mode's name in the results ("hybrid+openai")."""
    return [_one(client, q, mode, k, knows, label) for mode in modes for q in gold]


def spread(gold: Sequence[GoldQuestion], n: int) -> list[GoldQuestion]:
    """About n questions spread evenly over the gold set (every slice), for a slow generator."""
    step = max(1, -(-len(gold) // n))
    return list(gold[::step])


def _one(
    client: Client, q: GoldQuestion, mode: Mode, k: int, knows: Callable[[str], bool], label: str
) -> QuestionResult:
    # Ask first: a hybrid search reads the answer to its query, which the answer cache then holds.
    a = client.ask(q.question, k, mode, q.history)
    # Search what the service searches: a follow-up together with the earlier question.
    query = search_query(q.question, [t["question"] for t in q.history], knows)
    ranks = m.relevant_ranks(client.search(query, 10, mode), q)
    relevant = sum(m.citation_relevant(span, text, q) for span, text in a.citations)
    return QuestionResult(
        q.id,
        q.split,
        q.slice,
        q.type,
        mode + label,
        q.answerable,
        not a.answerable,
        m.hit_at(ranks, 1),
        m.hit_at(ranks, 5),
        m.reciprocal_rank(ranks),
        m.ndcg_at(ranks, max(1, len(q.evidence))),
        a.answerable and m.facts_correct(a.answer, q),
        len(a.citations),
        relevant,
        a.latency_ms,
        a.evidence_score,
        a.answer,
        a.short_answer,
        not a.answerable or m.short_correct(a.short_answer, q),
        q.conflict,
        a.conflicts > 0,
        len(a.related),
        bool(m.relevant_ranks(a.related, q)),
        a.origin,
        a.kept,
        a.dropped,
    )


def aggregate(results: Sequence[QuestionResult]) -> dict[str, dict[str, Any]]:
    """Metrics keyed "mode/split/slice" and "mode/split/type:<type>", "all" for every split and slice
    (the off-topic questions are a split of their own, left out of "all")."""
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        for split in (r.split,) if r.split == OFFTOPIC else (r.split, "all"):
            for sl in (r.slice, "all", f"type:{r.type}"):
                groups.setdefault(f"{r.mode}/{split}/{sl}", []).append(r)
    return {key: summarise(rows) for key, rows in sorted(groups.items())}


def summarise(rows: Sequence[QuestionResult]) -> dict[str, Any]:
    """The metrics of one group of results."""
    ans = [r for r in rows if r.answerable]
    answered = [r for r in rows if not r.abstained]
    abstained = [r for r in rows if r.abstained]
    cited = [r for r in ans if not r.abstained]
    n_cit = sum(r.citations for r in cited)
    return {
        "n": len(rows),
        "n_answerable": len(ans),
        "hit@1": _mean(r.hit1 for r in ans),
        "hit@5": _mean(r.hit5 for r in ans),
        "mrr": _mean(r.rr for r in ans),
        "ndcg@10": _mean(r.ndcg10 for r in ans),
        "fact_accuracy": _mean(float(r.facts_ok) for r in ans),
        "short_accuracy": _mean(float(r.short_ok) for r in ans if not r.abstained and r.short_answer is not None),
        "short_given": _mean(float(r.short_answer is not None) for r in ans if not r.abstained),
        "answered": _mean(float(not r.abstained) for r in ans),
        "conflict_precision": _mean(float(r.conflict) for r in rows if r.flagged),
        "conflict_recall": _mean(float(r.flagged) for r in rows if r.conflict),
        "citation_precision": sum(r.relevant_citations for r in cited) / n_cit if n_cit else None,
        "answered_with_citation": _mean(float(r.citations > 0) for r in answered),
        "abstention_precision": _mean(float(not r.answerable) for r in abstained),
        "abstention_recall": _mean(float(r.abstained) for r in rows if not r.answerable),
        "utility": _mean(_utility(r) for r in rows),
        "related_recall": _mean(float(r.related_hit) for r in ans if r.abstained),
        "related_false_alarm": _mean(float(r.related > 0) for r in rows if r.slice == OFFTOPIC),
        "generated": _mean(float(r.origin == "generated") for r in answered if r.origin != "corpus"),
        "faithfulness": _faithfulness(rows),
        "p50_ms": m.percentile([r.latency_ms for r in rows], 50),
        "p95_ms": m.percentile([r.latency_ms for r in rows], 95),
    }


def _faithfulness(rows: Sequence[QuestionResult]) -> float | None:
    """Citation faithfulness of a generator: the share of its sentences that verification kept."""
    written = sum(r.kept + r.dropped for r in rows)
    return sum(r.kept for r in rows) / written if written else None


def _utility(r: QuestionResult) -> float:
    """+1 for a correct answer or a rightful abstention, 0 for declining an answerable
    question, -1 for a wrong answer (a wrong figure read aloud is worse than none)."""
    if r.abstained:
        return 0.0 if r.answerable else 1.0
    return 1.0 if r.facts_ok else -1.0


def _mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def as_rows(results: Sequence[QuestionResult]) -> list[dict[str, Any]]:
    """Results as plain dicts for JSON."""
    return [asdict(r) for r in results]
