import numpy as np

from index.lexical import LexicalIndex

CORPUS = [
    "AI trainers label data for models.",
    "The course runs on weekends in Shanghai.",
    "上海AI训练师岗位数量同比增长67%。",
    "Certified trainers are hired by enterprises.",
]


def test_bm25_ranks_the_matching_sentence_first_in_each_language() -> None:
    lex = LexicalIndex.build(CORPUS)
    assert int(np.argmax(lex.scores("weekend course"))) == 1
    assert int(np.argmax(lex.scores("训练师岗位增长"))) == 2
    ranked = np.argsort(-lex.scores("certified trainers"))
    assert list(ranked[:2]) == [3, 0]


def test_unknown_words_score_zero_everywhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lex = LexicalIndex.build(CORPUS)
    lex.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25", len(CORPUS))
    assert not loaded.scores("salary Beijing").any()
    assert np.allclose(loaded.scores("weekend course"), lex.scores("weekend course"))
