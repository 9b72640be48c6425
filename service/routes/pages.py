"""The browser side: /widget.js, the /demo host page, the /console for hotline staff and its
/console/materials list; / leads to the console."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from service.errors import NotFoundError

router = APIRouter(tags=["pages"], include_in_schema=False)

STATIC = Path(__file__).resolve().parents[1] / "static"
# The pages load only their own files and talk only to this origin.
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'"
_ASSETS = {
    "demo.css": "text/css",
    "console.css": "text/css",
    "console.js": "text/javascript",
    "materials.js": "text/javascript",
    "pages.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
    "review.css": "text/css",
    "review.js": "text/javascript",
}


def _file(name: str, media_type: str, headers: dict[str, str] | None = None) -> FileResponse:
    """A file of service/static, revalidated by the browser on every use."""
    return FileResponse(STATIC / name, media_type=media_type, headers={"Cache-Control": "no-cache", **(headers or {})})


def _page(name: str) -> FileResponse:
    """An HTML page under the strict content security policy."""
    return _file(
        name, "text/html; charset=utf-8", {"Content-Security-Policy": STRICT_CSP, "X-Content-Type-Options": "nosniff"}
    )


@router.get("/")
def index() -> RedirectResponse:
    """The console; the Location is relative, never built from the Host header."""
    return RedirectResponse("/console", status_code=307)


@router.get("/widget.js")
def widget() -> FileResponse:
    """The embeddable chat widget (one script tag; options as data- attributes)."""
    return _file("widget.js", "text/javascript; charset=utf-8", {"Cross-Origin-Resource-Policy": "cross-origin"})


@router.get("/demo")
def demo() -> FileResponse:
    """A training centre's web page with the widget embedded, served under a strict CSP."""
    return _page("demo.html")


@router.get("/console")
def console() -> FileResponse:
    """The hotline staff console: answers as you type, sources beside them."""
    return _page("console.html")


@router.get("/console/materials")
def materials() -> FileResponse:
    """The corpus documents for staff, read-only: title, source, date, language, passages."""
    return _page("materials.html")


@router.get("/console/review")
def review() -> FileResponse:
    """The review view: rated answers to review, curate or add to the gold set, and a dashboard."""
    return _page("review.html")


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    """A stylesheet or script of the pages (a fixed list; nothing else is served)."""
    if name not in _ASSETS:
        raise NotFoundError(f"no static file {name!r}")
    return _file(name, f"{_ASSETS[name]}; charset=utf-8")
