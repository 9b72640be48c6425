"""The JSON shapes of the HTTP API (exact: other tools rely on them).

Request bodies are validated strictly: `true` or `"5"` where the schema says integer is a 422,
and so are NaN, Infinity, a lone surrogate in any string and any string over its length.
"""

import json
import re
from datetime import date
from http import HTTPStatus
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from service.errors import PROBLEM_JSON


def _searchable(text: str) -> str:
    """Refuse text with nothing to search and text that is not valid Unicode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text is not valid Unicode (it holds a lone surrogate)") from exc
    cleaned = text.replace("\x00", " ").strip()
    if not cleaned:
        raise ValueError("text is empty or only whitespace")
    return cleaned


# Control characters, and the bidi overrides and isolates that make a title read unlike its characters.
_UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """Refuse a title or source holding control or bidi-override characters."""
    found = _UNSAFE_IN_NAMES.search(text)
    if found:
        raise ValueError(f"holds the control or bidi-override character U+{ord(found.group()):04X}")
    return text


def _calendar_date(text: str | None) -> str | None:
    """Refuse a YYYY-MM-DD that is no day of the calendar, such as 2026-02-30."""
    if text is not None:
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text} is not a date of the calendar") from exc
    return text


QuestionText = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_searchable)]


def _valid_unicode(data: Any) -> Any:
    """Refuse data holding a lone surrogate in any string (UTF-8, SQLite and JSON readers cannot take it)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("a string in the body is not valid Unicode (it holds a lone surrogate)") from exc
    except (TypeError, ValueError):
        pass  # not JSON data: the field validators say what is wrong
    return data


class RequestBody(BaseModel):
    """A JSON request body: strict types, no unknown fields, no NaN or Infinity, valid Unicode only.

    Python's JSON parser takes `NaN` and `Infinity`; what we stored of them would come back out
    as `NaN`, which strict JSON parsers refuse.
    """

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _unicode_only(cls, data: Any) -> Any:
        return _valid_unicode(data)


class Turn(RequestBody):
    """An earlier question of the conversation and the answer it got."""

    question: Annotated[str, Field(max_length=2000)]
    answer: Annotated[str, Field(max_length=8000)] = ""


class AskRequest(RequestBody):
    """A question, how many passages to consider, and optionally the answer language."""

    question: QuestionText
    top_k: int = Field(5, ge=1, le=20)
    lang: Literal["zh", "en"] | None = None
    mode: Literal["dense", "bm25", "hybrid"] = Field("hybrid", description="retrieval mode (for evaluation)")
    history: list[Turn] = Field(default_factory=list, max_length=5, description="earlier turns, oldest first")
    stream: bool = Field(
        False, description="answer as server-sent events (as does Accept: text/event-stream); the last is the answer"
    )


class Passage(BaseModel):
    """A cited or found span of an article; text == the article's cleaned text[start:end]."""

    n: int
    doc_id: str
    title: str
    source: str
    published: str | None
    lang: str
    text: str
    start: int
    end: int
    score: float
    passage: str | None = Field(None, description="the passage the span was found in")
    passage_start: int | None = None
    passage_end: int | None = None


class RelatedPassage(Passage):
    """A passage on a declined question's topic: text == the article's cleaned text[start:end]
    (the whole passage), and its best sentence is the article's text[highlight_start:highlight_end]."""

    highlight_start: int
    highlight_end: int


Offset = Annotated[int, Field(ge=0, le=1 << 31)]


class ShownPassage(Passage):
    """A citation sent back as it was shown (strict: no number taken from a boolean or a string).

    Every field is bounded, so that a stored rating stays small (see FEEDBACK_CITATION_CHARS).
    """

    model_config = ConfigDict(strict=True, allow_inf_nan=False)

    n: int = Field(ge=0, le=100)
    doc_id: str = Field(max_length=64)
    title: str = Field(max_length=300)
    source: str = Field(max_length=300)
    published: str | None = Field(max_length=32)
    lang: str = Field(max_length=8)
    text: str = Field(max_length=10_000)
    start: Offset
    end: Offset
    passage: str | None = Field(None, max_length=10_000)
    passage_start: Offset | None = None
    passage_end: Offset | None = None


# All the text of a rating's citations together: 20 citations of the default 600-char passages
# with their sentence, title and source come to about 19,000 characters.
FEEDBACK_CITATION_CHARS = 40_000


def _citations_within_total(citations: list[ShownPassage]) -> list[ShownPassage]:
    total = sum(len(v) for c in citations for v in c.model_dump().values() if isinstance(v, str))
    if total > FEEDBACK_CITATION_CHARS:
        raise ValueError(f"the citations hold {total} characters of text; at most {FEEDBACK_CITATION_CHARS}")
    return citations


class ConflictValue(BaseModel):
    """One of the disagreeing values, with the citations that give it."""

    value: str
    citations: list[int]


class ConflictOut(BaseModel):
    """Cited passages that disagree about one thing."""

    about: str
    values: list[ConflictValue]


class ShortAnswerOut(BaseModel):
    """The asked fact alone, as the article writes it: its document's text[start:end], in citation n."""

    text: str
    n: int
    start: int
    end: int


class DroppedSentence(BaseModel):
    """A generated sentence that failed verification, and why."""

    text: str
    reason: str


class VerificationOut(BaseModel):
    """How many generated sentences were kept, which were dropped, and why no generated answer is served."""

    kept: int
    dropped: list[DroppedSentence]
    fallback: str | None = Field(None, description="why the extractive answer is served; null when generated")
    prompt_version: str


class CuratedRef(BaseModel):
    """Which curated entry answered, who approved it and when."""

    id: int
    approved_by: str
    approved_at: str


class AskResponse(BaseModel):
    """A cited answer or an abstention."""

    answer: str
    short_answer: ShortAnswerOut | None = Field(
        None, description="the asked fact alone (a figure, name, date...); null when the answer is a sentence"
    )
    lang: Literal["zh", "en"]
    answerable: bool
    citations: list[Passage]
    conflicts: list[ConflictOut]
    related: list[RelatedPassage] = Field(
        default_factory=list,
        description="declined questions only: up to 3 passages on the question's topic, the question's language "
        "first; [] when answered or when nothing found is on topic",
    )
    timings_ms: dict[str, float]
    index_version: str
    # --- answer origin: curated (issue 10), generation (issue 11) ---
    origin: Literal["corpus", "curated", "generated", "extractive"] = Field(
        "corpus",
        description="corpus: the extractive reader; curated: a staff-approved answer; generated: a configured "
        "generator's verified answer; extractive: a generator is configured but the reader's answer was used "
        "(see verification.fallback)",
    )
    curated: CuratedRef | None = Field(None, description="the approved entry, when origin is curated")
    verification: VerificationOut | None = Field(None, description="what verification kept (a generator only)")


class SearchResponse(BaseModel):
    """Passages found for a query, best first."""

    results: list[Passage]


class DocumentOut(BaseModel):
    """A corpus manifest entry, and whether the served index holds it yet."""

    doc_id: str
    title: str
    source: str
    published: str | None
    lang: str
    chars: int | None = Field(None, description="length of the cleaned text, once indexed")
    indexed: bool
    passages: int | None = Field(None, description="passages of the document in the served index, once indexed")


class DocumentsResponse(BaseModel):
    """The corpus manifest."""

    documents: list[DocumentOut]
    index_version: str
    pending: bool = Field(description="the corpus has changes that the served index does not hold yet")


class ChunkOut(BaseModel):
    """A passage of a document, by offsets into its cleaned text."""

    chunk_id: int
    start: int
    end: int
    text: str


class DocumentDetail(DocumentOut):
    """A document with its cleaned text and passages (empty until indexed)."""

    text: str | None
    chunks: list[ChunkOut]
    index_version: str


class DocumentIn(BaseModel):
    """A new or replacing article given as text."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_printable)]
    source: Annotated[str, Field(max_length=300), AfterValidator(_printable)] = ""
    text: Annotated[str, Field(min_length=1, max_length=2_000_000), AfterValidator(_searchable)]
    published: Annotated[str | None, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_calendar_date)] = None
    lang: Literal["zh", "en"] | None = None
    doc_id: Annotated[str | None, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")] = None


class DocumentChange(BaseModel):
    """What a change did, and the index that serves answers meanwhile."""

    document: DocumentOut
    index_version: str
    pending: bool


class FeedbackIn(RequestBody):
    """A thumbs up or down on one answer, with the answer as it was shown."""

    question: QuestionText
    answer: str = Field(min_length=1, max_length=20000)
    citations: Annotated[list[ShownPassage], AfterValidator(_citations_within_total)] = Field(
        default_factory=list, max_length=20
    )
    index_version: str = Field(min_length=1, max_length=200)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000)
    history: list[Turn] = Field(
        default_factory=list, max_length=5, description="the earlier turns sent with the question, oldest first"
    )
    opened_related: list[Annotated[int, Field(ge=1, le=3)]] = Field(
        default_factory=list,
        max_length=3,
        description="declined answers: the numbers (n) of the related passages the user opened",
    )
    answerable: bool | None = Field(None, description="the answer's `answerable`: false when it declined")
    origin: Literal["corpus", "curated", "generated", "extractive"] | None = Field(
        None, description="the answer's `origin` (a curated answer, the corpus...)"
    )


class FeedbackCreated(BaseModel):
    """The id of the stored feedback."""

    id: int


# --- Curated answers (issue 10) ---

CuratedQuestion = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_searchable)]
AnswerText = Annotated[str, Field(max_length=8000)]
StaffName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable), AfterValidator(_searchable)]


class CuratedAnswers(RequestBody):
    """The approved answer in each language; at least one."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["zh"], "properties": {"zh": {"type": "string", "pattern": r"\S"}}},
                {"required": ["en"], "properties": {"en": {"type": "string", "pattern": r"\S"}}},
            ]
        }
    )

    zh: AnswerText | None = None
    en: AnswerText | None = None

    @model_validator(mode="after")
    def _one_at_least(self) -> "CuratedAnswers":
        self.zh, self.en = (t.strip() or None if t is not None else None for t in (self.zh, self.en))
        if self.zh is None and self.en is None:
            raise ValueError("give the answer in at least one language (zh or en)")
        return self


class CitationIn(RequestBody):
    """A span of a corpus document: its cleaned text[start:end], within one passage."""

    doc_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    start: Offset
    end: Offset


class CuratedIn(RequestBody):
    """A curated answer as a reviewer approves it."""

    questions: list[CuratedQuestion] = Field(
        min_length=1, max_length=20, description="the main question first, then paraphrases, in either language"
    )
    answers: CuratedAnswers
    citations: list[CitationIn] = Field(default_factory=list, max_length=10)
    approved_by: StaffName
    feedback_id: int | None = Field(None, ge=1, le=1 << 62, description="the feedback row this answer corrects")


class ApproveIn(RequestBody):
    """Who approves a stale entry again, its citations as they read now."""

    approved_by: StaffName


class CitationOut(BaseModel):
    """A curated answer's citation, with the text it had when approved."""

    doc_id: str
    start: int
    end: int
    text: str


class CuratedAnswersOut(BaseModel):
    """The approved answer in each language (null where none)."""

    zh: str | None
    en: str | None


class CuratedEntry(BaseModel):
    """A curated answer: served for its questions and their paraphrases until stale."""

    id: int
    questions: list[str]
    answers: CuratedAnswersOut
    citations: list[CitationOut]
    approved_by: str
    approved_at: str
    version: int
    stale: bool = Field(description="a cited text changed or disappeared: not served until approved again")
    stale_reason: str | None
    feedback_id: int | None


class CuratedVersion(BaseModel):
    """One change of a curated answer: what it became, who did it and when."""

    version: int
    action: Literal["create", "update", "approve", "stale", "delete"]
    changed_by: str
    changed_at: str
    entry: CuratedEntry


class FieldError(BaseModel):
    """One invalid field of a request."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail: every error of the API has this shape."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = Field(None, description="the invalid fields (422 only)")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each with a problem+json body."""
    ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase, "content": {PROBLEM_JSON: ref}}
        for status in statuses
    }


# Review (issue 10): the review view's feedback rows, verdicts, dashboard and reviewed gold questions.

GoldType = Literal[
    "count",
    "percent",
    "money",
    "date",
    "schedule",
    "duration",
    "person",
    "organisation",
    "place",
    "channel",
    "list",
    "definition",
    "yesno",
    "reason",
    "other",
]  # eval/GOLD.md's answer types


class Verdict(BaseModel):
    """A reviewer's verdict on a feedback row: declining was right, or a curated entry / gold question was made."""

    id: int
    feedback_id: int
    kind: Literal["declining_right", "curated", "gold"]
    ref: str | None = Field(description="the curated entry's id or the gold question's id")
    created_at: str


class VerdictIn(RequestBody):
    """A verdict to record; `ref` names the curated entry or gold question the action made."""

    kind: Literal["declining_right", "curated", "gold"]
    ref: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class ReviewRow(BaseModel):
    """A stored rating with what the user saw, the question's language and the verdicts on it."""

    id: int
    created_at: str
    question: str
    lang: Literal["zh", "en"]
    answer: str
    answerable: bool = Field(description="false when the answer declined")
    origin: str | None = Field(description="the answer's origin as the widget sent it (null in older rows)")
    citations: list[dict[str, Any]]
    index_version: str
    rating: Literal["up", "down"]
    comment: str | None
    history: list[dict[str, Any]]
    opened_related: list[int]
    verdicts: list[Verdict]


class ReviewPage(BaseModel):
    """A page of feedback rows, thumbs-down first, newest first within each."""

    items: list[ReviewRow]
    total: int
    limit: int
    offset: int


class ReviewTotals(BaseModel):
    """Questions asked (the question log) and how many declined; answers rated and how many got a thumbs-down."""

    questions: int = Field(description="questions answered or declined (the question log)")
    declined: int = Field(description="of them, declined")
    rated: int = Field(description="answers rated (the feedback rows)")
    down: int = Field(description="of them, thumbs-down")
    declined_share: float | None = Field(description="declined / questions; null without questions")
    down_share: float | None = Field(description="down / questions; null without questions")
    down_share_rated: float | None = Field(description="down / rated; null without ratings")


class ReviewDay(BaseModel):
    """Questions asked on one day (UTC), in all and per language, how many declined, and answers rated."""

    date: str
    questions: int
    zh: int
    en: int
    declined: int
    rated: int


class UnansweredTopic(BaseModel):
    """Declined questions on one topic: the newest of them, how many, a few of their wordings."""

    question: str
    count: int
    examples: list[str]


class ReviewStats(BaseModel):
    """The review dashboard over the last `days` days."""

    since: str
    days: list[ReviewDay]
    languages: dict[Literal["zh", "en"], ReviewTotals]
    total: ReviewTotals
    unanswered: dict[Literal["zh", "en"], list[UnansweredTopic]] = Field(
        description="the declined questions of the question log, clustered by topic, most asked first"
    )
    question_log: bool = Field(
        description="whether questions are logged (TRAINERQA_LOG_QUESTIONS); if not, only ratings count"
    )


class GoldEvidence(RequestBody):
    """An exact quote of a corpus article."""

    doc_id: str = Field(min_length=1, max_length=64)
    quote: str = Field(min_length=1, max_length=2000)


GoldText = Annotated[str, Field(min_length=1, max_length=300)]


class GoldIn(RequestBody):
    """A reviewed gold question, as eval/GOLD.md describes the fields (id, split and slice are the server's)."""

    question: QuestionText
    lang: Literal["zh", "en"] | None = Field(None, description="detected from the question when absent")
    answerable: bool = True
    evidence: list[GoldEvidence] = Field(default_factory=list, max_length=10)
    facts: list[Annotated[list[GoldText], Field(min_length=1, max_length=10)]] = Field(
        default_factory=list, max_length=10
    )
    conflict: bool = False
    history: list[Turn] = Field(default_factory=list, max_length=5)
    type: GoldType = "other"
    short: list[GoldText] = Field(default_factory=list, max_length=10)
    feedback_id: int | None = Field(None, ge=1, description="the feedback row it was made from")


class GoldRow(BaseModel):
    """A reviewed gold question as stored (one line of the reviewed gold file)."""

    id: str
    split: str
    slice: str
    lang: Literal["zh", "en"]
    question: str
    answerable: bool
    evidence: list[dict[str, str]]
    facts: list[list[str]]
    conflict: bool
    history: list[dict[str, str]]
    type: str
    short: list[str]
    feedback_id: int | None = None
    added_at: str


class GoldList(BaseModel):
    """Every reviewed gold question, oldest first."""

    items: list[GoldRow]
