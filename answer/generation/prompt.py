"""The prompt: versioned files in both languages, filled with numbered passages and the short-answer hint."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from index.types import Lang

PROMPT_VERSION = "v1"
_DIR = Path(__file__).parent / "prompts"

# The exact sentence a model is told to give when the passages do not answer.
REFUSAL: dict[Lang, str] = {
    "zh": "资料中没有这个问题的答案。",
    "en": "The passages do not answer this question.",
}
_HINT: dict[Lang, str] = {
    "zh": "提示：资料中的简答可能是“{short}”（见 [{n}]）。\n\n",
    "en": 'Hint: the short answer may be "{short}" (see [{n}]).\n\n',
}


@dataclass(frozen=True)
class Hint:
    """The typed short answer the extractive reader found, and the passage it is in."""

    text: str
    n: int


@cache
def _template(version: str, lang: Lang) -> str:
    return (_DIR / f"{version}.{lang}.txt").read_text(encoding="utf-8")


def build_prompt(question: str, lang: Lang, passages: list[str], hint: Hint | None) -> str:
    """The user message: rules, the hint, passages numbered from 1, the question."""
    numbered = "\n\n".join(f"[{n}] {text}" for n, text in enumerate(passages, 1))
    return _template(PROMPT_VERSION, lang).format(
        refusal=REFUSAL[lang],
        hint=_HINT[lang].format(short=hint.text, n=hint.n) if hint else "",
        passages=numbered,
        question=question,
    )


def refused(text: str) -> bool:
    """Whether the model gave the refusal sentence (in either language: small models switch), or nothing."""
    plain = "".join(text.split()).rstrip("。.")
    return any("".join(r.split()).rstrip("。.") in plain for r in REFUSAL.values()) or not plain
