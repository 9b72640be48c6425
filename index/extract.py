"""Text out of uploaded articles: plain text, Markdown, HTML (page chrome stripped) or PDF.

The type is decided by the content, not by the name alone: a file named .txt that holds a
PDF, or bytes that are not UTF-8 text, are refused. A PDF is read within `ParseLimits`;
parsing time is bounded by running `extract` in a worker process (`index.worker`).
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.errors import DocumentTooLargeError, UnreadableDocumentError, UnsupportedDocumentError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

ALLOWED = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_BOM = b"\xef\xbb\xbf"
_HTML = re.compile(rb"<(!doctype html|html|head|body|article|div|p|nav)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The article text and the kind of file it came from."""

    text: str
    kind: str


@dataclass(frozen=True)
class ParseLimits:
    """How much a PDF may hold: pages, bytes of any one inflated stream, characters of text."""

    max_pages: int = 2000
    max_inflated_bytes: int = 50 << 20
    max_chars: int = 2_000_000


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


def extract(data: bytes, filename: str, limits: ParseLimits = ParseLimits()) -> Extracted:
    """The text of an uploaded file whose content matches its extension."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if suffix not in ALLOWED:
        raise UnsupportedDocumentError(f"unsupported file type {suffix or '(none)'}; send {', '.join(ALLOWED)}")
    kind = sniff(data)
    if kind != ALLOWED[suffix] and not (kind == "html" and ALLOWED[suffix] == "text" and suffix != ".txt"):
        raise UnsupportedDocumentError(f"the file is named {suffix} but holds {kind}")
    text_of: dict[str, Callable[[bytes, ParseLimits], str]] = {
        "pdf": _pdf_text,
        "html": _html_text,
        "text": _plain_text,
    }
    text = text_of[kind](data, limits)
    if not text.strip():
        raise UnsupportedDocumentError("no text could be extracted from the file")
    return Extracted(text, kind)


def _plain_text(data: bytes, limits: ParseLimits) -> str:
    return data.removeprefix(_BOM).decode("utf-8")


def _html_text(data: bytes, limits: ParseLimits) -> str:
    import trafilatura

    html = data.removeprefix(_BOM).decode("utf-8")
    return trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""


def _pdf_text(data: bytes, limits: ParseLimits) -> str:
    from pypdf import PdfReader, apply_configuration, get_configuration
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        with apply_configuration(get_configuration().with_overwrites(**_pypdf_limits(limits))):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise UnreadableDocumentError("the PDF is encrypted; send it without a password")
            return "\n".join(_page_texts(_pages(reader, limits), limits))
    except LimitReachedError as exc:
        raise _past_limit(exc, limits) from exc
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadableDocumentError(f"the PDF cannot be read: {exc}") from exc


def _pypdf_limits(limits: ParseLimits) -> dict[str, int]:
    """pypdf's own limits, from ours: every decoder's output, and the page tree's size."""
    inflated = limits.max_inflated_bytes
    decoders = ("zlib", "lzw", "run_length", "brotli", "jbig2")
    return {
        **{f"{name}_maximum_output_length": inflated for name in decoders},
        "array_based_stream_maximum_output_length": inflated,
        "maximum_declared_stream_length": inflated,
        # Intermediate /Pages nodes count as entries too; a balanced tree has far fewer than pages.
        "page_tree_maximum_entries": 2 * limits.max_pages + 16,
    }


def _pages(reader: "PdfReader", limits: ParseLimits) -> list["PageObject"]:
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        pages = list(reader.pages)
    except LimitReachedError as exc:
        raise _too_many_pages(limits) from exc
    except PdfReadError as exc:
        if "cyclic" in str(exc):  # pypdf's "Detected cyclic page references."
            raise UnreadableDocumentError("the PDF's page tree refers to itself (a page loop)") from exc
        raise
    if len(pages) > limits.max_pages:
        raise _too_many_pages(limits)
    return pages


def _page_texts(pages: list["PageObject"], limits: ParseLimits) -> Iterator[str]:
    chars = 0
    for page in pages:
        text = page.extract_text() or ""
        chars += len(text)
        if chars > limits.max_chars:
            raise DocumentTooLargeError(f"the PDF holds more than {limits.max_chars} characters of text")
        yield text


def _too_many_pages(limits: ParseLimits) -> DocumentTooLargeError:
    return DocumentTooLargeError(f"the PDF has more than {limits.max_pages} pages")


def _past_limit(exc: Exception, limits: ParseLimits) -> DocumentTooLargeError:
    if "decompress" in str(exc):  # pypdf's words when a decoder's output limit is reached
        return DocumentTooLargeError(f"a stream of the PDF inflates to more than {limits.max_inflated_bytes} bytes")
    return DocumentTooLargeError(f"the PDF is past a limit of the PDF reader: {exc}")
