"""The review of rated answers: feedback rows with filters, reviewers' verdicts, the dashboard figures
(over every question asked: the question log of service/question_log.py).

Everything lives in the feedback database (service/feedback.py): verdicts in their own table,
the question's language worked out by index.language when asked for (a SQL function), so that
rows stored before any of this are reviewed like new ones.
"""

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from answer.cache import LRUCache, normalise_question
from index.language import detect_lang
from index.tokenize import tokenize
from index.types import Embedder
from service.errors import ConflictError, NotFoundError
from service.feedback import COLUMNS, FeedbackStore, decoded

VerdictKind = Literal["declining_right", "curated", "gold"]
LANGS = ("zh", "en")
# Two wordings are one topic when they are the same once normalised (case, width, trailing "?"), or when
# their e5 query vectors reach CLUSTER_COSINE and they share CLUSTER_TERMS of their search terms (Jaccard).
# The cosine alone cannot tell in-domain questions apart: on eval/gold.jsonl's answerable questions of one
# language, 2.9% (zh) and 0.9% (en) of the pairs of different questions reach 0.94, and greedy clustering of
# the 85 Chinese ones made one group of 21. With the shared terms too, 0.7% (zh) and 0.3% (en) do; a reviewer
# would rather see two topics than one that hides a question.
CLUSTER_COSINE = 0.94
CLUSTER_TERMS = 0.4
# The most frequent distinct declined wordings clustered per language; every repeat counts.
CLUSTER_WORDINGS = 100
# A declined answer: stored as such, or (rows from before `answerable` was stored) one without citations.
_DECLINED = "(answerable = 0 OR (answerable IS NULL AND citations = '[]'))"


class QuestionVectors:
    """Query vectors of question wordings, embedded once each: the dashboard shows the same ones all day, and
    embedding 100 wordings takes seconds on two shared cores."""

    def __init__(self, size: int = 10_000) -> None:
        self.cache: LRUCache[NDArray[np.float32]] = LRUCache(size)

    def of(self, embedder: Embedder, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit-length row per text."""
        found: dict[str, NDArray[np.float32]] = {}
        for text in texts:
            if (cached := self.cache.get((embedder.name, text))) is not None:
                found[text] = cached
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            vectors = embedder.embed_queries(missing)
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            for text, vector in zip(missing, vectors, strict=True):
                self.cache.put((embedder.name, text), vector)
                found[text] = vector
        return np.stack([found[t] for t in texts])


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

    def stats(self, days: int, vectors: Callable[[Sequence[str]], NDArray[np.float32]]) -> dict[str, Any]:
        """Questions asked per day and language (the question log), the shares declined and thumbs-down, the top
        unanswered topics; thumbs-down are counted from the feedback rows, over the questions asked and rated."""
        first = datetime.now(UTC).date() - timedelta(days=days - 1)
        since = first.isoformat()
        with self.feedback.connection() as conn:
            _add_lang(conn)
            asked = conn.execute(
                "SELECT substr(created_at, 1, 10) AS day, lang, count(*), sum(answerable = 0) FROM questions "
                "WHERE created_at >= ? GROUP BY day, lang",
                (since,),
            ).fetchall()
            rated = conn.execute(
                "SELECT substr(created_at, 1, 10) AS day, lang(question), count(*), sum(rating = 'down') "
                "FROM feedback WHERE created_at >= ? GROUP BY day, lang(question)",
                (since,),
            ).fetchall()
            unanswered = {
                lang: conn.execute(
                    "SELECT question, count(*) AS n, max(created_at) AS last FROM questions WHERE answerable = 0 "
                    "AND created_at >= ? AND lang = ? GROUP BY question ORDER BY n DESC, last DESC, max(id) DESC "
                    "LIMIT ?",
                    (since, lang, CLUSTER_WORDINGS),
                ).fetchall()
                for lang in LANGS
            }
        return {
            "since": since,
            "days": _days(asked, rated, first, days),
            "languages": {lang: _totals(_of(asked, lang), _of(rated, lang)) for lang in LANGS},
            "total": _totals(asked, rated),
            "unanswered": {lang: clusters([(q, n) for q, n, _ in rows], vectors) for lang, rows in unanswered.items()},
        }


def clusters(
    wordings: Sequence[tuple[str, int]], vectors: Callable[[Sequence[str]], NDArray[np.float32]], top: int = 10
) -> list[dict[str, Any]]:
    """Greedy clustering of (wording, times asked), most asked first: a wording joins the first cluster whose
    first wording is the same topic (see CLUSTER_COSINE), else starts one; the most asked clusters first."""
    merged: dict[str, list[tuple[str, int]]] = {}
    for wording, n in wordings:
        merged.setdefault(normalise_question(wording), []).append((wording, n))
    distinct = sorted(((ws[0][0], sum(n for _, n in ws)) for ws in merged.values()), key=lambda w: -w[1])
    if not distinct:
        return []
    unit = vectors([w for w, _ in distinct])
    terms = [set(tokenize(w)) for w, _ in distinct]
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for i in range(len(distinct)):
        near = next((j for j in leaders if _same_topic(unit[i] @ unit[j], terms[i], terms[j])), None)
        if near is None:
            leaders.append(i)
            members[i] = [i]
        else:
            members[near].append(i)
    total = {j: sum(distinct[i][1] for i in members[j]) for j in leaders}
    ranked = sorted(leaders, key=lambda j: (-total[j], j))[:top]
    return [
        {"question": distinct[j][0], "count": total[j], "examples": [distinct[i][0] for i in members[j][:5]]}
        for j in ranked
    ]


def _same_topic(cosine: float, a: set[str], b: set[str]) -> bool:
    return float(cosine) >= CLUSTER_COSINE and len(a & b) >= CLUSTER_TERMS * max(1, len(a | b))


def _add_lang(conn: sqlite3.Connection) -> None:
    conn.create_function("lang", 1, detect_lang, deterministic=True)


def _row(values: Sequence[Any]) -> dict[str, Any]:
    """A feedback row with its language; `answerable` never None (see _DECLINED)."""
    row = decoded(values)
    if row["answerable"] is None:
        row["answerable"] = bool(row["citations"])
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


def _of(daily: list[tuple[Any, ...]], lang: str) -> list[tuple[Any, ...]]:
    return [d for d in daily if d[1] == lang]


def _days(asked: list[tuple[Any, ...]], rated: list[tuple[Any, ...]], first: date, days: int) -> list[dict[str, Any]]:
    """One entry a day (days without questions too): questions asked in all and per language, how many of them
    declined, and how many answers were rated."""
    out = []
    for n in range(days):
        day = (first + timedelta(days=n)).isoformat()
        today = [d for d in asked if d[0] == day]
        counts = {lang: sum(d[2] for d in _of(today, lang)) for lang in LANGS}
        out.append(
            {
                "date": day,
                "questions": sum(counts.values()),
                **counts,
                "declined": sum(d[3] for d in today),
                "rated": sum(d[2] for d in rated if d[0] == day),
            }
        )
    return out


def _totals(asked: list[tuple[Any, ...]], rated: list[tuple[Any, ...]]) -> dict[str, Any]:
    n, declined = sum(d[2] for d in asked), sum(d[3] for d in asked)
    n_rated, down = sum(d[2] for d in rated), sum(d[3] for d in rated)
    return {
        "questions": n,
        "declined": declined,
        "rated": n_rated,
        "down": down,
        "declined_share": declined / n if n else None,
        "down_share": down / n if n else None,
        "down_share_rated": down / n_rated if n_rated else None,
    }
