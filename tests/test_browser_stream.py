"""The widget and the console with a generator configured, in headless Chromium: the model's text
is shown as a draft while it streams, then the verified answer takes its place.

The model is tests/chat_server.py, writing one verbatim sentence and one with an invented figure,
a piece every 0.3 s; the service is a real process."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from answer.engine import QAEngine
from service.settings import Settings
from tests.chat_server import ChatServer, chat_server
from tests.support import running_server, server_env
from tests.test_browser import ARTIFACTS, DESKTOP, browser, open_widget  # noqa: F401  (browser: a fixture)

pytestmark = pytest.mark.browser

COURSE = "How much of the course is practice and how much theory?"
INVENTED = "1,234,567"  # the figure verification drops


@pytest.fixture(scope="module")
def api(settings: Settings, engine: QAEngine) -> Iterator[tuple[str, ChatServer]]:
    """A real service whose generator is the slow chat server."""
    with chat_server() as model:
        model.behaviour = "slow-mixed"
        env = server_env(
            settings,
            generator="openai",
            generator_url=model.url,
            generator_model="test",
            generator_timeout=20,
            request_timeout=30,
        )
        with running_server(env) as url:
            yield url, model


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="en-US", reduced_motion="reduce")
    yield context.new_page()
    context.close()


def test_the_widget_shows_the_draft_then_the_verified_answer(page: Page, api: tuple[str, ChatServer]) -> None:
    url, _ = api
    page.goto(f"{url}/demo")
    open_widget(page)
    page.locator("trainer-qa-widget #tqa-q").fill(COURSE)
    page.locator("trainer-qa-widget #tqa-q").press("Enter")
    draft = page.locator("trainer-qa-widget .msg.draft")
    expect(draft).to_contain_text(INVENTED, timeout=20_000)  # the model's text as it comes
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-draft.png"))
    answer = page.locator("trainer-qa-widget article.msg.bot .answer")
    expect(answer).to_have_count(1, timeout=20_000)
    expect(draft).to_have_count(0)
    expect(answer).not_to_contain_text(INVENTED)  # swapped for the verified text
    expect(answer).not_to_contain_text("[9]")
    expect(answer.locator(".cite")).to_have_count(1)


def test_the_console_shows_the_draft_then_the_verified_answer(page: Page, api: tuple[str, ChatServer]) -> None:
    url, _ = api
    page.goto(f"{url}/console")
    page.locator("#q").fill(COURSE)
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text(INVENTED, timeout=20_000)
    expect(page.locator("#answer")).not_to_be_empty(timeout=20_000)
    expect(page.locator("#status")).to_have_text("")
    expect(page.locator("#answer")).not_to_contain_text(INVENTED)
