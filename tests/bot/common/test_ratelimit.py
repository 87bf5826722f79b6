"""The rate limiter: a sliding window per chat, bounded memory."""

from types import SimpleNamespace

from bot.common.handlers.gate import SCREENED, screen_update
from bot.common.ratelimit import MAX_WAITING, RATE_LIMITER, RateLimiter, Verdict
from tests.support.fakebot import message


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


def test_refusing_counts_as_over_and_warns_once_per_window():
    now = [0.0]
    limiter = RateLimiter(5, window=60, clock=lambda: now[0])
    assert limiter.refuse(1) is Verdict.FIRST_OVER
    assert limiter.refuse(1) is Verdict.OVER
    assert limiter.hit(1) is Verdict.OK  # refusing used none of the chat's allowance
    now[0] = 61
    assert limiter.refuse(1) is Verdict.FIRST_OVER


def test_the_screen_counts_on_arrival_and_drops_what_will_not_be_answered():
    application = SimpleNamespace(bot_data={RATE_LIMITER: RateLimiter(2)})
    verdicts = [screen_update(application, message("hi", user_id=7), 0) for _ in range(5)]
    assert verdicts == [True, True, True, False, False]  # 2 answers, 1 notice, then nothing
    decided = application.bot_data[SCREENED]
    assert sorted(decided.values(), key=list(Verdict).index) == [
        Verdict.OK,
        Verdict.OK,
        Verdict.FIRST_OVER,
    ]


def test_a_chat_with_too_many_updates_waiting_is_over_the_limit():
    application = SimpleNamespace(bot_data={RATE_LIMITER: RateLimiter(1000)})
    assert screen_update(application, message("hi", user_id=8), MAX_WAITING) is True  # notice
    assert screen_update(application, message("hi", user_id=8), MAX_WAITING) is False
    assert screen_update(application, message("hi", user_id=8), MAX_WAITING - 1) is True
    unlimited = SimpleNamespace(bot_data={})  # RATE_PER_MINUTE=0: the bound still holds
    assert screen_update(unlimited, message("hi", user_id=9), MAX_WAITING) is False
