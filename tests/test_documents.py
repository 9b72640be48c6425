import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from answer.engine import QAEngine
from index.documents import DocumentStore
from service.app import create_app
from service.settings import Settings
from tests.conftest import CORPUS, running_server
from tests.pdf import bomb_pdf, encrypted_pdf, many_pages_pdf, page_loop_pdf, slow_pdf, tiny_pdf

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
def admin(tmp_path: Path, settings: Settings, engine: QAEngine) -> Iterator[TestClient]:
    """An app with an admin token over its own copy of the corpus and index."""
    with admin_client(tmp_path, settings) as tc:
        yield tc


@contextmanager
def admin_client(tmp_path: Path, settings: Settings, **overrides: Any) -> Iterator[TestClient]:
    """The app over a copy of the corpus and index in `tmp_path`, with the admin token and `overrides`."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    s = settings.model_copy(
        update={
            "corpus_dir": tmp_path / "corpus",
            "index_dir": tmp_path / "index",
            "admin_token": SecretStr(TOKEN),
            "sync_seconds": 0.2,
            "feedback_db": tmp_path / "fb.sqlite3",
            **overrides,
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


FULL_WIDTH_DOC = {
    "title": "浦东AI训练师夜校",
    "source": "test fixture",
    "text": "浦东AI训练师夜校：２０２６年３月开课，每晚教授数据标注。\n"
    "浦东夜校现有学员４８０名（均为在职人员）；课程为期六个月。",
    "lang": "zh",
    "doc_id": "pudong-night-school-zh",
}


def test_a_document_with_full_width_punctuation_is_quoted_as_written(admin: TestClient) -> None:
    assert admin.post("/v1/documents", json=FULL_WIDTH_DOC, headers=AUTH).status_code == 201
    wait(lambda: indexed(admin, "pudong-night-school-zh"))
    text = admin.get("/v1/documents/pudong-night-school-zh").json()["text"]
    assert text == FULL_WIDTH_DOC["text"].replace("\n", "\n\n")  # paragraphs as written, nothing folded
    body = admin.post("/v1/ask", json={"question": "浦东夜校现有多少名学员？"}).json()
    assert body["answerable"] and body["citations"][0]["doc_id"] == "pudong-night-school-zh"
    cited = body["citations"][0]
    assert cited["text"] == "浦东夜校现有学员４８０名（均为在职人员）；" == text[cited["start"] : cited["end"]]
    assert cited["text"] in body["answer"]


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


def upload(tc: TestClient, name: str, data: bytes, **fields: str) -> httpx.Response:
    """POST a file as multipart/form-data with the admin token."""
    form = {"title": "Upload", **fields}
    return tc.post("/v1/documents", files={"file": (name, data)}, data=form, headers=AUTH)


def assert_problem(r: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """A problem+json response of this status whose detail names every one of `words`."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert all(w in body["detail"] for w in words), body["detail"]
    return body


@pytest.mark.parametrize(
    ("make_pdf", "status", "reason"),
    [
        (lambda: encrypted_pdf("The Jinshan report is secret."), 422, "encrypted"),
        (lambda: bomb_pdf(100 << 20), 413, "inflates to more than 52428800 bytes"),
        (page_loop_pdf, 422, "page loop"),
        (lambda: many_pages_pdf(20_000), 413, "more than 2000 pages"),
        (lambda: b"%PDF-1.4\n" + b"garbage" * 100, 422, "cannot be read"),
    ],
    ids=["encrypted", "decompression-bomb", "page-loop", "20000-pages", "malformed"],
)
def test_hostile_pdfs_are_refused_with_the_reason(
    admin: TestClient, make_pdf: Callable[[], bytes], status: int, reason: str
) -> None:
    before = admin.get("/v1/documents").json()["documents"]
    assert_problem(upload(admin, "report.pdf", make_pdf(), doc_id="hostile-pdf"), status, reason)
    assert admin.get("/v1/documents").json()["documents"] == before


def test_a_parse_past_its_time_limit_is_422_at_the_limit(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    with admin_client(tmp_path, settings, upload_parse_seconds=1.0) as tc:
        started = time.monotonic()
        r = upload(tc, "slow.pdf", slow_pdf(pages=10))  # 1.7 s a page when it may run on
        elapsed = time.monotonic() - started
        assert_problem(r, 422, "within 1 s")
        assert elapsed < 4, f"the parse was stopped after {elapsed:.1f} s"
        assert upload(tc, "ok.pdf", tiny_pdf("The Jinshan AI trainer hub opened in 2026.")).status_code == 201


def test_the_server_answers_while_an_upload_is_parsed(settings: Settings, engine: QAEngine, tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    env = {
        "TRAINERQA_CORPUS_DIR": str(tmp_path / "corpus"),
        "TRAINERQA_INDEX_DIR": str(tmp_path / "index"),
        "TRAINERQA_FEEDBACK_DB": str(tmp_path / "fb.sqlite3"),
        "TRAINERQA_ADMIN_TOKEN": TOKEN,
        "TRAINERQA_UPLOAD_PARSE_SECONDS": "4",
    }
    with running_server(env) as url:
        answer: list[httpx.Response] = []
        slow = slow_pdf(pages=10)
        files = {"file": ("slow.pdf", slow)}
        post = threading.Thread(
            target=lambda: answer.append(
                httpx.post(f"{url}/v1/documents", files=files, data={"title": "Slow"}, headers=AUTH, timeout=30)
            )
        )
        post.start()
        probes = []
        while post.is_alive():
            started = time.monotonic()
            assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
            probes.append(time.monotonic() - started)
            time.sleep(0.1)
        post.join()
    assert_problem(answer[0], 422, "within 4 s")
    assert max(probes) < 1, f"/healthz took {max(probes):.2f} s while an upload was parsed"
    assert len(probes) >= 10, "the upload was not parsed long enough to probe the server meanwhile"


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", '"documents" list'),
        (b'{"documents": 5}', '"documents" list'),
        (b'{"documents": [{"doc_id": 1}]}', "document 0 is invalid"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_an_unreadable_manifest_is_503_without_paths(
    admin: TestClient, tmp_path: Path, manifest: bytes, reason: str
) -> None:
    (tmp_path / "corpus" / "manifest.json").write_bytes(manifest)
    for path in ("/v1/documents", "/v1/documents/wanwei-trainer-career"):
        body = assert_problem(admin.get(path), 503, "corpus/manifest.json", reason)
        assert str(tmp_path) not in body["detail"] and "/work" not in body["detail"]
    assert_problem(admin.post("/v1/documents", json=NEW_DOC, headers=AUTH), 503, reason)


def test_published_must_be_a_calendar_date(admin: TestClient) -> None:
    r = admin.post("/v1/documents", json={**NEW_DOC, "published": "2026-02-30"}, headers=AUTH)
    assert_problem(r, 422, "published", "2026-02-30 is not a date of the calendar")
    r = upload(admin, "notes.txt", NEW_DOC["text"].encode(), published="2026-02-30")
    assert_problem(r, 422, "published", "not a date")
    assert admin.post("/v1/documents", json={**NEW_DOC, "published": "2024-02-29"}, headers=AUTH).status_code == 201


@pytest.mark.parametrize(("name", "kind"), [("notes.txt", "text"), ("page.html", "html")])
def test_a_utf8_bom_is_stripped_from_uploads(admin: TestClient, tmp_path: Path, name: str, kind: str) -> None:
    text = "The Qingpu AI trainer school opened a second campus in May 2026."
    body = text if kind == "text" else f"<html><body><article><p>{text}</p></article></body></html>"
    r = upload(admin, name, b"\xef\xbb\xbf" + body.encode(), doc_id="qingpu-school")
    assert r.status_code == 201, r.text
    assert DocumentStore(tmp_path / "corpus").get("qingpu-school")[1] == text


@pytest.mark.parametrize("title", ["invoice\u202egpj.exe", "a\u2066isolated\u2069 title", "bell\x07", "two\nlines"])
def test_control_and_bidi_characters_in_titles_are_422(admin: TestClient, title: str) -> None:
    codepoint = f"U+{ord(next(c for c in title if not c.isalnum() and c != ' ')):04X}"
    r = admin.post("/v1/documents", json={**NEW_DOC, "title": title}, headers=AUTH)
    assert_problem(r, 422, "title", codepoint)
    assert_problem(upload(admin, "notes.txt", NEW_DOC["text"].encode(), title=title), 422, "title", codepoint)
    r = admin.post("/v1/documents", json={**NEW_DOC, "source": title}, headers=AUTH)
    assert_problem(r, 422, "source", codepoint)
