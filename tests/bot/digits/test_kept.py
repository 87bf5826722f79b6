"""bot.digits.kept: one cache of answered photos for every chat, bounded in count and bytes."""

from __future__ import annotations

import numpy as np

from bot.digits.kept import KeptPhoto, PhotoCache


def kept(nbytes: int, single: bool = True) -> KeptPhoto:
    return KeptPhoto(np.zeros(nbytes, dtype=np.uint8), single)


def test_each_chat_keeps_its_last_photos_only():
    cache = PhotoCache(max_bytes=10**9, per_chat=3)
    tokens = [cache.put(1, kept(10)) for _ in range(5)]
    other = cache.put(2, kept(10))
    assert [cache.get(1, token) is not None for token in tokens] == [False, False, True, True, True]
    assert cache.get(2, other) is not None
    assert len(cache) == 4 and cache.nbytes == 40


def test_the_least_recently_used_photo_of_any_chat_goes_first_when_full():
    cache = PhotoCache(max_bytes=300, per_chat=5)
    a = cache.put(1, kept(100))
    b = cache.put(2, kept(100))
    c = cache.put(3, kept(100))
    assert cache.get(1, a) is not None  # chat 1's photo was used again: chat 2's is the oldest
    d = cache.put(4, kept(100))
    assert cache.get(2, b) is None
    assert all(cache.get(chat, token) for chat, token in [(1, a), (3, c), (4, d)])
    assert cache.nbytes <= 300


def test_a_token_works_only_in_its_own_chat_and_never_repeats():
    cache = PhotoCache()
    token = cache.put(1, kept(10))
    assert cache.get(2, token) is None and cache.get(1, "0") is None
    assert PhotoCache().put(1, kept(10)) != token  # a restarted bot does not reuse it


def test_many_big_photos_stay_within_the_byte_bound():
    cache = PhotoCache(max_bytes=5_000_000)
    for chat in range(50):
        for _ in range(5):
            cache.put(chat, kept(1_000_000))
    assert cache.nbytes <= 5_000_000 and len(cache) == 5


def test_forgetting_a_chat_drops_its_photos_only():
    cache = PhotoCache(max_bytes=10**9, per_chat=5)
    mine = [cache.put(1, kept(10)) for _ in range(3)]
    theirs = cache.put(2, kept(10))
    assert cache.forget(1) == 3
    assert all(cache.get(1, token) is None for token in mine)
    assert cache.latest_digit(1) is None
    assert cache.get(2, theirs) is not None and cache.nbytes == 10
    assert cache.forget(1) == 0
