import gc
import weakref

from answer.engine import QAEngine
from index.glossary import Glossary, english_tokens, kinds, name_tokens
from index.hybrid import Retriever
from index.tokenize import tokenize


def test_glossary_translates_both_ways() -> None:
    glossary = Glossary(["训练师", "周末"])
    assert "weekend" in glossary.translate(["周末"])
    assert "周末" in glossary.translate(["weekend"])
    assert glossary.translate(["banana"]) == []  # not a word of this corpus's Chinese vocabulary


def test_english_words_rendering_one_term_are_synonyms() -> None:
    glossary = Glossary([], [("课程", "course"), ("课程", "programme"), ("培训", "took the exam"), ("培训", "course")])
    assert glossary.siblings["cours"] == {"program"}
    assert "cours" in glossary.siblings["program"]
    assert "exam" not in glossary.siblings["cours"]  # a phrase is no synonym of a word


def test_a_term_written_inside_a_longer_one_means_only_the_longer_one() -> None:
    glossary = Glossary([], [("考", "took the exam"), ("考下来", "passed"), ("证书", "certificate")])
    found = glossary.written_in("去年考下来拿到证书的")
    assert [(s, e) for s, e, _ in found] == [(2, 5), (7, 9)]  # 考下来 and 证书; not 考 within 考下来
    assert [en for *_, en in glossary.written_in("去年考了吗")] == [("take", "exam")]


def test_an_old_versions_glossary_is_freed_with_its_retriever(engine: QAEngine) -> None:
    retriever = Retriever(engine.index, engine.retriever.embedder)
    retriever.search("AI训练师岗位数量增长了多少", 3, "hybrid")  # looks words up in CC-CEDICT
    old = weakref.ref(retriever.glossary)
    del retriever
    gc.collect()
    assert old() is None, gc.get_referrers(old())


def test_cedict_lookups_are_cached_by_word_for_every_version() -> None:
    english_tokens.cache_clear()
    for _ in range(3):
        Glossary(["周末"]).translate(["周末"])
    assert english_tokens.cache_info().hits == 2 and english_tokens.cache_info().currsize == 1


def test_a_place_or_person_translates_to_its_name_only() -> None:
    # CC-CEDICT describes 杭州 as "... capital of Zhejiang province in southeast China": not about China.
    assert english_tokens("杭州") == ("hangzhou",)
    assert english_tokens("李娜") == ("li", "na")


def test_a_long_gloss_is_no_translation_when_a_short_sense_exists() -> None:
    # 同比: "over the same period (last year)"; its "over" would match "over 30 percent".
    assert "over" not in english_tokens("同比")
    assert english_tokens("证书")  # a short sense stays


def test_a_light_verb_beside_another_word_renders_nothing() -> None:
    # 考试 "to take an exam" is an exam: its "take" would stand beside "16,300 people took the exam"
    assert english_tokens("考试") == ("exam",)
    assert "get" not in english_tokens("通过")  # "to get through"
    assert english_tokens("取")[:2] == ("take", "get")  # "to take" alone still is


def test_names_are_spelled_in_pinyin_and_ordinary_words_are_not() -> None:
    assert name_tokens("潘攀") == ["pan", "pan"]  # not in CC-CEDICT, a name to jieba
    assert name_tokens("易舟") == ["yi", "zhou"]
    assert "li" in name_tokens("李娜")  # CC-CEDICT lists her
    # ordinary words whose first character is a surname: 经理 and 中心 carry a measure-word note
    # ("CL:个[ge4]"), 新开 and 师证 are compounds jieba made of a question's words
    for word in ("经理", "中心", "新开", "师证"):
        assert name_tokens(word) == [], word


def test_cc_cedict_tells_what_a_name_names() -> None:
    city, university = tokenize("city")[0], tokenize("university")[0]
    assert city in kinds("杭州") and city in kinds("hangzhou")  # the Chinese name and its pinyin
    assert university in kinds("复旦")
    assert university in kinds("同济")  # an abbreviation of 同济大学: what the full name names
    assert tokenize("district")[0] in kinds("浦东")  # "Pudong, subprovincial district of Shanghai"
    assert kinds("训练") == frozenset() and kinds("data") == frozenset()  # ordinary words name nothing


def test_a_light_verb_renders_no_chinese_word(engine: QAEngine) -> None:
    # CC-CEDICT's "to do without" (或缺) and "have not" (未) are no "do" or "have" of a question
    glossary = engine.retriever.glossary
    assert "do" not in glossary.en_to_zh and "have" not in glossary.en_to_zh
    assert "或缺" not in glossary.translate(["do"])


def test_a_name_the_glossary_gives_in_both_scripts_is_found_either_way() -> None:
    glossary = Glossary([], [("英伟达", "Nvidia"), ("课程", "course")])
    assert glossary.other_names("英伟达") == ["Nvidia"]
    assert glossary.other_names("nvidia") == ["英伟达"]
    assert glossary.other_names("课程") == []  # an ordinary word is no name


def test_have_and_do_render_no_chinese_word() -> None:
    # 用 is "to have to" among its senses: an article's "companies *having* a loss" uses nothing
    assert "use" in english_tokens("用") and "have" not in english_tokens("用")
