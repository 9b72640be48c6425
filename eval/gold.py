"""The gold question set: load it and locate its evidence in the cleaned corpus."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.cleaning import folded
from index.textmap import normalise
from index.types import Document

GOLD_PATH = Path(__file__).with_name("gold.jsonl")
OFFTOPIC_PATH = Path(__file__).with_name("offtopic.jsonl")
OFFTOPIC = "offtopic"  # the split and slice of the off-topic questions
REVIEWED = "reviewed"  # the slice of the gold questions reviewers added (service/reviewed_gold.py)


@dataclass(frozen=True)
class EvidenceSpan:
    """Where a gold quote lies in a document's cleaned text."""

    doc_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class GoldQuestion:
    """One gold question and what a right answer must hold."""

    id: str
    split: str
    slice: str
    lang: str
    question: str
    answerable: bool
    evidence: list[EvidenceSpan]
    facts: list[list[str]]
    conflict: bool
    history: list[dict[str, str]]
    type: str = "other"  # the expected answer type (eval/GOLD.md lists them)
    short: list[str] = field(default_factory=list)  # acceptable short answers; [] when none


def load_gold(documents: dict[str, Document], path: Path = GOLD_PATH) -> list[GoldQuestion]:
    """Every gold question, its quotes located in the cleaned texts (a missing quote is an error)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [gold_question(row, documents) for row in rows]


def gold_question(row: dict, documents: dict[str, Document]) -> GoldQuestion:  # type: ignore[type-arg]
    """One row of a gold file, its quotes located (ValueError when one is not in its article)."""
    spans = [_locate(e["doc_id"], e["quote"], documents) for e in row.get("evidence", [])]
    return GoldQuestion(
        row["id"],
        row["split"],
        row["slice"],
        row["lang"],
        row["question"],
        bool(row["answerable"]),
        spans,
        row.get("facts", []),
        bool(row.get("conflict", False)),
        row.get("history", []),
        row.get("type", "other"),
        row.get("short", []),
    )


def _locate(doc_id: str, quote: str, documents: dict[str, Document]) -> EvidenceSpan:
    """The quote's span in the text as written; quotes may use ASCII for its full-width punctuation."""
    if doc_id not in documents:
        raise ValueError(f"gold quote of a document not in the corpus: {doc_id!r}")
    text = documents[doc_id].text
    norm = normalise(text)
    needle = folded(quote)
    found = norm.text.find(needle)
    if found < 0:
        raise ValueError(f"gold quote not found in cleaned {doc_id}: {quote!r}")
    start, end = norm.span(found, found + len(needle))
    return EvidenceSpan(doc_id, start, end, text[start:end])


def load_reviewed(documents: dict[str, Document], path: Path) -> list[GoldQuestion]:
    """The reviewers' gold questions (none while the file does not exist): the slice "reviewed", in the tune
    split whatever a row says, so that thresholds may be fitted on them and the holdout stays never-tuned."""
    if not path.exists():
        return []
    return [replace(q, split="tune", slice=REVIEWED) for q in load_gold(documents, path)]


def load_offtopic(half: str | None = None, path: Path = OFFTOPIC_PATH) -> list[GoldQuestion]:
    """Clearly off-topic questions (weather, recipes, sports, other professions, other cities), to count
    how often a declined question gets related passages it should not. Every other row is in the "tune"
    half (the related-passages floor is fitted on it), the rest in the never-tuned "holdout" half."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if half is None or r["split"] == half]
    return [GoldQuestion(r["id"], OFFTOPIC, OFFTOPIC, r["lang"], r["question"], False, [], [], False, []) for r in rows]
