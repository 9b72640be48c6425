"""Read the corpus folder: manifest.json plus one UTF-8 article file per document."""

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from index.cleaning import CLEANING_VERSION, clean_text
from index.errors import CorpusError
from index.tokenize import TOKENS_VERSION
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
    """The manifest's entries, validated; a missing or malformed manifest is a CorpusError.

    Its message names the file by the corpus folder's name only: it may reach API clients.
    """
    where = f"{corpus_dir.name}/manifest.json"
    rows = _manifest_rows(corpus_dir / "manifest.json", where)
    entries = []
    for i, row in enumerate(rows):
        try:
            entries.append(ManifestEntry.model_validate(row))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(map(str, first["loc"])) or "entry"
            raise CorpusError(f"cannot read {where}: document {i} is invalid ({field}: {first['msg']})") from exc
    return entries


def _manifest_rows(path: Path, where: str) -> list[object]:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"cannot read {where}: {exc.strerror or type(exc).__name__}") from exc
    except ValueError as exc:  # not UTF-8, or not JSON; neither message holds the path
        raise CorpusError(f"cannot read {where}: it is not valid JSON ({exc})") from exc
    rows = body.get("documents") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise CorpusError(f'cannot read {where}: it is not an object with a "documents" list')
    return rows


def load_documents(corpus_dir: Path) -> list[Document]:
    """Every manifest document with its cleaned text."""
    docs = []
    for entry in read_manifest(corpus_dir):
        raw = (corpus_dir / entry.file).read_text(encoding="utf-8")
        docs.append(Document(entry.doc_id, entry.title, entry.source, entry.published, entry.lang, clean_text(raw)))
    return docs


def corpus_fingerprint(corpus_dir: Path) -> str:
    """SHA-256 over the manifest, every article it names and the glossary, plus the cleaning and
    token versions."""
    digest = hashlib.sha256(f"cleaning={CLEANING_VERSION} tokens={TOKENS_VERSION}".encode())
    digest.update((corpus_dir / "manifest.json").read_bytes())
    glossary = corpus_dir / "glossary.tsv"
    if glossary.exists():
        digest.update(b"glossary" + glossary.read_bytes())
    for entry in read_manifest(corpus_dir):
        digest.update(entry.file.encode())
        digest.update((corpus_dir / entry.file).read_bytes())
    return digest.hexdigest()
