import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.settings import Settings
from tests.conftest import CORPUS
from tests.pdf import tiny_pdf

TOKEN = "s3cret-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"
NEW_DOC = {
    "title": "Pudong AI trainer night school",
    "source": "test fixture",
    "text": "The Pudong night school for AI trainers opened in March 2026. "
    "The Pudong night school teaches data annotation to 480 students every evening.",
    "lang": "en",
    "doc_id": "pudong-night-school",
}


@pytest.fixture
def admin(tmp_path: Path, settings: Settings) -> Iterator[TestClient]:
    """An app with an admin token over its own copy of the corpus and index."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    s = settings.model_copy(
        update={
            "corpus_dir": tmp_path / "corpus",
            "index_dir": tmp_path / "index",
            "admin_token": SecretStr(TOKEN),
            "sync_seconds": 0.2,
            "feedback_db": tmp_path / "fb.sqlite3",
        }
    )
    with TestClient(create_app(s)) as tc:
        wait(lambda: tc.get("/readyz").status_code == 200)
        yield tc


def wait(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def indexed(tc: TestClient, doc_id: str) -> bool:
    r = tc.get(f"/v1/documents/{doc_id}")
    return r.status_code == 200 and r.json()["indexed"]


def test_admin_endpoints_are_off_without_a_configured_token(client: TestClient) -> None:
    r = client.post("/v1/documents", json=NEW_DOC, headers=AUTH)
    assert r.status_code == 403 and r.headers["content-type"] == PROBLEM


def test_missing_or_wrong_token_is_refused(admin: TestClient) -> None:
    r = admin.post("/v1/documents", json=NEW_DOC)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = admin.post("/v1/documents", json=NEW_DOC, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = admin.delete("/v1/documents/wanwei-trainer-career")
    assert r.status_code == 401
    assert admin.get("/v1/documents/wanwei-trainer-career").status_code == 200


def test_added_document_is_listed_at_once_indexed_soon_and_answers(admin: TestClient) -> None:
    before = admin.get("/readyz").json()["index_version"]
    r = admin.post("/v1/documents", json=NEW_DOC, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["document"]["doc_id"] == "pudong-night-school" and r.json()["pending"]
    listed = {d["doc_id"] for d in admin.get("/v1/documents").json()["documents"]}
    assert "pudong-night-school" in listed
    wait(lambda: indexed(admin, "pudong-night-school"))
    detail = admin.get("/v1/documents/pudong-night-school").json()
    assert detail["chunks"] and all(detail["text"][c["start"] : c["end"]] == c["text"] for c in detail["chunks"])
    body = admin.post("/v1/ask", json={"question": "How many students does the Pudong night school teach?"}).json()
    assert body["index_version"] != before
    assert body["answerable"] and "480" in body["answer"]
    assert body["citations"][0]["doc_id"] == "pudong-night-school"


def test_duplicate_unknown_and_invalid_documents_are_4xx(admin: TestClient) -> None:
    assert admin.post("/v1/documents", json=NEW_DOC, headers=AUTH).status_code == 201
    assert admin.post("/v1/documents", json=NEW_DOC, headers=AUTH).status_code == 409
    assert admin.put("/v1/documents/nope", json=NEW_DOC, headers=AUTH).status_code == 404
    assert admin.delete("/v1/documents/nope", headers=AUTH).status_code == 404
    assert admin.get("/v1/documents/nope").status_code == 404
    bad = admin.post("/v1/documents", json={**NEW_DOC, "doc_id": "Bad Id!"}, headers=AUTH)
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert admin.post("/v1/documents", json={"title": "t"}, headers=AUTH).status_code == 422
    r = admin.post("/v1/documents", content=b"title=x", headers={**AUTH, "content-type": "text/plain"})
    assert r.status_code == 415


def test_replace_and_remove(admin: TestClient) -> None:
    admin.post("/v1/documents", json=NEW_DOC, headers=AUTH)
    changed = {**NEW_DOC, "text": "The Pudong night school now teaches 730 students on weekends."}
    changed.pop("doc_id")
    r = admin.put("/v1/documents/pudong-night-school", json=changed, headers=AUTH)
    assert r.status_code == 200
    wait(lambda: "730" in (admin.get("/v1/documents/pudong-night-school").json()["text"] or ""))
    assert admin.delete("/v1/documents/pudong-night-school", headers=AUTH).status_code == 200
    assert admin.get("/v1/documents/pudong-night-school").status_code == 404
    wait(lambda: not admin.get("/v1/documents").json()["pending"])
    hits = admin.get("/v1/search", params={"q": "Pudong night school students", "k": 10}).json()["results"]
    assert all(h["doc_id"] != "pudong-night-school" for h in hits)


def test_html_upload_has_its_page_chrome_stripped(admin: TestClient) -> None:
    html = (
        "<html><body><nav><a href='/'>Home</a> | <a href='/login'>Login</a></nav>"
        "<article><h1>Minhang AI trainer fair</h1><p>The Minhang fair on AI trainer careers drew 2,300 "
        "visitors in October 2026, most of them office workers.</p><p>Employers offered 140 data "
        "annotation posts at the fair.</p></article><footer>Back to top | Copyright</footer></body></html>"
    )
    files = {"file": ("fair.html", html.encode(), "text/html")}
    r = admin.post("/v1/documents", files=files, data={"title": "Minhang fair", "doc_id": "minhang-fair"}, headers=AUTH)
    assert r.status_code == 201, r.text
    wait(lambda: indexed(admin, "minhang-fair"))
    text = admin.get("/v1/documents/minhang-fair").json()["text"]
    assert "2,300 visitors" in text and "Login" not in text and "Copyright" not in text


def test_pdf_upload_is_extracted(admin: TestClient) -> None:
    pdf = tiny_pdf("The Songjiang AI trainer centre certified 615 trainees in 2026.")
    r = admin.post(
        "/v1/documents",
        files={"file": ("report.pdf", pdf, "application/pdf")},
        data={"title": "Songjiang report", "doc_id": "songjiang-report", "lang": "en"},
        headers=AUTH,
    )
    assert r.status_code == 201, r.text
    wait(lambda: indexed(admin, "songjiang-report"))
    assert "615 trainees" in admin.get("/v1/documents/songjiang-report").json()["text"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", tiny_pdf("hidden pdf")),
        ("notes.txt", b"\x00\x01\x02binary"),
        ("notes.txt", b"\xff\xfe\xfa"),
        ("tool.exe", b"MZ\x90\x00"),
        ("page.pdf", b"<html><body><p>not a pdf</p></body></html>"),
    ],
)
def test_uploads_are_checked_by_content(admin: TestClient, name: str, data: bytes) -> None:
    r = admin.post("/v1/documents", files={"file": (name, data)}, data={"title": "x"}, headers=AUTH)
    assert r.status_code == 415 and r.headers["content-type"] == PROBLEM


def test_answers_keep_coming_while_the_index_rebuilds(admin: TestClient) -> None:
    version = admin.get("/readyz").json()["index_version"]
    admin.post("/v1/documents", json=NEW_DOC, headers=AUTH)
    seen = set()
    while not indexed(admin, "pudong-night-school"):
        r = admin.post("/v1/ask", json={"question": "课程是周末上课吗"})
        assert r.status_code == 200
        seen.add(r.json()["index_version"])
    assert version in seen or len(seen) >= 1
