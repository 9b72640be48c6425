"""Fit the abstention thresholds on the tune split only; report them on both splits.

The utility follows our users: a correct answer or a rightful "not in our materials" scores
+1, declining an answerable question 0, and a wrong answer (missing facts, or any answer to
a question the corpus cannot answer) -1, because a wrong figure read aloud on the hotline is
worse than saying the materials do not cover it. The engine also declines, whatever the
scores, when the evidence misses a place, person or year that the question names.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from eval.clients import Client
from eval.gold import GoldQuestion
from eval.metrics import facts_correct

COVERAGE_GRID = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


@dataclass(frozen=True)
class Scored:
    """A gold question with the engine's scores for its best answer."""

    question: GoldQuestion
    score: float
    coverage: float
    declined: bool  # by the constraint rule alone
    correct: bool


def fit_thresholds(client: Client, gold: Sequence[GoldQuestion]) -> str:
    """The (score, coverage) thresholds of the best utility on the tune split, and the report."""
    scored = [_score(client, q) for q in gold]
    tune = [s for s in scored if s.question.split == "tune"]
    hold = [s for s in scored if s.question.split == "holdout"]
    grid = product(sorted({s.score for s in tune}), COVERAGE_GRID)
    best_s, best_c = max(grid, key=lambda t: utility(tune, *t))
    lines = [f"TRAINERQA_ABSTAIN_BELOW={best_s:.4f} TRAINERQA_MIN_COVERAGE={best_c}"]
    for name, rows in (("tune", tune), ("holdout", hold)):
        lines.append(
            f"{name}: utility {utility(rows, best_s, best_c):+.3f} (never declining: "
            f"{utility(rows, float('-inf'), 0.0):+.3f})"
        )
    for s in sorted(scored, key=lambda r: r.score):
        kind = "A" if s.question.answerable else "U"
        lines.append(
            f"  {s.score:.4f} cov={s.coverage:.2f} {kind} {'ok' if s.correct else '--'} "
            f"{'rule' if s.declined else '    '} {s.question.split:7} {s.question.id:9} {s.question.question}"
        )
    return "\n".join(lines)


def _score(client: Client, q: GoldQuestion) -> Scored:
    a = client.ask(q.question, 5, "hybrid", q.history)
    correct = q.answerable and a.answerable and facts_correct(a.answer, q)
    return Scored(q, a.evidence_score or 0.0, a.coverage or 0.0, not a.answerable, correct)


def utility(rows: Sequence[Scored], min_score: float, min_coverage: float) -> float:
    """Mean utility per question when declining under the thresholds."""
    total = 0
    for s in rows:
        declined = s.declined or s.score < min_score or s.coverage < min_coverage
        if declined:
            total += 0 if s.question.answerable else 1
        else:
            total += 1 if s.correct else -1
    return total / len(rows) if rows else 0.0
