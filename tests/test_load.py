"""Load on loopback: 50 clients ask Chinese and English questions of a real server for
LOAD_SECONDS (default 60); no 5xx, no transport errors; a document added meanwhile is kept.

The numbers are printed and written to test-artifacts/load.json.
"""

import asyncio
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from answer.engine import QAEngine
from service.loadtest import LoadReport, ask_bodies, run_load, write_report
from service.settings import Settings
from tests.support import ROOT, running_server

pytestmark = pytest.mark.load

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
CLIENTS = 50
ARTIFACT = ROOT / "test-artifacts" / "load.json"
NEW_DOC = {
    "title": "The Qinghe AI trainer workshop",
    "source": "https://example.org/qinghe-workshop",
    "lang": "en",
    "text": (
        "The Qinghe AI trainer workshop is a short course for new data annotators. "
        "Each session of the Qinghe workshop lasts exactly 95 minutes. "
        "Trainees who attend all twelve sessions receive a lavender certificate from the Qinghe training hall."
    ),
}
NEW_QUESTION = "How long does each session of the Qinghe workshop last?"


@dataclass
class LoadRun:
    """A finished load run, and the answer to adding a document while it ran."""

    url: str
    report: LoadReport
    before: set[str]
    added: httpx.Response


@pytest.fixture(scope="module")
def load_run(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadRun]:
    """A server over copies of the corpus and index, loaded by CLIENTS clients; it stays up for the checks."""
    tmp = tmp_path_factory.mktemp("load")
    shutil.copytree(settings.corpus_dir, tmp / "corpus")
    shutil.copytree(settings.index_dir, tmp / "index")
    token = secrets.token_urlsafe(24)
    env = {
        "TRAINERQA_CORPUS_DIR": str(tmp / "corpus"),
        "TRAINERQA_INDEX_DIR": str(tmp / "index"),
        "TRAINERQA_FEEDBACK_DB": str(tmp / "feedback.sqlite3"),
        "TRAINERQA_ADMIN_TOKEN": token,
        "TRAINERQA_ASK_RATE_PER_MINUTE": "1e9",
        "TRAINERQA_ASK_BURST": "1000000",
    }
    with running_server(env) as url:
        yield asyncio.run(_load(url, token))


async def _load(url: str, token: str) -> LoadRun:
    """Run the load; a third of the way in, add a document."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        before = {d["doc_id"] for d in (await http.get("/v1/documents")).json()["documents"]}
        load = asyncio.create_task(run_load(url, ask_bodies(), CLIENTS, LOAD_SECONDS))
        await asyncio.sleep(LOAD_SECONDS / 3)
        added = await http.post("/v1/documents", json=NEW_DOC, headers={"Authorization": f"Bearer {token}"})
        return LoadRun(url, await load, before, added)


def test_no_server_or_transport_errors_under_load(load_run: LoadRun, capsys: pytest.CaptureFixture[str]) -> None:
    report = load_run.report
    write_report(report, ARTIFACT)
    with capsys.disabled():
        print(f"\nload: {report.summary()} (written to {ARTIFACT.relative_to(ROOT)})")
    assert report.server_errors == 0 and report.transport_errors == 0, report.error_samples
    assert report.requests >= CLIENTS and set(report.statuses) == {"200"}


def test_a_document_added_under_load_is_listed_and_cited(load_run: LoadRun) -> None:
    assert load_run.added.status_code == 201, load_run.added.text
    doc_id = load_run.added.json()["document"]["doc_id"]
    listed = _wait_indexed(load_run.url, doc_id)
    assert load_run.before | {doc_id} == listed  # nothing lost, the new one in
    r = httpx.post(f"{load_run.url}/v1/ask", json={"question": NEW_QUESTION}, timeout=60)
    assert r.status_code == 200 and "95 minutes" in r.json()["answer"], r.text
    assert doc_id in {c["doc_id"] for c in r.json()["citations"]}


def _wait_indexed(url: str, doc_id: str) -> set[str]:
    """The listed doc ids, once `doc_id` is listed as indexed and nothing is pending."""
    deadline = time.monotonic() + 120
    while True:
        body: dict[str, Any] = httpx.get(f"{url}/v1/documents", timeout=60).json()
        docs = {d["doc_id"]: d for d in body["documents"]}
        if doc_id in docs and docs[doc_id].get("indexed", True) and not body.get("pending", False):
            return set(docs)
        assert time.monotonic() < deadline, f"{doc_id} not indexed in time: {body}"
        time.sleep(0.5)
