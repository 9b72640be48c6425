"""The review of rated answers: feedback rows with filters, reviewers' verdicts, the dashboard figures.

Everything lives in the feedback database (service/feedback.py): verdicts in their own table,
the question's language worked out by index.language when asked for (a SQL function), so that
rows stored before any of this are reviewed like new ones.
"""

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import numpy as np

from index.language import detect_lang
from index.types import Embedder
from service.errors import ConflictError, NotFoundError
from service.feedback import COLUMNS, FeedbackStore

VerdictKind = Literal["declining_right", "curated", "gold"]
LANGS = ("zh", "en")
# Two questions are one topic at this cosine of their e5 query vectors. Measured on our embedder:
# paraphrases 0.91-0.98 ("明天会下雨吗" / "天气预报明天" 0.96), the same topic across languages
# 0.84-0.88, unrelated in-domain questions at most 0.83.
CLUSTER_COSINE = 0.88
# Declined questions embedded for the clusters: the newest ones (one batch, well under a second).
CLUSTER_ROWS = 500
# A declined answer: stored as such, or (rows from before `answerable` was stored) one without citations.
_DECLINED = "(answerable = 0 OR (answerable IS NULL AND citations = '[]'))"
_JSON_COLUMNS = ("citations", "history", "opened_related")


@dataclass(frozen=True)
class FeedbackFilter:
    """Which feedback rows to review; None means any."""

    lang: Literal["zh", "en"] | None = None
    rating: Literal["up", "down"] | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    index_version: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters."""
        parts, args = ["1"], []
        for clause, value in (
            ("lang(question) = ?", self.lang),
            ("rating = ?", self.rating),
            ("created_at >= ?", self.since and self.since.isoformat()),
            ("created_at < ?", self.until and (self.until + timedelta(days=1)).isoformat()),
            ("index_version = ?", self.index_version),
        ):
            if value is not None:
                parts.append(clause)
                args.append(value)
        return " AND ".join(parts), args


class ReviewStore:
    """Queries and verdicts over one feedback database."""

    def __init__(self, feedback: FeedbackStore) -> None:
        self.feedback = feedback

    def rows(self, where: FeedbackFilter, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """A page of rows, thumbs-down first, newest first within each, with their verdicts; and the total."""
        condition, args = where.where()
        with self.feedback.connection() as conn:
            _add_lang(conn)
            total = conn.execute(f"SELECT count(*) FROM feedback WHERE {condition}", args).fetchone()[0]
            found = conn.execute(
                f"SELECT {', '.join(COLUMNS)} FROM feedback WHERE {condition} "
                "ORDER BY rating = 'down' DESC, created_at DESC, id DESC LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
            rows = [_row(values) for values in found]
            verdicts = _verdicts_of(conn, [r["id"] for r in rows])
        for row in rows:
            row["verdicts"] = verdicts.get(row["id"], [])
        return rows, int(total)

    def add_verdict(self, feedback_id: int, kind: VerdictKind, ref: str | None) -> dict[str, Any]:
        """Record a verdict on a feedback row (404 without the row, 409 when it has one of this kind)."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self.feedback.connection() as conn, conn:
            if conn.execute("SELECT 1 FROM feedback WHERE id = ?", (feedback_id,)).fetchone() is None:
                raise NotFoundError(f"no feedback row {feedback_id}")
            try:
                cursor = conn.execute(
                    "INSERT INTO verdicts (feedback_id, kind, ref, created_at) VALUES (?, ?, ?, ?)",
                    (feedback_id, kind, ref, created),
                )
            except sqlite3.IntegrityError as exc:
                raise ConflictError(
                    f"feedback row {feedback_id} has a {kind!r} verdict already; undo it first"
                ) from exc
        return {
            "id": int(cursor.lastrowid or 0),
            "feedback_id": feedback_id,
            "kind": kind,
            "ref": ref,
            "created_at": created,
        }

    def delete_verdict(self, verdict_id: int) -> None:
        """Undo a verdict (404 when there is none of this id)."""
        with self.feedback.connection() as conn, conn:
            if conn.execute("DELETE FROM verdicts WHERE id = ?", (verdict_id,)).rowcount == 0:
                raise NotFoundError(f"no verdict {verdict_id}")

    def stats(self, days: int, embedder: Embedder, today: date | None = None) -> dict[str, Any]:
        """Rated answers per day and language, the shares declined and thumbs-down, the top unanswered topics."""
        first = (today or datetime.now(UTC).date()) - timedelta(days=days - 1)
        with self.feedback.connection() as conn:
            _add_lang(conn)
            daily = conn.execute(
                "SELECT substr(created_at, 1, 10) AS day, lang(question), count(*), "
                f"sum({_DECLINED}), sum(rating = 'down') FROM feedback WHERE created_at >= ? "
                "GROUP BY day, lang(question) ORDER BY day",
                (first.isoformat(),),
            ).fetchall()
            unanswered = {
                lang: [
                    q
                    for (q,) in conn.execute(
                        f"SELECT question FROM feedback WHERE {_DECLINED} AND created_at >= ? AND lang(question) = ? "
                        "ORDER BY created_at DESC, id DESC LIMIT ?",
                        (first.isoformat(), lang, CLUSTER_ROWS),
                    )
                ]
                for lang in LANGS
            }
        return {
            "since": first.isoformat(),
            "days": _days(daily, first, days),
            "languages": {lang: _totals([d for d in daily if d[1] == lang]) for lang in LANGS},
            "total": _totals(daily),
            "unanswered": {lang: clusters(qs, embedder) for lang, qs in unanswered.items()},
        }


def clusters(questions: Sequence[str], embedder: Embedder, top: int = 10) -> list[dict[str, Any]]:
    """Greedy clustering by cosine: each question joins the first cluster whose first (newest) question is
    within CLUSTER_COSINE, else starts one; the biggest clusters first."""
    if not questions:
        return []
    vectors = embedder.embed_queries(list(questions))
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    leaders: list[int] = []
    members: dict[int, list[str]] = {}
    for i, question in enumerate(questions):
        near = [j for j in leaders if float(vectors[i] @ vectors[j]) >= CLUSTER_COSINE]
        if near:
            members[near[0]].append(question)
        else:
            leaders.append(i)
            members[i] = [question]
    ranked = sorted(leaders, key=lambda j: (-len(members[j]), j))[:top]
    return [{"question": questions[j], "count": len(members[j]), "examples": _distinct(members[j])[:5]} for j in ranked]


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _add_lang(conn: sqlite3.Connection) -> None:
    conn.create_function("lang", 1, detect_lang, deterministic=True)


def _row(values: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(COLUMNS, values, strict=True))
    row.update({c: json.loads(row[c]) for c in _JSON_COLUMNS})
    stored = row["answerable"]
    row["answerable"] = bool(row["citations"]) if stored is None else bool(stored)
    row["lang"] = detect_lang(row["question"])
    return row


def _verdicts_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    marks = ", ".join("?" * len(ids))
    for vid, fid, kind, ref, created in conn.execute(
        f"SELECT id, feedback_id, kind, ref, created_at FROM verdicts WHERE feedback_id IN ({marks}) ORDER BY id",
        ids,
    ):
        found.setdefault(fid, []).append(
            {"id": vid, "feedback_id": fid, "kind": kind, "ref": ref, "created_at": created}
        )
    return found


def _days(daily: list[tuple[Any, ...]], first: date, days: int) -> list[dict[str, Any]]:
    """One entry a day (days without ratings too), with counts per language."""
    out = []
    for n in range(days):
        day = (first + timedelta(days=n)).isoformat()
        counts = {lang: next((d[2] for d in daily if d[0] == day and d[1] == lang), 0) for lang in LANGS}
        out.append({"date": day, "questions": sum(counts.values()), **counts})
    return out


def _totals(daily: list[tuple[Any, ...]]) -> dict[str, Any]:
    n = sum(d[2] for d in daily)
    declined, down = sum(d[3] for d in daily), sum(d[4] for d in daily)
    return {
        "questions": n,
        "declined": declined,
        "down": down,
        "declined_share": declined / n if n else None,
        "down_share": down / n if n else None,
    }
