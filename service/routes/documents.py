"""GET /v1/documents: the corpus manifest as indexed."""

from fastapi import APIRouter

from service.deps import EngineDep
from service.schemas import DocumentOut, DocumentsResponse

router = APIRouter(tags=["documents"])


@router.get("/v1/documents")
def documents(engine: EngineDep) -> DocumentsResponse:
    """Every document in the served index."""
    docs = [
        DocumentOut(
            doc_id=d.doc_id,
            title=d.title,
            source=d.source,
            published=d.published,
            lang=d.lang,
            chars=len(d.text),
        )
        for d in engine.index.documents.values()
    ]
    return DocumentsResponse(documents=docs, index_version=engine.index.version_id)
