"""The widget, demo and console files: served with the right types and a strict CSP, and safe by construction."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.routes.pages import STATIC, STRICT_CSP

JS = ["widget.js", "console.js", "review.js"]
HTML = ["demo.html", "console.html", "review.html"]


def test_widget_js_is_served_as_javascript(client: TestClient) -> None:
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.text == (STATIC / "widget.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["/demo", "/console", "/console/review"])
def test_pages_carry_the_strict_csp(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == STRICT_CSP


def test_the_demo_embeds_the_widget_with_one_tag(client: TestClient) -> None:
    tags = re.findall(r"<script\b[^>]*>", client.get("/demo").text)
    assert len(tags) == 1 and 'src="/widget.js"' in tags[0] and "defer" in tags[0]


@pytest.mark.parametrize("name", ["demo.css", "console.css", "console.js", "review.css", "review.js", "favicon.svg"])
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
