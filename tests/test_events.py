"""The broadcaster, and events held until their transaction commits."""

from __future__ import annotations

import pytest

from wuyou import events


async def test_subscribers_get_events_of_their_topics_only() -> None:
    broadcaster = events.InProcessBroadcaster()
    async with broadcaster.subscribe("a", "b") as stream:
        await broadcaster.publish(events.Event(topic="a", kind="ONE"))
        await broadcaster.publish(events.Event(topic="c", kind="NOT_MINE"))
        await broadcaster.publish(events.Event(topic="b", kind="TWO"))
        iterator = aiter(stream)
        kinds = [(await anext(iterator)).kind for _ in range(2)]
    assert kinds == ["ONE", "TWO"]
    assert broadcaster.subscriber_count("a") == 0


async def test_a_slow_subscriber_loses_the_oldest_events_not_the_publisher() -> None:
    broadcaster = events.InProcessBroadcaster(queue_size=2)
    async with broadcaster.subscribe("t") as stream:
        for n in range(5):
            await broadcaster.publish(events.Event(topic="t", kind=str(n)))
        iterator = aiter(stream)
        assert [(await anext(iterator)).kind for _ in range(2)] == ["3", "4"]


class Recording(events.InProcessBroadcaster):
    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[str] = []

    async def publish(self, event: events.Event) -> None:
        self.kinds.append(event.kind)


async def test_events_wait_for_the_block_and_vanish_with_its_failure() -> None:
    recording = Recording()
    previous = events.install(recording)
    try:
        async with events.after_commit():
            await events.publish("t", "HELD")
            async with events.after_commit():
                await events.publish("t", "NESTED")
            assert recording.kinds == []
        assert recording.kinds == ["HELD", "NESTED"]
        with pytest.raises(RuntimeError):
            async with events.after_commit():
                await events.publish("t", "ROLLED_BACK")
                raise RuntimeError("transaction failed")
        await events.publish("t", "AFTER")
        assert recording.kinds == ["HELD", "NESTED", "AFTER"]
    finally:
        events.install(previous)
