from pathlib import Path

import pytest

from answer.engine import QAEngine
from eval.gold import load_gold
from service.settings import Settings

pytest.importorskip("pymilvus")


def test_milvus_store_gives_the_same_answers_as_faiss(tmp_path: Path, settings: Settings, engine: QAEngine) -> None:
    milvus_settings = settings.model_copy(update={"vector_store": "milvus", "milvus_uri": str(tmp_path / "m.db")})
    milvus = QAEngine.open(milvus_settings)
    assert milvus.retriever.vectors.name == "milvus"
    gold = load_gold(engine.index.documents)
    for q in gold:
        dense = [h.chunk.chunk_id for h in milvus.search(q.question, 10, "dense")]
        assert dense == [h.chunk.chunk_id for h in engine.search(q.question, 10, "dense")], q.id
        assert milvus.ask(q.question, 5).text == engine.ask(q.question, 5).text, q.id
