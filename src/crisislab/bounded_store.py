"""One bounded in-memory store for every cache of computed pieces.

The stability engine's sanction memo, the option-layout cache and the pipeline's
cache of engine results each keep what was computed for later callers, and each
must stay within a budget however many distinct inputs arrive: at most ``size``
entries and, where the values are arrays, ``max_bytes`` of them.  When a new
value does not fit, the least recently used entries go first; a value larger
than the whole byte budget is not kept at all (its caller still gets it).
Lookups and insertions take a lock, so one store may serve several threads (the
web app's job workers share the pipeline cache).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedStore(Generic[K, V]):
    """A map holding at most ``size`` entries and ``max_bytes`` of their stated cost
    (None: no byte budget), least recently used dropped first."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        if size < 1:
            raise ValueError(f"a store holds at least one entry, got size {size}")
        self.size = size
        self.max_bytes = max_bytes
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    @property
    def nbytes(self) -> int:
        """The cost of the entries held, as stated when each was stored."""
        return self._bytes

    def keys(self) -> list[K]:
        """The keys held, least recently used first."""
        with self._lock:
            return list(self._entries)

    def values(self) -> list[V]:
        """The values held, least recently used first."""
        with self._lock:
            return [value for value, _cost in self._entries.values()]

    def get(self, key: K) -> V | None:
        """The value under ``key`` (now the most recently used), or None."""
        with self._lock:
            held = self._entries.get(key)
            if held is None:
                return None
            self._entries.move_to_end(key)
            return held[0]

    def put(self, key: K, value: V, cost: int = 0) -> None:
        """Store ``value`` at ``cost`` bytes, dropping the least recently used entries
        until it fits; a value costlier than the whole budget is not stored."""
        with self._lock:
            self._put(key, value, cost)

    def get_or_put(self, key: K, build: Callable[[], V],
                   cost: Callable[[V], int] | None = None) -> V:
        """The value under ``key``; built (outside the lock), stored at ``cost(value)``
        bytes and returned when absent.  Two threads building the same key at once get
        the value stored first, so every caller holds the same object."""
        with self._lock:
            held = self._entries.get(key)
            if held is not None:
                self._entries.move_to_end(key)
                return held[0]
        value = build()
        with self._lock:
            held = self._entries.get(key)
            if held is not None:
                self._entries.move_to_end(key)
                return held[0]
            self._put(key, value, cost(value) if cost is not None else 0)
        return value

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _put(self, key: K, value: V, cost: int) -> None:
        if self.max_bytes is not None and cost > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        while self._entries and (len(self._entries) >= self.size or (
                self.max_bytes is not None and self._bytes + cost > self.max_bytes)):
            self._bytes -= self._entries.popitem(last=False)[1][1]
        self._entries[key] = (value, cost)
        self._bytes += cost
