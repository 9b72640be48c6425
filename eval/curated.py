"""Fit the curated-answer match thresholds (`python -m eval curated`) on the paraphrase set.

eval/curated_paraphrases.jsonl holds plausible curated questions, each with true paraphrases in
both languages (`match`: must get the entry) and near misses (`near_miss`: the same topic and a
different fact, year, place or person; must get no curated answer at all). Every row's curated
questions are loaded together, as a store would hold them, so a paraphrase that lands on another
entry counts as a leak too. The thresholds are fitted on the tune rows: no leak, then the most
paraphrases matched, then the middle of the interval that does as well; the holdout rows are
reported on their own.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from answer.curated import Candidate, CuratedIndex, Thresholds, topic_words
from answer.engine import QAEngine
from index.language import detect_lang

PARAPHRASES = Path(__file__).with_name("curated_paraphrases.jsonl")
MARGIN = 0.05  # the most a threshold sits under the lowest paraphrase it must take when nothing leaks below


@dataclass(frozen=True)
class Probe:
    """A question put to the curated index, the entry it must get (None: none), and what agreed with it."""

    question: str
    entry: int | None
    split: str
    cross: bool  # in a language none of its row's curated questions is in
    candidates: list[Candidate]

    def outcome(self, t: Thresholds) -> int | None:
        """The entry served under these thresholds, or None."""
        for c in self.candidates:
            if c.cosine >= (t.same_lang if c.same_lang else t.cross_lang):
                return c.entry_id
        return None


@dataclass(frozen=True)
class Score:
    """How a set of probes fares under some thresholds."""

    paraphrases: int
    matched: int
    near_misses: int
    leaks: list[str]  # near misses served an entry, paraphrases served the wrong one
    missed: list[str]

    @property
    def recall(self) -> float:
        """Share of the paraphrases that get their entry."""
        return self.matched / self.paraphrases if self.paraphrases else 0.0


def load_probes(engine: QAEngine, path: Path = PARAPHRASES) -> list[Probe]:
    """Every paraphrase and near miss, scored against all the rows' curated questions at once."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [(i, q) for i, row in enumerate(rows) for q in row["curated"]]
    index = CuratedIndex.build(questions, engine.retriever, topic_words(engine.index, engine.terms), {})
    return [
        Probe(
            q,
            i if kind == "match" else None,
            row["split"],
            detect_lang(q) not in {detect_lang(c) for c in row["curated"]},
            index.candidates(q),
        )
        for i, row in enumerate(rows)
        for kind in ("match", "near_miss")
        for q in row[kind]
    ]


def score(probes: Sequence[Probe], t: Thresholds) -> Score:
    """Paraphrases matched, near misses and wrong entries served."""
    leaks, missed, matched = [], [], 0
    for p in probes:
        got = p.outcome(t)
        if (p.entry is None and got is not None) or (p.entry is not None and got not in (None, p.entry)):
            leaks.append(p.question)
        elif p.entry is not None and got == p.entry:
            matched += 1
        elif p.entry is not None:
            missed.append(p.question)
    paraphrases = sum(p.entry is not None for p in probes)
    return Score(paraphrases, matched, len(probes) - paraphrases, leaks, missed)


def fit(probes: Sequence[Probe]) -> Thresholds:
    """No leak, the most paraphrases matched, each threshold in the middle of the interval that does as well."""
    same = _values(probes, True)
    cross = _values(probes, False)

    def goodness(t: Thresholds) -> tuple[int, int]:
        s = score(probes, t)
        return (-len(s.leaks), s.matched)

    best = max((Thresholds(a, b) for a, b in product(same, cross)), key=goodness)
    target = goodness(best)
    a = _middle(same, [v for v in same if goodness(Thresholds(v, best.cross_lang)) == target])
    b = _middle(cross, [v for v in cross if goodness(Thresholds(a, v)) == target])
    return Thresholds(a, b)


def _values(probes: Sequence[Probe], same_lang: bool) -> list[float]:
    """The cosines seen for this language pair, and 1.0 (serve none)."""
    seen = {math.floor(c.cosine * 10_000) / 10_000 for p in probes for c in p.candidates if c.same_lang == same_lang}
    return sorted({*seen, 1.0})


def _middle(values: list[float], good: list[float]) -> float:
    """Between the highest good value and the highest value under the good ones (a leak), rounded to 3 places."""
    low, high = min(good), max(good)
    below = [v for v in values if v < low]
    floor = max(below[-1] if below else high - MARGIN, high - MARGIN)
    return round((floor + high) / 2, 3)


def report(probes: Sequence[Probe], fitted: Thresholds, configured: Thresholds) -> str:
    """The fitted thresholds, and how they and the configured ones do on each split."""
    lines = [f"TRAINERQA_CURATED_SAME_LANG={fitted.same_lang} TRAINERQA_CURATED_CROSS_LANG={fitted.cross_lang}"]
    for name, t in (("fitted", fitted), ("configured", configured)):
        for split in ("tune", "holdout"):
            rows = [p for p in probes if p.split == split]
            s = score(rows, t)
            cross = [p for p in rows if p.entry is not None and p.cross]
            lines.append(
                f"{name} {split}: paraphrases matched {s.matched}/{s.paraphrases} ({s.recall:.2f}), "
                f"cross-language {score(cross, t).matched}/{len(cross)}; leaks {len(s.leaks)} "
                f"(near misses: {s.near_misses})"
            )
            lines += [f"  leak: {q}" for q in s.leaks] + [f"  missed: {q}" for q in s.missed]
    return "\n".join(lines)
