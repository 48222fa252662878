"""The per-event random stream: ``random.Random`` with its most used draws spelled out.

Generators call ``rng.choice``/``randint``/``sample`` a few dozen times per event; the
stdlib reaches ``getrandbits`` through two or three Python frames each time (``randint``
→ ``randrange`` → ``_randbelow``).  ``EventRandom`` draws exactly the same bits in the same
order (CPython's ``_randbelow_with_getrandbits``, the set path of ``sample``), so a seed
gives the same values as ``random.Random``; ``tests/test_generation_stable.py`` and
``tests/test_rng.py`` hold it to that.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, TypeVar

__all__ = ["EventRandom", "below", "sample_few"]

T = TypeVar("T")


def below(bits: Any, n: int) -> int:
    """``rng._randbelow(n)`` for ``bits = rng.getrandbits``: what ``choice``/``randint``/``sample`` draw."""
    k = n.bit_length()
    r = bits(k)
    while r >= n:
        r = bits(k)
    return r


def sample_few(bits: Any, population: Sequence[T], k: int) -> list[T]:
    """``rng.sample(population, k)`` for ``bits = rng.getrandbits`` when the stdlib takes its
    set path (k <= 5 and a population over 21): an index already taken is redrawn."""
    n = len(population)
    if k > 5 or n <= 21:
        raise ValueError("sample_few() spells out only the stdlib's path for a few items of many")
    width = n.bit_length()
    selected: set[int] = set()
    result = []
    for _ in range(k):
        j = bits(width)
        while j >= n or j in selected:     # below(bits, n), redrawn while already taken
            j = bits(width)
        selected.add(j)
        result.append(population[j])
    return result


class EventRandom(random.Random):
    """``random.Random`` (same seeding, same stream) with cheaper ``choice``/``randint``/``sample``."""

    def choice(self, seq: Sequence[T]) -> T:
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        bits = self.getrandbits
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return seq[r]

    def randint(self, a: int, b: int) -> int:
        if type(a) is not int or type(b) is not int:
            return super().randint(a, b)
        n = b - a + 1
        if n <= 0:
            return super().randint(a, b)   # the stdlib's error
        bits = self.getrandbits
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return a + r

    def sample(self, population: Sequence[T], k: int, *, counts: Any = None) -> list[T]:
        if counts is None and 0 <= k <= 5 and isinstance(population, Sequence) and len(population) > 21:
            return sample_few(self.getrandbits, population, k)
        return super().sample(population, k, counts=counts)
