from hypothesis import given
from hypothesis import strategies as st

from index.tokenize import dictionary_parts, located_tokens, tokenize


def test_chinese_is_segmented_into_words() -> None:
    tokens = tokenize("AI训练师课程是周末上课吗")
    assert "课程" in tokens and "周末" in tokens and "上课" in tokens
    assert "吗" not in tokens and "是" not in tokens


def test_english_is_lowercased_stemmed_and_numbers_kept_whole() -> None:
    assert tokenize("Trainers passed: 16,300 people, 67%") == ["trainer", "pass", "16,300", "peopl", "67%"]


def test_stop_words_only_yield_nothing() -> None:
    assert tokenize("what is the 的 了") == []


def test_full_width_letters_and_digits_give_the_ascii_tokens_at_their_written_offsets() -> None:
    text = "ＡＩ训练师岗位增长６７％，Trainers ｐａｓｓｅｄ"
    assert tokenize(text) == tokenize("AI训练师岗位增长67%,Trainers passed")
    located = dict(located_tokens(text))
    assert text[located["67%"] :].startswith("６７％")
    assert text[located["pass"] :].startswith("ｐａｓｓｅｄ")
    assert text[located["训练"] :].startswith("训练")


@given(st.text(alphabet=st.sampled_from(list("ab AI６７％，训练师㈱ﬁ１２.,%")), max_size=60))
def test_token_offsets_point_into_the_text_as_given(text: str) -> None:
    for _, at in located_tokens(text):
        assert 0 <= at < len(text) and not text[at].isspace()


def test_irregular_verb_forms_are_read_as_their_base_form() -> None:
    # "said Li Na" answers "what did Li Na say"; CC-CEDICT translates 说 as "say", 举办 as "hold"
    assert tokenize("said held grew taught") == tokenize("say hold grow teach")
    assert tokenize("trained offered") == tokenize("train offer")  # regular forms stem as before
    assert tokenize("found saw") == ["found", "saw"]  # also base forms of their own: left alone


def test_a_number_keeps_its_chinese_scale() -> None:
    # "从业人员超1.2万" must not match the 1.2 of "1.2 trillion yuan"
    assert "1.2万" in tokenize("从业人员超1.2万人") and "1.2" not in tokenize("从业人员超1.2万人")


def test_ge_with_is_a_stop_word_like_he_and_yu() -> None:
    # 跟 ("with") in "跟AI有关" or "理论跟实操" weighed like a rare content word
    assert "跟" not in tokenize("其中跟AI有关的有几个") and "跟" not in tokenize("理论跟实操")


def test_the_s_of_a_possessive_is_no_token() -> None:
    assert tokenize("Shanghai's workforce") == tokenize("Shanghai workforce")


def test_a_not_a_question_forms_are_no_search_words() -> None:
    # 是不是 asks yes or no; the 不是 jieba cuts out of it is no word of the topic
    assert tokenize("AI训练师是不是程序员") == ["ai", "训练", "师", "程序", "程序员"]
    assert "不能" not in tokenize("能不能零基础学")


def test_like_asks_and_names_nothing() -> None:
    assert tokenize("what's the weather like in Shanghai") == ["weather", "shanghai"]


def test_british_spellings_are_read_as_american_ones() -> None:
    # the articles write both "training centre" and "development center", "optimisation" and "optimization"
    assert tokenize("training centre") == tokenize("training center")
    assert tokenize("model optimisation") == tokenize("model optimization")
    assert tokenize("occupational catalogue") == tokenize("occupational catalog")
    # not a word with no American twin in the dictionary
    assert tokenize("advise") == ["advis"] and tokenize("raise") == ["rais"]


def test_the_plural_suffix_is_no_search_word() -> None:
    assert tokenize("讲师们") == ["讲师"]


def test_a_word_jieba_made_up_splits_into_dictionary_words() -> None:
    # "老招不到": jieba's HMM glues 老 and 招 (to recruit) into a word no dictionary has
    assert dictionary_parts("老招") == [("老", 0), ("招", 1)]
    assert dictionary_parts("培训") == [("培训", 0)]


def test_a_number_with_its_chinese_scale_is_no_made_up_word() -> None:
    # "1.09万" holds a Han character but is a figure, not a word jieba's HMM made up
    assert dictionary_parts("1.09万") == [("1.09万", 0)]


def test_question_words_written_short_are_no_search_words() -> None:
    # 几, 啥 and 咋 ask as 多少, 什么 and 怎么 do: "礼拜几" is no "several"
    assert tokenize("礼拜几 啥 咋") == ["礼拜"]
    assert tokenize("AX是啥意思") == ["ax"]  # what AX means: 意思 is no word of the topic


def test_english_personal_pronouns_are_stop_words_as_the_chinese_ones_are() -> None:
    # "what's *his* name" asks about no one called "his"
    assert tokenize("what is his name") == tokenize("what is the name") == ["name"]
    assert tokenize("她叫什么") == ["叫"] and tokenize("will she teach") == ["teach"]


def test_how_with_an_adjective_is_a_question_word_however_jieba_cuts_it() -> None:
    # jieba cuts 有多大 as 多/大 and 占多大 likewise: neither "many" nor "big" is the topic
    assert tokenize("训练师队伍规模有多大") == tokenize("训练师队伍规模")
    assert tokenize("理论课占多大比重") == tokenize("理论课占比重")
    assert tokenize("这个证要考多久") == tokenize("这个证要考")
    # the "many" of 很多 and 更多 is a word of the question
    assert "大学" in tokenize("很多大学开了这个课") and "多" in tokenize("更多大型企业")


def test_the_words_of_asking_are_no_search_words() -> None:
    # how a caller asks ("想问下", "麻烦问一下", "我想知道", "帮我查一下") says nothing of what about
    assert tokenize("想问下补贴标准") == tokenize("麻烦问一下补贴标准") == tokenize("补贴标准")
    assert tokenize("我想知道培训地点") == tokenize("帮我查一下培训地点") == tokenize("培训地点")


def test_the_again_closing_a_question_is_no_search_word() -> None:
    # "叫啥来着" (what was it called again): jieba cuts 来/着, "come" and a verb's -ing
    assert tokenize("局长叫啥来着") == tokenize("局长叫啥") == tokenize("局长叫啥来着？")
    assert tokenize("由他来着手安排") == ["由", "来", "着手", "安排"]  # 来 then 着手 (set about): no 来着 closing it


def test_the_if_of_a_condition_is_no_search_word() -> None:
    assert tokenize("如果零基础的话能学吗") == tokenize("零基础能学吗")


def test_the_or_of_an_either_or_question_is_no_search_word() -> None:
    assert tokenize("线上还是线下") == tokenize("线上 线下")
