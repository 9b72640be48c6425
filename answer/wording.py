"""The fixed phrases of an answer, in the asker's language."""

from collections.abc import Callable

from answer.conflicts import Disagreement
from answer.spans import Span
from index.language import has_han
from index.types import Lang


def lead(lang: Lang, source_langs: set[Lang]) -> str:
    """The short opening that says where the quoted sentences come from."""
    if lang == "zh":
        return "根据我们的资料（英文原文引用）：" if source_langs == {"en"} else "根据我们的资料："
    if source_langs == {"zh"}:
        return "According to our Chinese-language materials (quoted as written):"
    return "According to our materials:"


def abstention(lang: Lang, related: bool = False) -> str:
    """The honest answer when the materials do not cover the question; with `related`, it
    points to the passages on the topic that are shown with it."""
    if related:
        if lang == "zh":
            return "我们的资料中没有直接回答这个问题的内容。下面这些相关段落也许有帮助。"
        return "Our materials do not answer this question directly. These related passages may help."
    if lang == "zh":
        return "我们的资料中没有涉及这个问题，无法给出可靠的回答。请换个问法，或咨询人工服务。"
    return (
        "Our materials do not cover this question, so we cannot give a reliable answer. "
        "Try asking differently, or contact a person."
    )


def conflict_sentence(lang: Lang, d: Disagreement, n_a: int, n_b: int) -> str:
    """Say that two cited sources disagree, and on what."""
    if lang == "zh":
        what = "这一数字" if d.kind == "figure" else "这一人名"
        return f"注意：资料来源对{what}说法不一，[{n_a}] 为 {d.value_a}，[{n_b}] 为 {d.value_b}。"
    return f"Note: our sources disagree on {d.about}: {d.value_a} [{n_a}] versus {d.value_b} [{n_b}]."


_QUALIFIERS = (  # English and Chinese ways to say a figure is approximate, and their renderings
    (("over", "more than", "超过", "超", "逾"), {"en": "over", "zh": "超过"}),
    (("about", "around", "roughly", "approximately", "some", "约", "大约"), {"en": "about", "zh": "约"}),
    (("nearly", "almost", "近", "将近"), {"en": "nearly", "zh": "近"}),
)


def short_text(lang: Lang, span: Span) -> str:
    """The short answer in the asker's language: a figure from the other language is written
    out as a number ("超1.2万人" -> "over 12,000"; "70 percent" -> "70%"), anything else as quoted."""
    same_script = (lang == "zh") == any("\u4e00" <= ch <= "\u9fff" for ch in span.text)
    if span.value is None or same_script:
        return span.text
    number = _number(lang, span.value)
    if span.kind == "percent" and ("times" in span.text or "倍" in span.text):
        figure = f"{number}倍" if lang == "zh" else f"{number} times"  # "increased 43 times": 43倍
    elif span.kind == "percent":
        figure = f"{number}%"
    elif span.kind == "money":
        figure = f"{number}元" if lang == "zh" else f"{number} yuan"
    else:
        figure = number
    lowered = span.text.lower()
    for words, rendering in _QUALIFIERS:
        if any(lowered.startswith(w) for w in words):
            return f"{rendering[lang]} {figure}" if lang == "en" else f"{rendering[lang]}{figure}"
    return figure


_SCALES = {"zh": ((1e12, "万亿"), (1e8, "亿")), "en": ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"))}


def _number(lang: Lang, value: float) -> str:
    """A figure as the language writes it: 12,000; 1.2 trillion; 1.2万亿."""
    for scale, word in _SCALES[lang]:
        if value >= scale:
            return f"{value / scale:g}{word}"
    return f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def short_lead(
    lang: Lang, shorts: list[tuple[Span, int]], chinese: Callable[[str], str | None] = lambda _: None
) -> str:
    """The opening line that gives the asked fact (or each part's) on its own, with its citation;
    for a Chinese asker, an English name with its Chinese name (`chinese`) after it: Hangzhou（杭州）."""
    given = [f"{short_text(lang, span)}{_chinese_name(lang, span, chinese)} [{n}]" for span, n in shorts]
    if lang == "zh":
        return f"简答：{'；'.join(given)}。"
    return f"Short answer: {'; '.join(given)}."


def _chinese_name(lang: Lang, span: Span, chinese: Callable[[str], str | None]) -> str:
    if lang != "zh" or span.kind not in ("place", "organisation") or has_han(span.text):
        return ""
    name = chinese(span.text)
    return f"（{name}）" if name else ""


def not_covered(lang: Lang, asked: str) -> str:
    """Say that the materials do not answer one part of a question that asks two things."""
    asked = asked.strip().rstrip("?？。.")
    if lang == "zh":
        return f"关于“{asked}”，我们的资料没有说明。"
    return f'Our materials do not say "{asked}".'
