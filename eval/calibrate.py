"""Fit the abstention threshold on the tune split only; report it on both splits.

The engine also abstains, whatever the score, when the evidence misses a place, person or
year the question names; the threshold is fitted on top of that rule.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from eval.clients import Client
from eval.gold import GoldQuestion


@dataclass(frozen=True)
class Scored:
    """A gold question, its evidence score, and whether the rule alone declined it."""

    question: GoldQuestion
    score: float
    declined: bool


def fit_threshold(client: Client, gold: Sequence[GoldQuestion]) -> str:
    """The evidence-score threshold that best separates answerable from not on the tune split."""
    scored = []
    for q in gold:
        a = client.ask(q.question, 5, "hybrid", q.history)
        scored.append(Scored(q, a.evidence_score or 0.0, not a.answerable))
    tune = [s for s in scored if s.question.split == "tune"]
    hold = [s for s in scored if s.question.split == "holdout"]
    best = max(sorted({s.score for s in tune}), key=lambda t: balanced_accuracy(tune, t))
    lines = [f"threshold (TRAINERQA_ABSTAIN_BELOW) = {best:.4f}"]
    for name, rows in (("tune", tune), ("holdout", hold)):
        lines.append(f"{name}: balanced accuracy {balanced_accuracy(rows, best):.3f}")
    for s in sorted(scored, key=lambda r: r.score):
        kind = "A" if s.question.answerable else "U"
        rule = "rule" if s.declined else "    "
        lines.append(f"  {s.score:.4f} {kind} {rule} {s.question.split:7} {s.question.id:9} {s.question.question}")
    return "\n".join(lines)


def balanced_accuracy(rows: Sequence[Scored], threshold: float) -> float:
    """Mean of the rates of answering answerable and declining unanswerable questions."""
    answered = [not (s.declined or s.score < threshold) for s in rows if s.question.answerable]
    declined = [s.declined or s.score < threshold for s in rows if not s.question.answerable]
    return (sum(answered) / max(1, len(answered)) + sum(declined) / max(1, len(declined))) / 2
