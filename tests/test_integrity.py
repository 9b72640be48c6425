"""A damaged index on disk is never served: real servers over a damaged copy of the index.

With TRAINERQA_REBUILD=auto the damaged version is set aside and rebuilt from the corpus;
with `never` /readyz says why within seconds. A restart with a corpus change made while the
server was down serves the last good version at once and catches up in the background.
"""

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from answer.engine import QAEngine
from index.documents import DocumentStore
from index.store import current_version, load_index
from service.settings import Settings
from tests.support import CORPUS, Server
from tests.test_crash import DOC, start

QUESTION = "How much of the course is practice and how much theory?"


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _drop_ten_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:5] + lines[15:]), encoding="utf-8")


def _overwrite_inside(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # same size: only the hash can tell
    path.write_bytes(bytes(data))


def _garbage(path: Path) -> None:
    path.write_text("{not json at all", encoding="utf-8")


DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "truncated-vectors": ("vectors.faiss", _truncate),
    "empty-documents": ("documents.jsonl", _empty),
    "ten-chunks-removed": ("chunks.jsonl", _drop_ten_lines),
    "vectors-overwritten": ("vectors.faiss", _overwrite_inside),
    "garbage-params": ("params.json", _garbage),
}


@pytest.fixture
def root(tmp_path: Path, settings: Settings, engine: QAEngine) -> Iterator[Path]:
    """A copy of the corpus and of the built (and verified) index."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    load_index(tmp_path / "index", check_hashes=True)
    yield tmp_path


def damage(root: Path, case: str) -> str:
    """Damage one file of the served version as `case` says; the version's name."""
    version = current_version(root / "index")
    assert version is not None
    name, spoil = DAMAGE[case]
    spoil(root / "index" / "versions" / version / name)
    return version


def readyz_until(server: Server, done: Callable[[httpx.Response], bool], seconds: float) -> list[httpx.Response]:
    """Poll /readyz until `done` (or the time is up); every response seen, each a 200 or a 503."""
    seen: list[httpx.Response] = []

    def check() -> bool:
        r = server.get("/readyz")
        seen.append(r)
        assert r.status_code in (200, 503), r.text
        return done(r)

    server.wait_until(check, seconds)
    return seen


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_index_is_set_aside_and_rebuilt(root: Path, case: str) -> None:
    damaged = damage(root, case)
    server = start(root, wait=False)
    try:
        seen = readyz_until(server, lambda r: r.status_code == 200, seconds=240)
        reasons = {r.json()["reason"] for r in seen if r.status_code == 503}
        assert "rebuilding: the index on disk is damaged; retry in a minute" in reasons
        assert not any("/" in reason for reason in reasons)  # no paths in public reasons
        version = seen[-1].json()["index_version"]
        assert version != damaged
        assert [p.name.split(".bad-")[0] for p in (root / "index" / "quarantine").iterdir()] == [damaged]
        assert load_index(root / "index", check_hashes=True).version_id == version
        r = httpx.post(server.url + "/v1/ask", json={"question": QUESTION}, timeout=30)
        assert r.status_code == 200
        assert "70 percent" in r.json()["answer"] and r.json()["index_version"] == version
    finally:
        server.stop()
    assert f"index version {damaged} is damaged" in server.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_index_is_refused_at_once_when_rebuild_is_off(root: Path, case: str) -> None:
    damaged = damage(root, case)
    started = time.monotonic()
    server = start(root, rebuild="never", wait=False)
    try:
        seen = readyz_until(server, lambda r: r.json().get("reason", "").startswith("failed"), seconds=60)
        assert time.monotonic() - started < 30  # the start-up itself (model, imports) takes most of it
        assert seen[-1].status_code == 503
        assert seen[-1].json()["reason"] == (
            "failed: the index on disk is damaged and rebuild is off; build it with `python -m index build`"
        )
        assert {r.json()["reason"].split(":")[0] for r in seen} <= {"loading", "failed"}
        r = httpx.post(server.url + "/v1/ask", json={"question": QUESTION}, timeout=30)
        assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
        assert server.get("/v1/search?q=course").status_code == 503
        assert current_version(root / "index") == damaged  # `never` leaves the index folder alone
    finally:
        server.stop()
    assert f"index version {damaged} is damaged" in server.log.read_text(encoding="utf-8")


def test_restart_with_a_pending_change_serves_the_last_good_version_at_once(root: Path) -> None:
    before = current_version(root / "index")
    # Long enough that embedding its new sentences takes seconds: the old version must be
    # the one served first, not a rebuild that a fast poll happens to miss.
    schedule = " ".join(
        f"Class {i} of the Fengxian camp meets in room {100 + i} on day {i} of the term." for i in range(80)
    )
    text = f"{DOC['text']} {schedule}"
    DocumentStore(root / "corpus").add(DOC["title"], DOC["source"], text, lang="en", doc_id=DOC["doc_id"])
    started = time.monotonic()
    server = start(root, wait=False)
    try:
        first = readyz_until(server, lambda r: r.status_code == 200, seconds=120)[-1]
        ready_after = time.monotonic() - started
        assert first.json()["index_version"] == before
        assert ready_after < 30, f"ready after {ready_after:.1f} s"
        r = httpx.post(server.url + "/v1/ask", json={"question": QUESTION}, timeout=30)
        assert r.status_code == 200 and "70 percent" in r.json()["answer"]
        server.wait_until(lambda: not server.get("/v1/documents").json()["pending"], 120)
        assert server.get("/readyz").json()["index_version"] != before
        hits = server.get("/v1/search?q=Fengxian%20camp%20students&k=3").json()["results"]
        assert hits[0]["doc_id"] == DOC["doc_id"]
    finally:
        server.stop()
