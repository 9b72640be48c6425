"""Fit the abstention threshold on the tune split only; report it on both splits."""

from collections.abc import Sequence

from eval.clients import Client
from eval.gold import GoldQuestion
from eval.metrics import facts_correct


def fit_threshold(client: Client, gold: Sequence[GoldQuestion]) -> str:
    """The threshold on the evidence score that best separates answerable from not (tune split)."""
    scored = [(q, client.ask(q.question, 5, "hybrid", q.history)) for q in gold]
    unknown = {q.id: a.unknown_share or 0.0 for q, a in scored}
    tune = [(q, a.evidence_score or 0.0, facts_correct(a.answer, q)) for q, a in scored if q.split == "tune"]
    hold = [(q, a.evidence_score or 0.0, facts_correct(a.answer, q)) for q, a in scored if q.split == "holdout"]
    candidates = sorted({s for _, s, _ in tune})
    best = max(candidates, key=lambda t: _balanced_accuracy(tune, t))
    lines = [f"threshold (TRAINERQA_ABSTAIN_BELOW) = {best:.4f}"]
    for name, rows in (("tune", tune), ("holdout", hold)):
        lines.append(f"{name}: balanced accuracy {_balanced_accuracy(rows, best):.3f}")
    for q, s, ok in sorted(tune + hold, key=lambda r: r[1]):
        lines.append(f"  {s:.4f} {'A' if q.answerable else 'U'} {'ok' if ok else '--'} {q.split:7} {q.id:9} "
                     f"unk={unknown[q.id]:.2f} {q.question}")
    return "\n".join(lines)


def _balanced_accuracy(rows: Sequence[tuple[GoldQuestion, float, bool]], threshold: float) -> float:
    """Mean of the rates of answering answerable and abstaining on unanswerable questions."""
    ans = [s >= threshold for q, s, _ in rows if q.answerable]
    una = [s < threshold for q, s, _ in rows if not q.answerable]
    return (sum(ans) / max(1, len(ans)) + sum(una) / max(1, len(una))) / 2
