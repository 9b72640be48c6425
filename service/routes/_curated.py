"""Turn a served curated answer into the /v1/ask response."""

from service.curated import Served
from service.routes._passages import curated_passage
from service.schemas import AskResponse, CuratedRef


def curated_response(served: Served, index_version: str) -> AskResponse:
    """A staff-approved answer: its text, its citations as corpus answers give them, who approved it and when."""
    entry = served.entry
    return AskResponse(
        answer=served.text,
        lang=served.lang,
        answerable=True,
        citations=[curated_passage(n, c, served.score) for n, c in enumerate(served.citations, 1)],
        conflicts=[],
        timings_ms=served.timings_ms,
        index_version=index_version,
        origin="curated",
        curated=CuratedRef(id=entry["id"], approved_by=entry["approved_by"], approved_at=entry["approved_at"]),
    )
