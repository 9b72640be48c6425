"""The fixed phrases of an answer, in the asker's language."""

from answer.conflicts import Disagreement
from index.types import Lang


def lead(lang: Lang, source_langs: set[Lang]) -> str:
    """The short opening that says where the quoted sentences come from."""
    if lang == "zh":
        return "根据我们的资料（英文原文引用）：" if source_langs == {"en"} else "根据我们的资料："
    if source_langs == {"zh"}:
        return "According to our Chinese-language materials (quoted as written):"
    return "According to our materials:"


def abstention(lang: Lang) -> str:
    """The honest answer when the materials do not cover the question."""
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
