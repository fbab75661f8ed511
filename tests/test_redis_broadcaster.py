"""Live events across workers through Redis: two broadcasters in one process.

Runs when ``WUYOU_TEST_REDIS_URL`` names a Redis (``.ci/run`` sets it); skipped otherwise.
Real servers hearing of each other's offers are in tests/test_scale_out.py.
"""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from wuyou.events import Event
from wuyou.redis_broadcaster import RedisBroadcaster

REDIS_URL = os.environ.get("WUYOU_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(REDIS_URL is None, reason="WUYOU_TEST_REDIS_URL is not set")


@pytest.fixture
def prefix() -> str:
    """A channel prefix of this test's own, so runs sharing a Redis never cross."""
    return f"wuyou-test-{uuid.uuid4().hex[:8]}:"


async def test_an_event_published_by_one_worker_reaches_the_subscribers_of_another(
    prefix: str,
) -> None:
    assert REDIS_URL is not None
    worker_a = RedisBroadcaster(REDIS_URL, prefix=prefix)
    worker_b = RedisBroadcaster(REDIS_URL, prefix=prefix)
    try:
        async with (
            worker_b.subscribe("merchant:7") as on_b,
            worker_a.subscribe("merchant:7", "order:X") as on_a,
        ):
            assert worker_b.subscriber_count("merchant:7") == 1
            await worker_a.publish(Event("merchant:7", "OFFERED", {"offer_id": 3}))
            await worker_a.publish(Event("elsewhere", "OFFERED", {"offer_id": 4}))
            heard_b = await asyncio.wait_for(anext(aiter(on_b)), 5)
            heard_a = await asyncio.wait_for(anext(aiter(on_a)), 5)
        assert (heard_b.topic, heard_b.kind, heard_b.payload) == (
            "merchant:7",
            "OFFERED",
            {"offer_id": 3},
        )
        assert heard_a == heard_b
        assert worker_b.subscriber_count("merchant:7") == 0
    finally:
        await worker_a.close()
        await worker_b.close()
