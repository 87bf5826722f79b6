"""What bot replicas share in Redis: each update handled once, one chat at a time across
replicas, and rate limits that count every replica's hits. Skipped without Redis."""

import asyncio

import pytest

from bot.common.ratelimit import Verdict

pytest.importorskip("redis")


@pytest.fixture
async def replicas(redis_url):
    from bot.backends.shared import SharedUpdates

    made = [SharedUpdates(redis_url, "42"), SharedUpdates(redis_url, "42")]
    for shared in made:
        await shared.start()
    yield made
    for shared in made:
        await shared.close()


async def test_an_update_delivered_to_two_replicas_is_handled_once(replicas):
    a, b = replicas
    assert await a.first_time(1001)
    assert not await b.first_time(1001)
    assert not await a.first_time(1001)
    assert await b.first_time(1002)
    assert (a.duplicates, b.duplicates) == (1, 1)


async def test_another_bot_with_the_same_update_ids_is_not_taken_for_a_duplicate(
    replicas, redis_url
):
    from bot.backends.shared import SharedUpdates

    other = SharedUpdates(redis_url, "77")
    assert await replicas[0].first_time(5)
    assert await other.first_time(5)
    await other.close()


async def test_one_chat_is_handled_by_one_replica_at_a_time(replicas):
    a, b = replicas
    inside, most, order = 0, 0, []

    async def handle(shared, chat, update_id):
        nonlocal inside, most
        async with shared.chat_turn(chat, update_id):
            inside += 1
            most = max(most, inside)
            order.append(update_id)
            await asyncio.sleep(0.05)
            inside -= 1

    await asyncio.gather(*(handle((a, b)[i % 2], 7, i) for i in range(1, 9)))
    assert most == 1 and sorted(order) == list(range(1, 9))


async def test_different_chats_do_not_wait_for_each_other(replicas):
    a, b = replicas
    async with a.chat_turn(1, 10):
        await asyncio.wait_for(_enter(b, 2, 11), timeout=2)


async def _enter(shared, chat, update_id):
    async with shared.chat_turn(chat, update_id):
        return True


async def test_an_update_older_than_one_already_handled_is_counted(replicas):
    a, b = replicas
    async with a.chat_turn(3, 20):
        pass
    async with b.chat_turn(3, 19):
        pass
    assert b.out_of_order == 1 and a.out_of_order == 0


def test_the_rate_limit_counts_the_hits_of_every_replica(redis_url):
    from bot.backends.shared import SharedRateLimiter

    a, b = SharedRateLimiter(redis_url, 3), SharedRateLimiter(redis_url, 3)
    assert [a.hit(1), b.hit(1), a.hit(1)] == [Verdict.OK] * 3
    assert b.hit(1) is Verdict.FIRST_OVER  # the fourth, whichever replica sees it
    assert a.hit(1) is Verdict.OVER  # told once only
    assert b.hit(2) is Verdict.OK  # other chats are not affected
    assert 1 <= a.wait_seconds(1) <= 60


async def test_a_later_update_waits_for_an_earlier_one_of_its_chat_on_another_replica(replicas):
    a, b = replicas
    assert await a.first_time(31, 9) and await b.first_time(32, 9)  # both in the line
    handled = []

    async def handle(shared, update_id, delay):
        await asyncio.sleep(delay)
        async with shared.chat_turn(9, update_id):
            handled.append(update_id)

    # 32 reaches its replica's handler first, yet 31 is handled before it.
    await asyncio.gather(handle(b, 32, 0.0), handle(a, 31, 0.2))
    assert handled == [31, 32] and a.out_of_order == b.out_of_order == 0


async def test_an_earlier_update_of_a_replica_that_stopped_is_not_waited_for(replicas, redis_url):
    from bot.backends import shared as module

    a, b = replicas
    gone = module.SharedUpdates(redis_url, "42")  # never beats: as if it died after receipt
    assert await gone.first_time(40, 11) and await a.first_time(41, 11)
    async with asyncio.timeout(3):  # far less than ORDER_WAIT
        async with a.chat_turn(11, 41):
            pass
    await gone.close()
    # a live replica's earlier update is waited for, though
    assert await b.first_time(42, 11) and await a.first_time(43, 11)
    handled = []
    later = asyncio.create_task(_handle(a, 11, 43, handled))
    await asyncio.sleep(0.5)
    assert handled == []
    await _handle(b, 11, 42, handled)
    async with asyncio.timeout(10):
        await later
    assert handled == [42, 43]


async def _handle(shared, chat, update_id, handled):
    async with shared.chat_turn(chat, update_id):
        handled.append(update_id)


async def test_on_receipt_a_flood_is_counted_once_per_update_whichever_replica_has_it(replicas):
    a, b = replicas
    verdicts = [await (a, b)[i % 2].arrive(100 + i, 12, limit=3) for i in range(6)]
    assert verdicts == [Verdict.OK] * 3 + [Verdict.FIRST_OVER, Verdict.OVER, Verdict.OVER]
    assert await a.arrive(100, 12, limit=3) is None  # a duplicate: not counted again
    assert await b.arrive(200, 13, limit=3) is Verdict.OK  # another chat


async def test_an_update_dropped_on_receipt_is_not_in_its_chats_line(replicas):
    a, b = replicas
    verdicts = [await a.arrive(update_id, 14, limit=1) for update_id in (1, 2, 3)]
    assert verdicts == [Verdict.OK, Verdict.FIRST_OVER, Verdict.OVER]  # 3 is dropped at once
    for update_id in (1, 2):
        await a.leave(14, update_id)  # not handled after all (e.g. too many waiting)
    async with asyncio.timeout(3):  # nothing earlier of a live replica left to wait for
        async with b.chat_turn(14, 4):
            pass
