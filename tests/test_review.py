"""The review API on a real server: feedback to review with filters, verdicts and their undo, the dashboard,
reviewed gold questions checked against the corpus; and the eval's "reviewed" slice."""

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from answer.engine import QAEngine
from answer.followup import corpus_knows
from eval.calibrate import fit_thresholds
from eval.clients import InProcessClient
from eval.gold import load_gold, load_reviewed
from eval.report import markdown
from eval.run import aggregate, evaluate
from index.glossary import Glossary
from index.language import has_han
from index.tokenize import tokenize
from service.feedback import FeedbackStore
from service.review import FeedbackFilter, ReviewStore
from service.settings import Settings
from tests.support import ROOT, running_server, server_env

TOKEN = "review-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"
ANSWERED_ZH = "AI训练师岗位数量增长了多少"
DECLINED_EN = ["What is the weather like in Paris tomorrow?", "Will it rain in Paris tomorrow?"]
# A gold question quoting an English article as eval/gold.jsonl's en-08 does.
GOLD = {
    "question": "what share of the AI trainer course is practice?",
    "facts": [["70 percent"]],
    "evidence": [
        {"doc_id": "ai-trainers-shortage", "quote": "with 70 percent hands-on training and 30 percent theory"}
    ],
    "type": "percent",
    "short": ["70 percent", "70%"],
}


@dataclass(frozen=True)
class Review:
    """The server, its reviewed gold file, and the ids of the feedback rows stored by the fixture."""

    url: str
    gold: Path
    answered_up: int
    answered_down: int
    declined: list[int]
    index_version: str


def _ask(http: httpx.Client, question: str) -> dict[str, Any]:
    r = http.post("/v1/ask", json={"question": question})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _rate(http: httpx.Client, question: str, answer: dict[str, Any], rating: str, comment: str | None = None) -> int:
    body = {
        "question": question,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "index_version": answer["index_version"],
        "rating": rating,
        "answerable": answer["answerable"],
        "history": [{"question": "培训是周末吗", "answer": "简答：周末 [1]。"}],
    } | ({"comment": comment} if comment else {})
    r = http.post("/v1/feedback", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


@pytest.fixture(scope="module")
def review(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Review]:
    """A real server with an admin token, a fresh feedback database and reviewed gold file, and rated answers:
    one Chinese answer rated up then down, two English declined questions on one topic rated down."""
    tmp = tmp_path_factory.mktemp("review")
    gold = tmp / "reviewed-gold.jsonl"
    env = server_env(
        settings, admin_token=TOKEN, feedback_db=tmp / "feedback.sqlite3", reviewed_gold=gold, rate_burst=10_000
    )
    with running_server(env) as url, httpx.Client(base_url=url, timeout=30) as http:
        answered = _ask(http, ANSWERED_ZH)
        assert answered["answerable"] and answered["citations"]
        up = _rate(http, ANSWERED_ZH, answered, "up")
        down = _rate(http, ANSWERED_ZH, answered, "down", "少了理论部分")
        declined = []
        for question in DECLINED_EN:
            reply = _ask(http, question)
            assert reply["answerable"] is False
            declined.append(_rate(http, question, reply, "down"))
        yield Review(url, gold, up, down, declined, answered["index_version"])


def _get(review: Review, path: str, **params: Any) -> Any:
    r = httpx.get(f"{review.url}{path}", params=params, headers=ADMIN, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/review/feedback"),
        ("GET", "/v1/review/stats"),
        ("POST", "/v1/review/feedback/1/verdicts"),
        ("DELETE", "/v1/review/verdicts/1"),
        ("GET", "/v1/gold"),
        ("POST", "/v1/gold"),
        ("DELETE", "/v1/gold/rev-01"),
    ],
)
def test_the_review_api_needs_the_admin_token(review: Review, method: str, path: str) -> None:
    body = {"kind": "declining_right"} if "verdicts" in path else GOLD if method == "POST" else None
    none = httpx.request(method, f"{review.url}{path}", json=body, timeout=10)
    wrong = httpx.request(method, f"{review.url}{path}", json=body, headers={"Authorization": "Bearer nope"})
    assert none.status_code == 401 and none.headers["content-type"] == PROBLEM
    assert wrong.status_code == 403 and wrong.headers["content-type"] == PROBLEM
    assert not review.gold.exists()


def test_rows_come_thumbs_down_first_newest_first_with_what_the_user_saw(review: Review) -> None:
    page = _get(review, "/v1/review/feedback")
    ids = [row["id"] for row in page["items"]]
    assert ids == [*reversed(review.declined), review.answered_down, review.answered_up]
    assert page["total"] == 4
    down = page["items"][2]
    assert down["question"] == ANSWERED_ZH and down["lang"] == "zh" and down["comment"] == "少了理论部分"
    assert down["answerable"] is True and down["citations"] and "67%" in down["answer"]
    assert down["history"] == [{"question": "培训是周末吗", "answer": "简答：周末 [1]。"}]
    assert page["items"][0]["answerable"] is False and page["items"][0]["lang"] == "en"


def test_filters_and_paging(review: Review) -> None:
    def ids(**params: Any) -> list[int]:
        return [row["id"] for row in _get(review, "/v1/review/feedback", **params)["items"]]

    today = datetime.now(UTC).date()
    assert ids(lang="zh") == [review.answered_down, review.answered_up]
    assert ids(lang="en", rating="down") == list(reversed(review.declined))
    assert ids(rating="up") == [review.answered_up]
    assert ids(index_version=review.index_version, rating="up") == [review.answered_up]
    assert ids(index_version="no-such-version") == []
    assert len(ids(since=today.isoformat(), until=today.isoformat())) == 4
    assert ids(until=(today - timedelta(days=1)).isoformat()) == []
    assert ids(since=(today + timedelta(days=1)).isoformat()) == []
    assert ids(limit=2, offset=1) == [review.declined[0], review.answered_down]
    bad = httpx.get(f"{review.url}/v1/review/feedback", params={"lang": "fr", "since": "2026-02-30"}, headers=ADMIN)
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert {e["loc"][-1] for e in bad.json()["errors"]} == {"lang", "since"}


def test_a_verdict_is_recorded_refused_twice_and_undone(review: Review) -> None:
    fid = review.declined[0]
    url = f"{review.url}/v1/review/feedback/{fid}/verdicts"
    made = httpx.post(url, json={"kind": "declining_right"}, headers=ADMIN)
    assert made.status_code == 201, made.text
    verdict = made.json()
    assert (verdict["feedback_id"], verdict["kind"], verdict["ref"]) == (fid, "declining_right", None)
    again = httpx.post(url, json={"kind": "declining_right"}, headers=ADMIN)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    rows = {row["id"]: row for row in _get(review, "/v1/review/feedback")["items"]}
    assert rows[fid]["verdicts"] == [verdict] and rows[review.declined[1]]["verdicts"] == []

    undone = httpx.delete(f"{review.url}/v1/review/verdicts/{verdict['id']}", headers=ADMIN)
    assert undone.status_code == 204
    rows = {row["id"]: row for row in _get(review, "/v1/review/feedback")["items"]}
    assert rows[fid]["verdicts"] == []
    assert httpx.delete(f"{review.url}/v1/review/verdicts/{verdict['id']}", headers=ADMIN).status_code == 404
    missing = httpx.post(f"{review.url}/v1/review/feedback/999999/verdicts", json={"kind": "gold"}, headers=ADMIN)
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_the_dashboard_counts_days_shares_and_clusters_unanswered_questions(review: Review) -> None:
    deadline = time.monotonic() + 10  # the question log is written by a background thread
    while (stats := _get(review, "/v1/review/stats", days=7))["total"]["questions"] < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(stats["days"]) == 7
    today = stats["days"][-1]
    # three questions asked (one Chinese answered, two English declined); four answers rated, three down
    assert today == {"date": datetime.now(UTC).date().isoformat(), "questions": 3, "zh": 1, "en": 2} | {
        "declined": 2,
        "rated": 4,
    }
    assert stats["total"] == {
        "questions": 3,
        "declined": 2,
        "rated": 4,
        "down": 3,
        "declined_share": 2 / 3,
        "down_share": 1.0,
        "down_share_rated": 0.75,
    }
    assert stats["languages"]["zh"]["declined_share"] == 0.0 and stats["languages"]["en"]["declined_share"] == 1.0
    assert stats["languages"]["zh"]["down_share_rated"] == 0.5 and stats["question_log"] is True
    # the two wordings of one question are one topic
    assert stats["unanswered"]["en"] == [
        {"question": DECLINED_EN[1], "count": 2, "examples": [DECLINED_EN[1], DECLINED_EN[0]]}
    ]
    assert stats["unanswered"]["zh"] == []


def _post_gold(review: Review, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{review.url}/v1/gold", json=body, headers=ADMIN, timeout=30)


def test_gold_questions_are_checked_against_the_corpus(review: Review) -> None:
    cases = [
        GOLD | {"evidence": [{"doc_id": "ai-trainers-shortage", "quote": "80 percent hands-on training"}]},
        GOLD | {"evidence": [{"doc_id": "no-such-doc", "quote": "70 percent"}]},
        GOLD | {"evidence": []},
        GOLD | {"answerable": False},
        GOLD | {"type": "colour"},
    ]
    for body in cases:
        r = _post_gold(review, body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"] == PROBLEM and r.json()["detail"]
    assert "not found" in _post_gold(review, cases[0]).json()["detail"]
    assert "no-such-doc" in _post_gold(review, cases[1]).json()["detail"]
    assert _get(review, "/v1/gold")["items"] == []


def test_gold_questions_are_added_listed_and_removed(review: Review) -> None:
    r = _post_gold(review, GOLD | {"feedback_id": review.answered_down})
    assert r.status_code == 201, r.text
    row = r.json()
    assert (row["id"], row["split"], row["slice"], row["lang"]) == ("rev-01", "tune", "reviewed", "en")
    stored = [json.loads(line) for line in review.gold.read_text(encoding="utf-8").splitlines()]
    assert stored == [row] and _get(review, "/v1/gold")["items"] == [row]
    second = _post_gold(review, GOLD | {"question": "实操占几成", "facts": [["70 percent"]]}).json()
    assert (second["id"], second["lang"]) == ("rev-02", "zh")

    assert httpx.delete(f"{review.url}/v1/gold/rev-01", headers=ADMIN).status_code == 204
    assert [r["id"] for r in _get(review, "/v1/gold")["items"]] == ["rev-02"]
    assert httpx.delete(f"{review.url}/v1/gold/rev-01", headers=ADMIN).status_code == 404
    assert _post_gold(review, GOLD).json()["id"] == "rev-03"  # ids are never reused


def _write_jsonl(path: Path, rows: list[dict]) -> None:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_the_eval_scores_reviewed_questions_as_their_own_tune_slice(engine: QAEngine, tmp_path: Path) -> None:
    path = tmp_path / "reviewed.jsonl"
    rows = [
        {"id": "rev-01", "split": "tune", "slice": "reviewed", "lang": "en", "answerable": True, **GOLD},
        # a hand-edited row that claims the holdout stays on the tune side: reviewed rows are never held out
        {"id": "rev-02", "split": "holdout", "slice": "en", "lang": "zh", "answerable": True, **GOLD}
        | {"question": "实操占几成"},
    ]
    _write_jsonl(path, rows)
    reviewed = load_reviewed(engine.index.documents, path)
    assert [(q.id, q.split, q.slice) for q in reviewed] == [
        ("rev-01", "tune", "reviewed"),
        ("rev-02", "tune", "reviewed"),
    ]
    assert load_reviewed(engine.index.documents, tmp_path / "none.jsonl") == []

    vocabulary = {t for d in engine.index.documents.values() for t in tokenize(d.text)}
    knows = corpus_knows(vocabulary, Glossary([t for t in vocabulary if has_han(t)]))
    summary = aggregate(evaluate(InProcessClient(engine), reviewed, ["hybrid"], knows))
    assert summary["hybrid/tune/reviewed"]["n"] == 2
    assert summary["hybrid/tune/reviewed"]["fact_accuracy"] == 1.0
    assert "hybrid/holdout/reviewed" not in summary
    assert "| hybrid | reviewed |" in markdown(summary, {})


def test_a_row_stored_before_answerable_was_sent_counts_as_declined_without_citations(tmp_path: Path) -> None:
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    base = {"answer": "…", "index_version": "v", "rating": "down", "comment": None}
    feedback.add(base | {"question": "明天天气怎么样", "citations": []})  # no `answerable`: an older widget
    feedback.add(base | {"question": "培训是周末吗", "citations": [{"doc_id": "d", "text": "周末"}]})
    feedback.add(base | {"question": "学费多少", "citations": [], "answerable": True, "origin": "curated"})
    rows, total = ReviewStore(feedback).rows(FeedbackFilter(lang="zh"), 10, 0)
    assert total == 3
    assert [(r["question"], r["answerable"], r["origin"]) for r in rows] == [
        ("学费多少", True, "curated"),
        ("培训是周末吗", True, None),
        ("明天天气怎么样", False, None),
    ]


def test_python_m_eval_reports_the_reviewed_slice(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    reviewed = tmp_path / "reviewed.jsonl"
    row = {"id": "rev-01", "split": "tune", "slice": "reviewed", "lang": "en", "answerable": True, **GOLD}
    reviewed.write_text(json.dumps(row) + "\n", encoding="utf-8")
    env = {**os.environ, **server_env(settings)}
    args = ["--reviewed", str(reviewed), "--slice", "reviewed", "--mode", "hybrid", "--out", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-m", "eval", *args, "--report", str(tmp_path / "report.md")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"^\| hybrid \| reviewed \| 1 \| 1\.000 \|", done.stdout, re.M), done.stdout
    latest = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert latest["meta"]["reviewed_questions"] == 1
    assert [(q["id"], q["split"], q["facts_ok"]) for q in latest["questions"]] == [("rev-01", "tune", True)]


def test_calibrate_tunes_on_reviewed_questions_and_never_holds_them_out(engine: QAEngine, tmp_path: Path) -> None:
    path = tmp_path / "reviewed.jsonl"
    rows = [
        {"id": "rev-01", "split": "holdout", "slice": "en", "lang": "en", "answerable": True, **GOLD},
        {"id": "rev-02", "split": "tune", "slice": "reviewed", "lang": "zh", "answerable": True, **GOLD}
        | {"question": "实操占几成"},
    ]
    _write_jsonl(path, rows)
    gold = load_gold(engine.index.documents)
    some = [q for q in gold if q.split == "tune"][:3] + [q for q in gold if q.split == "holdout"][:2]
    report = fit_thresholds(InProcessClient(engine), some + load_reviewed(engine.index.documents, path))
    assert "tune (5 questions, 2 of them reviewed)" in report
    assert "holdout (never tuned, 2 questions)" in report
