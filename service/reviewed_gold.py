"""Gold questions added by reviewers: a JSONL file in eval/gold.jsonl's row format, read by `python -m eval`
as the slice "reviewed" of the tune split (so `python -m eval calibrate` may tune on it, never hold it out).

Every change rewrites the whole file to a temporary file and renames it over the old one, under a file
lock: a reader sees the old file or the new, never half of one.
"""

import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from eval.gold import gold_question
from index.language import detect_lang
from index.types import Document
from service.errors import NotFoundError, ProblemError

SLICE = "reviewed"
SPLIT = "tune"  # reviewed rows are fitted on, never held out
_ID = re.compile(r"^rev-(\d+)$")


class InvalidGoldError(ProblemError):
    """A gold question whose evidence is not in the corpus, or whose fields contradict each other."""

    status = 422
    title = "Invalid gold question"


class ReviewedGold:
    """The reviewed gold file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(f"{path}.lock")

    def rows(self) -> list[dict[str, Any]]:
        """Every row, oldest first ([] while the file does not exist)."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def add(self, fields: dict[str, Any], documents: dict[str, Document]) -> dict[str, Any]:
        """Check a new question against the corpus, give it the next id, and store it."""
        _check_consistent(fields)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            rows = self.rows()
            row = {
                "id": f"rev-{_next_number(rows):02d}",
                "split": SPLIT,
                "slice": SLICE,
                "lang": fields.get("lang") or detect_lang(fields["question"]),
                **{k: v for k, v in fields.items() if k != "lang"},
                "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            try:
                gold_question(row, documents)
            except ValueError as exc:
                raise InvalidGoldError(str(exc)) from exc
            self._write([*rows, row])
        return row

    def delete(self, gold_id: str) -> None:
        """Remove one row (404 when there is none of this id)."""
        with self._lock:
            rows = self.rows()
            kept = [r for r in rows if r["id"] != gold_id]
            if len(kept) == len(rows):
                raise NotFoundError(f"no reviewed gold question {gold_id!r}")
            self._write(kept)

    def _write(self, rows: list[dict[str, Any]]) -> None:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _check_consistent(fields: dict[str, Any]) -> None:
    """An answerable question needs its evidence and facts; an unanswerable one has neither."""
    if fields["answerable"] and not (fields["evidence"] and fields["facts"]):
        raise InvalidGoldError("an answerable gold question needs evidence (quotes of the corpus) and facts")
    if not fields["answerable"] and (fields["evidence"] or fields["facts"] or fields["short"]):
        raise InvalidGoldError("an unanswerable gold question has no evidence, facts or short answers")


def _next_number(rows: list[dict[str, Any]]) -> int:
    numbers = [int(m.group(1)) for r in rows if (m := _ID.match(str(r.get("id", ""))))]
    return max(numbers, default=0) + 1
