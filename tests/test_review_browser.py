"""The review view in headless Chromium against a real server: sign in with the admin token (kept in
sessionStorage only), review rated answers, mark a declined one, add one to the gold set, undo, and the
dashboard with its chart. Takes the README's screenshots of the view."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from answer.engine import QAEngine
from index.language import detect_lang
from service.feedback import FeedbackStore
from service.settings import Settings
from tests.support import ROOT, running_server, server_env
from tests.test_browser import CSP_SPY, DESKTOP, csp_violations
from tests.test_browser import browser as browser  # the module's Chromium fixture

pytestmark = pytest.mark.browser
TOKEN = "review-browser-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
SCREENSHOTS = ROOT / "docs" / "screenshots"
DECLINED = "What is the capital of France?"
ANSWERED = "AI训练师岗位数量增长了多少"
SENTENCE = "全市AI训练师岗位数量同比增长67%"  # part of the answer's citation


def select_text(quote: Any, part: str) -> None:
    """Select `part` of an element's single text node, as a reviewer would with the mouse."""
    quote.evaluate(
        "(node, part) => { const text = node.firstChild; const at = text.data.indexOf(part);"
        " const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + part.length);"
        " const s = window.getSelection(); s.removeAllRanges(); s.addRange(range); }",
        part,
    )


@dataclass(frozen=True)
class Site:
    """The server, its reviewed gold file, and the feedback ids seeded."""

    url: str
    gold: Path
    declined: int
    answered: int


def _rate(http: httpx.Client, question: str, rating: str, comment: str) -> int:
    """Ask as the widget does and rate the answer as it does."""
    answer = http.post("/v1/ask", json={"question": question}).json()
    body = {
        "question": question,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "index_version": answer["index_version"],
        "rating": rating,
        "comment": comment,
        "answerable": answer["answerable"],
        "history": [{"question": "课程是周末上课吗", "answer": "简答：周末 [1]。"}],
    }
    r = http.post("/v1/feedback", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


@pytest.fixture(scope="module")
def site(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A real server with rated answers: one answered and rated up, one answered and one declined rated down."""
    tmp = tmp_path_factory.mktemp("review-browser")
    gold = tmp / "reviewed-gold.jsonl"
    env = server_env(settings, admin_token=TOKEN, feedback_db=tmp / "feedback.sqlite3", reviewed_gold=gold)
    with running_server(env) as url, httpx.Client(base_url=url, timeout=30) as http:
        _rate(http, "How is the course split between theory and practice?", "up", "")
        answered = _rate(http, ANSWERED, "down", "应该说明是哪一年的数字")
        declined = _rate(http, DECLINED, "down", "问了无关的问题")
        yield Site(url, gold, declined, answered)


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh desktop page in Chinese that records CSP violations."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce")
    context.add_init_script(CSP_SPY)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: Page, site: Site, token: str = TOKEN) -> None:
    page.goto(f"{site.url}/console/review")
    page.locator("#token").fill(token)
    page.locator("#reviewer").fill("王老师")
    page.locator("#login button[type=submit]").click()


def row(page: Page, feedback_id: int) -> Any:
    return page.locator(f"article.row[data-id='{feedback_id}']")


def verdicts(site: Site, feedback_id: int) -> list[dict[str, Any]]:
    items = httpx.get(f"{site.url}/v1/review/feedback", headers=ADMIN, timeout=10).json()["items"]
    found: list[dict[str, Any]] = next(r["verdicts"] for r in items if r["id"] == feedback_id)
    return found


def test_a_wrong_token_is_refused_and_the_token_stays_in_the_session(page: Page, site: Site) -> None:
    sign_in(page, site, "not-the-token")
    expect(page.locator("#login-error")).to_contain_text("403")
    expect(page.locator("#login")).to_be_visible()
    sign_in(page, site)
    expect(page.locator("article.row")).to_have_count(3)
    assert page.evaluate("sessionStorage.getItem('trainerqa.review.token')") == TOKEN
    assert TOKEN not in page.evaluate("JSON.stringify(localStorage)")
    assert TOKEN not in page.url
    page.reload()  # the same tab's session keeps it: no second sign-in
    expect(page.locator("article.row")).to_have_count(3)
    assert csp_violations(page) == []


def test_a_reviewer_marks_a_declined_row_adds_one_to_gold_and_undoes(page: Page, site: Site) -> None:
    sign_in(page, site)
    rows = page.locator("article.row")
    expect(rows).to_have_count(3)
    # thumbs-down first, newest first: the declined question, then the answered one
    expect(rows.nth(0)).to_have_attribute("data-id", str(site.declined))
    expect(rows.nth(1)).to_have_attribute("data-id", str(site.answered))
    declined = row(page, site.declined)
    expect(declined.locator(".question")).to_have_text(DECLINED)
    expect(declined.locator(".comment")).to_contain_text("问了无关的问题")
    expect(declined.locator(".badge.declined")).to_be_visible()
    expect(declined.locator(".history")).to_contain_text("之前的对话 (1)")

    declined.get_by_role("button", name="拒答正确").click()
    expect(declined.locator(".verdict")).to_have_text("已确认：拒答正确 撤销")
    assert [v["kind"] for v in verdicts(site, site.declined)] == ["declining_right"]
    declined.get_by_role("button", name="撤销").click()
    expect(declined.get_by_role("button", name="拒答正确")).to_be_visible()
    assert verdicts(site, site.declined) == []
    declined.get_by_role("button", name="拒答正确").click()
    expect(declined.locator(".verdict")).to_be_visible()

    answered = row(page, site.answered)
    expect(answered.locator(".citations li").first).to_contain_text("67%")
    answered.get_by_role("button", name="加入金标").click()
    form = answered.locator(".editor.gold")
    form.locator(".gold-facts").fill("67%")
    form.locator(".gold-short").fill("67%")
    form.locator(".gold-type").select_option("percent")
    offered = form.locator(".found li").first
    select_text(offered.locator("q"), SENTENCE)  # only this part of the cited sentence becomes the evidence
    offered.get_by_role("button", name="添加").click()
    expect(form.locator(".chosen li")).to_have_count(1)
    expect(form.locator(".chosen li q")).to_have_text(SENTENCE)
    form.get_by_role("button", name="保存").click()
    expect(answered.locator(".verdict")).to_have_text("已加入金标 rev-01 撤销")
    stored = [json.loads(line) for line in site.gold.read_text(encoding="utf-8").splitlines()]
    assert [(g["id"], g["question"], g["facts"], g["slice"]) for g in stored] == [
        ("rev-01", ANSWERED, [["67%"]], "reviewed")
    ]
    assert stored[0]["evidence"] == [{"doc_id": "wanwei-trainer-career", "quote": SENTENCE}]
    assert stored[0]["feedback_id"] == site.answered
    page.set_viewport_size({"width": 1280, "height": 1100})
    answered.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#rows").screenshot(path=str(SCREENSHOTS / "review-list.png"))

    answered.get_by_role("button", name="撤销").click()  # undo removes the gold question too
    expect(answered.get_by_role("button", name="加入金标")).to_be_visible()
    assert site.gold.read_text(encoding="utf-8") == ""
    assert csp_violations(page) == []


def test_a_gold_question_without_real_evidence_shows_the_servers_reason(page: Page, site: Site) -> None:
    sign_in(page, site)
    answered = row(page, site.answered)
    answered.get_by_role("button", name="加入金标").click()
    form = answered.locator(".editor.gold")
    form.locator(".gold-facts").fill("67%")
    form.get_by_role("button", name="保存").click()  # no evidence chosen
    expect(form.locator(".result")).to_contain_text("422")
    expect(form.locator(".result")).to_contain_text("evidence")


def test_the_dashboard_draws_the_days_and_the_unanswered_topics(page: Page, site: Site) -> None:
    sign_in(page, site)
    bars = page.locator("#chart svg.bars")
    expect(bars.locator("g.day")).to_have_count(30)
    today = bars.locator("g.day").last
    expect(today.locator("title")).to_contain_text(": 3 (中文 1, 英文 2; 拒答 1, 收到评价 3)")
    assert float(today.locator("rect.en").get_attribute("height") or 0) > 0
    expect(page.locator("#totals tbody tr").first).to_contain_text("3")
    expect(page.locator("#totals tbody tr").first).to_contain_text("33%")  # 1 of 3 declined
    expect(page.locator("#unanswered-en li")).to_have_text([f"{DECLINED} 1 次"])
    page.locator("[data-lang=en]").click()
    expect(page.locator("#dash-h")).to_have_text("Overview (last 30 days)")
    expect(page.locator("#unanswered-en li")).to_have_text([f"{DECLINED} 1×"])
    expect(row(page, site.declined).locator(".badge.down")).to_have_text("Thumbs down")
    page.locator("[data-lang=zh]").click()
    expect(page.locator("#dash-h")).to_have_text("概览（近 30 天）")
    assert csp_violations(page) == []


# A month of ratings as the widget stores them: (days ago, question, declined, rating).
MONTH = [
    *((d, "AI训练师岗位数量增长了多少", False, "up") for d in (0, 1, 1, 3, 4, 6, 8, 9, 13, 15, 20, 22, 27)),
    *((d, "How is the course split between theory and practice?", False, "up") for d in (0, 2, 2, 5, 9, 12, 16, 25)),
    *((d, "培训是周末吗", False, "down") for d in (1, 7, 19)),
    *(
        (d, q, True, "down")
        for d, q in [(0, "明天天气怎么样"), (2, "明天天气怎么样?"), (5, "明天天气怎么样啊"), (11, "明天天气怎么样")]
    ),
    *((d, q, True, "down") for d, q in [(3, "学费是多少"), (10, "学费是多少钱")]),
    *((d, q, True, "up") for d, q in [(1, "What is the capital of France?"), (6, "capital city of france?")]),
    (4, "how much does the course cost?", True, "down"),
]
# Questions asked that month and never rated: (days ago, question, declined).
UNRATED = [
    *((d, "AI训练师需要哪些技能", False) for d in (0, 0, 1, 2, 5, 8, 14, 21)),
    *((d, "明天天气怎么样", True) for d in (1, 9)),
    (3, "Who won the football match?", True),
]


def _seed(db: Path, today: datetime) -> None:
    """Store MONTH through the feedback store, then date each row as the month says; log MONTH's and UNRATED's
    questions in the question log as /v1/ask would have."""
    store = FeedbackStore(db)
    with store.connection() as conn, conn:
        for days_ago, question, declined in [m[:3] for m in MONTH] + UNRATED:
            day = (today - timedelta(days=days_ago)).isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO questions (created_at, question, turns, lang, answerable, origin, index_version) "
                "VALUES (?, ?, 0, ?, ?, 'corpus', 'v1')",
                (day, question, detect_lang(question), not declined),
            )
    for days_ago, question, declined, rating in MONTH:
        cited = [] if declined else [{"doc_id": "d", "text": "…"}]
        base = {"answer": "…", "index_version": "v1", "comment": None, "citations": cited}
        fid = store.add(base | {"question": question, "rating": rating, "answerable": not declined})
        with closing(sqlite3.connect(db)) as conn, conn:
            day = (today - timedelta(days=days_ago)).isoformat(timespec="seconds")
            conn.execute("UPDATE feedback SET created_at = ? WHERE id = ?", (day, fid))


@pytest.fixture(scope="module")
def month(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over a feedback database holding a month of questions and ratings."""
    db = tmp_path_factory.mktemp("review-month") / "feedback.sqlite3"
    _seed(db, datetime.now(UTC))
    with running_server(server_env(settings, admin_token=TOKEN, feedback_db=db)) as url:
        yield url


def test_the_dashboard_over_a_month_of_questions_and_ratings(page: Page, month: str) -> None:
    page.goto(f"{month}/console/review")
    page.locator("#token").fill(TOKEN)
    page.locator("#reviewer").fill("王老师")
    page.locator("#login button[type=submit]").click()
    days = page.locator("#chart svg.bars g.day")
    expect(days).to_have_count(30)
    per_day = [sum(1 for m in [*MONTH, *UNRATED] if m[0] == 29 - i) for i in range(30)]
    titles = [days.nth(i).locator("title").text_content() or "" for i in range(30)]
    assert [int(t.split(": ")[1].split(" ")[0]) for t in titles] == per_day
    asked = [m[:3] for m in MONTH] + UNRATED
    n, declined, rated = len(asked), sum(m[2] for m in asked), len(MONTH)
    expect(page.locator("#totals tbody tr").first).to_contain_text(f"{n}{round(100 * declined / n)}%{rated}")
    # rewordings of the weather question are one topic, of the fee question another; the English ones likewise
    expect(page.locator("#unanswered-zh li")).to_have_text(
        ["明天天气怎么样 6 次明天天气怎么样啊", "学费是多少 2 次学费是多少钱"]
    )
    expect(page.locator("#unanswered-en li").first).to_contain_text("2 次")
    page.locator("section.card").first.screenshot(path=str(SCREENSHOTS / "review-dashboard.png"))
