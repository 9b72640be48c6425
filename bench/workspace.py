"""The benchmark's own index of the real corpus, built once in a temporary folder, and its engine."""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from answer.engine import QAEngine
from eval.gold import GoldQuestion, load_gold
from index.build import build_index
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@dataclass
class Workspace:
    """An index built from the real corpus, the engine over it, and the gold questions."""

    settings: Settings
    engine: QAEngine
    gold: list[GoldQuestion]
    build: dict[str, Any]

    @property
    def answerable(self) -> list[GoldQuestion]:
        """The gold questions that have evidence in the corpus."""
        return [q for q in self.gold if q.answerable]


def open_workspace(folder: Path) -> Workspace:
    """Build the index into folder (timed), then open the engine on it as the service does, without the
    answer cache (servers started over it get an empty curated answers' store of their own)."""
    # No answer cache: every system answers each question afresh, warm-up pass and rounds alike.
    settings = Settings(
        corpus_dir=CORPUS,
        index_dir=folder / "index",
        curated_db=folder / "curated.sqlite3",
        rebuild="never",
        answer_cache_size=0,
    )
    build = timed_build(settings)
    engine = QAEngine.open(settings)
    return Workspace(settings, engine, load_gold(engine.index.documents), build)


def timed_build(settings: Settings) -> dict[str, Any]:
    """Build the index with the service's code; seconds, and chunks and texts embedded per second."""
    embedder = settings.make_embedder()
    t0 = time.perf_counter()
    index = build_index(
        settings.corpus_dir, settings.index_dir, embedder, settings.max_chars, settings.overlap, progress=False
    )
    seconds = time.perf_counter() - t0
    chunks, sentences = len(index.chunks), len(index.sentences)
    return {
        "seconds": seconds,
        "chunks": chunks,
        "sentences": sentences,
        "chunks_per_s": chunks / seconds,
        "texts_per_s": (chunks + sentences) / seconds,
    }
