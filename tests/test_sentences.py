import itertools

from hypothesis import given
from hypothesis import strategies as st

from index.sentences import split_sentences


def texts(raw: str) -> list[str]:
    return [raw[s.start : s.end] for s in split_sentences(raw)]


def test_english_abbreviations_and_decimals_do_not_end_sentences() -> None:
    raw = "At Shanghai Ideal Co., Ltd., staff work. Sales rose 1.2 times in the U.S. market. Done!"
    assert texts(raw) == [
        "At Shanghai Ideal Co., Ltd., staff work.",
        "Sales rose 1.2 times in the U.S. market.",
        "Done!",
    ]


def test_chinese_sentences_split_on_full_stops_and_semicolons() -> None:
    raw = "AI训练师迅速崛起。岗位增长67%;从业人员超1.2万人!真的吗?"
    assert texts(raw) == ["AI训练师迅速崛起。", "岗位增长67%;", "从业人员超1.2万人!", "真的吗?"]


def test_full_width_ends_split_like_ascii_and_keep_their_characters() -> None:
    raw = "岗位增长６７％；从业人员超１．２万人！真的吗？（是的。）"
    assert texts(raw) == ["岗位增长６７％；", "从业人员超１．２万人！", "真的吗？", "（是的。）"]


def test_closing_quotes_stay_with_their_sentence() -> None:
    raw = '"It works," said Pan. "Classes are on weekends." Next one.'
    assert texts(raw) == ['"It works," said Pan.', '"Classes are on weekends."', "Next one."]


def test_paragraph_breaks_end_sentences() -> None:
    assert texts("A heading without stop\n\nBody text.") == ["A heading without stop", "Body text."]


# Full-width forms and characters NFKC expands ("㈱" is "(株)", "⒈" is "1.") among the ASCII ones.
@given(st.text(alphabet=st.sampled_from(list('ab 。.!?;\n"”训练师12,！？；．）＂㈱⒈¨ﬁ\u3000')), max_size=200))
def test_spans_slice_out_ordered_non_empty_trimmed_sentences(raw: str) -> None:
    spans = split_sentences(raw)
    for prev, span in itertools.pairwise(spans):
        assert prev.end <= span.start
    for span in spans:
        piece = raw[span.start : span.end]
        assert piece and piece == piece.strip()
    # Nothing but whitespace is lost between sentences.
    covered = "".join(raw[s.start : s.end] for s in spans)
    assert "".join(covered.split()) == "".join(raw.split())
