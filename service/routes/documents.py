"""The corpus: list and show documents (public); add, replace and remove them (admin).

A change is durable when the response is sent (the manifest is the commit point); the
index catches up in the background while answers keep coming from the last good index.
An uploaded file is parsed in a worker process, within the TRAINERQA_UPLOAD_* limits, while
the event loop serves other requests.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from index.corpus import ManifestEntry
from index.documents import DocumentStore
from index.errors import (
    CorpusError,
    DocumentExistsError,
    DocumentNotFoundError,
    DocumentTooLargeError,
    UnreadableDocumentError,
    UnsupportedDocumentError,
)
from index.extract import Extracted, ParseLimits
from index.types import Document
from index.worker import extract_in_worker
from service.auth import AdminDep
from service.deps import EngineDep, SettingsDep
from service.errors import (
    ConflictError,
    CorpusUnreadableError,
    NotFoundError,
    UnprocessableDocumentError,
    UnsupportedMediaError,
)
from service.limits import PayloadTooLargeError
from service.schemas import (
    ChunkOut,
    DocumentChange,
    DocumentDetail,
    DocumentIn,
    DocumentOut,
    DocumentsResponse,
    problem_responses,
)
from service.settings import Settings
from service.state import EngineSlot

router = APIRouter(tags=["documents"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            # Inline: nothing else puts DocumentIn into the components, so a $ref to it would dangle.
            "application/json": {"schema": DocumentIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "title"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".txt .md .html .pdf"},
                        "title": {"type": "string"},
                        "source": {"type": "string"},
                        "published": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "lang": {"type": "string", "enum": ["zh", "en"]},
                        "doc_id": {"type": "string"},
                    },
                }
            },
        },
    }
}


def get_store(settings: SettingsDep) -> DocumentStore:
    """The corpus folder as a document store."""
    return DocumentStore(settings.corpus_dir)


StoreDep = Annotated[DocumentStore, Depends(get_store)]


@router.get("/v1/documents")
def list_documents(engine: EngineDep, store: StoreDep, request: Request) -> DocumentsResponse:
    """Every document of the corpus, and whether the served index holds it yet."""
    slot: EngineSlot = request.state.slot
    with _corpus_readable():
        passages = Counter(c.doc_id for c in engine.index.chunks)
        docs = [_out(e, engine.index.documents.get(e.doc_id), passages[e.doc_id]) for e in store.entries()]
        pending = slot.pending()
    return DocumentsResponse(documents=docs, index_version=engine.index.version_id, pending=pending)


@router.get("/v1/documents/{doc_id}", responses=problem_responses(404))
def show_document(doc_id: str, engine: EngineDep, store: StoreDep) -> DocumentDetail:
    """A document, its cleaned text and its passages as indexed."""
    entry = _entry(store, doc_id)
    indexed = engine.index.documents.get(doc_id)
    chunks = (
        [
            ChunkOut(chunk_id=c.chunk_id, start=c.start, end=c.end, text=c.text)
            for c in engine.index.chunks
            if c.doc_id == doc_id
        ]
        if indexed
        else []
    )
    return DocumentDetail(
        **_out(entry, indexed, len(chunks)).model_dump(),
        text=indexed.text if indexed else None,
        chunks=chunks,
        index_version=engine.index.version_id,
    )


@router.post("/v1/documents", status_code=201, openapi_extra=_BODY_DOC, responses=problem_responses(401, 403, 409, 415))
async def add_document(
    _: AdminDep, request: Request, store: StoreDep, engine: EngineDep, settings: SettingsDep
) -> DocumentChange:
    """Add an article, as JSON text or an uploaded .txt / .md / .html / .pdf file."""
    doc = await _document_in(request, settings)
    try:
        with _corpus_readable():
            entry = await run_in_threadpool(
                store.add, doc.title, doc.source, doc.text, doc.published, doc.lang, doc.doc_id
            )
    except DocumentExistsError as exc:
        raise ConflictError(str(exc)) from exc
    return _changed(request, entry, engine)


@router.put("/v1/documents/{doc_id}", openapi_extra=_BODY_DOC, responses=problem_responses(401, 403, 404, 415))
async def replace_document(
    doc_id: str, _: AdminDep, request: Request, store: StoreDep, engine: EngineDep, settings: SettingsDep
) -> DocumentChange:
    """Replace an article's text and metadata."""
    doc = await _document_in(request, settings)
    try:
        with _corpus_readable():
            entry = await run_in_threadpool(
                store.replace, doc_id, doc.title, doc.source, doc.text, doc.published, doc.lang
            )
    except DocumentNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
    return _changed(request, entry, engine)


@router.delete("/v1/documents/{doc_id}", responses=problem_responses(401, 403, 404))
def remove_document(doc_id: str, _: AdminDep, request: Request, store: StoreDep, engine: EngineDep) -> DocumentChange:
    """Remove an article from the corpus."""
    try:
        with _corpus_readable():
            entry = store.remove(doc_id)
    except DocumentNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
    return _changed(request, entry, engine)


@contextmanager
def _corpus_readable() -> Iterator[None]:
    """A manifest that cannot be read is the server's trouble: 503, with no path in the detail."""
    try:
        yield
    except CorpusError as exc:
        raise CorpusUnreadableError(f"the corpus is unreadable; an operator must repair it: {exc}") from exc


async def _document_in(request: Request, settings: Settings) -> DocumentIn:
    """The article from a JSON body or a multipart upload, validated."""
    ctype = request.headers.get("content-type", "")
    try:
        if ctype.startswith("multipart/form-data"):
            return await _uploaded(request, settings)
        if ctype.startswith("application/json"):
            return DocumentIn.model_validate_json(await request.body())
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        raise RequestValidationError(errors) from exc
    raise UnsupportedMediaError("send application/json or multipart/form-data")


async def _uploaded(request: Request, settings: Settings) -> DocumentIn:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise RequestValidationError([{"loc": ["body", "file"], "msg": "a file is required", "type": "missing"}])
    # A thread waits on the worker process, so the event loop serves other requests meanwhile.
    extracted = await run_in_threadpool(_parsed, await upload.read(), upload.filename or "", settings)
    fields: dict[str, Any] = {k: v for k, v in form.items() if k != "file" and isinstance(v, str) and v != ""}
    return DocumentIn.model_validate({**fields, "text": extracted.text})


def _parsed(data: bytes, filename: str, settings: Settings) -> Extracted:
    """The upload's text, parsed in a worker process within the settings' limits."""
    limits = ParseLimits(max_pages=settings.upload_max_pages, max_inflated_bytes=settings.upload_max_inflated_bytes)
    try:
        return extract_in_worker(data, filename, limits, settings.upload_parse_seconds)
    except UnsupportedDocumentError as exc:
        raise UnsupportedMediaError(str(exc)) from exc
    except DocumentTooLargeError as exc:
        raise PayloadTooLargeError(str(exc)) from exc
    except UnreadableDocumentError as exc:
        raise UnprocessableDocumentError(str(exc)) from exc


def _entry(store: StoreDep, doc_id: str) -> ManifestEntry:
    try:
        with _corpus_readable():
            return store.get(doc_id)[0]
    except DocumentNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc


def _out(entry: ManifestEntry, indexed: Document | None, passages: int | None = None) -> DocumentOut:
    return DocumentOut(
        doc_id=entry.doc_id,
        title=entry.title,
        source=entry.source,
        published=entry.published,
        lang=entry.lang,
        chars=len(indexed.text) if indexed else None,
        indexed=indexed is not None,
        passages=passages if indexed else None,
    )


def _changed(request: Request, entry: ManifestEntry, engine: EngineDep) -> DocumentChange:
    slot: EngineSlot = request.state.slot
    slot.request_sync()
    indexed = engine.index.documents.get(entry.doc_id)
    current = indexed if indexed and indexed.title == entry.title else None
    return DocumentChange(document=_out(entry, current), index_version=engine.index.version_id, pending=True)
