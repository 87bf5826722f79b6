"""The rate limiter: a sliding window per chat, bounded memory."""

from bot.common.ratelimit import RateLimiter, Verdict


def test_rate_limiter_window_slides():
    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert [limiter.hit(1) for _ in range(2)] == [Verdict.OK, Verdict.OK]
    assert limiter.hit(1) is Verdict.FIRST_OVER
    assert limiter.hit(1) is Verdict.OVER
    now[0] = 30
    assert limiter.wait_seconds(1) == 30
    assert limiter.hit(1) is Verdict.OVER
    now[0] = 60.5
    assert limiter.hit(1) is Verdict.OK


def test_rate_limiter_forgets_idle_chats_to_stay_bounded():
    now = [0.0]
    limiter = RateLimiter(5, window=60, clock=lambda: now[0])
    limiter.MAX_KEYS = 100
    for chat in range(100):
        limiter.hit(chat)
    now[0] = 61
    limiter.hit(1000)
    assert len(limiter._hits) == 1
    for chat in range(2000, 2150):
        limiter.hit(chat)  # all active in this window: nothing may be forgotten
    assert len(limiter._hits) == 151


def test_a_chat_that_never_wrote_may_write_now():
    limiter = RateLimiter(1, window=60, clock=lambda: 0.0)
    assert limiter.wait_seconds(7) == 0
