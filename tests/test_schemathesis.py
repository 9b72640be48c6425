"""Property-based fuzzing of every operation from the app's own OpenAPI schema (schemathesis).

Checks: no 5xx; status, content type, headers and body of every response as the schema says;
invalid input refused with a 4xx. The admin token is set but never sent, so the admin
operations are fuzzed too and must answer 401/403 problem+json.

(schemathesis.pytest.from_fixture does not run under pytest 9, so each operation gets a
plain parametrized test that draws its cases from the operation's Hypothesis strategy.)
"""

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as given_settings
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import Case, GenerationMode, checks
from schemathesis.openapi import from_asgi

from answer.engine import QAEngine
from service.app import create_app
from service.settings import Settings

# Runs in a pytest process of its own (scripts/test.sh): CPython 3.11 can fail to compile
# ("AST constructor recursion depth mismatch") in a process where deep recursion happened before.
pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 25
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


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
    app = create_app(settings.model_copy(update={"feedback_db": db, "admin_token": token}))
    schema = from_asgi("/openapi.json", app)  # starts the app; it stays up until the session ends
    deadline = time.monotonic() + 60
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
    @given_settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def fuzz(case: Case) -> None:
        case.call_and_validate(checks=CHECKS)

    try:
        fuzz()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip("no invalid input can be made for this operation (e.g. only free-text path parameters)")
