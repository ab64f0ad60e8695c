"""The bounded store against a plain reference: a list of (key, value, cost) in use order.

The reference is written the obvious way (an append and a scan per operation); the
store must hold the same keys, in the same order, with the same values and total
cost after any sequence of gets, puts and get-or-puts, whatever its entry and byte
budgets.  Hand cases pin the rules: the least recently used goes first, a get
counts as a use, a value over the whole byte budget is returned but not kept.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.bounded_store import BoundedStore


class Reference:
    def __init__(self, size: int, max_bytes: int | None) -> None:
        self.size, self.max_bytes = size, max_bytes
        self.held: list[tuple[int, str, int]] = []  # least recently used first

    def _find(self, key: int) -> int | None:
        for i, (k, _v, _c) in enumerate(self.held):
            if k == key:
                return i
        return None

    def get(self, key: int) -> str | None:
        i = self._find(key)
        if i is None:
            return None
        entry = self.held.pop(i)
        self.held.append(entry)
        return entry[1]

    def put(self, key: int, value: str, cost: int) -> None:
        if self.max_bytes is not None and cost > self.max_bytes:
            return
        i = self._find(key)
        if i is not None:
            self.held.pop(i)
        while self.held and (len(self.held) >= self.size or (
                self.max_bytes is not None
                and sum(c for _k, _v, c in self.held) + cost > self.max_bytes)):
            self.held.pop(0)
        self.held.append((key, value, cost))

    def get_or_put(self, key: int, value: str, cost: int) -> str:
        found = self.get(key)
        if found is not None:
            return found
        self.put(key, value, cost)
        return value


operations = st.lists(st.tuples(st.sampled_from(["get", "put", "get_or_put"]),
                                st.integers(0, 7), st.integers(0, 50)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.none() | st.integers(0, 120), operations)
def test_the_store_matches_the_reference(size, max_bytes, ops):
    store: BoundedStore[int, str] = BoundedStore(size, max_bytes)
    ref = Reference(size, max_bytes)
    for step, (op, key, cost) in enumerate(ops):
        value = f"v{step}"
        if op == "get":
            assert store.get(key) == ref.get(key)
        elif op == "put":
            store.put(key, value, cost)
            ref.put(key, value, cost)
        else:
            def build(v: str = value) -> str:
                return v

            def costs(_v: str, c: int = cost) -> int:
                return c

            assert store.get_or_put(key, build, costs) == ref.get_or_put(key, value, cost)
        assert store.keys() == [k for k, _v, _c in ref.held]
        assert store.values() == [v for _k, v, _c in ref.held]
        assert store.nbytes == sum(c for _k, _v, c in ref.held)
        assert len(store) <= size
        assert max_bytes is None or store.nbytes <= max_bytes


def test_least_recently_used_goes_first_and_a_get_is_a_use():
    store: BoundedStore[str, int] = BoundedStore(2)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a") == 1  # "b" is now the least recently used
    store.put("c", 3)
    assert store.keys() == ["a", "c"] and "b" not in store


def test_a_value_over_the_byte_budget_is_returned_not_kept():
    store: BoundedStore[str, str] = BoundedStore(4, max_bytes=10)
    store.put("small", "x", 6)
    assert store.get_or_put("big", lambda: "y", lambda _v: 11) == "y"
    assert store.keys() == ["small"] and store.nbytes == 6
    store.put("other", "z", 6)  # 6 + 6 > 10: the older entry makes room
    assert store.keys() == ["other"]


def test_a_stored_none_is_found_not_rebuilt():
    store: BoundedStore[str, None] = BoundedStore(2)
    built: list[int] = []
    for _ in range(3):
        assert store.get_or_put("k", lambda: built.append(1)) is None
    assert built == [1]


def test_threads_building_one_key_all_get_the_stored_object():
    store: BoundedStore[str, object] = BoundedStore(8)
    start = threading.Barrier(4)
    got: list[object] = []

    def work() -> None:
        start.wait()
        got.append(store.get_or_put("k", object))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(g is got[0] for g in got)


def test_a_store_holds_at_least_one_entry():
    with pytest.raises(ValueError):
        BoundedStore(0)
