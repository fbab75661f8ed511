"""The broadcaster: how an event raised in one place reaches live subscribers.

The database is the truth; a broadcast only tells subscribers to look. A message
lost in transit delays work (a reconnecting client queries what it missed) and
never loses it. The in-process implementation serves one worker; a Redis or
PostgreSQL implementation of the same interface fans out across workers.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from wuyou import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened: a kind, the topic it belongs to, and a small JSON payload."""

    topic: str
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=clock.now)


class Subscription(Protocol):
    """An open subscription: iterate it for events; leaving its context closes it."""

    def __aiter__(self) -> AsyncIterator[Event]: ...


class Broadcaster(Protocol):
    """Publish events to topics; subscribe to topics."""

    async def publish(self, event: Event) -> None:
        """Deliver ``event`` to every current subscriber of ``event.topic``."""
        ...

    def subscribe(self, *topics: str) -> Any:
        """An async context manager yielding an async iterator of events on ``topics``."""
        ...

    async def close(self) -> None:
        """Release connections; pending subscriptions end."""
        ...


class InProcessBroadcaster:
    """Fan-out within one process through bounded asyncio queues.

    A subscriber that falls more than ``queue_size`` events behind loses the oldest
    ones (and a warning is logged) rather than slowing publishers down.
    """

    def __init__(self, queue_size: int = 1000) -> None:
        self._queue_size = queue_size
        self._queues: dict[str, set[asyncio.Queue[Event | None]]] = defaultdict(set)

    async def publish(self, event: Event) -> None:
        for queue in tuple(self._queues.get(event.topic, ())):
            if queue.full():
                queue.get_nowait()
                log.warning("subscriber on %s fell behind; dropped an event", event.topic)
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue: asyncio.Queue[Event | None] = asyncio.Queue(self._queue_size)
        for topic in topics:
            self._queues[topic].add(queue)
        try:
            yield _drain(queue)
        finally:
            for topic in topics:
                subscribers = self._queues.get(topic)
                if subscribers is not None:
                    subscribers.discard(queue)
                    if not subscribers:
                        del self._queues[topic]

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions currently listen on ``topic``."""
        return len(self._queues.get(topic, ()))

    async def close(self) -> None:
        for subscribers in self._queues.values():
            for queue in subscribers:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(None)
        self._queues.clear()


async def _drain(queue: asyncio.Queue[Event | None]) -> AsyncIterator[Event]:
    while (event := await queue.get()) is not None:
        yield event


_broadcaster: Broadcaster = InProcessBroadcaster()


def install(broadcaster: Broadcaster) -> Broadcaster:
    """Install the process broadcaster (done by the app's lifespan); returns the previous one."""
    global _broadcaster
    previous, _broadcaster = _broadcaster, broadcaster
    return previous


def broadcaster() -> Broadcaster:
    """The installed broadcaster."""
    return _broadcaster


#: What waits for the outermost :func:`after_commit` block to succeed.
Deferred = Callable[[], Awaitable[None]]

_held: contextvars.ContextVar[list[Deferred] | None] = contextvars.ContextVar(
    "wuyou_held_events", default=None
)


@asynccontextmanager
async def after_commit() -> AsyncIterator[None]:
    """Hold the events published (and the calls deferred) inside the block until it
    ends without an exception.

    Wrap a transaction with it (``async with events.after_commit(), in_transaction():``)
    so subscribers and plugins only hear of rows that are committed; if the block fails,
    what it held is dropped with its changes. Nested blocks hold for the outermost one.
    """
    if _held.get() is not None:
        yield
        return
    held: list[Deferred] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    for call in held:
        await call()


async def defer(call: Deferred) -> None:
    """Run ``call`` once the enclosing :func:`after_commit` block has succeeded (at once
    outside one): for telling others of a change only when it is committed."""
    held = _held.get()
    if held is not None:
        held.append(call)
    else:
        await call()


async def publish(topic: str, kind: str, **payload: Any) -> None:
    """Publish an event to subscribers and to plugins' ``track_event``; never raises.

    Inside :func:`after_commit` the event waits for the block to succeed. A failure to
    deliver only delays subscribers, who can always re-read the truth.
    """
    event = Event(topic=topic, kind=kind, payload=payload)
    await defer(lambda: _deliver(event))


async def _deliver(event: Event) -> None:
    from plugins.manager import notify

    kind, topic = event.kind, event.topic
    try:
        await _broadcaster.publish(event)
    except Exception:
        log.exception("publishing %s on %s failed", kind, topic)
    await notify("track_event", event=event)
