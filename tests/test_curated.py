"""Curated answers (issue 10): the admin API, matching in /v1/ask, and staleness after a corpus change.

Real parts throughout: the real corpus and index, the app through TestClient, and a real
`python -m service` process for what a caller sees over HTTP.
"""

import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from answer.curated import CuratedIndex, Thresholds, topic_words
from answer.engine import QAEngine
from eval.curated import PARAPHRASES, fit, load_probes, score
from service.app import create_app
from service.settings import Settings
from tests.support import CORPUS, running_server, server_env

TOKEN = "curated-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"
ROWS = [json.loads(line) for line in PARAPHRASES.read_text(encoding="utf-8").splitlines() if line.strip()]
PASSED = ROWS[0]  # "How many people passed the AI trainer exam in Shanghai in 2025?"
CITED_DOC = "xinhua-trainer-certificate"
CITED_TEXT = "16,300 participants for AI trainers, with 10,900 earning the credential"


def wait(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def ready(tc: TestClient) -> TestClient:
    wait(lambda: tc.get("/readyz").status_code == 200)
    return tc


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def entry_body(questions: list[str], citations: list[dict[str, Any]], **answers: str) -> dict[str, Any]:
    return {
        "questions": questions,
        "answers": answers or {"en": "Staff answer.", "zh": "工作人员的回答。"},
        "citations": citations,
        "approved_by": "Wang Fang",
    }


@pytest.fixture(scope="module")
def admin_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A curated store in folders that do not exist yet."""
    return tmp_path_factory.mktemp("curated-api") / "nested" / "curated.sqlite3"


@pytest.fixture(scope="module")
def admin(settings: Settings, engine: QAEngine, admin_db: Path) -> Iterator[TestClient]:
    """The app with an admin token and a curated store of its own, over the session's index."""
    s = settings.model_copy(update={"curated_db": admin_db, "admin_token": SecretStr(TOKEN)})
    with TestClient(create_app(s)) as tc:
        yield ready(tc)


@pytest.fixture(scope="module")
def cited(admin: TestClient) -> dict[str, Any]:
    """A citation of the sentence that gives the 2025 pass figure."""
    text = admin.get(f"/v1/documents/{CITED_DOC}").json()["text"]
    start, end = span(text, CITED_TEXT)
    return {"doc_id": CITED_DOC, "start": start, "end": end}


def test_the_admin_api_refuses_without_the_token(admin: TestClient, client: TestClient) -> None:
    body = entry_body(["q?"], [])
    calls = [
        ("GET", "/v1/curated", None),
        ("POST", "/v1/curated", body),
        ("GET", "/v1/curated/1", None),
        ("PUT", "/v1/curated/1", body),
        ("DELETE", "/v1/curated/1", None),
        ("GET", "/v1/curated/1/history", None),
        ("POST", "/v1/curated/1/approve", {"approved_by": "x"}),
    ]
    for method, path, json_body in calls:
        r = admin.request(method, path, json=json_body)
        assert r.status_code == 401 and r.headers["content-type"] == PROBLEM, (method, path)
        r = admin.request(method, path, json=json_body, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 403 and r.headers["content-type"] == PROBLEM, (method, path)
        assert client.request(method, path, json=json_body, headers=AUTH).status_code == 403  # no token configured


def test_create_show_replace_approve_delete_with_history(admin: TestClient, cited: dict[str, Any]) -> None:
    r = admin.post("/v1/curated", json=entry_body(["课程是周末上课吗?"], [cited], zh="是的，周末上课。"), headers=AUTH)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["citations"] == [{**cited, "text": CITED_TEXT}]  # the server fills the text in
    assert created["answers"] == {"zh": "是的，周末上课。", "en": None}
    assert (created["version"], created["stale"], created["stale_reason"]) == (1, False, None)
    assert created["approved_by"] == "Wang Fang" and created["approved_at"]
    eid = created["id"]
    assert admin.get(f"/v1/curated/{eid}", headers=AUTH).json() == created
    assert eid in {e["id"] for e in admin.get("/v1/curated", headers=AUTH).json()}

    changed = entry_body(["课程是周末上课吗?", "Are classes on weekends?"], [], en="Yes, on weekends.")
    r = admin.put(f"/v1/curated/{eid}", json={**changed, "approved_by": "Li Lei"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["questions"][1] == "Are classes on weekends?"
    assert r.json()["approved_by"] == "Li Lei" and r.json()["citations"] == []
    r = admin.post(f"/v1/curated/{eid}/approve", json={"approved_by": "Zhao Min"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["version"] == 3 and r.json()["approved_by"] == "Zhao Min"

    assert admin.delete(f"/v1/curated/{eid}", headers=AUTH).status_code == 204
    assert admin.get(f"/v1/curated/{eid}", headers=AUTH).status_code == 404
    history = admin.get(f"/v1/curated/{eid}/history", headers=AUTH).json()
    assert [(v["version"], v["action"], v["changed_by"]) for v in history] == [
        (4, "delete", "admin"),
        (3, "approve", "Zhao Min"),
        (2, "update", "Li Lei"),
        (1, "create", "Wang Fang"),
    ]
    assert history[-1]["entry"] == created and all(v["changed_at"] for v in history)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"citations": [{"doc_id": "no-such-doc", "start": 0, "end": 5}]}, "no document 'no-such-doc'"),
        ({"citations": [{"doc_id": CITED_DOC, "start": 10, "end": 10**6}]}, "is not a span of"),
        ({"citations": [{"doc_id": CITED_DOC, "start": 30, "end": 20}]}, "is not a span of"),
    ],
)
def test_citations_must_point_at_passage_text(admin: TestClient, change: dict[str, Any], reason: str) -> None:
    r = admin.post("/v1/curated", json={**entry_body(["q?"], []), **change}, headers=AUTH)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert reason in r.json()["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"questions": []},
        {"questions": ["   "]},
        {"questions": ["x" * 501]},
        {"answers": {"zh": " ", "en": None}},
        {"answers": {}},
        {"answers": {"en": "x" * 8001}},
        {"approved_by": ""},
        {"approved_by": "a\u202eb"},
        {"feedback_id": 0},
        {"unknown": 1},
    ],
)
def test_invalid_entries_are_422_with_the_field(admin: TestClient, change: dict[str, Any]) -> None:
    r = admin.post("/v1/curated", json={**entry_body(["q?"], []), **change}, headers=AUTH)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM and r.json()["errors"]


def test_unknown_entries_are_404(admin: TestClient) -> None:
    for method, path in [("GET", "/v1/curated/999999"), ("DELETE", "/v1/curated/999999")]:
        r = admin.request(method, path, headers=AUTH)
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    r = admin.put("/v1/curated/999999", json=entry_body(["q?"], []), headers=AUTH)
    assert r.status_code == 404
    assert admin.get("/v1/curated/999999/history", headers=AUTH).status_code == 404
    assert admin.get("/v1/curated/0", headers=AUTH).status_code == 422


def test_the_store_is_sqlite_in_wal_mode(admin: TestClient, admin_db: Path) -> None:
    created = admin.post("/v1/curated", json=entry_body(["wal?"], []), headers=AUTH).json()
    admin.delete(f"/v1/curated/{created['id']}", headers=AUTH)
    with sqlite3.connect(admin_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_an_unreadable_store_is_503_for_the_admin_and_no_matter_to_askers(
    settings: Settings, engine: QAEngine, tmp_path: Path
) -> None:
    s = settings.model_copy(update={"curated_db": tmp_path, "admin_token": SecretStr(TOKEN)})  # a folder
    with TestClient(create_app(s)) as tc:
        ready(tc)
        r = tc.get("/v1/curated", headers=AUTH)
        assert r.status_code == 503 and r.headers["content-type"] == PROBLEM
        assert str(tmp_path) not in r.text and "see the server log" in r.json()["detail"]
        body = tc.post("/v1/ask", json={"question": PASSED["curated"][0]}).json()
        assert body["origin"] == "corpus" and "10,900" in body["answer"]


@pytest.fixture(scope="module")
def served(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server of two worker processes whose store holds every curated question of the paraphrase set
    (one entry a row, each created through whichever worker took the request: the other must notice)."""
    db = tmp_path_factory.mktemp("curated-served") / "curated.sqlite3"
    env = server_env(
        settings.model_copy(update={"curated_db": db}), admin_token=TOKEN, rate_per_minute=1e9, rate_burst=1_000_000
    )
    with running_server(env, args=["--workers", "2"]) as url:
        streak, deadline = 0, time.monotonic() + 90  # /readyz was 200 from one worker: wait for both
        while streak < 20:
            assert time.monotonic() < deadline, "a worker never got ready"
            streak = streak + 1 if httpx.get(f"{url}/readyz", timeout=30).status_code == 200 else 0
        text = httpx.get(f"{url}/v1/documents/{CITED_DOC}", timeout=30).json()["text"]
        start, end = span(text, CITED_TEXT)
        for row in ROWS:
            citations = [{"doc_id": CITED_DOC, "start": start, "end": end}] if row is PASSED else []
            body = entry_body(row["curated"], citations, en=f"Answer to {row['entry']}.", zh=f"{row['entry']} 的回答。")
            assert httpx.post(f"{url}/v1/curated", json=body, headers=AUTH, timeout=30).status_code == 201
        yield url


def ask(url: str, question: str) -> dict[str, Any]:
    r = httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=30)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_exact_question_gets_the_curated_answer(served: str) -> None:
    body = ask(served, PASSED["curated"][0])
    assert body["origin"] == "curated" and body["answer"] == "Answer to passed-2025."
    assert body["curated"]["approved_by"] == "Wang Fang" and body["curated"]["approved_at"]
    assert body["answerable"] and body["lang"] == "en" and body["short_answer"] is None
    [c] = body["citations"]
    assert (c["n"], c["doc_id"], c["text"]) == (1, CITED_DOC, CITED_TEXT)
    assert c["passage"][c["start"] - c["passage_start"] : c["end"] - c["passage_start"]] == CITED_TEXT


def test_a_paraphrase_in_the_other_language_gets_it_in_that_language(served: str) -> None:
    body = ask(served, "2025年上海AI训练师考试有多少人通过?")
    assert body["origin"] == "curated" and body["lang"] == "zh" and body["answer"] == "passed-2025 的回答。"
    assert body["curated"]["id"] == ask(served, PASSED["curated"][0])["curated"]["id"]


def test_no_near_miss_ever_gets_a_curated_answer(served: str) -> None:
    near_misses = [q for row in ROWS for q in row["near_miss"]]
    leaked = [q for q in near_misses if ask(served, q)["origin"] != "corpus"]
    assert leaked == []
    body = ask(served, "How many people took the AI trainer exam in Shanghai in 2025?")
    assert body["curated"] is None and "16,300" in body["answer"]  # the corpus answers it instead


def test_an_answer_only_in_one_language_is_served_to_both(served: str) -> None:
    body = entry_body(["How much does an AI trainer in Pudong earn each month?"], [], zh="浦东的工资因岗位而异。")
    assert httpx.post(f"{served}/v1/curated", json=body, headers=AUTH, timeout=30).status_code == 201
    got = ask(served, "How much does an AI trainer in Pudong earn each month?")
    assert got["origin"] == "curated" and got["answer"] == "浦东的工资因岗位而异。" and got["lang"] == "en"


def test_the_eval_engine_never_consults_the_store(served: str, engine: QAEngine) -> None:
    answer = engine.ask(PASSED["curated"][0], 5)  # what `python -m eval` runs in process
    assert answer.text != "Answer to passed-2025." and "10,900" in answer.text


STALE_DOC = {
    "title": "Minhang AI trainer workshop",
    "source": "test fixture",
    "text": "The Minhang workshop for AI trainers opened in May 2026. It trains 240 annotators every month.",
    "lang": "en",
    "doc_id": "minhang-workshop",
}
STALE_QUESTION = "How many annotators does the Minhang workshop train each month?"


@pytest.fixture
def scratch(tmp_path: Path, settings: Settings, engine: QAEngine) -> Iterator[TestClient]:
    """The app over a copy of the corpus and index, re-indexing within 0.2 s of a change."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    s = settings.model_copy(
        update={
            "corpus_dir": tmp_path / "corpus",
            "index_dir": tmp_path / "index",
            "curated_db": tmp_path / "curated.sqlite3",
            "admin_token": SecretStr(TOKEN),
            "sync_seconds": 0.2,
        }
    )
    with TestClient(create_app(s)) as tc:
        yield ready(tc)


def indexed_text(tc: TestClient, doc_id: str) -> str | None:
    r = tc.get(f"/v1/documents/{doc_id}")
    return r.json()["text"] if r.status_code == 200 else None


def test_a_stale_entry_is_not_served_until_approved_again(scratch: TestClient) -> None:
    assert scratch.post("/v1/documents", json=STALE_DOC, headers=AUTH).status_code == 201
    wait(lambda: indexed_text(scratch, "minhang-workshop") is not None)
    start, end = span(indexed_text(scratch, "minhang-workshop") or "", "It trains 240 annotators every month.")
    citation = {"doc_id": "minhang-workshop", "start": start, "end": end}
    body = entry_body([STALE_QUESTION], [citation], en="240 a month.")
    eid = scratch.post("/v1/curated", json=body, headers=AUTH).json()["id"]
    assert scratch.post("/v1/ask", json={"question": STALE_QUESTION}).json()["origin"] == "curated"

    changed = {**STALE_DOC, "text": STALE_DOC["text"].replace("240", "260")}
    assert scratch.put("/v1/documents/minhang-workshop", json=changed, headers=AUTH).status_code == 200
    wait(lambda: "260" in (indexed_text(scratch, "minhang-workshop") or ""))
    after = scratch.post("/v1/ask", json={"question": STALE_QUESTION}).json()
    assert after["origin"] == "corpus" and after["curated"] is None
    [stale] = scratch.get("/v1/curated?stale=true", headers=AUTH).json()
    assert stale["id"] == eid and stale["stale"] and "changed" in stale["stale_reason"]
    assert scratch.get("/v1/curated?stale=false", headers=AUTH).json() == []

    r = scratch.post(f"/v1/curated/{eid}/approve", json={"approved_by": "Zhao Min"}, headers=AUTH)
    assert r.status_code == 200 and not r.json()["stale"]
    assert r.json()["citations"][0]["text"] == "It trains 260 annotators every month."
    again = scratch.post("/v1/ask", json={"question": STALE_QUESTION}).json()
    assert again["origin"] == "curated" and again["curated"]["approved_by"] == "Zhao Min"
    actions = [v["action"] for v in scratch.get(f"/v1/curated/{eid}/history", headers=AUTH).json()]
    assert actions == ["approve", "stale", "create"]


def test_a_removed_document_makes_its_entries_stale(scratch: TestClient) -> None:
    assert scratch.post("/v1/documents", json=STALE_DOC, headers=AUTH).status_code == 201
    wait(lambda: indexed_text(scratch, "minhang-workshop") is not None)
    start, end = span(indexed_text(scratch, "minhang-workshop") or "", "It trains 240 annotators every month.")
    body = entry_body([STALE_QUESTION], [{"doc_id": "minhang-workshop", "start": start, "end": end}])
    eid = scratch.post("/v1/curated", json=body, headers=AUTH).json()["id"]
    before = scratch.get("/readyz").json()["index_version"]
    assert scratch.delete("/v1/documents/minhang-workshop", headers=AUTH).status_code == 200
    wait(lambda: scratch.get("/readyz").json()["index_version"] != before)
    assert scratch.post("/v1/ask", json={"question": STALE_QUESTION}).json()["origin"] == "corpus"
    entry = scratch.get(f"/v1/curated/{eid}", headers=AUTH).json()
    assert entry["stale"] and "no longer in the corpus" in entry["stale_reason"]
    r = scratch.post(f"/v1/curated/{eid}/approve", json={"approved_by": "Zhao Min"}, headers=AUTH)
    assert r.status_code == 422 and "no document 'minhang-workshop'" in r.json()["detail"]


def test_the_configured_thresholds_are_those_fitted_and_no_near_miss_passes(
    settings: Settings, engine: QAEngine
) -> None:
    probes = load_probes(engine)
    fitted = fit([p for p in probes if p.split == "tune"])
    configured = Thresholds(settings.curated_same_lang, settings.curated_cross_lang)
    # The fit lands on a cosine of the probes, to 3 decimals; that cosine differs in its last digit
    # between machines (0.835 here, 0.836 on CI for the same code), so the fit is compared within
    # that, and what is served, the configured thresholds, is scored.
    assert fitted.same_lang == pytest.approx(configured.same_lang, abs=0.0015)
    assert fitted.cross_lang == pytest.approx(configured.cross_lang, abs=0.0015)
    tune, holdout = (score([p for p in probes if p.split == s], configured) for s in ("tune", "holdout"))
    assert tune.leaks == [] and holdout.leaks == []
    assert (tune.matched, holdout.matched) == (6, 2)  # the README's figures


def test_the_agreement_checks_tell_near_misses_from_paraphrases(engine: QAEngine) -> None:
    curated = "How many people passed the AI trainer exam in Shanghai in 2025?"
    index = CuratedIndex.build([(1, curated)], engine.retriever, topic_words(engine.index, engine.terms), {})
    agrees = [
        "how many people passed the AI trainer exam in 2025",
        "2025年上海AI训练师考试有多少人通过?",
    ]
    differs = [
        "How many people took the AI trainer exam in Shanghai in 2025?",  # another fact
        "How many people passed the AI trainer exam in Shanghai in 2024?",  # another year
        "2025年北京AI训练师考试有多少人通过?",  # another city, in the other language
        "What share of candidates passed the AI trainer exam in 2025?",  # another answer type
        "How many people passed the AI trainer exam in Shanghai in 2025 on the first try?",  # asks more
        "AI训练师考试",  # nothing but topic words
    ]
    assert all(index.candidates(q) for q in agrees)
    assert [q for q in differs if index.candidates(q)] == []
