"""Read the corpus folder: manifest.json plus one UTF-8 article file per document."""

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from index.cleaning import CLEANING_VERSION, clean_text
from index.errors import CorpusError
from index.types import Document, Lang


class ManifestEntry(BaseModel):
    """One manifest row: where the article is and what it is."""

    doc_id: str
    file: str
    title: str
    source: str
    published: str | None = None
    lang: Lang


def read_manifest(corpus_dir: Path) -> list[ManifestEntry]:
    """The manifest's entries, validated; a missing or malformed manifest is a CorpusError."""
    path = corpus_dir / "manifest.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return [ManifestEntry.model_validate(row) for row in rows]
    except (OSError, KeyError, TypeError, json.JSONDecodeError, ValidationError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from exc


def load_documents(corpus_dir: Path) -> list[Document]:
    """Every manifest document with its cleaned text."""
    docs = []
    for entry in read_manifest(corpus_dir):
        raw = (corpus_dir / entry.file).read_text(encoding="utf-8")
        docs.append(Document(entry.doc_id, entry.title, entry.source, entry.published, entry.lang, clean_text(raw)))
    return docs


def corpus_fingerprint(corpus_dir: Path) -> str:
    """SHA-256 over the manifest and every article it names, plus the cleaning version."""
    digest = hashlib.sha256(f"cleaning={CLEANING_VERSION}".encode())
    digest.update((corpus_dir / "manifest.json").read_bytes())
    for entry in read_manifest(corpus_dir):
        digest.update(entry.file.encode())
        digest.update((corpus_dir / entry.file).read_bytes())
    return digest.hexdigest()
