"""Add, replace and remove corpus articles durably, one writer at a time.

The manifest is the commit point. A new or replaced article is first written to a file of its
own (named by its content), then the manifest is atomically replaced to point at it; a removed
article leaves the manifest first. A crash at any moment therefore leaves the manifest either
before or after the change, never between, and `recover()` deletes the files that no manifest
entry names (the leftovers of an interrupted change).
"""

import hashlib
import json
import re
import uuid
from pathlib import Path

from filelock import FileLock

from index.corpus import ManifestEntry, read_manifest
from index.errors import DocumentExistsError, DocumentNotFoundError
from index.faults import crash_point
from index.files import write_atomic
from index.language import detect_lang
from index.types import Lang

DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_MANAGED_FILE = re.compile(r"^[a-z0-9][a-z0-9-]*-[0-9a-f]{12}\.txt$")


class DocumentStore:
    """The corpus folder as a store of articles."""

    def __init__(self, corpus_dir: Path) -> None:
        self.dir = corpus_dir
        self._lock = FileLock(str(corpus_dir / ".lock"))

    def entries(self) -> list[ManifestEntry]:
        """Every manifest entry."""
        return read_manifest(self.dir)

    def get(self, doc_id: str) -> tuple[ManifestEntry, str]:
        """A document's entry and its article text as stored."""
        for entry in self.entries():
            if entry.doc_id == doc_id:
                return entry, (self.dir / entry.file).read_text(encoding="utf-8")
        raise DocumentNotFoundError(f"no document {doc_id!r}")

    def add(
        self,
        title: str,
        source: str,
        text: str,
        published: str | None = None,
        lang: Lang | None = None,
        doc_id: str | None = None,
    ) -> ManifestEntry:
        """Store a new article; it is durable when this returns."""
        with self._lock:
            entries = self.entries()
            doc_id = doc_id or f"doc-{uuid.uuid4().hex[:10]}"
            if any(e.doc_id == doc_id for e in entries):
                raise DocumentExistsError(f"a document {doc_id!r} exists already; replace it with PUT")
            entry = self._write_article(doc_id, title, source, text, published, lang)
            self._write_manifest([*entries, entry])
            return entry

    def replace(
        self, doc_id: str, title: str, source: str, text: str, published: str | None = None, lang: Lang | None = None
    ) -> ManifestEntry:
        """Replace an article's text and metadata in one step."""
        with self._lock:
            entries = self.entries()
            old = self._find(entries, doc_id)
            entry = self._write_article(doc_id, title, source, text, published, lang)
            self._write_manifest([entry if e.doc_id == doc_id else e for e in entries])
            self._unlink_unless_named(old.file, entry.file)
            return entry

    def remove(self, doc_id: str) -> ManifestEntry:
        """Remove an article from the corpus."""
        with self._lock:
            entries = self.entries()
            old = self._find(entries, doc_id)
            self._write_manifest([e for e in entries if e.doc_id != doc_id])
            self._unlink_unless_named(old.file, None)
            return old

    def recover(self) -> list[str]:
        """Delete what an interrupted change left behind: temp files and unreferenced articles."""
        with self._lock:
            named = {e.file for e in self.entries()}
            stale = [
                p
                for p in self.dir.iterdir()
                if (p.name.startswith(".") and p.name.endswith(".tmp"))
                or (_MANAGED_FILE.match(p.name) and p.name not in named)
            ]
            for path in stale:
                path.unlink(missing_ok=True)
            return sorted(p.name for p in stale)

    def _write_article(
        self, doc_id: str, title: str, source: str, text: str, published: str | None, lang: Lang | None
    ) -> ManifestEntry:
        if not DOC_ID.match(doc_id):
            raise ValueError("a document id is 2-64 lower-case letters, digits and dashes")
        data = text.encode("utf-8")
        name = f"{doc_id}-{hashlib.sha256(data).hexdigest()[:12]}.txt"
        write_atomic(self.dir / name, data)
        crash_point("article-written")
        return ManifestEntry(
            doc_id=doc_id, file=name, title=title, source=source, published=published, lang=lang or detect_lang(text)
        )

    def _write_manifest(self, entries: list[ManifestEntry]) -> None:
        body = {"documents": [e.model_dump() for e in entries]}
        write_atomic(self.dir / "manifest.json", (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode())
        crash_point("manifest-written")

    def _find(self, entries: list[ManifestEntry], doc_id: str) -> ManifestEntry:
        for entry in entries:
            if entry.doc_id == doc_id:
                return entry
        raise DocumentNotFoundError(f"no document {doc_id!r}")

    def _unlink_unless_named(self, old_file: str, new_file: str | None) -> None:
        """Delete a replaced article file, but never a seed article's file shared by name."""
        if old_file != new_file and _MANAGED_FILE.match(old_file):
            (self.dir / old_file).unlink(missing_ok=True)
