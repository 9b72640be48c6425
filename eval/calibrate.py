"""Fit the abstention thresholds on the tune split only, by k-fold cross-validation; report the
never-tuned holdout on its own.

Three thresholds: the evidence score under which we decline, the share of question terms the
evidence must hold (questions that want a sentence), and the share of the question that must
stand near a typed short answer (questions that want a figure, a name, a date...). The utility
follows our users: a correct answer or a rightful "not in our materials" scores +1, declining
an answerable question 0, and a wrong answer -1, because a wrong figure read aloud on the
hotline is worse than saying the materials do not cover it.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from eval.clients import Client
from eval.gold import REVIEWED, GoldQuestion
from eval.metrics import facts_correct, relevant_ranks

COVERAGE_GRID = (0.0, 0.2, 0.3, 0.4, 0.5)
FOCUS_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
FOLDS = 5
MAX_FALSE_ALARMS = 0.10  # share of off-topic questions that may get related passages


@dataclass(frozen=True)
class Scored:
    """A gold question with the engine's scores for its answer when nothing is declined by threshold."""

    question: GoldQuestion
    score: float
    coverage: float
    focus: float | None  # None: the question wants a sentence, not a typed short answer
    declined: bool  # by the rules alone (no candidate of the asked type, a constraint unmet)
    correct: bool


Thresholds = tuple[float, float, float]  # score, coverage, focus


def fit_thresholds(client: Client, gold: Sequence[GoldQuestion]) -> str:
    """The thresholds of the best utility on the tune split, their k-fold estimate, and the holdout."""
    scored = [_score(client, q) for q in gold]
    tune = [s for s in scored if s.question.split == "tune"]
    hold = [s for s in scored if s.question.split == "holdout"]
    best = fit(tune)
    folds = cross_validate(tune)
    lines = [
        f"TRAINERQA_ABSTAIN_BELOW={best[0]:.4f} TRAINERQA_MIN_COVERAGE={best[1]} TRAINERQA_MIN_FOCUS={best[2]}",
        f"tune ({len(tune)} questions, {sum(s.question.slice == REVIEWED for s in tune)} of them reviewed): "
        f"utility {utility(tune, best):+.3f}; {FOLDS}-fold cross-validated {folds:+.3f}",
        f"holdout (never tuned, {len(hold)} questions): utility {utility(hold, best):+.3f} (never declining: "
        f"{utility(hold, (float('-inf'), 0.0, 0.0)):+.3f})",
    ]
    return "\n".join(lines)


def fit(rows: Sequence[Scored]) -> Thresholds:
    """The thresholds of the best utility on these rows (ties go to the least declining)."""
    scores = sorted({float("-inf"), *(s.score for s in rows)})
    grid = product(scores, COVERAGE_GRID, FOCUS_GRID)
    return max(grid, key=lambda t: (utility(rows, t), -t[0], -t[1], -t[2]))


def cross_validate(rows: Sequence[Scored]) -> float:
    """Mean utility on each fold of thresholds fitted on the other folds."""
    shuffled = list(rows)
    random.Random(0).shuffle(shuffled)
    folds = [shuffled[i::FOLDS] for i in range(FOLDS)]
    held = [utility(fold, fit([s for f in folds if f is not fold for s in f])) for fold in folds]
    return sum(held) / len(held)


def _score(client: Client, q: GoldQuestion) -> Scored:
    a = client.ask(q.question, 5, "hybrid", q.history)
    correct = q.answerable and a.answerable and facts_correct(a.answer, q)
    return Scored(q, a.evidence_score or 0.0, a.coverage or 0.0, a.focus, not a.answerable, correct)


def declines(s: Scored, t: Thresholds) -> bool:
    """Whether the engine declines this question under the thresholds."""
    min_score, min_coverage, min_focus = t
    if s.declined or s.score < min_score:
        return True
    return s.focus < min_focus if s.focus is not None else s.coverage < min_coverage


def utility(rows: Sequence[Scored], t: Thresholds) -> float:
    """Mean utility per question when declining under the thresholds."""
    total = 0
    for s in rows:
        if declines(s, t):
            total += 0 if s.question.answerable else 1
        else:
            total += 1 if s.correct else -1
    return total / len(rows) if rows else 0.0


def fit_related_floor(client: Client, gold: Sequence[GoldQuestion], offtopic: Sequence[GoldQuestion]) -> str:
    """The related-passages floor (answer/related.py), on tune data only: the lowest floor (the best
    recall of declined answerable tune questions whose related passages hold their evidence) at which
    at most MAX_FALSE_ALARMS of the off-topic tune half get related passages (the target of issue 12).

    The client's engine must give related passages whatever the score (related_floor = -inf)."""
    kept, refused = [], []
    for q in gold:
        if q.split == "tune" and q.answerable:
            a = client.ask(q.question, 5, "hybrid", q.history)
            if not a.answerable and relevant_ranks(a.related, q):
                kept.append(a.evidence_score or 0.0)
    for q in offtopic:
        a = client.ask(q.question, 5, "hybrid", q.history)
        if not a.answerable and a.related:
            refused.append(a.evidence_score or 0.0)
    if not kept:
        return "no declined tune question has its evidence among the related passages: no floor to fit"

    def false_alarms(floor: float) -> float:
        return sum(s >= floor for s in refused) / len(offtopic) if offtopic else 0.0

    floors = sorted({*kept, *(s + 1e-4 for s in refused)})
    floor = next((f for f in floors if false_alarms(f) <= MAX_FALSE_ALARMS), max(floors))
    floor = math.floor(floor * 10_000) / 10_000  # rounded down, so that the floor itself stays in
    recall = sum(s >= floor for s in kept) / len(kept)
    alarms = sum(s >= floor for s in refused)
    return (
        f"TRAINERQA_RELATED_FLOOR={floor:.4f} (tune: related recall {recall:.2f} of {len(kept)}; "
        f"{alarms} of {len(offtopic)} off-topic tune questions get related passages)"
    )
