"""EventRandom draws what random.Random draws: same seed, same values, same stream after."""

from __future__ import annotations

import random

import pytest

from emulator.providers.rng import EventRandom, below, sample_few

WORDS = [f"w{i}" for i in range(971)]


def _script(rng: random.Random) -> list:
    out = []
    for n in (1, 2, 3, 5, 7, 8, 62, 100, 971):
        out.append(rng.choice(range(n)))
        out.append(rng.choice(tuple(WORDS[:n])))
    for a, b in ((1, 3), (0, 0), (-5, 5), (10**9, 4 * 10**9), (10**18, 9 * 10**18 - 1), (True, 3)):
        out.append(rng.randint(a, b))
    for population, k in ((WORDS, 4), (WORDS, 3), (WORDS, 5), (WORDS, 0), (WORDS, 6), (WORDS[:21], 4),
                          (WORDS[:22], 5), (range(1000), 2), (tuple(WORDS), 40)):
        out.append(rng.sample(population, k))
    out.append(rng.sample(["a", "b"], 3, counts=[2, 2]))
    out.append(rng.uniform(0.8, 1.2))
    out.append(rng.getrandbits(64))
    return out


@pytest.mark.parametrize("seed", [0, 1, "1/0", "7/video#3/upload/0", 2**70])
def test_event_random_draws_what_random_draws(seed):
    assert _script(EventRandom(seed)) == _script(random.Random(seed))


def test_errors_are_the_stdlibs():
    for rng in (EventRandom(1), random.Random(1)):
        with pytest.raises(ValueError):
            rng.randint(3, 1)
        with pytest.raises(ValueError):
            rng.sample(WORDS, 1000)
        with pytest.raises(TypeError):
            rng.sample({1, 2, 3}, 1)
    with pytest.raises(IndexError):
        EventRandom(1).choice([])


def test_the_spelled_out_helpers_draw_what_random_draws():
    a, b = random.Random(5), random.Random(5)
    for n in (1, 5, 62, 971, 8 * 10**18):
        assert below(a.getrandbits, n) == b.randrange(n)
    for k in (1, 3, 4, 5):
        assert sample_few(a.getrandbits, WORDS, k) == b.sample(WORDS, k)
    assert a.random() == b.random()
    with pytest.raises(ValueError):
        sample_few(a.getrandbits, WORDS, 6)
