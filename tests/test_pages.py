"""The widget, demo, console and materials files: served with the right types and a strict CSP, and safe by
construction; / leads to the console, HEAD works on every page, and /docs needs nothing from another host."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from service.routes.pages import STATIC, STRICT_CSP

JS = ["widget.js", "pages.js", "console.js", "materials.js", "review.js"]
HTML = ["demo.html", "console.html", "materials.html", "review.html"]
PAGES = [
    "/console",
    "/console/materials",
    "/console/review",
    "/demo",
    "/docs",
    "/widget.js",
    "/openapi.json",
    "/healthz",
    "/readyz",
]


def test_widget_js_is_served_as_javascript(client: TestClient) -> None:
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.text == (STATIC / "widget.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["/demo", "/console", "/console/materials", "/console/review"])
def test_pages_carry_the_strict_csp(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == STRICT_CSP


def test_the_demo_embeds_the_widget_with_one_tag(client: TestClient) -> None:
    tags = re.findall(r"<script\b[^>]*>", client.get("/demo").text)
    assert len(tags) == 1 and 'src="/widget.js"' in tags[0] and "defer" in tags[0]


@pytest.mark.parametrize(
    "name", ["demo.css", "console.css", "console.js", "materials.js", "review.css", "review.js", "favicon.svg"]
)
def test_page_assets_are_served(client: TestClient, name: str) -> None:
    assert client.get(f"/static/{name}").status_code == 200


@pytest.mark.parametrize("name", ["demo.html", "nothing.js", "..%2Fapp.py", "%2E%2E%2Ffeedback.py"])
def test_other_files_are_not_served(client: TestClient, name: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("name", JS)
def test_scripts_never_parse_strings_as_html_or_code(name: str) -> None:
    source = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(encoding="utf-8"), flags=re.S)  # comments may name them
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("on',
        'setTimeout("',
        'setInterval("',
    ):
        assert sink not in source, f"{name} uses {sink}"


@pytest.mark.parametrize("name", HTML)
def test_pages_have_no_inline_script_style_or_handlers(name: str) -> None:
    html = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html, re.I), "style attribute (blocked by style-src 'self')"
    assert "<style" not in html and all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


def test_static_folder_holds_only_what_is_served() -> None:
    assert {p.name for p in Path(STATIC).iterdir()} == {
        *JS,
        *HTML,
        "demo.css",
        "console.css",
        "review.css",
        "favicon.svg",
    }


def test_the_console_links_to_the_materials(client: TestClient) -> None:
    assert 'href="/console/materials"' in client.get("/console").text
    assert 'href="/console/review"' in client.get("/console").text
    assert 'href="/console"' in client.get("/console/materials").text


def test_the_root_redirects_to_the_console_whatever_the_host_header(client: TestClient) -> None:
    r = client.get("/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/console"
    assert client.get("/").url.path == "/console"


@pytest.mark.parametrize("path", [*PAGES, "/", "/static/console.css", "/static/favicon.svg"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path, follow_redirects=False)
    head = client.head(path, follow_redirects=False)
    assert head.status_code == got.status_code and head.status_code in (200, 307)
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers.get("content-length") == got.headers.get("content-length")


def test_head_is_still_not_allowed_where_get_is_not(client: TestClient) -> None:
    assert client.head("/v1/ask").status_code == 405


class _Refs(HTMLParser):
    """Every src and href of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_api_docs_load_everything_from_this_service(client: TestClient) -> None:
    path = "/docs"
    html = client.get(path).text
    refs = _Refs()
    refs.feed(html)
    scripts = [u for u in refs.urls if u.endswith(".js")]
    assert scripts, f"{path} loads no script"
    for url in refs.urls:
        assert not urlsplit(url).netloc, f"{path} loads {url} from another host"
        assert client.get(url).status_code == 200, url
    assert not re.search(r"https?://", html), "the page names another host"
    assert client.get("/redoc").status_code == 404  # its logo would come from a CDN


def test_the_materials_list_has_passage_counts(client: TestClient) -> None:
    listing = client.get("/v1/documents").json()
    docs = listing["documents"]
    assert docs and all(d["passages"] >= 1 for d in docs if d["indexed"])
    one = client.get(f"/v1/documents/{docs[0]['doc_id']}").json()
    assert one["passages"] == len(one["chunks"]) == docs[0]["passages"]
