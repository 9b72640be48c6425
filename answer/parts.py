"""A question that asks two things at once ("who runs the course and where is it held?",
"这个班谁办的，在哪上课？") split into its parts, each answered on its own."""

import re
import unicodedata

# Where a second question may begin: after a question mark, a comma (not one in "16,900") or semicolon, at an "and",
# "还有", "另外" ... that a question word follows, or at a space between Chinese words ("规模多大 企业多少家").
_BREAK = re.compile(
    r"[?？;；]+\s*|(?:(?<!\d)[,，]|[,，](?!\d))\s*(?:and\s+)?|\s+and\s+(?=(?:who|what|where|when|which|why|how)\b)"
    r"|(?<=[\u4e00-\u9fff])(?=还有|另外|以及|并且)|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])"
)
_ASKS_EN = re.compile(
    r"\b(?:who|whos|whom|whose|what|whats|where|when|which|why|how)\b"
    r"|^(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have)\b"
)
# After a comma or "and", an English stretch asks a question of its own only when it opens with a
# question word ("..., and where is it held?"); one carrying on the sentence does not ("Why has
# Shanghai, rather than some other city, become the place where ...").
_OPENS_ASKING_EN = re.compile(
    r"^(?:(?:and|so|also|then|but|plus|or|like|i mean)\s+)?(?:(?:from|in|at|by|for|to|with|since|until|of|on|over)\s+)?"
    r"(?:" + _ASKS_EN.pattern + ")"
)
_STOPS = re.compile(r"[?？;；]")  # a break that ends a sentence
_ASKS_ZH = re.compile(
    r"谁|什么|啥|哪|多少|多久|多长|多大|何时|几|怎么|怎样|如何|咋|为什么|为啥|吗|是否|是不是|有没有|能不能|会不会|要不要"
)
MAX_PARTS = 3  # a longer string of questions is read as one


def parts(question: str) -> list[str]:
    """The questions asked, in order; the question alone when it asks one thing. A stretch that asks
    nothing ("my son works weekdays, when are the classes?") belongs to the question after it, or
    to the one before it at the end ("is it mostly practice? what's the split, roughly")."""
    text = question.strip()
    at, breaks = 0, []
    for m in _BREAK.finditer(text):
        breaks.append((text[at : m.start()], bool(_STOPS.search(m.group()))))
        at = m.end()
    breaks.append((text[at:], False))
    asked: list[str] = []
    pending = ""
    after_stop = True  # the first stretch, as one after a question mark, may ask anywhere in it
    for raw, stop in breaks:
        piece = raw.strip()
        if not piece:
            after_stop = after_stop or stop
            continue
        joined = f"{pending} {piece}".strip() if pending else piece
        asking = _asks(piece, after_stop)
        after_stop = stop
        if asking:
            asked.append(joined)
            pending = ""
        else:
            pending = joined
    if pending:
        if not asked:
            return [text]
        asked[-1] = f"{asked[-1]} {pending}"
    if len(asked) < 2 or len(asked) > MAX_PARTS:
        return [text]
    return asked


def _asks(piece: str, after_stop: bool) -> bool:
    """Whether a stretch of the question asks something of its own (`after_stop`: it opens the
    question or follows a question mark or semicolon)."""
    text = unicodedata.normalize("NFKC", piece).lower().strip()
    return bool(_ASKS_ZH.search(text) or (_ASKS_EN if after_stop else _OPENS_ASKING_EN).search(text))
