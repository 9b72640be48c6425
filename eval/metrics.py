"""Retrieval and answer metrics, each a pure function of results and gold."""

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from eval.gold import EvidenceSpan, GoldQuestion


@dataclass(frozen=True)
class Span:
    """A cited or retrieved span of a document."""

    doc_id: str
    start: int
    end: int
    text: str


def covers(span: Span, ev: EvidenceSpan) -> bool:
    """The span holds at least half of the evidence quote, or the quote's words elsewhere."""
    if ev.quote in span.text:
        return True  # articles repeat themselves (a summary restates the body)
    if span.doc_id != ev.doc_id:
        return False
    inside = min(span.end, ev.end) - max(span.start, ev.start)
    return inside >= 0.5 * (ev.end - ev.start)


def relevant_ranks(results: Sequence[Span], gold: GoldQuestion) -> list[int]:
    """1-based ranks of the results that hold some evidence."""
    return [r for r, s in enumerate(results, 1) if any(covers(s, e) for e in gold.evidence)]


def hit_at(ranks: Sequence[int], k: int) -> float:
    """1 when some relevant result ranks within k."""
    return 1.0 if any(r <= k for r in ranks) else 0.0


def reciprocal_rank(ranks: Sequence[int]) -> float:
    """1 / rank of the first relevant result, 0 when none."""
    return 1.0 / min(ranks) if ranks else 0.0


def ndcg_at(ranks: Sequence[int], n_relevant: int, k: int = 10) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks if r <= k)
    found = sum(1 for r in ranks if r <= k)  # overlapping chunks can hold the same quote
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(max(n_relevant, found), k) + 1))
    return dcg / ideal if ideal else 0.0


def facts_correct(answer: str, gold: GoldQuestion) -> bool:
    """Every fact of the gold question appears, in one of its spellings, in the answer."""
    return all(any(v in answer for v in variants) for variants in gold.facts)


def short_correct(short: str | None, gold: GoldQuestion) -> bool:
    """The short answer matches one of the gold's short answers (digits compared without commas)."""
    if short is None:
        return False
    said = _plain(short)
    return any(_plain(v) and (_plain(v) in said or said in _plain(v)) for v in gold.short)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(",", "").strip()


def citation_relevant(span: Span, text: str, gold: GoldQuestion) -> bool:
    """A citation is relevant when it overlaps the evidence or states a gold fact."""
    overlaps = any(span.doc_id == e.doc_id and span.start < e.end and e.start < span.end for e in gold.evidence)
    return overlaps or any(v in text for variants in gold.facts for v in variants)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]
