"""What a question asks for: its expected answer type, from cue phrases kept as data
(answer/answer_types.json), in English and Chinese."""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TYPES_PATH = Path(__file__).with_name("answer_types.json")


@dataclass(frozen=True)
class AnswerType:
    """A type, the span kinds that answer it (none: a sentence answers it), and its cues."""

    name: str
    spans: frozenset[str]
    cues: dict[str, list[re.Pattern[str]]]
    # A span answers only when the best evidence holds one, else sentences do: "有啥要求" may
    # want a list ("数据标注、模型优化与人机协同测试") or a sentence ("政务对话优化需语用分寸").
    spans_optional: bool = False
    # What marks a sentence that answers a type answered by sentences ("because", 由于 for a reason),
    # per the sentence's language.
    markers: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)

    def marks(self, sentence: str, lang: str) -> bool:
        """Whether the sentence, in its language, bears a marker of this type."""
        return any(m.search(sentence) for m in self.markers.get(lang, ()))


@lru_cache(maxsize=1)
def answer_types() -> tuple[AnswerType, ...]:
    """The taxonomy, in the order its types are tried."""
    rows = json.loads(TYPES_PATH.read_text(encoding="utf-8"))["types"]
    return tuple(
        AnswerType(
            row["type"],
            frozenset(row["spans"]),
            {lang: [re.compile(cue) for cue in row[lang]] for lang in ("en", "zh")},
            row.get("spans_optional", False),
            {lang: [re.compile(m, re.IGNORECASE) for m in found] for lang, found in row.get("markers", {}).items()},
        )
        for row in rows
    )


OTHER = AnswerType("other", frozenset(), {"en": [], "zh": []})


def named(name: str) -> AnswerType:
    """The taxonomy's type of that name."""
    return next(t for t in answer_types() if t.name == name)


def classify(question: str) -> AnswerType:
    """The first type whose cue matches the question, in either language's cues; else "other"."""
    text = unicodedata.normalize("NFKC", question).lower().strip()
    for answer_type in answer_types():
        if any(cue.search(text) for lang in ("zh", "en") for cue in answer_type.cues[lang]):
            return answer_type
    return OTHER


def cue_position(question: str, answer_type: AnswerType) -> tuple[int, int] | None:
    """Where the type's first matching cue stands in the NFKC, lower-cased question: for a cue
    guarded by what the question must not say ("^(?!.*角色).*叫.{0,2}什么"), where its words stand."""
    text = unicodedata.normalize("NFKC", question).lower()
    found = [_core(cue, m) for lang in ("zh", "en") for cue in answer_type.cues[lang] if (m := cue.search(text))]
    return min(found) if found else None


# "^(?!...).*" opening a cue, with groups inside it up to two levels deep
_GUARD = re.compile(r"^\^\(\?!(?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\.\*")


def _core(cue: re.Pattern[str], match: re.Match[str]) -> tuple[int, int]:
    """The span of the cue's own words in its match, past a guard opening it."""
    words = _unguarded(cue.pattern)
    found = words.search(match.string, match.start()) if words else None
    return found.span() if found else match.span()


@lru_cache(maxsize=256)
def _unguarded(pattern: str) -> re.Pattern[str] | None:
    """A guarded cue's own words as a pattern (compiled once per cue), or None for an unguarded cue."""
    guard = _GUARD.match(pattern)
    return re.compile(pattern[guard.end() :]) if guard else None


def is_yes_no(question: str) -> bool:
    """Whether the question, whatever else it asks, wants a yes or a no ("are classes on weekends?",
    "是周末上课吗"): the yes/no type's cues, tried on their own."""
    text = unicodedata.normalize("NFKC", question).lower().strip()
    yes_no = named("yesno")
    return any(cue.search(text) for lang in ("zh", "en") for cue in yes_no.cues[lang])
