"""Text out of uploaded articles: plain text, Markdown, HTML (page chrome stripped) or PDF.

The type is decided by the content, not by the name alone: a file named .txt that holds a
PDF, or bytes that are not UTF-8 text, are refused.
"""

import io
import re
from dataclasses import dataclass

from index.errors import UnsupportedDocumentError

ALLOWED = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_HTML = re.compile(rb"<(!doctype html|html|head|body|article|div|p|nav)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The article text and the kind of file it came from."""

    text: str
    kind: str


def sniff(data: bytes) -> str:
    """ "pdf", "html" or "text" from the bytes; UnsupportedDocumentError for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if b"\x00" in data:
        raise UnsupportedDocumentError("the file is binary, not text, HTML or PDF")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedDocumentError("the file is not UTF-8 text") from exc
    return "html" if _HTML.search(data[:65536]) else "text"


def extract(data: bytes, filename: str) -> Extracted:
    """The text of an uploaded file whose content matches its extension."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if suffix not in ALLOWED:
        raise UnsupportedDocumentError(f"unsupported file type {suffix or '(none)'}; send {', '.join(ALLOWED)}")
    kind = sniff(data)
    if kind != ALLOWED[suffix] and not (kind == "html" and ALLOWED[suffix] == "text" and suffix != ".txt"):
        raise UnsupportedDocumentError(f"the file is named {suffix} but holds {kind}")
    text = {"pdf": _pdf_text, "html": _html_text, "text": _plain_text}[kind](data)
    if not text.strip():
        raise UnsupportedDocumentError("no text could be extracted from the file")
    return Extracted(text, kind)


def _plain_text(data: bytes) -> str:
    return data.decode("utf-8")


def _html_text(data: bytes) -> str:
    import trafilatura

    return (
        trafilatura.extract(data.decode("utf-8"), include_comments=False, include_tables=False, favor_precision=True)
        or ""
    )


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnsupportedDocumentError(f"the PDF cannot be read: {exc}") from exc
