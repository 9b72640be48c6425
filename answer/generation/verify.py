"""Verification of a generated answer against the passages it cites.

The answer is split into sentences (Chinese and English). A sentence is kept only when it
carries [n] markers, every marker names a given passage, and every figure, year, percentage
and personal or place name in it appears in one of the passages it cites. Figures are compared
by value, whatever the script or unit ("1.2万" = "12,000", "七成" = "70%", "三个月" = "3
months"), with answer.spans' typed spans and their cn2an values; names are compared as written
or by pinyin ("Yang Jiaying" = "杨佳颖"), with index.glossary's readings.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from answer.spans import cn_number, find_spans
from index.glossary import syllables
from index.language import has_han
from index.textmap import normalise

_SENTENCE = re.compile(r"[^\n]+?(?:[。！？!?；;]|\.(?=\s|$|[\[【])|$)(?:\s*[\[【][\d\s,，、]+[\]】])*", re.MULTILINE)
_MARKER = re.compile(r"[\[【]([\d\s,，、]+)[\]】]")
_FIGURE_KINDS = frozenset({"count", "percent", "money", "date", "duration", "age", "contact"})
_NAME_KINDS = frozenset({"person", "place"})
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_RELATIVE_YEARS = {
    "去年": "-1", "last year": "-1", "今年": "0", "this year": "0",
    "明年": "+1", "next year": "+1", "前年": "-2",
}  # fmt: skip
# The number words answer.spans reads as counts and durations ("three months", "twelve weeks").
_WORDS = dict(
    zip(
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty".split(),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30, 40, 50],
        strict=True,
    )
)
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[a-z]+")

Fact = tuple[str, str]  # (class, normalised value): ("number", "12000"), ("percent", "70"), ("name", "yangjiaying")


@dataclass(frozen=True)
class Checked:
    """One sentence of the generated answer, the passages it cites, and why it was dropped (None: kept)."""

    text: str
    cites: tuple[int, ...]
    reason: str | None = None


@dataclass(frozen=True)
class Verification:
    """The kept and the dropped sentences of one generated answer."""

    kept: list[Checked]
    dropped: list[Checked]

    def text(self, lang: str) -> str:
        """The kept sentences, joined as the language writes them."""
        return (" " if lang == "en" else "").join(c.text for c in self.kept)


def verify(answer: str, passages: Sequence[str], question: str = "") -> Verification:
    """Check each sentence of `answer` against `passages` (numbered from 1); one that only repeats
    the `question` is dropped too (small models echo it, and it holds no fact to check)."""
    sources = [Source(p) for p in passages]
    checked = [_check(s, sources, _plain(question)) for s in split_sentences(answer)]
    return Verification([c for c in checked if c.reason is None], [c for c in checked if c.reason is not None])


def split_sentences(text: str) -> list[str]:
    """Sentences, each with the [n] markers written right after it (before or after its full stop)."""
    return [m.group().strip() for m in _SENTENCE.finditer(text.strip()) if m.group().strip(" \t[]【】0123456789,，、")]


def _plain(text: str) -> str:
    """Letters and digits only, lower case: for telling a repeated question."""
    return "".join(ch for ch in normalise(text).text.lower() if ch.isalnum())


def _check(sentence: str, sources: list["Source"], question: str) -> Checked:
    cites = tuple(dict.fromkeys(int(n) for m in _MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(1))))
    if not cites:
        return Checked(sentence, cites, "no [n] marker")
    nowhere = [n for n in cites if not 1 <= n <= len(sources)]
    if nowhere:
        return Checked(sentence, cites, f"cites [{nowhere[0]}], which is no given passage")
    claim = _MARKER.sub(" ", sentence)
    if question and _plain(claim) in question:
        return Checked(sentence, cites, "repeats the question")
    cited = [sources[n - 1] for n in cites]
    for fact, written in facts(claim).items():
        if not any(fact in s.facts or (fact[0] == "name" and s.has_name(fact[1])) for s in cited):
            return Checked(sentence, cites, f"{written!r} is in no cited passage")
    return Checked(sentence, cites)


class Source:
    """A passage given to the model, with its facts worked out once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def facts(self) -> dict[Fact, str]:
        """The passage's figures (names are matched against its tokens instead)."""
        return facts(self.text)

    @cached_property
    def tokens(self) -> list[str]:
        """Lower-case Latin words and the pinyin of each Han character, in order."""
        out = []
        for t in _TOKEN.findall(normalise(self.text).text.lower()):
            out.append((syllables(t) or [t])[0] if has_han(t) else t)
        return out

    def has_name(self, key: str) -> bool:
        """Whether some run of whole tokens spells `key` ("yangjiaying": yang jia ying, or Yang Jiaying)."""
        for i in range(len(self.tokens)):
            spelled = ""
            for token in self.tokens[i:]:
                spelled += token
                if spelled == key:
                    return True
                if not key.startswith(spelled):
                    break
        return False


def facts(text: str) -> dict[Fact, str]:
    """The figures, years, percentages and names of `text`, normalised, each with how it was written."""
    found: dict[Fact, str] = {}
    spans = find_spans(text, _FIGURE_KINDS | _NAME_KINDS)
    for span in spans:
        for fact in _span_facts(span.kind, span.text, span.value):
            found.setdefault(fact, span.text)
    rest = list(text)
    for s in spans:
        rest[s.start : s.end] = " " * (s.end - s.start)
    for m in _DIGITS.finditer(normalise("".join(rest)).text):
        found.setdefault(("number", _number(float(m.group().replace(",", "")))), m.group())
    return found


def _span_facts(kind: str, text: str, value: float | None) -> list[Fact]:
    if kind in _NAME_KINDS:
        return [("name", key)] if (key := name_key(text)) else []
    plain = normalise(text).text.lower()
    if kind == "contact":
        return [("contact", re.sub(r"\D", "", plain) or plain)]
    label = "number"
    if re.search(r"%|percent|per cent|成|百分之", plain):
        label = "percent"
    elif re.search(r"倍|times", plain):
        label = "times"
    if value is not None:
        return [(label, _number(value))]
    relative = [("year", v) for w, v in _RELATIVE_YEARS.items() if w in plain]
    numbers: list[float | None] = [float(d.replace(",", "")) for d in _DIGITS.findall(plain)]
    numbers += [cn_number(c) for c in _CN_NUMERAL.findall(plain.replace("百分之", ""))]
    numbers += [_WORDS[w] for w in re.findall(r"[a-z]+", plain) if w in _WORDS]
    return relative + [(label, _number(v)) for v in numbers if v is not None]


def name_key(name: str) -> str:
    """A name as lower-case letters: pinyin for Chinese ("杨佳颖" -> "yangjiaying"), "" when unknown."""
    if has_han(name):
        return "".join(syllables(name))
    return re.sub(r"[^a-z]", "", name.lower())


def _number(value: float) -> str:
    return repr(round(float(value), 6))
