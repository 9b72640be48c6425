"""Property-based fuzzing of every operation from the app's own OpenAPI schema (schemathesis).

Checks: no 5xx; status, content type, headers and body of every response as the schema says;
invalid input refused with a 4xx. On the session's app the admin token is set but never sent, so
the admin operations must answer 401/403 problem+json. They are fuzzed again WITH the token against
an app of their own over a scratch copy of the corpus (its own index, built here), where they
really add, replace and delete documents, export feedback, and create, change, approve and delete
curated answers.

(schemathesis.pytest.from_fixture does not run under pytest 9, so each operation gets a
plain parametrized test that draws its cases from the operation's Hypothesis strategy.)
"""

import shutil
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as given_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import Case, GenerationMode, checks
from schemathesis.openapi import from_asgi

from answer.engine import QAEngine
from service.app import create_app
from service.settings import Settings
from tests.support import CORPUS

# Runs in a pytest process of its own (scripts/test.sh): CPython 3.11 can fail to compile
# ("AST constructor recursion depth mismatch") in a process where deep recursion happened before.
pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 25
# The same examples every run (a fixed seed): a fresh CI machine once hit CPython 3.11.7's "AST
# constructor recursion depth mismatch" inside Hypothesis on a random draw (1 run in 5 here), and a
# red CI must mean our code failed. The examples still cover every operation, valid and invalid.
FUZZ: dict[str, Any] = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}
ADMIN_EXAMPLES = 15  # each change rebuilds the scratch index: keep the run to minutes on two cores
ADMIN_TOKEN = "fuzz-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
JSON, MULTIPART = "application/json", "multipart/form-data"
# (method, path, media type of the body); random multipart uploads are refused (415/422) by design.
ADMIN_CASES = [
    ("POST", "/v1/documents", JSON),
    ("POST", "/v1/documents", MULTIPART),
    ("PUT", "/v1/documents/{doc_id}", JSON),
    ("PUT", "/v1/documents/{doc_id}", MULTIPART),
    ("DELETE", "/v1/documents/{doc_id}", None),
    ("GET", "/v1/feedback", None),
    ("GET", "/v1/review/feedback", None),
    ("POST", "/v1/review/feedback/{feedback_id}/verdicts", JSON),
    ("DELETE", "/v1/review/verdicts/{verdict_id}", None),
    ("GET", "/v1/review/stats", None),
    ("GET", "/v1/gold", None),
    ("POST", "/v1/gold", JSON),
    ("DELETE", "/v1/gold/{gold_id}", None),
    ("GET", "/v1/curated", None),
    ("POST", "/v1/curated", JSON),
    ("GET", "/v1/curated/{entry_id}", None),
    ("PUT", "/v1/curated/{entry_id}", JSON),
    ("DELETE", "/v1/curated/{entry_id}", None),
    ("GET", "/v1/curated/{entry_id}/history", None),
    ("POST", "/v1/curated/{entry_id}/approve", JSON),
]
# Random gold questions quote no article: refused (422) by design, like random uploads.
REFUSED_BY_DESIGN = {("POST", "/v1/gold")}
SEEDED = 5  # ratings, verdicts and gold questions made first, so that the fuzzing reaches real ones
ADMIN_IDS = [" ".join(filter(None, case)) for case in ADMIN_CASES]
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]
# Positive cases only, with the token put in: no check that invalid input is refused.
ADMIN_CHECKS = [check for check in CHECKS if check is not checks.negative_data_rejection]


def operations() -> list[Any]:
    """(method, path, mode) for every operation; negative cases only where there is input to spoil."""
    cases = []
    for path, ops in create_app(Settings()).openapi()["paths"].items():
        for method, op in ops.items():
            params = [p for p in op.get("parameters", []) if p["in"] in ("path", "query")]
            modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if params or "requestBody" in op else [])]
            cases += [pytest.param(method.upper(), path, m, id=f"{method.upper()} {path} {m}") for m in modes]
    return cases


@pytest.fixture(scope="module")
def api_schema(settings: Settings, engine: QAEngine, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The schema of the real app, whose index is loaded, with an admin token nobody sends."""
    db = tmp_path_factory.mktemp("fuzz") / "feedback.sqlite3"
    token = SecretStr("fuzz-admin-token-never-sent")
    return _started(create_app(settings.model_copy(update={"feedback_db": db, "admin_token": token})), 60)


@pytest.fixture(scope="module")
def admin_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The schema of an app over a scratch copy of the corpus and an index of its own, with ADMIN_TOKEN set."""
    tmp = tmp_path_factory.mktemp("fuzz-admin")
    shutil.copytree(CORPUS, tmp / "corpus")
    scratch = Settings(
        corpus_dir=tmp / "corpus",
        index_dir=tmp / "index",
        feedback_db=tmp / "feedback.sqlite3",
        reviewed_gold=tmp / "reviewed-gold.jsonl",
        curated_db=tmp / "curated.sqlite3",
        admin_token=SecretStr(ADMIN_TOKEN),
        rebuild="auto",
        rate_per_minute=1e9,
        rate_burst=1_000_000,
    )
    schema = _started(create_app(scratch), 300)  # builds its index first
    rating = {"question": "课程是周末上课吗", "answer": "周末上课。", "index_version": "v", "rating": "down"}
    gold = {"question": "what share is practice?", "answerable": False}
    for n in range(1, SEEDED + 1):
        assert schema["/v1/feedback"]["POST"].Case(body=rating, media_type=JSON).call().status_code == 201
        verdict = schema["/v1/review/feedback/{feedback_id}/verdicts"]["POST"].Case(
            path_parameters={"feedback_id": n}, body={"kind": "gold"}, media_type=JSON, headers=ADMIN
        )
        assert verdict.call().status_code == 201
        assert schema["/v1/gold"]["POST"].Case(body=gold, media_type=JSON, headers=ADMIN).call().status_code == 201
    return schema  # with ratings to export and review, verdicts and gold questions to delete


def _curated_entry(schema: Any) -> int:
    """Create a curated answer through the API; its id."""
    entry = {"questions": ["课程是周末上课吗"], "answers": {"zh": "周末上课。"}, "approved_by": "fuzz"}
    created = schema["/v1/curated"]["POST"].Case(body=entry, media_type=JSON, headers=ADMIN).call()
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _started(app: Any, seconds: float) -> Any:
    """The app's schema, once /readyz answers 200 (the app stays up until the session ends)."""
    schema = from_asgi("/openapi.json", app)
    deadline = time.monotonic() + seconds
    while schema["/readyz"]["GET"].Case().call().status_code != 200:
        assert time.monotonic() < deadline, "index not loaded in time"
        time.sleep(0.05)
    return schema


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    listed = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert listed == {(p.values[0], p.values[1]) for p in operations()}


@pytest.mark.parametrize(("method", "path", "mode"), operations())
def test_operation_conforms_to_its_schema(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    @given(case=api_schema[path][method].as_strategy(generation_mode=mode))
    @given_settings(**FUZZ, max_examples=MAX_EXAMPLES)
    def fuzz(case: Case) -> None:
        case.call_and_validate(checks=CHECKS)

    try:
        fuzz()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip("no invalid input can be made for this operation (e.g. only free-text path parameters)")


def test_the_admin_operations_are_those_fuzzed_with_the_token(api_schema: Any) -> None:
    needs_token = {
        (op.ok().method.upper(), op.ok().path)
        for op in api_schema.get_all_operations()
        if any(p.name.lower() == "authorization" for p in op.ok().iter_parameters())
    }
    assert needs_token == {(method, path) for method, path, _ in ADMIN_CASES}


@pytest.mark.parametrize(("method", "path", "media_type"), ADMIN_CASES, ids=ADMIN_IDS)
def test_admin_operation_with_the_token_conforms_to_its_schema(
    admin_schema: Any, method: str, path: str, media_type: str | None
) -> None:
    listed = admin_schema["/v1/documents"]["GET"].Case().call().json()["documents"]
    # PUT and DELETE reach real documents (and ratings, verdicts, gold questions, curated answers), not only 404s
    seeded = range(1, SEEDED + 1)
    entries = [e["id"] for e in admin_schema["/v1/curated"]["GET"].Case(headers=ADMIN).call().json()]
    if "{entry_id}" in path:  # one entry of its own: the DELETE case may have removed the others
        entries.append(_curated_entry(admin_schema))
    known = {
        "doc_id": [d["doc_id"] for d in listed],
        "feedback_id": list(seeded),
        "verdict_id": list(seeded),
        "gold_id": [f"rev-{n:02d}" for n in seeded],
        "entry_id": entries,
    }
    statuses: list[int] = []

    cases = admin_schema[path][method].as_strategy()
    if media_type is not None:  # as_strategy's own media_type argument does not choose the body's
        cases = cases.filter(lambda case: case.media_type == media_type)

    @given(case=cases, data=st.data())
    @given_settings(**FUZZ, max_examples=ADMIN_EXAMPLES)
    def fuzz(case: Case, data: st.DataObject) -> None:
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        for name, value in (case.path_parameters or {}).items():
            case.path_parameters[name] = data.draw(st.sampled_from([*known[name], value]))
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code not in (401, 403), response.text  # the token is taken
        case.validate_response(response, checks=ADMIN_CHECKS)

    fuzz()
    if media_type != MULTIPART and (method, path) not in REFUSED_BY_DESIGN:  # done, not only refused
        assert any(200 <= s < 300 for s in statuses), statuses
