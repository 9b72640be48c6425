import pytest

from answer.engine import QAEngine
from index.errors import UnknownVectorStoreError
from index.vector_store import make_vector_store


def test_faiss_store_searches_the_index_it_is_made_for(engine: QAEngine) -> None:
    store = make_vector_store(engine.index, "faiss")
    vector = engine.retriever.embed_query("Classes are usually held on weekends.")
    assert store.name == "faiss"
    assert store.search(vector, 3) == engine.retriever.vectors.search(vector, 3)


@pytest.mark.parametrize("kind", ["chroma", "FAISS", ""])
def test_unknown_vector_store_is_a_named_error(engine: QAEngine, kind: str) -> None:
    with pytest.raises(UnknownVectorStoreError, match=r"choose one of \['faiss', 'milvus'\]"):
        make_vector_store(engine.index, kind)
