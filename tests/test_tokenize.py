from index.tokenize import tokenize


def test_chinese_is_segmented_into_words() -> None:
    tokens = tokenize("AI训练师课程是周末上课吗")
    assert "课程" in tokens and "周末" in tokens and "上课" in tokens
    assert "吗" not in tokens and "是" not in tokens


def test_english_is_lowercased_stemmed_and_numbers_kept_whole() -> None:
    assert tokenize("Trainers passed: 16,300 people, 67%") == ["trainer", "pass", "16,300", "peopl", "67%"]


def test_stop_words_only_yield_nothing() -> None:
    assert tokenize("what is the 的 了") == []
