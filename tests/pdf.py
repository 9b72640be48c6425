"""PDFs written by hand for upload tests: a valid one, and the malicious kinds parsing must survive."""

import io
import zlib

from pypdf import PdfReader, PdfWriter

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page(contents: int = 4) -> bytes:
    """A page object (child of object 2) drawn by content stream object `contents`, font object 5."""
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % contents
    )


def stream(content: bytes, *, flate: bool = False) -> bytes:
    """A stream object holding `content`, FlateDecode-compressed if asked."""
    if flate:
        content = zlib.compress(content, 9)
    filters = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(content), filters) + content + b"\nendstream"


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_ops(text: str) -> bytes:
    """A content stream that shows `text` (ASCII) in Helvetica."""
    return f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()


def tiny_pdf(text: str) -> bytes:
    """Bytes of a valid one-page PDF that shows `text` (ASCII) in Helvetica."""
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return write_pdf([CATALOG, pages, page(), stream(text_ops(text)), FONT])


def many_pages_pdf(n: int, text: str = "A page of the report.") -> bytes:
    """A PDF of `n` pages, all one page object listed `n` times (small on disk, `n` pages to read)."""
    kids = b" ".join([b"3 0 R"] * n)
    pages = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)
    return write_pdf([CATALOG, pages, page(), stream(text_ops(text)), FONT])


def slow_pdf(pages: int, ops_per_page: int = 200_000) -> bytes:
    """A few kB that take seconds to read: every page draws one short string `ops_per_page` times."""
    content = b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * ops_per_page + b"ET"
    kids = b" ".join([b"3 0 R"] * pages)
    tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    return write_pdf([CATALOG, tree, page(), stream(content, flate=True), FONT])


def bomb_pdf(inflated_bytes: int) -> bytes:
    """A decompression bomb: one FlateDecode content stream that inflates to `inflated_bytes` of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(compressor.compress(chunk) for _ in range(inflated_bytes >> 20)) + compressor.flush()
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return write_pdf([CATALOG, pages, page(), bomb, FONT])


def page_loop_pdf() -> bytes:
    """A PDF whose page tree lists itself among its kids (a naive walk never ends)."""
    pages = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return write_pdf([CATALOG, pages, page(), stream(text_ops("Looped page.")), FONT])


def encrypted_pdf(text: str, password: str = "secret") -> bytes:
    """`tiny_pdf(text)` encrypted with a user password (RC4, which pypdf writes without extra packages)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf(text))))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
