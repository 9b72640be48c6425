"""A bounded, thread-safe LRU cache of answers, keyed by the normalised question.

Hotline staff ask the same questions all day. An engine serves one index version and is
replaced as a whole when the index changes, and each engine has its own cache, so a cached
answer never outlives the index it came from.
"""

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s?!.。？！…]+$")


def normalise_question(question: str) -> str:
    """NFKC, lower case, single spaces, no trailing question marks or full stops."""
    text = unicodedata.normalize("NFKC", question).lower()
    return _TRAILING.sub("", _SPACE.sub(" ", text).strip())


class LRUCache(Generic[V]):
    """At most `size` entries; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> V | None:
        """The cached value, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Remember a value, evicting the oldest past the size."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
