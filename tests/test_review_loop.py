"""The whole AI-trainer loop in headless Chromium against a real server: a visitor rates an answer down in
the widget; a reviewer approves a corrected answer with a citation in the review view; the same question,
and a paraphrase in the other language, now get the curated answer in the widget; the reviewer adds the
question to the gold set, and `python -m eval` scores it as the slice "reviewed"."""

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from answer.engine import QAEngine
from service.settings import Settings
from tests.support import CORPUS, ROOT, running_server, server_env
from tests.test_browser import CSP_SPY, DESKTOP, ask_widget, csp_violations, open_widget
from tests.test_browser import browser as browser  # the module's Chromium fixture
from tests.test_review_browser import select_text

pytestmark = pytest.mark.browser
TOKEN = "review-loop-token"
QUESTION = "How many people passed the AI trainer exam in Shanghai in 2025?"
PARAPHRASE = "2025年上海AI训练师考试有多少人通过?"  # the other language, never typed by the reviewer
CORRECTED = {
    "en": "The sources disagree: Xinhua says 10,900 of the 16,300 candidates were certified; "
    "the US Asia Journal says 16,900 passed.",
    "zh": "来源说法不一：新华社称16,300名考生中有10,900人获得证书；美亚杂志称16,900人通过考试。",
}
SEARCH = "10,900 earning the credential"
CITED = "In 2025, Shanghai recorded 16,300 participants for AI trainers, with 10,900 earning the credential."


@dataclass(frozen=True)
class Loop:
    """The server and its reviewed gold file."""

    url: str
    gold: Path


@pytest.fixture(scope="module")
def loop(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loop]:
    """A real server with an admin token and empty feedback, curated and reviewed gold stores of its own."""
    tmp = tmp_path_factory.mktemp("review-loop")
    gold = tmp / "reviewed-gold.jsonl"
    env = server_env(
        settings,
        admin_token=TOKEN,
        feedback_db=tmp / "feedback.sqlite3",
        curated_db=tmp / "curated.sqlite3",
        reviewed_gold=gold,
    )
    with running_server(env) as url:
        yield Loop(url, gold)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop page in Chinese that records CSP violations."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce")
    context.add_init_script(CSP_SPY)
    pg = context.new_page()
    yield pg
    context.close()


def visitor_rates_down(page: Page, loop: Loop) -> str:
    """Ask in the widget, rate the answer down with a comment; returns the answer shown."""
    page.goto(f"{loop.url}/demo")
    open_widget(page)
    answer, data = ask_widget(page, QUESTION)
    assert data["origin"] == "corpus"
    answer.locator(".thumb[data-rating=down]").click()
    answer.locator(".note textarea").fill("只想知道通过人数，两个数字要说明来源")
    answer.locator(".note .primary").click()
    expect(answer.locator(".status")).to_have_text("Thank you for your feedback!")  # labels follow the asker
    return str(data["answer"])


def reviewer_approves(page: Page, loop: Loop) -> None:
    """Sign in to the review view and approve a corrected answer citing a passage found by searching."""
    page.goto(f"{loop.url}/console/review")
    page.locator("#token").fill(TOKEN)
    page.locator("#reviewer").fill("王老师")
    page.locator("#login button[type=submit]").click()
    row = page.locator("article.row").first
    expect(row.locator(".question")).to_have_text(QUESTION)
    expect(row.locator(".comment")).to_contain_text("只想知道通过人数")
    row.get_by_role("button", name="批准修正答案").click()
    form = row.locator(".editor.curate")
    form.locator(".answer-en").fill(CORRECTED["en"])
    form.locator(".answer-zh").fill(CORRECTED["zh"])
    form.locator(".search input").fill(SEARCH)
    form.locator(".search button").click()
    expect(form.locator(".found li")).to_have_count(5)  # the search's passages, in place of the row's citations
    found = form.locator(".found li").filter(has_text=CITED).first
    select_text(found.locator("q"), CITED)
    found.get_by_role("button", name="添加").click()
    expect(form.locator(".chosen li q")).to_have_text(CITED)
    row.screenshot(path=str(ROOT / "docs" / "screenshots" / "review-curate.png"))
    form.get_by_role("button", name="保存").click()
    expect(row.locator(".verdict")).to_have_text("已批准修正答案 #1 撤销")


def reviewer_adds_gold(page: Page) -> None:
    """From the same row: the question into the gold set, with its fact and a quote as evidence."""
    row = page.locator("article.row").first
    row.get_by_role("button", name="加入金标").click()
    form = row.locator(".editor.gold")
    form.locator(".gold-facts").fill("10,900 | 10900\n16,900 | 16900")
    form.locator(".gold-short").fill("10,900\n16,900")
    form.locator(".gold-type").select_option("count")
    form.locator(".search input").fill(SEARCH)
    form.locator(".search button").click()
    expect(form.locator(".found li")).to_have_count(5)
    form.locator(".found li").filter(has_text="10,900").first.get_by_role("button", name="添加").click()
    form.get_by_role("button", name="保存").click()
    expect(row.locator(".verdict").nth(1)).to_have_text("已加入金标 rev-01 撤销")


def test_a_rating_becomes_a_curated_answer_and_a_gold_question(page: Page, loop: Loop, tmp_path: Path) -> None:
    before = visitor_rates_down(page, loop)
    assert before != CORRECTED["en"]
    reviewer_approves(page, loop)

    page.goto(f"{loop.url}/demo")
    open_widget(page)
    same, same_data = ask_widget(page, QUESTION)
    expect(same.locator(".answer")).to_contain_text(CORRECTED["en"])
    assert same_data["origin"] == "curated" and same_data["curated"]["approved_by"] == "王老师"
    assert [c["text"] for c in same_data["citations"]] == [CITED]
    other, other_data = ask_widget(page, PARAPHRASE)
    expect(other.locator(".answer")).to_contain_text(CORRECTED["zh"])
    assert other_data["origin"] == "curated" and other_data["curated"]["id"] == same_data["curated"]["id"]
    assert csp_violations(page) == []

    page.goto(f"{loop.url}/console/review")
    reviewer_adds_gold(page)
    [gold] = [json.loads(line) for line in loop.gold.read_text(encoding="utf-8").splitlines()]
    facts = [["10,900", "10900"], ["16,900", "16900"]]
    assert (gold["question"], gold["facts"], gold["slice"]) == (QUESTION, facts, "reviewed")

    args = ["--url", loop.url, "--reviewed", str(loop.gold), "--slice", "reviewed", "--mode", "hybrid"]
    done = subprocess.run(
        [sys.executable, "-m", "eval", *args, "--out", str(tmp_path), "--report", str(tmp_path / "report.md")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| hybrid | reviewed | 1 |" in done.stdout, done.stdout
    results = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))["questions"]
    assert [(r["id"], r["facts_ok"], r["answer"]) for r in results] == [("rev-01", True, CORRECTED["en"])]

    # undone from the row, the curated answer is no longer served
    row = page.locator("article.row").first
    row.locator(".verdict").filter(has_text="已批准修正答案").get_by_role("button", name="撤销").click()
    expect(row.get_by_role("button", name="批准修正答案")).to_be_visible()
    again = httpx.post(f"{loop.url}/v1/ask", json={"question": QUESTION}, timeout=30).json()
    assert again["origin"] == "corpus" and again["curated"] is None


WORKSHOP = {
    "title": "Minhang AI trainer workshop",
    "source": "test fixture",
    "text": "The Minhang workshop for AI trainers opened in May 2026. It trains 240 annotators every month.",
    "lang": "en",
    "doc_id": "minhang-workshop",
}
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


def wait(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def scratch(settings: Settings, engine: QAEngine, tmp_path: Path) -> Iterator[str]:
    """A real server over a copy of the corpus and index that re-indexes within 0.2 s of a change."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    copy = settings.model_copy(update={"corpus_dir": tmp_path / "corpus", "index_dir": tmp_path / "index"})
    env = server_env(
        copy,
        admin_token=TOKEN,
        curated_db=tmp_path / "curated.sqlite3",
        sync_seconds=0.2,
        feedback_db=tmp_path / "feedback.sqlite3",
        reviewed_gold=tmp_path / "gold.jsonl",
    )
    with running_server(env) as url:
        yield url


def test_a_stale_curated_answer_is_flagged_in_the_review_view_and_approved_again(page: Page, scratch: str) -> None:
    http = httpx.Client(base_url=scratch, headers=ADMIN, timeout=30)
    assert http.post("/v1/documents", json=WORKSHOP).status_code == 201
    wait(lambda: http.get("/v1/documents/minhang-workshop").json().get("text") is not None)
    text = http.get("/v1/documents/minhang-workshop").json()["text"]
    start = text.index("It trains 240")
    citation = {"doc_id": "minhang-workshop", "start": start, "end": text.index(".", start) + 1}
    body = {
        "questions": ["How many annotators does the Minhang workshop train each month?"],
        "answers": {"en": "240 a month.", "zh": "每月240名。"},
        "citations": [citation],
        "approved_by": "李老师",
    }
    eid = http.post("/v1/curated", json=body).json()["id"]
    changed = {**WORKSHOP, "text": WORKSHOP["text"].replace("240", "260")}
    assert http.put("/v1/documents/minhang-workshop", json=changed).status_code == 200
    wait(lambda: [e["id"] for e in http.get("/v1/curated", params={"stale": "true"}).json()] == [eid])

    page.goto(f"{scratch}/console/review")
    page.locator("#token").fill(TOKEN)
    page.locator("#reviewer").fill("王老师")
    page.locator("#login button[type=submit]").click()
    stale = page.locator(f"#stale li[data-id='{eid}']")
    expect(stale).to_contain_text("How many annotators does the Minhang workshop train each month?")
    expect(stale.locator(".why")).to_contain_text("changed")
    stale.get_by_role("button", name="重新批准").click()
    expect(page.locator("#stale li")).to_have_count(0)
    expect(page.locator("#stale-status")).to_have_text("没有待重新批准的答案。")
    entry = http.get(f"/v1/curated/{eid}").json()
    assert not entry["stale"] and entry["approved_by"] == "王老师"
    assert entry["citations"][0]["text"] == "It trains 260 annotators every month."
    assert csp_violations(page) == []
